"""`kiosk search QUERY [--limit N] [--json]`: the kiosk's search from the command line.

Human output marks the matched characters with 【】; --json gives every hit with its code,
name, score and the matched fields with their spans (and `because` when it matched only
through a colloquial word), plus the words the query was searched as. Finding nothing is not
an error: the suggestions (closest items, popular items, categories) are printed and the exit
code is 0.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

from kiosk.commands.common import Subparsers, config_from_args, print_json

if TYPE_CHECKING:
    from kiosk.search import SearchResult

FIELD_LABELS = {"name": "名称", "short_name": "简称", "alias": "别名", "keyword": "关键词",
                "synonym": "俗称", "colloquial": "口语",
                "material": "材料", "department": "部门", "step": "环节",
                "pinyin": "拼音", "initials": "首字母"}


def register(sub: Subparsers) -> None:
    p = sub.add_parser("search", help="search the catalog as the kiosk does (pinyin too)")
    p.add_argument("query", help="what a citizen would type: 低保, dibao, db, gl补贴 …")
    p.add_argument("--limit", type=int, default=None, metavar="N",
                   help="most results (default: [search].limit)")
    p.add_argument("--json", action="store_true", help="JSON output")
    p.set_defaults(handler=_search)


def mark(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each span wrapped in 【】."""
    out: list[str] = []
    at = 0
    for s, e in spans:
        out += [text[at:s], "【", text[s:e], "】"]
        at = e
    out.append(text[at:])
    return "".join(out)


def _search(args: argparse.Namespace) -> int:
    from kiosk.lookup import load_catalog, searcher_for
    from kiosk.search import SearchIndex

    cfg = config_from_args(args)
    limit = args.limit if args.limit is not None else cfg.search.limit
    if limit < 1:
        print(f"kiosk search: --limit: expected an integer ≥ 1, got {limit}", file=sys.stderr)
        return 2
    catalog = load_catalog(cfg)
    t0 = time.perf_counter()
    index = searcher_for(cfg, catalog)
    assert isinstance(index, SearchIndex)
    t1 = time.perf_counter()
    result = index.search(args.query, limit)
    t2 = time.perf_counter()
    words = [w.spelled or w.text for w in index.words(args.query) if w.weight > 0]
    if args.json:
        print_json({**result.to_json(), "words": words, "catalog_version": catalog.version,
                    "items": len(catalog)})
    else:
        if words:
            print("按词查找：" + " · ".join(words))
        _print_human(result)
        print(f"\n（{len(catalog)} 项事项；建索引 {1000 * (t1 - t0):.0f} ms，"
              f"查询 {1000 * (t2 - t1):.1f} ms）")
    return 0


def _print_human(result: SearchResult) -> None:
    from kiosk.search.results import merge_spans

    if not result.hits:
        sug = result.suggestions
        if sug is not None:
            print(sug.message)
            if sug.closest:
                print("  " + "、".join(f"{s.name} [{s.code}]" for s in sug.closest))
            print("常办事项：" + "、".join(s.name for s in sug.popular))
            print("分类：" + "、".join(f"{c.name}（{c.count}项）" for c in sug.categories))
        return
    print(f"找到 {result.total} 项，列出最相关的 {len(result.hits)} 项：")
    for n, hit in enumerate(result.hits, 1):
        lit = ("name", "pinyin", "initials", "synonym", "colloquial")
        name_spans = [s for m in hit.matches if m.text == hit.name and m.field in lit
                      for s in m.spans]
        print(f"{n:>3}. {mark(hit.name, merge_spans(name_spans))}  [{hit.code}] {hit.score:g}")
        if hit.because is not None:
            print(f"       {hit.because.line()}")
        for m in hit.matches:
            if m.text != hit.name:
                print(f"       {FIELD_LABELS.get(m.field, m.field)}：{mark(m.text, m.spans)}")
