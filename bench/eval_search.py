"""Search quality on tests/data/search-eval.json: top-1/3/5 recall and the "nothing found"
rate, for the part tuned on and the held-out part apart.

A query is found at k when any procedure it expects is among the first k hits. "Nothing
found" counts queries with an answer in the catalog that got no hit at all (a page of "您是不是
要找" suggestions counts as nothing found here). Queries whose answer is not in the catalog
(expect = []) are reported apart: how many got hits or closest-item suggestions.

    PYTHONPATH=. .venv/bin/python bench/eval_search.py            # figures (JSON)
    PYTHONPATH=. .venv/bin/python bench/eval_search.py --misses   # the TUNED part's misses

--misses never lists a held-out query: the held-out part stays unseen while tuning.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from kiosk.catalog.catalog import Catalog
from kiosk.search import SearchIndex, SearchResult

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "tests" / "data" / "search-eval.json"
CATALOG = ROOT / "assets" / "catalog" / "sample-catalog.json"
KS = (1, 3, 5)


def load_eval(path: Path = EVAL) -> list[dict[str, Any]]:
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    queries: list[dict[str, Any]] = doc["queries"]
    return queries


def rank_of(result: SearchResult, expect: list[str]) -> int | None:
    """1-based rank of the first expected procedure among the hits, None if absent."""
    for i, hit in enumerate(result.hits):
        if hit.code in expect:
            return i + 1
    return None


def figures(index: SearchIndex, queries: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [q for q in queries if q["expect"]]
    n = len(answerable)
    found = {k: 0 for k in KS}
    nothing = 0
    for q in answerable:
        result = index.search(q["q"], 30)
        if not result.hits:
            nothing += 1
        r = rank_of(result, q["expect"])
        for k in KS:
            found[k] += r is not None and r <= k
    out: dict[str, Any] = {"queries": n}
    for k in KS:
        out[f"top{k}"] = round(found[k] / n, 3) if n else None
    out["nothing_found"] = round(nothing / n, 3) if n else None
    return out


def outside(index: SearchIndex, queries: list[dict[str, Any]]) -> dict[str, Any]:
    rest = [q for q in queries if not q["expect"]]
    offered = 0
    for q in rest:
        r = index.search(q["q"], 30)
        offered += bool(r.hits) or bool(r.suggestions and getattr(r.suggestions, "closest", None))
    return {"queries": len(rest), "hits_or_closest_offered": offered}


def misses(index: SearchIndex, queries: list[dict[str, Any]]) -> list[str]:
    lines = []
    for q in queries:
        if q["part"] != "tuned" or not q["expect"]:
            continue
        result = index.search(q["q"], 30)
        r = rank_of(result, q["expect"])
        if r is None or r > 3:
            top = ", ".join(f"{h.code[3:]} {h.name}" for h in result.hits[:3])
            lines.append(f"{q['q']}  want {' '.join(q['expect'])}  rank {r}  top: {top}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true",
                        help="list the tuned part's queries not in the top 3")
    args = parser.parse_args()
    catalog = Catalog.from_document(json.loads(CATALOG.read_text(encoding="utf-8")))
    index = SearchIndex.build(catalog)
    queries = load_eval()
    if args.misses:
        print("\n".join(misses(index, queries)))
        return 0
    out = {"eval": str(EVAL.relative_to(ROOT)), "catalog": str(CATALOG.relative_to(ROOT)),
           "tuned": figures(index, [q for q in queries if q["part"] == "tuned"]),
           "held_out": figures(index, [q for q in queries if q["part"] == "held_out"]),
           "not_in_catalog": outside(index, queries)}
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
