"""Text blocks of all four card layouts, dates, 长期, check digits, masking.

The blocks are assembled here, field by field at the protocol doc's offsets, from literal
strings encoded as UTF-16LE — not by the simulator's encoder, so a shared mistake cannot hide.
"""

from __future__ import annotations

from datetime import date

import pytest

from devices.id_reader import codes
from devices.id_reader.record import CardType, mask_name, mask_number, mod11_2_valid
from devices.id_reader.text import (
    TextBlockError,
    parse_appended_address,
    parse_text_block,
    split_read_data,
)


def block(*fields: tuple[int, int, str]) -> bytes:
    """256 bytes of UTF-16LE spaces with each (offset, size, text) written in."""
    out = bytearray(b"\x20\x00" * 128)
    for offset, size, text in fields:
        raw = text.encode("utf-16-le")
        assert len(raw) <= size, (offset, text)
        out[offset:offset + len(raw)] = raw
    return bytes(out)


RESIDENT = block(
    (0, 30, "张测试"), (30, 2, "1"), (32, 4, "01"), (36, 16, "19491231"),
    (52, 70, "北京市东城区测试路 1 号"), (122, 36, "11010519491231002X"),
    (158, 30, "北京市公安局东城分局"), (188, 16, "20100101"), (204, 16, "长期"),
)


def test_resident_card() -> None:
    r = parse_text_block(RESIDENT, photo=b"WLf\x00")
    assert r.card_type is CardType.RESIDENT
    assert (r.name, r.sex_code, r.sex, r.nation_code, r.nation) == ("张测试", "1", "男", "01", "汉")
    assert r.birth == date(1949, 12, 31)
    assert r.address == "北京市东城区测试路 1 号"  # inner spaces kept, trailing ones stripped
    assert r.id_number == "11010519491231002X" and r.id_number_valid
    assert r.issuer == "北京市公安局东城分局"
    assert (r.valid_from, r.valid_to) == (date(2010, 1, 1), None)
    assert r.photo_raw == b"WLf\x00"


def test_resident_card_with_expiry_and_bad_check_digit() -> None:
    b = block((0, 30, "李样例"), (30, 2, "2"), (32, 4, "08"), (36, 16, "19800101"),
              (122, 36, "440304198001011230"), (188, 16, "20200315"), (204, 16, "20400315"))
    r = parse_text_block(b)
    assert (r.sex, r.nation) == ("女", "壮")
    assert r.valid_to == date(2040, 3, 15)
    assert not r.id_number_valid  # the right check digit is 9
    assert r.expired_on(date(2040, 3, 16)) and not r.expired_on(date(2040, 3, 15))


def test_type_byte_is_read_from_offset_248_literal_bytes() -> None:
    # 'J' written as its two raw bytes, the rest as the doc's layout.
    b = bytearray(block((0, 30, "陈示例"), (30, 2, "2"), (36, 16, "19900215"),
                        (122, 36, "810000199002150021"), (158, 30, "香港特别行政区测试局"),
                        (188, 16, "20190101"), (204, 16, "20240101"), (220, 18, "H12345678"),
                        (238, 4, "01")))
    b[248:250] = bytes.fromhex("4A 00")
    r = parse_text_block(bytes(b))
    assert r.card_type is CardType.HMT_PERMIT
    assert (r.name, r.sex, r.nation) == ("陈示例", "女", "")
    assert r.id_number == "810000199002150021" and r.id_number_valid
    assert (r.pass_number, r.issue_count) == ("H12345678", "01")
    assert r.valid_to == date(2024, 1, 1)


def test_foreign_2017_card() -> None:
    b = block((0, 120, "TEST SAMPLE, ALEX JAMES"), (120, 2, "1"),
              (122, 30, "USA110000000001"), (152, 6, "USA"), (158, 30, "测亚历"),
              (188, 16, "20170601"), (204, 16, "20270601"), (220, 16, "19850704"),
              (236, 4, "01"), (240, 8, "1100"), (248, 2, "I"))
    r = parse_text_block(b)
    assert r.card_type is CardType.FOREIGN_2017
    assert r.english_name == "TEST SAMPLE, ALEX JAMES"
    assert (r.name, r.sex, r.nationality) == ("测亚历", "男", "USA")
    assert r.id_number == "USA110000000001" and r.id_number_valid
    assert r.birth == date(1985, 7, 4)
    assert (r.card_version, r.authority_code) == ("01", "1100")
    assert r.display_name == "测亚历"


