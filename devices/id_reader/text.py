"""The card's 256-byte text block (UCS-2 little-endian, space padded) → IdCardRecord.

Offsets are the protocol doc's, relative to the text block. Errors name the offset and the
field but never the value: the value is a citizen's data.
"""

from __future__ import annotations

from datetime import date
from typing import TypedDict

from devices.id_reader.codes import nation_name, sex_name
from devices.id_reader.frames import FrameError
from devices.id_reader.record import CardType, IdCardRecord, mod11_2_valid

TEXT_LEN = 256
MAX_AGE = 120          # years: an older birth date on a card is a misread (it feeds priority)
LONG_TERM = "长期"
_TYPE_CHARS = {"I": CardType.FOREIGN_2017, "Y": CardType.FOREIGN_2023, "J": CardType.HMT_PERMIT}


class TextBlockError(FrameError):
    """The text block (or the read reply around it) does not have the documented layout."""


def field(block: bytes, offset: int, size: int, what: str) -> str:
    """One fixed-width field, decoded explicitly as UTF-16LE, trailing padding stripped only."""
    try:
        text = block[offset:offset + size].decode("utf-16-le")
    except UnicodeDecodeError as exc:
        raise TextBlockError(f"text offset {offset + exc.start} ({what}): "
                             f"not valid UCS-2") from None
    return text.rstrip(" \x00")


def card_date(block: bytes, offset: int, what: str, long_term_ok: bool = False) -> date | None:
    """YYYYMMDD → date; 长期 → None where the field allows it."""
    text = field(block, offset, 16, what)
    if long_term_ok and text.startswith(LONG_TERM):
        return None
    if len(text) != 8 or not text.isascii() or not text.isdigit():
        raise TextBlockError(f"text offset {offset} ({what}): expected YYYYMMDD"
                             + (" or 长期" if long_term_ok else ""))
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise TextBlockError(f"text offset {offset} ({what}): not a calendar date") from None


def _required_date(block: bytes, offset: int, what: str) -> date:
    day = card_date(block, offset, what)
    assert day is not None  # card_date only returns None when long_term_ok
    return day


def card_type_of(block: bytes) -> CardType:
    """The character at offset 248 names the layout; anything else is a resident card."""
    return _TYPE_CHARS.get(block[248:250].decode("utf-16-le", "replace"), CardType.RESIDENT)


def parse_text_block(block: bytes, photo: bytes = b"", fingerprint: bytes = b"",
                     today: date | None = None) -> IdCardRecord:
    """Parse any of the four layouts into one record. A birth date in the future or more than
    MAX_AGE years before `today` is refused: it is a misread, and the queue's priority (age)
    would be built on it."""
    if len(block) != TEXT_LEN:
        raise TextBlockError(f"text block of {len(block)} bytes, expected {TEXT_LEN}")
    parser = {
        CardType.RESIDENT: _resident,
        CardType.FOREIGN_2017: _foreign_2017,
        CardType.FOREIGN_2023: _foreign_2023,
        CardType.HMT_PERMIT: _hmt_permit,
    }[card_type_of(block)]
    record = parser(block, photo, fingerprint)
    _check_birth(record, today or date.today())
    return record


def _check_birth(record: IdCardRecord, today: date) -> None:
    offset = 220 if record.card_type is CardType.FOREIGN_2017 else 36
    if record.birth > today:
        raise TextBlockError(f"text offset {offset} (birth date): in the future")
    if record.age_on(today) > MAX_AGE:
        raise TextBlockError(f"text offset {offset} (birth date): more than {MAX_AGE} years "
                             "ago, not plausible")


class _Shared(TypedDict):
    name: str
    sex_code: str
    sex: str
    birth: date
    address: str
    id_number: str
    id_number_valid: bool
    issuer: str
    valid_from: date
    valid_to: date | None


def _common(block: bytes) -> _Shared:
    """The fields the resident card and the 'J' permit share, at the same offsets."""
    sex = field(block, 30, 2, "sex")
    number = field(block, 122, 36, "ID number")
    return _Shared(
        name=field(block, 0, 30, "name"),
        sex_code=sex,
        sex=sex_name(sex),
        birth=_required_date(block, 36, "birth date"),
        address=field(block, 52, 70, "address"),
        id_number=number,
        id_number_valid=mod11_2_valid(number),
        issuer=field(block, 158, 30, "issuing authority"),
        valid_from=_required_date(block, 188, "valid from"),
        valid_to=card_date(block, 204, "valid to", long_term_ok=True),
    )


