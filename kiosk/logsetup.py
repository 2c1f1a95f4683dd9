"""Logging for an unattended kiosk: a size-capped rotating file plus stderr (which systemd
sends to the journal), with a last line of defence that scrubs anything shaped like an ID
card number. Code must never log personal data in the first place; the filter only catches
mistakes, so a slip in a future change cannot leak a citizen's number to disk.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
from pathlib import Path

# 18-character resident/permit numbers and 15-character old/foreign ones, in clear text.
_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")


def scrub(text: str) -> str:
    """Mask ID-number-like digit runs: keep the first 4 and last 4 characters."""

    def mask(m: re.Match[str]) -> str:
        s = m.group(0)
        return s[:4] + "*" * (len(s) - 8) + s[-4:]

    return _ID_LIKE.sub(mask, text)


class ScrubFilter(logging.Filter):
    """Rewrites each record's message through `scrub` before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = scrub(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


class QuietLibraryFilter(logging.Filter):
    """python-escpos logs every connect and close of a network printer at INFO on the root
    logger; with the status monitor that is two lines every few seconds, all day, which would
    rotate the useful lines out of the capped file. httpx logs every request at INFO (a kiosk
    issuing through the hall service asks it for the queue every few seconds). Those become
    DEBUG-only."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        chatty = record.name in ("httpx", "httpcore") or (
            record.name == "root" and "/escpos/" in record.pathname.replace("\\", "/"))
        return not (chatty and record.levelno <= logging.INFO and self.level > logging.DEBUG)


FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(log_dir: Path, level: str = "INFO", max_bytes: int = 5_000_000,
                  backups: int = 5, to_stderr: bool = True) -> Path:
    """Configure the root logger; returns the log file's path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "kiosk.log"
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
        h.close()
    handlers: list[logging.Handler] = [
        logging.handlers.RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups,
                                             encoding="utf-8"),
    ]
    if to_stderr:
        handlers.append(logging.StreamHandler(sys.stderr))
    for h in handlers:
        h.setFormatter(logging.Formatter(FORMAT))
        h.addFilter(ScrubFilter())
        h.addFilter(QuietLibraryFilter(logging.getLevelName(level)))
        root.addHandler(h)
    root.setLevel(level)
    return path