def test_foreign_2023_card_joins_the_english_name() -> None:
    first = "SAMPLEPERSON-LONGNAME, MARIA THERES"  # exactly 35 characters
    assert len(first) == 35
    b = block((0, 30, ""), (30, 2, "2"), (32, 4, "00"), (36, 16, "20000101"),
              (52, 70, first), (122, 36, "911240200001010002"), (188, 16, "20230101"),
              (204, 16, "20330101"), (220, 22, "A TESTCASE"), (242, 6, "DEU"),
              (248, 2, "Y"))
    r = parse_text_block(b)
    assert r.card_type is CardType.FOREIGN_2023
    assert r.english_name == first + "A TESTCASE"
    assert r.name == "" and r.display_name == r.english_name
    assert (r.nationality, r.renewal_count, r.sex) == ("DEU", "00", "女")
    assert r.id_number_valid


def test_foreign_2023_number_must_start_with_9() -> None:
    b = block((36, 16, "19491231"), (122, 36, "11010519491231002X"), (188, 16, "20230101"),
              (204, 16, "20330101"), (248, 2, "Y"))
    assert not parse_text_block(b).id_number_valid


@pytest.mark.parametrize(("offset", "value", "message"), [
    (36, "19491331", r"text offset 36 \(birth date\): not a calendar date"),
    (36, "1949123", r"text offset 36 \(birth date\): expected YYYYMMDD"),
    (188, "长期", r"text offset 188 \(valid from\): expected YYYYMMDD$"),
    (204, "2040-1-1", r"text offset 204 \(valid to\): expected YYYYMMDD or 长期"),
])
def test_bad_dates_name_the_offset(offset: int, value: str, message: str) -> None:
    b = bytearray(RESIDENT)
    b[offset:offset + 16] = value.ljust(8).encode("utf-16-le")
    with pytest.raises(TextBlockError, match=message):
        parse_text_block(bytes(b))


def test_errors_never_contain_the_value() -> None:
    b = bytearray(RESIDENT)
    b[36:52] = "19491331".encode("utf-16-le")
    with pytest.raises(TextBlockError) as exc:
        parse_text_block(bytes(b))
    assert "1949" not in str(exc.value)


def test_leap_day_birthday_and_age() -> None:
    b = bytearray(RESIDENT)
    b[36:52] = "20120229".encode("utf-16-le")
    r = parse_text_block(bytes(b))
    assert r.birth == date(2012, 2, 29)
    assert r.age_on(date(2013, 2, 28)) == 0
    assert r.age_on(date(2013, 3, 1)) == 1
    assert r.age_on(date(2072, 2, 29)) == 60


def test_wrong_block_size() -> None:
    with pytest.raises(TextBlockError, match="text block of 255 bytes, expected 256"):
        parse_text_block(RESIDENT[:255])


def test_invalid_utf16_names_the_offset() -> None:
    b = bytearray(RESIDENT)
    b[0:2] = b"\x00\xd8"  # lone high surrogate, followed by a non-surrogate
    with pytest.raises(TextBlockError, match=r"text offset 0 \(name\): not valid UCS-2"):
        parse_text_block(bytes(b))


# --- the read reply around the block -----------------------------------------------------

PHOTO = bytes.fromhex("57 4C 66 00 7E 00 32 00 00 FF") + bytes(1014)


def test_split_30_01() -> None:
    data = bytes.fromhex("01 00 04 00") + RESIDENT + PHOTO
    assert split_read_data(data, with_fingerprint=False) == (RESIDENT, PHOTO, b"")


