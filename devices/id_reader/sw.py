"""SW3, the reader's own status byte, as named results.

Success is decided on SW3 alone: SW1/SW2 carry the card's APDU status and some readers put
non-zero values there even on success paths.
"""

from __future__ import annotations

from enum import IntEnum


class Sw3(IntEnum):
    SUCCESS = 0x90
    NO_CONTENT = 0x91
    FIND_OK = 0x9F
    HOST_CHECKSUM_ERROR = 0x10
    HOST_LENGTH_ERROR = 0x11
    COMMAND_ERROR = 0x21
    NOT_PERMITTED = 0x23
    UNRECOGNISED_ERROR = 0x24
    CARD_AUTH_SAM_FAILED = 0x31
    SAM_AUTH_CARD_FAILED = 0x32
    VERIFY_ERROR = 0x33
    UNKNOWN_CARD_TYPE = 0x40
    READ_FAILED = 0x41
    RANDOM_FAILED = 0x47
    SAM_SELF_TEST_FAILED = 0x60
    SAM_NOT_AUTHORISED = 0x66
    NO_CARD = 0x80
    SELECT_FAILED = 0x81


MEANING: dict[Sw3, str] = {
    Sw3.SUCCESS: "success",
    Sw3.NO_CONTENT: "item has no content",
    Sw3.FIND_OK: "find card: success",
    Sw3.HOST_CHECKSUM_ERROR: "checksum error in the host's frame",
    Sw3.HOST_LENGTH_ERROR: "length error in the host's frame",
    Sw3.COMMAND_ERROR: "command error",
    Sw3.NOT_PERMITTED: "operation not permitted",
    Sw3.UNRECOGNISED_ERROR: "unrecognised error",
    Sw3.CARD_AUTH_SAM_FAILED: "card failed to authenticate the SAM",
    Sw3.SAM_AUTH_CARD_FAILED: "SAM failed to authenticate the card",
    Sw3.VERIFY_ERROR: "information verification error",
    Sw3.UNKNOWN_CARD_TYPE: "unrecognised card type",
    Sw3.READ_FAILED: "read card failed",
    Sw3.RANDOM_FAILED: "get-random failed",
    Sw3.SAM_SELF_TEST_FAILED: "SAM self-test failed; accepts no commands",
    Sw3.SAM_NOT_AUTHORISED: "SAM not authorised",
    Sw3.NO_CARD: "find card failed (no card)",
    Sw3.SELECT_FAILED: "select card failed",
}

#: Codes that mean the SAM module itself is unusable (the device is in HW_ERROR).
SAM_FAILURES = frozenset({Sw3.SAM_SELF_TEST_FAILED, Sw3.SAM_NOT_AUTHORISED})


def lookup(code: int) -> Sw3 | None:
    """The named SW3 for a byte, or None for a code the protocol doc does not list."""
    try:
        return Sw3(code)
    except ValueError:
        return None


def describe(code: int) -> str:
    """An engineer-facing text such as `SW3=0x41 READ_FAILED (read card failed)`."""
    named = lookup(code)
    if named is None:
        return f"SW3=0x{code:02X} (not a known code)"
    return f"SW3=0x{code:02X} {named.name} ({MEANING[named]})"


def is_success(code: int) -> bool:
    """SUCCESS and FIND_OK both mean the command did what was asked."""
    return code in (Sw3.SUCCESS, Sw3.FIND_OK)
