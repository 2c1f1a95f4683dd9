"""The composition root: the ONE place that turns kiosk.toml into devices and stores.

The UI (screens/boot.py through `terminal()`), every CLI command and maintenance mode build
what they use here, so a setting is honoured everywhere or nowhere (the UI's ID reader once
ignored `read_fingerprint` and `photo_decoder` because it was built in a second place).

Nothing here does I/O except where a name says `open_`: the factories return objects that
connect in their own open(), and `terminal()` hands them to a Terminal that opens each one
and survives any one failing.
"""

from __future__ import annotations

import logging
import queue
from functools import partial

from devices.document_printer.cups import CupsPrinter
from devices.id_reader.photo import load_decoder
from devices.id_reader.reader import IdReader
from devices.receipt_printer.escpos_render import ProfileSpec
from devices.receipt_printer.printer import ReceiptPrinter
from devices.scanner.sane import SaneScanner
from devices.status import DeviceEvent, EventSink, StatusUpdate
from kiosk import messages
from kiosk.config import Config, PrinterProfile
from kiosk.errors import ConfigError, KioskError
from kiosk.queue.hallconfig import HallConfigError, HallSettings, load_hall
from kiosk.queue.printer import TicketPrinter
from kiosk.queue.service import Printer, QueueService
from kiosk.queue.sqlite_store import SqliteQueueStore
from kiosk.queue.store import QueueStore
from kiosk.receipts.service import print_ticket
from kiosk.terminal import Terminal, TerminalEvent, TerminalParts
from kiosk.usage import USAGE_FILE, UsageCounters

log = logging.getLogger(__name__)

Events = queue.Queue[TerminalEvent | None]


class DeviceDisabled(KioskError):
    """kiosk.toml says this terminal has no such device."""

    def __init__(self, what: str, key: str, citizen_message: str) -> None:
        super().__init__(f"{what} is disabled in kiosk.toml ({key} = false)")
        self.citizen_message = citizen_message


# ---- devices ---------------------------------------------------------------------------------

def profile_spec(profile: PrinterProfile) -> ProfileSpec:
    """kiosk.toml's [printer_profiles.X] as the driver's ProfileSpec (devices/ can't import
    kiosk/, so the conversion lives on this side)."""
    return ProfileSpec(paper_mm=profile.paper_mm, text_mode=profile.text_mode, qr=profile.qr,
                       cut=profile.cut, feed_before_cut=profile.feed_before_cut)


def receipt_printer(cfg: Config, url: str | None = None,
                    events: EventSink[DeviceEvent] | None = None) -> ReceiptPrinter:
    """The configured receipt printer (or the one at `url`), not yet opened."""
    return ReceiptPrinter(url or cfg.receipt_printer.url, profile_spec(cfg.receipt_profile),
                          cfg.receipt_printer.timeout_s, events)


def open_receipt_printer(cfg: Config, url: str | None = None,
                         events: EventSink[DeviceEvent] | None = None, *,
                         probe: bool = True) -> ReceiptPrinter:
    """The receipt printer, opened. An absent printer is OFFLINE, not an error; a malformed
    URL raises ConfigError naming the key it came from. `probe=False` for a command that
    prints at once: its job reads the status, so opening reads nothing (one bounded wait on
    a silent printer, not two)."""
    printer = receipt_printer(cfg, url, events)
    try:
        printer.open(probe=probe)
    except ValueError as exc:
        key = "--printer" if url else "receipt_printer.url"
        raise ConfigError([f"{key}: {exc}"]) from None
    return printer


def id_reader(cfg: Config, events: Events | None = None, *, port: str | None = None,
              baudrate: int | None = None) -> IdReader:
    """The ID card reader with every [id_reader] key honoured, not yet opened. `port` and
    `baudrate` override the file (engineers' `kiosk card … --port`). Raises ReaderError when
    the configured photo decoder plug-in cannot be loaded."""
    r = cfg.id_reader
    return IdReader(port or r.port, baudrate or r.baudrate, r.poll_interval_s, events,
                    read_fingerprint=r.read_fingerprint,
                    photo_decoder=load_decoder(r.photo_decoder))


