""""您是不是要找：…": the items closest to a query that found nothing.

Never an empty page: for letters, the words the vocabulary can make of them (one letter
off allowed) and what those words find; for Chinese, the items sharing the most of the
query's characters in their names, short names, aliases and keywords (characters of
filler and of the weakest words — 了, 办, 领 — left out).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from kiosk.catalog.catalog import ItemSummary
from kiosk.search import bands as B
from kiosk.search import bits
from kiosk.search.data import IndexData
from kiosk.search.words import Vocabulary

CLOSEST = 4
WEAK = 0.25
_CJK = re.compile(r"[\u3400-\u9fff]")
_LETTERS = re.compile(r"[a-z]{2,}")


def closest_items(data: IndexData, vocab: Vocabulary,
                  lookup: Callable[[str], tuple[B.Piece, B.Bands]], whole: str
                  ) -> list[ItemSummary]:
    score: Counter[int] = Counter()
    for letters in _LETTERS.findall(whole):
        for w in vocab.words_for(letters)[:3]:
            for band, ids in lookup(w)[1].items():
                for i in bits.ids_of(ids):
                    score[i] = max(score[i], int(band))
    if not score:
        return _by_characters(data, vocab, whole)
    ranked = sorted(score, key=lambda i: (-score[i], i))[:CLOSEST]
    return [data.items[i] for i in ranked]


def _by_characters(data: IndexData, vocab: Vocabulary, whole: str) -> list[ItemSummary]:
    """Names and aliases sharing the most of the query's characters, counted over distinct
    texts (a county repeats one name in every village), each text's best item shown."""
    shared: Counter[tuple[int, int]] = Counter()
    tables = (data.name, data.alias)
    for ch in dict.fromkeys(_CJK.findall(whole)):
        e = vocab.lexicon.entry(ch)
        if vocab.lexicon.is_filler(ch) or (e is not None and e.weight <= WEAK):
            continue
        for k, table in enumerate(tables):
            shared.update((k, t) for t in table.find(ch))
    best: dict[int, int] = {}
    for (k, t), n in shared.items():
        item = tables[k].items[t][0]          # items are sorted: the best one first
        best[item] = max(best.get(item, 0), n)
    ranked = sorted(best, key=lambda i: (-best[i], i))[:CLOSEST]
    return [data.items[i] for i in ranked]
