"""Cards for the simulated reader: a JSON file of cards, or the built-in fictional samples.

The encoder here is written separately from the driver's parser (devices/id_reader/text.py)
from the same protocol tables, so tests comparing the two catch a mistake in either.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devices.errors import ReaderError

# (key, offset, bytes) per layout, from the protocol's text layouts (docs/id-reader.md).
_RESIDENT = [("name", 0, 30), ("sex", 30, 2), ("nation", 32, 4), ("birth", 36, 16),
             ("address", 52, 70), ("id_number", 122, 36), ("issuer", 158, 30),
             ("valid_from", 188, 16), ("valid_to", 204, 16)]
_HMT = [*(f for f in _RESIDENT if f[0] != "nation"), ("pass_number", 220, 18),
        ("issue_count", 238, 4)]
_FOREIGN_2017 = [("english_name", 0, 120), ("sex", 120, 2), ("id_number", 122, 30),
                 ("nationality", 152, 6), ("name", 158, 30), ("valid_from", 188, 16),
                 ("valid_to", 204, 16), ("birth", 220, 16), ("card_version", 236, 4),
                 ("authority_code", 240, 8)]
_FOREIGN_2023 = [("name", 0, 30), ("sex", 30, 2), ("renewal_count", 32, 4), ("birth", 36, 16),
                 ("english_name_1", 52, 70), ("id_number", 122, 36), ("valid_from", 188, 16),
                 ("valid_to", 204, 16), ("english_name_2", 220, 22), ("nationality", 242, 6),
                 ("previous_number", 250, 6)]
LAYOUTS: dict[str, tuple[list[tuple[str, int, int]], str]] = {
    "resident": (_RESIDENT, ""),
    "hmt_permit": (_HMT, "J"),
    "foreign_2017": (_FOREIGN_2017, "I"),
    "foreign_2023": (_FOREIGN_2023, "Y"),
}
_EXTRA_KEYS = {"label", "type", "appended_address", "english_name", "fingerprint_len"}


@dataclass(frozen=True)
class SimCard:
    label: str
    card_type: str
    text: bytes          # the 256-byte block, as the card holds it
    photo: bytes         # 1024 bytes of fake WLT (the magic is real, the rest is filler)
    appended_address: bytes  # 70 bytes, or b"" for none
    fingerprint: bytes = b""

    def __repr__(self) -> str:
        return f"SimCard({self.label!r}, {self.card_type})"


def _put(block: bytearray, offset: int, size: int, text: str, where: str) -> None:
    raw = text.encode("utf-16-le")
    if len(raw) > size:
        raise ReaderError(f"{where}: {len(text)} characters do not fit in {size // 2}")
    block[offset:offset + len(raw)] = raw


def encode_card(spec: dict[str, Any], where: str = "card") -> SimCard:
    """A card from a dict of field strings (the JSON file's format)."""
    card_type = str(spec.get("type", "resident"))
    if card_type not in LAYOUTS:
        raise ReaderError(f"{where}.type: {card_type!r} is not one of {sorted(LAYOUTS)}")
    layout, type_char = LAYOUTS[card_type]
    known = {k for k, _, _ in layout} | _EXTRA_KEYS
    unknown = sorted(set(spec) - known)
    if unknown:
        raise ReaderError(f"{where}: unknown key(s) {unknown} for a {card_type} card")
    values = {k: str(v) for k, v in spec.items()}
    if card_type == "foreign_2023" and "english_name" in values:
        values["english_name_1"] = values["english_name"][:35]
        values["english_name_2"] = values["english_name"][35:]
    block = bytearray(b"\x20\x00" * 128)
    for key, offset, size in layout:
        _put(block, offset, size, values.get(key, ""), f"{where}.{key}")
    if type_char:
        _put(block, 248, 2, type_char, f"{where}.type")
    label = values.get("label", card_type)
    address = b""
    if values.get("appended_address"):
        buf = bytearray(b"\x20\x00" * 35)
        _put(buf, 0, 70, values["appended_address"], f"{where}.appended_address")
        address = bytes(buf)
    fp_len = int(values.get("fingerprint_len", "0"))
    if fp_len not in (0, 512, 1024):
        raise ReaderError(f"{where}.fingerprint_len: expected 0, 512 or 1024, got {fp_len}")
    return SimCard(label, card_type, bytes(block), fake_wlt(label), address,
                   bytes([0x43]) * fp_len)


def fake_wlt(seed: str) -> bytes:
    """1024 bytes that start like a WLT photo; not a picture of anyone."""
    filler = hashlib.shake_256(seed.encode()).digest(1014)
    return bytes.fromhex("57 4C 66 00 7E 00 32 00 00 FF") + filler


# Fictional people. The numbers pass MOD 11-2 (except the one meant to fail) but belong to no
# one: names say 测试/样例/示例, addresses are 测试路.
SAMPLE_CARDS: list[dict[str, Any]] = [
    {"label": "resident-elder", "type": "resident", "name": "王测试", "sex": "1",
     "nation": "01", "birth": "19491231", "address": "北京市东城区测试路 1 号",
     "id_number": "11010519491231002X", "issuer": "北京市公安局东城分局",
     "valid_from": "20100101", "valid_to": "长期"},
    {"label": "resident", "type": "resident", "name": "李样例", "sex": "2", "nation": "08",
     "birth": "19800101", "address": "广东省深圳市福田区样例街 8 号",
     "id_number": "440304198001011239", "issuer": "深圳市公安局福田分局",
     "valid_from": "20200315", "valid_to": "20400315",
     "appended_address": "广东省深圳市南山区示例路 9 号"},
    {"label": "resident-bad-check", "type": "resident", "name": "赵校验", "sex": "1",
     "nation": "03", "birth": "20120229", "address": "北京市东城区测试路 3 号",
     "id_number": "110101201202290030", "issuer": "北京市公安局东城分局",
     "valid_from": "20220301", "valid_to": "20270301"},
    {"label": "hmt-permit", "type": "hmt_permit", "name": "陈示例", "sex": "2",
     "birth": "19900215", "address": "广东省广州市天河区示例路 5 号",
     "id_number": "810000199002150021", "issuer": "广州市公安局天河区分局",
     "valid_from": "20190101", "valid_to": "20240101", "pass_number": "H12345678",
     "issue_count": "01"},
    {"label": "foreign-2017", "type": "foreign_2017", "english_name": "TEST SAMPLE, ALEX",
     "sex": "1", "id_number": "USA110000000001", "nationality": "USA", "name": "测亚历",
     "valid_from": "20170601", "valid_to": "20270601", "birth": "19850704",
     "card_version": "01", "authority_code": "1100"},
    {"label": "foreign-2023", "type": "foreign_2023", "name": "玛样例", "sex": "2",
     "renewal_count": "00", "birth": "20000101",
     "english_name": "SAMPLEPERSON-LONGNAME, MARIA THERESA TESTCASE",
     "id_number": "911240200001010002", "valid_from": "20230101", "valid_to": "20330101",
     "nationality": "DEU"},
]


def sample_cards() -> list[SimCard]:
    return [encode_card(c, f"sample card {i}") for i, c in enumerate(SAMPLE_CARDS)]


def load_cards(path: Path) -> list[SimCard]:
    """`{"cards": [ {...}, … ]}` or a bare list; errors name the file, card index and key."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ReaderError(f"{path}: cannot read cards: {exc}") from exc
    items = data.get("cards") if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(c, dict) for c in items):
        raise ReaderError(f"{path}: expected a list of card objects (or {{\"cards\": [...]}})")
    return [encode_card(c, f"{path}: cards[{i}]") for i, c in enumerate(items)]
