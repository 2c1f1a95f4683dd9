"""The catalog's form files on disk: check that every form the catalog names has a usable PDF,
and install the PDFs a catalog ships with ("forms/" next to its JSON) into [catalog] forms_dir.

Why all-or-nothing: a township updating its forms must never end up with half the new files
and a broken one; a bad PDF is named and nothing is copied, the last good set stays.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from kiosk.catalog.model import Item
from kiosk.config import Config
from kiosk.errors import CatalogError
from kiosk.forms.preview import PdfPreview, PreviewError

A4_MM = (210.0, 297.0)
TOLERANCE_MM = 2.0


def pdf_problems(path: Path, expected_pages: int | None = None) -> list[str]:
    """What is wrong with a form PDF (empty list: it opens, every page is A4 portrait)."""
    if not path.is_file():
        return [f"{path}: missing"]
    try:
        with PdfPreview(path) as pdf:
            count = pdf.page_count()
            sizes = [pdf.page_size_mm(i) for i in range(count)]
    except PreviewError as exc:
        return [str(exc)]
    problems = []
    if expected_pages is not None and count != expected_pages:
        problems.append(f"{path}: {count} page(s), the catalog says {expected_pages}")
    for i, (w, h) in enumerate(sizes, 1):
        if abs(w - A4_MM[0]) > TOLERANCE_MM or abs(h - A4_MM[1]) > TOLERANCE_MM:
            problems.append(f"{path}: page {i} is {w:.0f} x {h:.0f} mm, expected A4 210 x 297")
    return problems


def check_forms(cfg: Config, items: Iterable[Item]) -> list[str]:
    """Every problem with the forms these items name, each naming item, form and file."""
    base = cfg.path(cfg.catalog.forms_dir)
    problems: list[str] = []
    for item in items:
        for form in item.forms:
            path = Path(form.file) if Path(form.file).is_absolute() else base / form.file
            problems += [f"{item.code} {form.id}: {p}" for p in pdf_problems(path, form.pages)]
    return problems


def install_forms(src: Path, cfg: Config) -> list[Path]:
    """Copy every PDF in `src` into [catalog] forms_dir, or none if any is unusable."""
    pdfs = sorted(src.glob("*.pdf"))
    if not pdfs:
        raise CatalogError(f"{src}: no PDF files to install")
    problems = [p for pdf in pdfs for p in pdf_problems(pdf)]
    if problems:
        raise CatalogError(f"{src}: nothing installed, {len(problems)} problem(s):\n  "
                           + "\n  ".join(problems))
    dest = cfg.path(cfg.catalog.forms_dir)
    dest.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for pdf in pdfs:
            fd, name = tempfile.mkstemp(prefix=".install-", suffix=".pdf", dir=dest)
            os.close(fd)
            staged.append((Path(name), dest / pdf.name))
            shutil.copyfile(pdf, name)
    except OSError as exc:
        for part, _ in staged:
            part.unlink(missing_ok=True)
        raise CatalogError(f"{dest}: cannot install forms: {exc}") from exc
    for part, final in staged:
        part.replace(final)  # each rename is atomic: a reader sees the old or the new file
    return [final for _, final in staged]
