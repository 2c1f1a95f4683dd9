"""One citizen's card as a typed, immutable record.

Personal data must never reach a log, a traceback or a screen in clear by accident, so the
record's repr/str show only masked values, and the photo bytes are kept out of repr. Code that
really needs a field (the session, `kiosk card read --reveal`) reads the attribute itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


class CardType(StrEnum):
    """The four card layouts a second-generation reader returns."""

    RESIDENT = "resident"          # 居民身份证
    FOREIGN_2017 = "foreign_2017"  # 外国人永久居留身份证 (2017, 'I')
    FOREIGN_2023 = "foreign_2023"  # 外国人永久居留身份证 (2023, 'Y')
    HMT_PERMIT = "hmt_permit"      # 港澳台居民居住证 ('J')


#: What the card is called on screen and paper.
CARD_TYPE_NAMES: dict[CardType, str] = {
    CardType.RESIDENT: "居民身份证",
    CardType.FOREIGN_2017: "外国人永久居留身份证（2017 版）",
    CardType.FOREIGN_2023: "外国人永久居留身份证（2023 版）",
    CardType.HMT_PERMIT: "港澳台居民居住证",
}


def mod11_2_valid(number: str) -> bool:
    """GB 11643 / ISO 7064 MOD 11-2 check of an 18-character number ('x' taken as 'X')."""
    if len(number) != 18 or not number[:17].isdigit() or not number[:17].isascii():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == number[17].upper()


def mask_name(name: str) -> str:
    """王*明, 李*, 欧**华: keep the first and (from three characters) the last character."""
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_number(number: str) -> str:
    """1101**********002X: keep the first 4 and the last 4 characters."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


@dataclass(frozen=True, repr=False)
class IdCardRecord:
    """What the card says. Fields a layout does not carry are empty strings.

    `id_number` is the card's main number: the citizen ID number (resident card and 'J'
    permit), the permanent residence number ('I', 15 characters) or the card number ('Y').
    `valid_to` is None for 长期 (no expiry).
    """

    card_type: CardType
    name: str
    sex_code: str
    sex: str
    birth: date
    id_number: str
    id_number_valid: bool
    valid_from: date
    valid_to: date | None
    nation_code: str = ""
    nation: str = ""
    address: str = ""
    issuer: str = ""
    english_name: str = ""
    nationality: str = ""
    pass_number: str = ""
    issue_count: str = ""
    card_version: str = ""
    authority_code: str = ""
    renewal_count: str = ""
    previous_number: str = ""
    appended_address: str = ""
    photo_raw: bytes = field(default=b"", compare=False)
    fingerprint_raw: bytes = field(default=b"", compare=False)
    photo_image: bytes = field(default=b"", compare=False)  # only with a decoder plug-in

    @property
    def display_name(self) -> str:
        """The Chinese name, or the English one on a foreign card without a Chinese name."""
        return self.name or self.english_name

    @property
    def masked_name(self) -> str:
        return mask_name(self.display_name)

    @property
    def masked_number(self) -> str:
        return mask_number(self.id_number)

    def age_on(self, day: date) -> int:
        """Whole years of age on `day` (a 29 February birthday counts from 1 March)."""
        years = day.year - self.birth.year
        if (day.month, day.day) < (self.birth.month, self.birth.day):
            years -= 1
        return years

    def expired_on(self, day: date) -> bool:
        return self.valid_to is not None and day > self.valid_to

    def __repr__(self) -> str:
        return (f"IdCardRecord(card_type={self.card_type.value}, name={self.masked_name!r}, "
                f"id_number={self.masked_number!r}, id_number_valid={self.id_number_valid})")

    __str__ = __repr__

    def masked_dict(self) -> dict[str, object]:
        """What may be shown to anyone: masked name and number, the card type, validity."""
        return {
            "card_type": self.card_type.value,
            "name": self.masked_name,
            "id_number": self.masked_number,
            "id_number_valid": self.id_number_valid,
            "valid_to": self.valid_to.isoformat() if self.valid_to else "长期",
        }
