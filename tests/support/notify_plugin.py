"""A notifier plug-in as a county would write one (`--notify package.module:factory:ARG`):
`to_file(path)` appends each alert's subject and text to a file, one line each."""

from __future__ import annotations

from pathlib import Path


class FileNotifier:
    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self.name = f"file {self.path.name}"

    def send(self, subject: str, text: str) -> None:
        with self.path.open("a", encoding="utf-8") as f:
            f.write(f"{subject}\t{text}\n")


def to_file(argument: str) -> FileNotifier:
    return FileNotifier(argument)
