"""Form files (空白表格, 示例样表) that travel with a catalog: a `forms/` folder next to the
catalog JSON (docs/catalog-format.md, "How forms travel").

Why check and copy here: a guide that offers 打印空白表格 for a file the kiosk does not have
fails in front of a citizen. So an import with a package folder first checks that every
referenced file is there, then copies them into [catalog].forms_dir — before the catalog
itself is switched, so the new catalog never points at a form that is not yet on disk.
Files are added or replaced, never deleted: the previous catalog (rollback) keeps its forms.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path, PurePosixPath
from typing import Any

PACKAGE_CATALOG = "catalog.json"


def package_forms_dir(catalog_file: Path) -> Path | None:
    """The `forms/` folder of a catalog package: a folder holding `catalog.json` and `forms/`.
    Only a file named catalog.json counts, so an unrelated `forms/` folder that happens to sit
    next to some other JSON file is not taken for the catalog's forms."""
    d = catalog_file.parent / "forms"
    return d if catalog_file.name == PACKAGE_CATALOG and d.is_dir() else None


def unsafe_file(name: str) -> bool:
    """A form path must stay inside the forms folder: relative, no '..', no backslashes."""
    p = PurePosixPath(name)
    return p.is_absolute() or ".." in p.parts or "\\" in name or name.startswith("~")


def referenced(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """(JSON path, file) of every form file the catalog names, in document order."""
    out = []
    for i, item in enumerate(doc.get("items", [])):
        for j, form in enumerate(item.get("forms", [])):
            out.append((f"items[{i}].forms[{j}].file", form["file"]))
    return out


def missing_forms(doc: dict[str, Any], folder: Path) -> list[str]:
    """Problems for form files the catalog names but the folder lacks."""
    return [f'{path}: "{name}" is not in {folder}'
            for path, name in referenced(doc)
            if not unsafe_file(name) and not (folder / name).is_file()]


def _same(a: Path, b: Path) -> bool:
    if not b.exists() or a.stat().st_size != b.stat().st_size:
        return False
    return bool(hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest())


def install_forms(doc: dict[str, Any], src: Path, dest: Path) -> int:
    """Copy the referenced forms from a package folder into the kiosk's forms folder; returns
    how many files were written. Each file is written to a temporary name and renamed, so a
    reader never sees half a PDF."""
    written = 0
    for name in sorted({n for _, n in referenced(doc) if not unsafe_file(n)}):
        source, target = src / name, dest / name
        if _same(source, target):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".part")
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
        written += 1
    return written