@pytest.mark.parametrize("fp_len", [0, 512, 1024])
def test_split_30_10_text_at_16(fp_len: int) -> None:
    fp = bytes([0x43]) * fp_len
    data = bytes.fromhex("01 00 04 00") + fp_len.to_bytes(2, "big") + RESIDENT + PHOTO + fp
    assert split_read_data(data, with_fingerprint=True) == (RESIDENT, PHOTO, fp)


def test_split_rejects_lengths_that_do_not_add_up() -> None:
    data = bytes.fromhex("01 00 04 00") + RESIDENT + PHOTO[:-1]
    with pytest.raises(TextBlockError, match="frame offsets 10-13"):
        split_read_data(data, with_fingerprint=False)
    with pytest.raises(TextBlockError, match="text length 512"):
        split_read_data(bytes.fromhex("02 00 04 00") + RESIDENT * 2 + PHOTO, False)


def test_appended_address() -> None:
    data = "北京市朝阳区新地址 2 号".ljust(35).encode("utf-16-le")
    assert len(data) == 70
    assert parse_appended_address(data) == "北京市朝阳区新地址 2 号"


# --- check digit, codes, masking ---------------------------------------------------------

@pytest.mark.parametrize(("number", "ok"), [
    ("11010519491231002X", True), ("11010519491231002x", True), ("440304198001011239", True),
    ("110101201202290033", True), ("83000019700707005X", True),
    ("11010519491231002Y", False), ("110105194912310021", False), ("1101051949123100", False),
    ("A1010519491231002X", False), ("１１010519491231002X", False), ("", False),
])
def test_mod11_2(number: str, ok: bool) -> None:
    assert mod11_2_valid(number) is ok


def test_all_56_nations_and_the_two_extra_codes() -> None:
    assert len(codes.NATIONS) == 58
    assert [codes.NATIONS[f"{i:02d}"] for i in (1, 5, 29, 43, 56, 97, 98)] == [
        "汉", "维吾尔", "柯尔克孜", "乌孜别克", "基诺", "其他", "外国血统中国籍人士"]
    assert codes.nation_name("57") == "未知代码57"


@pytest.mark.parametrize(("code", "name"), [("0", "未知"), ("1", "男"), ("2", "女"),
                                            ("9", "未说明"), ("3", "未知代码3")])
def test_sex_codes(code: str, name: str) -> None:
    assert codes.sex_name(code) == name


@pytest.mark.parametrize(("name", "masked"), [
    ("王小明", "王*明"), ("李四", "李*"), ("欧阳小华", "欧**华"), ("王", "*"), ("", "")])
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_mask_number() -> None:
    assert mask_number("11010519491231002X") == "1101**********002X"
    assert mask_number("USA110000000001") == "USA1*******0001"


def test_repr_and_str_are_masked() -> None:
    r = parse_text_block(RESIDENT, photo=b"PHOTOBYTES")
    for text in (repr(r), str(r), f"{r}", repr([r])):
        assert "张测试" not in text and "11010519491231002X" not in text
        assert "张*试" in text and "1101**********002X" in text
        assert "PHOTOBYTES" not in text and "1949" not in text


def _resident_born(birth: str) -> bytes:
    return block((0, 30, "张测试"), (30, 2, "1"), (32, 4, "01"), (36, 16, birth),
                 (122, 36, "11010519491231002X"), (188, 16, "20100101"), (204, 16, "长期"))


@pytest.mark.parametrize(("birth", "why"), [("19000101", "more than 120 years ago"),
                                            ("20990101", "in the future"),
                                            ("20261124", "in the future")])
def test_implausible_birth_dates_are_refused(birth: str, why: str) -> None:
    """Issue 13: 1900 and 2099 were accepted, and they feed the queue's age priority."""
    with pytest.raises(TextBlockError) as err:
        parse_text_block(_resident_born(birth), today=date(2026, 11, 23))
    assert f"text offset 36 (birth date): {why}" in str(err.value)
    assert birth not in str(err.value)              # never the value: it is the citizen's


def test_plausible_birth_dates_at_the_edges() -> None:
    today = date(2026, 11, 23)
    assert parse_text_block(_resident_born("20261123"), today=today).birth == today
    assert parse_text_block(_resident_born("19061124"), today=today).age_on(today) == 119