def document_printer(cfg: Config, queue_name: str | None = None,
                     events: EventSink[StatusUpdate] | None = None) -> CupsPrinter:
    """The A4 printer (not yet opened). `queue_name` overrides [document_printer] queue."""
    dp = cfg.document_printer
    if not dp.enabled:
        raise DeviceDisabled("the A4 printer", "document_printer.enabled",
                             messages.NO_A4_PRINTER)
    return CupsPrinter(queue_name or dp.queue, server=dp.server, events=events,
                       job_timeout_s=dp.job_timeout_s)


def scanner(cfg: Config, events: EventSink[StatusUpdate] | None = None) -> SaneScanner:
    """The scanner (not yet opened)."""
    sc = cfg.scanner
    if not sc.enabled:
        raise DeviceDisabled("the scanner", "scanner.enabled",
                             messages.NO_SCANNER)
    return SaneScanner(sc.device, resolution_dpi=sc.resolution_dpi, mode=sc.mode,
                       options=sc.options, timeout_s=sc.timeout_s, events=events)


# ---- the queue -------------------------------------------------------------------------------

def hall_settings(cfg: Config) -> HallSettings:
    """The hall's rules for a kiosk that holds the queue itself: [queue].hall_config (a
    missing file is the demo hall). A bad hall.toml is a ConfigError naming its keys."""
    try:
        return load_hall(cfg.path(cfg.queue.hall_config), missing_ok=True)
    except HallConfigError as exc:
        raise ConfigError(exc.problems, exc.source) from None


def queue_store(cfg: Config) -> QueueStore:
    """Where this kiosk's tickets live (not yet opened): the hall service at [queue].server,
    or the queue file this kiosk holds itself."""
    if cfg.queue.server:
        from kiosk.queue.remote_store import HallServerStore

        return HallServerStore(cfg.queue.server, token_file=cfg.path(cfg.queue.token_file),
                               timeout_s=cfg.queue.timeout_s)
    return SqliteQueueStore(cfg.path(cfg.queue.db), hall_settings(cfg))


def queue_service(cfg: Config, printer: Printer, store: QueueStore | None = None) -> QueueService:
    """Issuing and printing tickets on this kiosk, over the configured store."""
    return QueueService(cfg, store if store is not None else queue_store(cfg), printer,
                        kiosk=kiosk_name(cfg))


def kiosk_name(cfg: Config) -> str:
    """The name this kiosk was enrolled under (`kiosk hall join`), '' when it holds the queue
    itself."""
    if not cfg.queue.server:
        return ""
    from kiosk.queue.remote_store import read_token

    enrolled = read_token(cfg.path(cfg.queue.token_file))
    return enrolled.name if enrolled else ""


def ticket_printer(cfg: Config, url: str | None = None) -> TicketPrinter:
    """A printer function of its own over the receipt printer, for commands that print tickets
    without a running Terminal (`kiosk ticket take`)."""
    return TicketPrinter(partial(open_receipt_printer, cfg, url, probe=False))


# ---- the whole terminal ----------------------------------------------------------------------

def terminal(cfg: Config) -> Terminal:
    """Every device and store of this kiosk, built but not opened: `Terminal.open()` opens
    them one by one, and one that fails (or could not even be built) is reported, not fatal."""
    events: Events = queue.Queue()
    problems: dict[str, str] = {}
    receipt = receipt_printer(cfg, events=events)
    reader = None
    if cfg.id_reader.enabled:
        try:
            reader = id_reader(cfg, events)
        except KioskError as exc:
            problems["id_reader"] = f"{type(exc).__name__}: {exc}"
        except Exception as exc:  # a vendor plug-in's factory may raise anything
            log.exception("id_reader could not be built")
            problems["id_reader"] = f"{type(exc).__name__}: {exc}"
    a4 = document_printer(cfg, events=events) if cfg.document_printer.enabled else None
    tickets = queue_service(cfg, partial(print_ticket, receipt))
    return Terminal(cfg, TerminalParts(events=events, receipt=receipt, reader=reader, a4=a4,
                                       queue=tickets, usage=UsageCounters(cfg.path(USAGE_FILE)),
                                       problems=problems))
