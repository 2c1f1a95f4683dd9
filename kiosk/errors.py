"""The kiosk's exception tree.

    KioskError                 anything the kiosk raises on purpose
    ├── ConfigError            kiosk.toml is missing, malformed or invalid (names the key)
    ├── CatalogError           a catalog file or store problem
    │   ├── CatalogValidationError   the file breaks the schema (lists every problem)
    │   ├── EmptyCatalogRefused      a catalog with no items would replace one with items
    │   └── ItemNotFound             no item with that code
    ├── (DeviceError)          defined in devices/errors.py, because devices/ must not import
    │                          kiosk/; re-exported here. Catch `KIOSK_ERRORS` for both trees.
    ├── QueueError             a ticket cannot be issued (limit, closed, …)
    └── SyncError              the link with the county failed (enrolment, fleet messages)

Each error carries an engineer-facing message (naming the key, port, item or byte) and,
where a citizen can meet it, a plain Chinese `citizen_message`. The one way from an exception
to the words a citizen sees is `citizen_message_of(exc)`: its own `citizen_message`, or the
caller's default — never `str(exc)`, which is for engineers (a port, a path, a byte).
"""

from __future__ import annotations

from devices.errors import DeviceError
from kiosk import messages

__all__ = [
    "KIOSK_ERRORS",
    "CatalogError",
    "CatalogValidationError",
    "ConfigError",
    "DeviceError",
    "EmptyCatalogRefused",
    "ItemNotFound",
    "KioskError",
    "QueueError",
    "SyncError",
    "citizen_message_of",
]

GENERIC = messages.GENERIC


class KioskError(Exception):
    """Base of every error the kiosk raises on purpose."""

    citizen_message: str = GENERIC


class ConfigError(KioskError):
    """kiosk.toml cannot be used; `problems` lists each bad key."""

    def __init__(self, problems: list[str], source: str = "kiosk.toml") -> None:
        self.problems = list(problems)
        self.source = source
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{source}: {len(self.problems)} problem(s):\n{lines}")


class CatalogError(KioskError):
    """A catalog file or the catalog store cannot be used."""


class CatalogValidationError(CatalogError):
    """A catalog file breaks the interchange format; `problems` has every one, with its path."""

    def __init__(self, problems: list[str], source: str = "catalog") -> None:
        self.problems = list(problems)
        self.source = source
        shown = "\n".join(f"  {p}" for p in self.problems[:200])
        more = "" if len(self.problems) <= 200 else f"\n  … and {len(self.problems) - 200} more"
        super().__init__(f"{source}: {len(self.problems)} problem(s):\n{shown}{more}")


class EmptyCatalogRefused(CatalogError):
    """An import of a catalog with `items: []` over one that has items: a kiosk would show no
    procedure at all, so it needs a confirmation (maintenance) or a flag (--allow-empty)."""

    def __init__(self, source: object, current_version: str, current_items: int) -> None:
        self.current_version = current_version
        self.current_items = current_items
        super().__init__(f"{source}: the catalog has no items; importing it would replace "
                         f"catalog {current_version} ({current_items} items) and leave the "
                         "kiosk with no procedures. Import it anyway with --allow-empty")


class ItemNotFound(CatalogError):
    """No item with the given code is in the catalog."""

    citizen_message = messages.ITEM_NOT_FOUND

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"no catalog item with code {code!r}")


class QueueError(KioskError):
    """A ticket cannot be issued; `citizen_message` says why in plain words."""

    def __init__(self, message: str, citizen_message: str) -> None:
        super().__init__(message)
        self.citizen_message = citizen_message


class SyncError(KioskError):
    """The kiosk's link with the county (kiosk.sync) failed: enrolment refused, the county
    unreachable. Says which URL and why; a citizen never meets it."""


KIOSK_ERRORS: tuple[type[Exception], ...] = (KioskError, DeviceError)


def citizen_message_of(exc: BaseException, default: str = GENERIC) -> str:
    """What to tell a citizen about `exc`: its own plain Chinese `citizen_message` (every
    KioskError and DeviceError has one), else `default` (an unexpected exception, a bug)."""
    said = getattr(exc, "citizen_message", "")
    return said if isinstance(said, str) and said else default
