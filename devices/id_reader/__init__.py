"""Second-generation ID card reader over the SAM serial protocol (docs/id-reader.md).

Importing this package does no I/O and does not import pyserial (that happens in open()).
"""

from devices.id_reader.events import (
    CardRead,
    CardReadFailed,
    CardRemoved,
    ReaderEvent,
    reader_status,
)
from devices.id_reader.reader import IdReader, ReaderStatus, Timeouts
from devices.id_reader.record import CARD_TYPE_NAMES, CardType, IdCardRecord

__all__ = [
    "CARD_TYPE_NAMES",
    "CardRead",
    "CardReadFailed",
    "CardRemoved",
    "CardType",
    "IdCardRecord",
    "IdReader",
    "ReaderEvent",
    "ReaderStatus",
    "Timeouts",
    "reader_status",
]
