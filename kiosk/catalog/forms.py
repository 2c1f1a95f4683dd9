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
from collections.abc import Iterable
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


MAX_FORM_BYTES = 50 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


def referenced(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """(JSON path, file) of every form file the catalog names, in document order."""
    out = []
    for i, item in enumerate(doc.get("items", [])):
        for j, form in enumerate(item.get("forms", [])):
            out.append((f"items[{i}].forms[{j}].file", form["file"]))
    return out


def _linked(folder: Path, name: str) -> bool:
    """Whether the file or a folder between `folder` and it is a symbolic link."""
    p = folder
    for part in PurePosixPath(name).parts:
        p = p / part
        if p.is_symlink():
            return True
    return False


def _form_problem(folder: Path, name: str) -> str:
    """'' or what is wrong with one form file of a package folder. A link is refused even
    when it points at a PDF: import copies what a link points to, so a link to the queue's
    secret key (or, run as root, any file) would become a world-readable "form"."""
    path = folder / name
    if _linked(folder, name):
        return f"is a symbolic link in {folder}; put the PDF file itself in the package"
    if not path.is_file():
        return f"is not in {folder}"
    size = path.stat().st_size
    if size > MAX_FORM_BYTES:
        return f"is {size // 2**20} MiB; a form may be at most {MAX_FORM_BYTES // 2**20} MiB"
    with path.open("rb") as f:
        head = f.read(len(PDF_MAGIC))
    if head != PDF_MAGIC:
        return f"in {folder} is not a PDF file (it does not start with %PDF-)"
    return ""


def form_problems(files: dict[str, str], folder: Path) -> list[str]:
    """Problems of the form files a catalog names ({file: JSON path naming it}): missing,
    a symbolic link, not a PDF, too large. Unsafe names are the validator's problem."""
    out = []
    for name, path in files.items():
        if unsafe_file(name):
            continue
        problem = _form_problem(folder, name)
        if problem:
            out.append(f'{path}: "{name}" {problem}')
    return out


def missing_forms(doc: dict[str, Any], folder: Path) -> list[str]:
    """form_problems() for a document in memory."""
    files: dict[str, str] = {}
    for path, name in referenced(doc):
        files.setdefault(name, path)
    return form_problems(files, folder)


def _same(a: Path, b: Path) -> bool:
    if not b.exists() or a.stat().st_size != b.stat().st_size:
        return False
    return bool(hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest())


def install_forms(files: Iterable[str], src: Path, dest: Path) -> int:
    """Copy the named forms (checked by form_problems) from a package folder into the kiosk's
    forms folder; returns how many files were written. Each file is written to a temporary
    name and renamed, so a reader never sees half a PDF; a source that became a link since
    it was checked is refused (O_NOFOLLOW)."""
    written = 0
    for name in sorted({n for n in files if not unsafe_file(n)}):
        source, target = src / name, dest / name
        if _same(source, target):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".part")
        fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as fin, tmp.open("wb") as fout:
            shutil.copyfileobj(fin, fout)
        os.replace(tmp, target)
        written += 1
    return written
