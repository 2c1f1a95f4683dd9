"""`kiosk display`: the composition of a display process — the hall display (综合屏), a window
screen (`--window N`) or an evaluator (`--evaluator N`) — from kiosk.toml: the board fed by
the hall service, the voice (hall display and evaluator), the App on its own panel size."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.calls.board import Board
from kiosk.calls.feed import HallFeed
from kiosk.calls.follow import Follower
from kiosk.calls.rating import RatingClient
from kiosk.config import Config
from kiosk.errors import ConfigError
from kiosk.speech.announcer import Announcer
from kiosk.speech.pcm import SpeechError
from kiosk.speech.player import Player, SilentPlayer, WavFilePlayer
from kiosk.speech.render import open_renderer
from screens.app import App
from screens.board_base import BoardSource
from screens.display_app import display_app
from screens.screen import Screen

log = logging.getLogger(__name__)


@dataclass
class DisplayOptions:
    mode: str = "hall"                 # hall | window | evaluator
    number: int = 0                    # the window, for window and evaluator
    server: str = ""
    windowed: bool = False
    size: tuple[int, int] | None = None
    audio_out: Path | None = None      # write what is said to WAV files instead of playing
    silent: bool = False
    headless: bool = False


@dataclass
class DisplayProcess:
    """Everything one display runs; `start()` then the App's loop, `stop()` at the end."""

    app: App
    follower: Follower
    feed: HallFeed
    announcer: Announcer | None
    screen: Screen[None] | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    def start(self) -> None:
        if self.announcer is not None:
            self.announcer.start()
        self.feed.start()

    def stop(self) -> None:
        self.feed.stop()
        if self.announcer is not None:
            self.announcer.stop()


def server_url(cfg: Config, given: str = "") -> str:
    url = given or cfg.call_display.server or cfg.queue.server
    if not url:
        raise ConfigError(["call_display.server: the hall service's address is needed for "
                           "`kiosk display` (or give --server http://HOST:PORT)"], "kiosk.toml")
    return url


def build_display(cfg: Config, opts: DisplayOptions) -> DisplayProcess:
    d = cfg.call_display
    url = server_url(cfg, opts.server)
    sizes = {"hall": (d.hall_size, d.hall_diagonal_inch),
             "window": (d.window_size, d.window_diagonal_inch),
             "evaluator": (d.evaluator_size, d.evaluator_diagonal_inch)}
    size_list, diagonal = sizes[opts.mode]
    size = opts.size or (int(size_list[0]), int(size_list[1]))
    app = display_app(cfg, size, diagonal, fullscreen=d.fullscreen and not opts.windowed,
                      touch=opts.mode == "evaluator", headless=opts.headless)
    speaks = opts.mode == "evaluator" or (opts.mode == "hall" and d.speak)
    announcer = _announcer(cfg, opts) if speaks and not opts.silent else None
    board = Board(hall_name=cfg.hall.name)
    follower = Follower(board, announcer.queue if announcer and opts.mode == "hall" else None,
                        speak_max_age_s=d.speak_max_age_s,
                        on_change=lambda: app.post(_wake))
    feed = HallFeed(url, follower, stale_after_s=d.stale_after_s)
    source = BoardSource(follower, cfg.hall.name)
    process = DisplayProcess(app, follower, feed, announcer)
    process.extras["home"] = _home(cfg, opts, source, url, announcer)
    return process


def _wake() -> None:
    """Posted by the feed thread: the loop wakes, the screen compares board versions."""


def _home(cfg: Config, opts: DisplayOptions, source: BoardSource, url: str,
          announcer: Announcer | None) -> Callable[[App], Screen[None]]:
    if opts.mode == "window":
        from screens.window_board import WindowBoardScreen

        return lambda app: WindowBoardScreen(app, source, opts.number)
    if opts.mode == "evaluator":
        from screens.evaluator import EvaluatorScreen

        client = RatingClient(url, token=_device_token(cfg))
        say: Callable[[str], None] = announcer.prompt if announcer else (lambda text: None)
        return lambda app: EvaluatorScreen(app, source, opts.number, client.submit, say,
                                           timeout_s=cfg.call_display.rating_timeout_s)
    from screens.hall_board import HallBoardScreen

    return lambda app: HallBoardScreen(app, source)


def _device_token(cfg: Config) -> str:
    """The evaluator sends ratings as an enrolled device: the token `kiosk hall join` wrote."""
    from kiosk.queue.remote_store import read_token

    enrolled = read_token(cfg.path(cfg.queue.token_file))
    if enrolled is None:
        log.warning("no device token in %s: ratings will be refused until `kiosk hall join` "
                    "enrols this evaluator", cfg.queue.token_file)
        return ""
    return enrolled.token


def _announcer(cfg: Config, opts: DisplayOptions) -> Announcer:
    renderer = open_renderer(cfg)
    player: Player
    if opts.audio_out is not None:
        player = WavFilePlayer(opts.audio_out, realtime=True)
    else:
        player = _speaker(renderer.rate, cfg.speech.volume)
    return Announcer(renderer, player, repeat=cfg.speech.repeat)


def _speaker(rate: int, volume: float) -> Player:
    from screens.audio import MixerPlayer

    mixer = MixerPlayer(rate, volume)
    try:
        mixer.open()
    except SpeechError as exc:
        log.warning("%s — the display runs without sound", exc)
        return SilentPlayer()
    return mixer


def run_display(cfg: Config, opts: DisplayOptions) -> int:
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    process = build_display(cfg, opts)
    process.app.open(home=process.extras["home"])
    process.start()
    import signal

    def stop(_signum: int, _frame: object) -> None:
        process.app.running = False      # the loop ends, then everything closes in order

    signal.signal(signal.SIGTERM, stop)
    log.info("display (%s %s) following %s", opts.mode, opts.number or "", process.feed.base_url)
    try:
        process.app.run()
    finally:
        process.stop()
        process.app.close()
    return process.app.exit_code
