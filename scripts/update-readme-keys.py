"""Regenerate the configuration table in README.md from kiosk/config.py's declarations."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

readme = Path(__file__).resolve().parent.parent / "README.md"
table = subprocess.run([sys.executable, "-m", "kiosk", "config", "keys", "--markdown"],
                       capture_output=True, text=True, check=True,
                       cwd=readme.parent).stdout
text = readme.read_text(encoding="utf-8")
begin, end = "<!-- config-keys:begin -->\n", "<!-- config-keys:end -->"
i, j = text.index(begin) + len(begin), text.index(end)
readme.write_text(text[:i] + table + text[j:], encoding="utf-8")
