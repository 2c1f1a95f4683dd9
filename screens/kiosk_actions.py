"""The real Actions of a terminal: what the home and guide buttons do with this kiosk's
devices (through kiosk.terminal.Terminal). Each flow runs its device work on a worker and
shows a Busy card meanwhile, so the screen answers a tap at once and never freezes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from devices.outcome import JobOutcome
from kiosk.catalog.catalog import Catalog
from kiosk.lookup import Searcher
from kiosk.receipts.service import print_guide
from kiosk.speech.announcer import Announcer
from kiosk.terminal import Terminal
from kiosk.terminal_backend import TerminalBackend
from kiosk.usage import Usage
from screens.actions import Actions
from screens.busy import Busy, run_busy
from screens.messages import guide as msg

if TYPE_CHECKING:
    from screens.app import App


class KioskActions(Actions):
    def __init__(self, terminal: Terminal, voice: Announcer | None = None) -> None:
        super().__init__()
        self.terminal = terminal
        self.voice = voice              # screens/kiosk_voice.py; None: reminders only shown

    def say(self, text: str) -> bool:
        if self.voice is None:
            return False
        self.voice.prompt(text)
        return True

    @property
    def _app(self) -> App:
        assert self.app is not None, "Actions used before the App bound them"
        return self.app

    def print_guide(self, code: str) -> None:
        app = self._app
        printer = self.terminal.receipt
        if printer is None:
            app.notice(msg.CANNOT_PRINT_TITLE, msg.NO_RECEIPT_PRINTER)
            return
        item = app.catalog.get(code)
        busy = Busy(app, msg.PRINTING_TITLE, msg.PRINTING)

        def printed(outcome: JobOutcome) -> None:
            self.terminal.usage.add(Usage.GUIDE_PRINTED if outcome.ok else Usage.PRINT_FAILED)
            if outcome.ok:
                app.notice(msg.PRINTED_TITLE, msg.PRINTED)
            else:
                app.notice(msg.NOT_PRINTED_TITLE, outcome.message or msg.PRINTER_UNAVAILABLE)

        def failed(exc: BaseException) -> None:
            app.notice(msg.NOT_PRINTED_TITLE, msg.PRINTER_TROUBLE)

        large = app.session.elder_mode          # elder mode: the large-print guide
        # Owned by the guide screen that asked: the result is not shown once it has gone.
        run_busy(app.top, busy, lambda: print_guide(printer, item, app.cfg, large=large),
                 printed, failed)

    def forms(self) -> None:
        from screens.forms_flow import open_forms

        open_forms(self._app, self.terminal)

    def print_forms(self, code: str) -> None:
        from screens.forms_flow import open_item_forms

        open_item_forms(self._app, self.terminal, code)

    def copy(self) -> None:
        from screens.copy_flow import open_copy

        open_copy(self._app, self.terminal)

    def print_bundle(self, bundle_id: str) -> None:
        from kiosk.receipts.service import print_bundle
        from screens.bundle import find_bundle
        from screens.messages import bundle as bmsg

        app = self._app
        printer = self.terminal.receipt
        bundle = find_bundle(app, bundle_id)
        if printer is None or bundle is None:
            app.notice(msg.CANNOT_PRINT_TITLE, msg.NO_RECEIPT_PRINTER)
            return
        if trouble := self.receipt_trouble():
            app.notice(msg.RECEIPT_DOWN_TITLE, msg.receipt_down(trouble))
            return
        items = [app.catalog.get(code) for code in bundle.codes]
        large = app.session.elder_mode

        def printed(outcome: JobOutcome) -> None:
            self.terminal.usage.add(Usage.BUNDLE_PRINTED if outcome.ok else Usage.PRINT_FAILED)
            if outcome.ok:
                app.notice(bmsg.PRINTED_TITLE, bmsg.PRINTED)
            else:
                app.notice(bmsg.NOT_PRINTED_TITLE, outcome.message or msg.PRINTER_UNAVAILABLE)

        def failed(exc: BaseException) -> None:
            app.notice(bmsg.NOT_PRINTED_TITLE, msg.PRINTER_TROUBLE)

        run_busy(app.top, Busy(app, bmsg.PRINTING_TITLE, bmsg.PRINTING),
                 lambda: print_bundle(printer, bundle, items, app.cfg, large=large),
                 printed, failed)

    def queue_for(self, code: str) -> tuple[str, str, str] | None:
        from kiosk.guide_queue import service_for, windows_named

        try:
            location = self._app.catalog.get(code).location
        except Exception:  # an item gone from the catalog: no button, the guide says why
            return None
        if self.terminal.queue is None:
            return None
        svc = service_for(self.terminal.queue.known_services(), location)
        if svc is None:
            return None
        window = next((w for w in windows_named(location) if w in svc.windows), "")
        return svc.prefix, svc.name, window

    def take_ticket_for(self, prefix: str) -> None:
        from screens.queue_flow import open_queue

        open_queue(self._app, self.terminal, preselect=prefix)

    def receipt_trouble(self) -> str:
        if self.terminal.receipt is None:
            return "未连接"
        return next((r.words for r in self.terminal.reports()
                     if r.device == "receipt_printer" and r.enabled and not r.ok), "")

    def guide_viewed(self, code: str) -> None:
        self.terminal.usage.add(Usage.GUIDE_VIEWED)

    def queue_note(self) -> str:
        from screens.messages import queue as qmsg

        q = self.terminal.queue
        if q is None:
            return ""
        statuses = q.overview()
        if not statuses or any(s.is_open for s in statuses):
            return ""
        hall = self._app.cfg.hall
        return qmsg.home_closed(hall.hours, hall.phone)

    def take_ticket(self) -> None:
        from screens.queue_flow import open_queue

        open_queue(self._app, self.terminal)

    def open_maintenance(self) -> None:
        from screens.maint.entry import open_maintenance

        app = self._app
        open_maintenance(app, lambda: TerminalBackend(self.terminal, self._catalog_changed))

    def _catalog_changed(self) -> None:
        """Called from a worker after an import: reload on the UI thread."""
        self._app.post(self._reload_catalog)

    def _reload_catalog(self) -> None:
        app = self._app

        def load() -> tuple[Catalog, Searcher]:
            from kiosk.lookup import load_catalog, searcher_for

            catalog = load_catalog(app.cfg)
            return catalog, searcher_for(app.cfg, catalog)

        def swap(pair: tuple[Catalog, Searcher]) -> None:
            app.catalog, app.searcher = pair
            app.invalidate()

        app.run_in_worker(load, swap)
