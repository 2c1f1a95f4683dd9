"""A real ID-card record for tests that need one in the visit (made-up person)."""

from __future__ import annotations

from datetime import date

from devices.id_reader.record import CardType, IdCardRecord


def card_record(name: str = "王小明", id_number: str = "11010519491231002X",
                birth: date = date(1949, 12, 31)) -> IdCardRecord:
    return IdCardRecord(card_type=CardType.RESIDENT, name=name, sex_code="1", sex="男",
                        birth=birth, id_number=id_number, id_number_valid=True,
                        valid_from=date(2015, 1, 1), valid_to=None)
