"""The search screen (its typing hints stay with it: screens/search.py)."""

from __future__ import annotations

SEARCH_FAILED = "查找暂时出了问题，请换个词再试，或到服务台咨询。"
