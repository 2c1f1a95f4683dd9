"""`kiosk catalog validate|import|stats|rollback|update|generate`: the catalog's life cycle.

Exit codes (kiosk/cli.py): 0 ok, 1 the file has problems, 2 usage/config (e.g. no such file),
3 store failure.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from kiosk.commands.common import Subparsers, config_from_args, print_json


def register(sub: Subparsers) -> None:
    p = sub.add_parser("catalog", help="validate, import, inspect or generate a procedure catalog")
    csub = p.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)

    val = csub.add_parser("validate", help="check a catalog file; list every problem (exit 1)")
    val.add_argument("file", metavar="FILE")
    val.add_argument("--json", action="store_true", help="problems as JSON")
    val.add_argument("--forms", metavar="DIR",
                     help="check the form files here (default: forms/ next to a FILE named "
                          "catalog.json)")
    val.set_defaults(handler=_validate)

    imp = csub.add_parser("import", help="make a catalog file the current catalog (atomic)")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--json", action="store_true", help="the import report as JSON")
    imp.add_argument("--forms", metavar="DIR",
                     help="copy the form files from here into [catalog].forms_dir "
                          "(default: forms/ next to a FILE named catalog.json)")
    imp.add_argument("--allow-empty", action="store_true",
                     help="import a catalog with no items even over one that has items")
    imp.set_defaults(handler=_import)

    st = csub.add_parser("stats", help="what the catalog store holds")
    st.add_argument("--json", action="store_true")
    st.set_defaults(handler=_stats)

    rb = csub.add_parser("rollback", help="make the previously imported catalog current again")
    rb.set_defaults(handler=_rollback)

    from kiosk.commands.catalog_update import register_update

    register_update(csub)

    gen = csub.add_parser("generate", help="write a synthetic, schema-valid catalog (scale tests)")
    gen.add_argument("--items", type=int, required=True, metavar="N", help="number of items")
    gen.add_argument("--out", required=True, metavar="FILE", help="JSON file to write")
    gen.add_argument("--seed", type=int, default=0, help="random seed (same seed, same file)")
    gen.set_defaults(handler=_generate)


def _file_arg(name: str) -> Path | None:
    path = Path(name)
    if not path.is_file():
        print(f"kiosk: no such catalog file: {path}", file=sys.stderr)
        return None
    return path


def _forms_folder(args: argparse.Namespace, path: Path) -> Path | None:
    from kiosk.catalog.forms import package_forms_dir

    return Path(args.forms) if args.forms else package_forms_dir(path)


def _validate(args: argparse.Namespace) -> int:
    from kiosk.catalog.forms import form_problems
    from kiosk.catalog.validate import check_catalog_file

    path = _file_arg(args.file)
    if path is None:
        return 2
    check = check_catalog_file(path)     # streamed: bounded memory, stops after 200 problems
    problems = check.problems
    folder = _forms_folder(args, path)
    if folder is not None and not problems:
        problems = form_problems(check.forms, folder)
    if args.json:
        print_json({"file": str(path), "valid": not problems, "items": check.items,
                    "forms_checked": str(folder) if folder else None, "problems": problems})
    elif problems:
        for p in problems:
            print(printable(p))
        print(f"{path}: {len(problems)} problem(s); nothing was imported", file=sys.stderr)
    else:
        forms = f"forms checked in {folder}" if folder else "form files not checked"
        print(printable(f"{path}: OK, {check.items} items, catalog version "
                        f"{check.catalog_version} ({forms})"))
    return 1 if problems else 0


def printable(text: object) -> str:
    """Text for a terminal: control characters (an ANSI escape in a stored department name)
    and lone surrogates shown as \\x1b-style escapes, never sent raw."""
    out = str(text).encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), out)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _import(args: argparse.Namespace) -> int:
    from kiosk.catalog import import_catalog
    from kiosk.errors import CatalogValidationError, EmptyCatalogRefused

    cfg = config_from_args(args)
    path = _file_arg(args.file)
    if path is None:
        return 2
    try:
        r, copied = import_catalog(cfg, path, Path(args.forms) if args.forms else None,
                                   allow_empty=args.allow_empty)
    except CatalogValidationError as e:
        for p in e.problems:
            print(printable(p), file=sys.stderr)
        print(f"{path}: {len(e.problems)} problem(s); the current catalog is unchanged",
              file=sys.stderr)
        return 1
    except EmptyCatalogRefused as e:
        print(f"kiosk: {e}; the current catalog is unchanged", file=sys.stderr)
        return 1
    db = cfg.path(cfg.catalog.db)
    if args.json:
        print_json({"version_id": r.version_id, "catalog_version": r.catalog_version,
                    "items": r.items, "seconds": round(r.seconds, 3),
                    "previous_version": r.previous_version, "forms_copied": copied,
                    "db": str(db)})
    else:
        before = f" (replacing {r.previous_version})" if r.previous_version else ""
        print(printable(f"imported {r.items} items, catalog version {r.catalog_version}"
                        f"{before}, in {r.seconds:.1f} s into {db}; {copied} form file(s) "
                        "copied"))
    return 0


def _stats(args: argparse.Namespace) -> int:
    from kiosk.catalog import open_store

    cfg = config_from_args(args)
    store = open_store(cfg)   # seeded as for every command that reads the catalog
    try:
        stats = store.stats()
    finally:
        store.close()
    if args.json:
        print_json(stats)
        return 0
    print(printable(f"store: {stats['db']} ({stats['file_bytes'] / 1e6:.1f} MB)"))
    for key in ("current", "previous"):
        v = stats[key]
        if v is None:
            print(f"{key}: (none)")
            continue
        print(printable(f"{key}: {v['catalog_version']} published {v['published']} by "
                        f"{v['publisher']}, {v['items']} items, imported {v['imported_at']} "
                        f"from {v['source'] or '?'}"))
        for dept, n in list(v["departments"].items())[:10]:
            print(printable(f"    {dept}: {n}"))
    return 0


def _rollback(args: argparse.Namespace) -> int:
    from kiosk.catalog import open_store
    from kiosk.errors import CatalogError

    cfg = config_from_args(args)
    try:
        store = open_store(cfg)
        try:
            version = store.rollback()
        finally:
            store.close()
    except CatalogError as e:
        print(f"kiosk: {e}", file=sys.stderr)
        return 1
    print(f"catalog version {version} is current again")
    return 0


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
