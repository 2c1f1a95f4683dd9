"""`kiosk run` for real: logging, the Terminal's devices, the UI with the real Actions, screen
blanking off, the nightly restart, and the exit code systemd acts on.

Kept apart from screens/main.py (which builds a bare App for tests and screenshots) so the
device side can be started, or left out, without touching the UI's own start-up.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from kiosk.bootstrap import terminal as build_terminal
from kiosk.config import Config
from kiosk.logsetup import setup_logging
from kiosk.maintenance.power import RESTART_EXIT_CODE, NightlyRestart, disable_blanking
from screens.app import App
from screens.county_link import CountyLink
from screens.kiosk_actions import KioskActions
from screens.kiosk_voice import open_voice
from screens.main import build_app

log = logging.getLogger(__name__)
RESTART_CHECK_S = 30.0


def restart_if_due(app: App, schedule: NightlyRestart, now: datetime) -> bool:
    """Ask for the nightly restart only between visits: on the attract screen with nobody's
    data in the session. Returns True when it asked."""
    if not schedule.due(now):
        return False
    if len(app.stack) != 1 or not app.top.is_home or not app.session.is_blank():
        return False
    log.info("nightly restart")
    app.exit_code = RESTART_EXIT_CODE
    app.running = False
    return True


def run_kiosk(cfg: Config, windowed: bool = False) -> int:
    setup_logging(cfg.path(cfg.logging.dir), cfg.logging.level, cfg.logging.max_bytes,
                  cfg.logging.backups)
    disable_blanking()
    terminal = build_terminal(cfg)
    terminal.open()
    voice = open_voice(cfg)         # 请取回您的身份证 said aloud too, when there is a speaker
    app = build_app(cfg, windowed, KioskActions(terminal, voice))
    terminal.notify = app.post      # device events reach the top screen on the UI thread
    schedule = NightlyRestart(cfg.maintenance.nightly_restart, datetime.now())
    stop = threading.Event()

    def tick() -> None:
        while not stop.wait(RESTART_CHECK_S):
            app.post(lambda: restart_if_due(app, schedule, datetime.now()))

    threading.Thread(target=tick, name="nightly-restart", daemon=True).start()
    app.open()
    county = CountyLink(app, cfg, terminal)   # signed catalog updates, heartbeats
    county.start()
    log.info("kiosk started: %d catalog items, %dx%d", len(app.catalog), *app.size)
    try:
        app.run()
    finally:
        stop.set()
        county.stop()
        app.close()
        if voice is not None:
            voice.stop()
        terminal.close()
    log.info("kiosk stopped with exit code %d", app.exit_code)
    return app.exit_code