def _resident(block: bytes, photo: bytes, fingerprint: bytes) -> IdCardRecord:
    nation = field(block, 32, 4, "nation")
    return IdCardRecord(card_type=CardType.RESIDENT, nation_code=nation,
                        nation=nation_name(nation), photo_raw=photo,
                        fingerprint_raw=fingerprint, **_common(block))


def _hmt_permit(block: bytes, photo: bytes, fingerprint: bytes) -> IdCardRecord:
    return IdCardRecord(card_type=CardType.HMT_PERMIT,
                        pass_number=field(block, 220, 18, "pass number"),
                        issue_count=field(block, 238, 4, "issue count"),
                        photo_raw=photo, fingerprint_raw=fingerprint,
                        **_common(block))


def _foreign_2017(block: bytes, photo: bytes, fingerprint: bytes) -> IdCardRecord:
    sex = field(block, 120, 2, "sex")
    number = field(block, 122, 30, "permanent residence number")
    return IdCardRecord(
        card_type=CardType.FOREIGN_2017,
        english_name=field(block, 0, 120, "English name"),
        sex_code=sex, sex=sex_name(sex),
        id_number=number,
        # The 15-character number's check scheme is not in the protocol doc: check its shape
        # (3-letter nationality + 12 digits) only.
        id_number_valid=len(number) == 15 and number[:3].isalpha() and number[3:].isdigit()
        and number.isascii(),
        nationality=field(block, 152, 6, "nationality"),
        name=field(block, 158, 30, "Chinese name"),
        valid_from=_required_date(block, 188, "valid from"),
        valid_to=card_date(block, 204, "valid to", long_term_ok=True),
        birth=_required_date(block, 220, "birth date"),
        card_version=field(block, 236, 4, "card version"),
        authority_code=field(block, 240, 8, "accepting authority code"),
        photo_raw=photo, fingerprint_raw=fingerprint,
    )


def _foreign_2023(block: bytes, photo: bytes, fingerprint: bytes) -> IdCardRecord:
    sex = field(block, 30, 2, "sex")
    number = field(block, 122, 36, "card number")
    english = (field(block, 52, 70, "English name").ljust(35)
               + field(block, 220, 22, "English name, continued")).rstrip(" ")
    return IdCardRecord(
        card_type=CardType.FOREIGN_2023,
        name=field(block, 0, 30, "Chinese name"),
        sex_code=sex, sex=sex_name(sex),
        renewal_count=field(block, 32, 4, "renewal count"),
        birth=_required_date(block, 36, "birth date"),
        english_name=english,
        id_number=number,
        id_number_valid=number.startswith("9") and mod11_2_valid(number),
        valid_from=_required_date(block, 188, "valid from"),
        valid_to=card_date(block, 204, "valid to", long_term_ok=True),
        nationality=field(block, 242, 6, "nationality"),
        previous_number=field(block, 250, 6, "previous card link"),
        photo_raw=photo, fingerprint_raw=fingerprint,
    )


def split_read_data(data: bytes, with_fingerprint: bool) -> tuple[bytes, bytes, bytes]:
    """The data of a 30 01 / 30 10 reply → (text, photo, fingerprint), lengths checked.

    Offsets in messages are frame offsets (data starts at frame byte 10), as in the doc.
    """
    n_lengths = 3 if with_fingerprint else 2
    head = 2 * n_lengths
    if len(data) < head:
        raise TextBlockError(f"read reply of {len(data)} data bytes has no length fields")
    lengths = [int.from_bytes(data[i:i + 2], "big") for i in range(0, head, 2)]
    text_len, photo_len = lengths[0], lengths[1]
    fp_len = lengths[2] if with_fingerprint else 0
    if text_len != TEXT_LEN:
        raise TextBlockError(f"frame offset 10: text length {text_len}, expected {TEXT_LEN}")
    if head + text_len + photo_len + fp_len != len(data):
        raise TextBlockError(f"frame offsets 10-{9 + head}: lengths {lengths} do not add up "
                             f"to the {len(data) - head} data bytes that follow")
    text = data[head:head + text_len]
    photo = data[head + text_len:head + text_len + photo_len]
    fingerprint = data[head + text_len + photo_len:]
    return text, photo, fingerprint


def parse_appended_address(data: bytes) -> str:
    """The 30 03 reply: 70 bytes of UCS-2 address text."""
    return field(data, 0, len(data) - len(data) % 2, "appended address")
