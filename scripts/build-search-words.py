"""Write kiosk/search/common-words.txt: the everyday words search segments queries with,
besides the catalog's own terms and the colloquial lexicon.

Source: jieba's dictionary (jieba/dict.txt, MIT licence, the installed jieba), words of 1–4
Chinese characters with a frequency of at least MIN_FREQ. The kiosk reads this short list at
index time instead of jieba's 349,046-line dictionary (0.6 s to read, ~70 MB as jieba's prefix
dictionary): search needs word boundaries around the catalog's terms, not rare words.

    .venv/bin/python scripts/build-search-words.py
"""

from __future__ import annotations

import re
from pathlib import Path

import jieba

MIN_FREQ = 300
OUT = Path(__file__).resolve().parent.parent / "kiosk" / "search" / "common-words.txt"
_CJK = re.compile(r"[\u4e00-\u9fff]{1,4}")


def main() -> int:
    source = Path(jieba.__file__).parent / "dict.txt"
    kept = []
    for line in source.read_text(encoding="utf-8").splitlines():
        word, freq = line.split(" ")[:2]
        if int(freq) >= MIN_FREQ and _CJK.fullmatch(word):
            kept.append(f"{word} {freq}")
    OUT.write_text("\n".join(kept) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(kept)} words from {source} (frequency ≥ {MIN_FREQ})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
