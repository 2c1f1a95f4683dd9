"""`kiosk catalog validate|import|stats|generate|rollback`: the procedure catalog's life cycle.

Exit codes (kiosk/cli.py): 0 ok, 1 the file has problems, 2 usage/config, 3 store failure.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("catalog", help="validate, import, inspect or generate a procedure catalog")
    csub = p.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)

    gen = csub.add_parser("generate", help="write a synthetic, schema-valid catalog (scale tests)")
    gen.add_argument("--items", type=int, required=True, metavar="N", help="number of items")
    gen.add_argument("--out", required=True, metavar="FILE", help="JSON file to write")
    gen.add_argument("--seed", type=int, default=0, help="random seed (same seed, same file)")
    gen.set_defaults(handler=_generate)


def _generate(args: argparse.Namespace) -> int:
    from kiosk.catalog.generate import write_file

    if args.items < 0:
        print(f"kiosk: --items must be ≥ 0, got {args.items}", file=sys.stderr)
        return 2
    out = Path(args.out)
    start = time.perf_counter()
    write_file(out, args.items, args.seed)
    print(f"wrote {args.items} items to {out} in {time.perf_counter() - start:.1f} s "
          f"(seed {args.seed})")
    return 0
