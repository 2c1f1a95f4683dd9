"""`kiosk card read|status`: talk to the ID card reader from a terminal (for engineers).

Output is masked like everywhere else; `--reveal` shows the full record for an engineer
testing with their own card, and is never the default.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import TYPE_CHECKING

from devices.errors import ReaderError
from kiosk.commands.common import Subparsers, config_from_args, print_json

if TYPE_CHECKING:
    from devices.id_reader.reader import IdReader
    from devices.id_reader.record import IdCardRecord


def register(sub: Subparsers) -> None:
    p = sub.add_parser("card", help="ID card reader: read a card, show the reader's status")
    csub = p.add_subparsers(dest="card_command", metavar="ACTION", required=True)
    r = csub.add_parser("read", help="wait for a card and print it (masked)")
    _port_args(r)
    r.add_argument("--timeout", type=float, default=30.0, metavar="S",
                   help="seconds to wait for a card (default 30)")
    r.add_argument("--json", action="store_true", help="print JSON")
    r.add_argument("--reveal", action="store_true",
                   help="print the full record, unmasked (engineer testing only)")
    r.set_defaults(handler=_read)
    s = csub.add_parser("status", help="print the reader's status and SAM id")
    _port_args(s)
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(handler=_status)


def _port_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", metavar="URL",
                   help="pyserial URL (default: id_reader.port from kiosk.toml)")
    p.add_argument("--baudrate", type=int, help="line speed (default: id_reader.baudrate)")


def _reader(args: argparse.Namespace) -> IdReader:
    """The configured reader. A photo decoder plug-in that cannot be loaded (or whose factory
    fails) is named on stderr and the card is read without decoding its photo."""
    from kiosk.bootstrap import id_reader

    cfg = config_from_args(args)
    try:
        return id_reader(cfg, port=args.port, baudrate=args.baudrate)
    except ReaderError as exc:
        print(f"kiosk: {exc}; reading without decoding the photo", file=sys.stderr)
    no_plugin = dataclasses.replace(cfg.id_reader, photo_decoder="")
    return id_reader(dataclasses.replace(cfg, id_reader=no_plugin), port=args.port,
                     baudrate=args.baudrate)


def _status(args: argparse.Namespace) -> int:
    from devices.status import DeviceState

    reader = _reader(args)
    reader.open(poll=False)
    try:
        st = reader.status()
    finally:
        reader.close()
    if args.json:
        print_json({"port": reader.port, "state": st.state.value, "detail": st.detail,
                    "sam_id": st.sam_id})
    else:
        print(f"port:   {reader.port}\nstate:  {st.state.value}\ndetail: {st.detail}\n"
              f"SAM id: {st.sam_id or '-'}")
    return 0 if st.state is DeviceState.ONLINE else 3


def _read(args: argparse.Namespace) -> int:
    from devices.id_reader.reader import CardNotRead
    from devices.status import DeviceState

    reader = _reader(args)
    reader.open(poll=False)
    try:
        st = reader.status()
        if st.state is not DeviceState.ONLINE:
            print(f"kiosk: ID reader on {reader.port} is {st.state.value}: {st.detail}",
                  file=sys.stderr)
            return 3
        print(f"waiting up to {args.timeout:g} s for a card on {reader.port} …",
              file=sys.stderr)
        record = reader.read_card(args.timeout)
    except CardNotRead as exc:
        print(f"kiosk: {exc.reason}", file=sys.stderr)   # the real reason, never card data
        return 1
    finally:
        reader.close()
    _print_record(record, args.json, args.reveal)
    return 0


def _print_record(record: IdCardRecord, as_json: bool, reveal: bool) -> None:
    from devices.id_reader.record import CARD_TYPE_NAMES

    if reveal:
        data = {k: v for k, v in dataclasses.asdict(record).items()
                if not isinstance(v, bytes)}
        data["photo_bytes"] = len(record.photo_raw)
        data["fingerprint_bytes"] = len(record.fingerprint_raw)
    else:
        data = record.masked_dict()
    if as_json:
        print_json(data)
        return
    print(f"card type: {CARD_TYPE_NAMES[record.card_type]} ({record.card_type.value})")
    for key, value in data.items():
        if key != "card_type" and value not in ("", None):
            print(f"{key}: {value}")
