"""kiosk.toml: one file configures a terminal. Loaded once, validated completely, then frozen.

Each section is a dataclass below; `kiosk.configschema` turns the TOML into them and collects
every problem (unknown key, wrong type, impossible value) into one ConfigError that names the
key, the value and what was expected. Relative paths are relative to the config file's folder.
The README's key list is generated from these declarations (`kiosk config keys --markdown`).
"""

from __future__ import annotations

import dataclasses
import re
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk import configcheck as cc
from kiosk.configschema import build, setting
from kiosk.errors import ConfigError

MAX_PIN_GUESSES_A_DAY = 1500
"""max_attempts x (86,400 / lockout_s): the default 5 per 300 s allows 1,440 a day, so a
6-digit PIN takes about a year of guessing on average; 20 per 10 s allowed 172,800."""


@dataclass(frozen=True)
class HallConfig:
    name: str = setting("青禾县清河镇便民服务中心",
                        "The hall's name, shown on every screen and slip.", check=cc.nonempty)
    address: str = setting("青禾县清河镇人民路1号", "Street address, printed on guides.")
    phone: str = setting("0000-5550100", "The hall's enquiry phone (fictional in the demo).")
    region_code: str = setting(
        "000000000000", "12-digit administrative division code of the township.",
        pattern=r"\d{12}",
    )
    hours: str = setting("周一至周五 8:30-12:00，14:00-17:30", "Opening hours in words.")


@dataclass(frozen=True)
class DisplayConfig:
    width: int = setting(1080, "Panel width in pixels.", min=320, max=7680)
    height: int = setting(1920, "Panel height in pixels.", min=320, max=7680)
    diagonal_inch: float = setting(
        27.0, "Panel diagonal in inches: sizes in the theme are millimetres, converted with it.",
        min=7.0, max=100.0,
    )
    fullscreen: bool = setting(True, "Full screen with no window decorations (false: windowed).")
    touch: bool = setting(True, "A touch panel: hide the mouse cursor and act on touch events.")
    max_fps: int = setting(60, "Upper bound on redraws per second while something moves.",
                           min=10, max=240)
    elder_mode: bool = setting(False, "Start each visit in elder mode (大字).")
    scale: float = setting(1.0, "Window scale for development (0.5 shows a 1080x1920 panel at half "
                                "size); ignored in full screen.", min=0.2, max=2.0)

    @property
    def dpi(self) -> float:
        """Pixels per inch from the panel's size: why sizes can be in millimetres."""
        diag_px: float = (self.width**2 + self.height**2) ** 0.5
        return diag_px / self.diagonal_inch

    def mm(self, millimetres: float) -> int:
        """Millimetres on this panel, in whole pixels (at least 1)."""
        return max(1, round(millimetres * self.dpi / 25.4))


@dataclass(frozen=True)
class SessionConfig:
    idle_timeout_s: int = setting(60, "Seconds without a touch before the idle warning.",
                                  min=15, max=3600)
    warning_s: int = setting(30, "Seconds the idle warning counts down before the visit ends "
                                 "(WCAG 2.2.1: at least 20).", min=20, max=600)
    elder_idle_timeout_s: int = setting(
        150, "Seconds without a touch before the idle warning in elder mode (大字): reading a "
             "material list at 80 takes longer (never shorter than idle_timeout_s).",
        min=15, max=3600)


@dataclass(frozen=True)
class CatalogConfig:
    db: str = setting("var/catalog.sqlite", "SQLite file holding the imported catalog.")
    seed: str = setting("assets/catalog/sample-catalog.json",
                        "Catalog imported when the store is empty, and again when this file "
                        "changes while it is the current catalog's source ('' for none).")
    forms_dir: str = setting("assets/forms", "Folder of the catalog's form files (PDF).")
    update_root: str = setting("", "The county's root metadata (metadata/1.root.json from "
                                   "`kiosk county keys init`), shipped with the kiosk: signed "
                                   "catalog updates are trusted from it ('' for none).")
    update_url: str = setting("", "The county's update repository over HTTP, e.g. "
                                  "http://county.example:8470/repo ('' for none).",
                              pattern=r"(https?://.+)?")
    update_stick: bool = setting(True, "Also look for the county's update repository on a USB "
                                       "drive (a folder holding metadata/ and targets/).")
    update_every_h: float = setting(6.0, "Hours between background update checks (one at start; "
                                         "never during a citizen's visit).",
                                    min=0.25, max=720.0)
    sync_dir: str = setting("var/sync", "Folder of the update client: trusted metadata, "
                                        "verified downloads, the last check's state.")


@dataclass(frozen=True)
class SearchConfig:
    limit: int = setting(30, "Most results shown for one query.", min=1, max=500)
    popular: int = setting(8, "Popular items offered when a search finds nothing.", min=0, max=50)
    lexicon: str = setting("", "A county's colloquial lexicon (docs/search-lexicon.md), loaded "
                               "over the one shipped with the kiosk ('' for none).")


@dataclass(frozen=True)
class PrinterProfile:
    paper_mm: int = setting(80, "Paper width in millimetres.", choices=(58, 80))
    text_mode: str = setting(
        "gb18030",
        "How Chinese is sent: 'gb18030' or 'gbk' (printer font, FS & / FS .) or 'raster' "
        "(text drawn with the CJK font, GS v 0) for printers with no Chinese font.",
        choices=("gb18030", "gbk", "raster"),
    )
    qr: str = setting("native", "QR codes as the printer's own (GS ( k) or as an image.",
                      choices=("native", "image"))
    cut: str = setting("partial", "Cutter: full, partial, or none (tear bar).",
                       choices=("full", "partial", "none"))
    feed_before_cut: int = setting(4, "Lines fed before the cut so the last line clears the "
                                      "cutter.", min=0, max=20)


def _default_profiles() -> dict[str, PrinterProfile]:
    return {
        "demo-80": PrinterProfile(),
        "generic-58": PrinterProfile(paper_mm=58),
        "raster-80": PrinterProfile(text_mode="raster", qr="image"),
    }


@dataclass(frozen=True)
class ReceiptPrinterConfig:
    url: str = setting("tcp://127.0.0.1:9100",
                       "Where the receipt printer is: tcp://host:port (or socket://host:port),"
                       " serial:///dev/ttyUSB0?baudrate=115200, usb://0x0416:0x5011, "
                       "file:///path, cups://QUEUE, memory:// (nowhere: tests).",
                       pattern=r"(tcp|socket|serial|usb|file|cups)://.+|memory://.*",
                       check=cc.receipt_url)
    profile: str = setting("demo-80", "Name of the entry in [printer_profiles] this printer uses.",
                           check=cc.nonempty)
    timeout_s: float = setting(5.0, "Seconds to wait for the printer before calling it offline.",
                               min=0.1, max=120.0)
    sim_control: str = setting("", "Control channel of the virtual printer `kiosk demo` starts "
                                   "(faults: paper out, cover open …): tcp://HOST:PORT; empty: "
                                   "none.", pattern=r"(tcp://[^:/]+:\d+)?")


@dataclass(frozen=True)
class IdReaderConfig:
    enabled: bool = setting(True, "Whether this terminal has an ID card reader.")
    port: str = setting("socket://127.0.0.1:9201",
                        "pyserial URL of the reader: /dev/ttyUSB0, socket://host:port, "
                        "hwgrep://CH340, spy:///dev/ttyUSB0, loop://.", check=cc.serial_url)
    baudrate: int = setting(115200, "Line speed.", choices=(9600, 19200, 38400, 57600, 115200))
    poll_interval_s: float = setting(0.5, "Seconds between card polls.", min=0.05, max=10.0)
    read_fingerprint: bool = setting(False, "Use the 30 10 read (text, photo and fingerprint "
                                     "data) instead of 30 01; the kiosk never needs it.")
    photo_decoder: str = setting("", "WLT photo decoder plug-in as package.module:factory "
                                 "(a licensed vendor library); empty: photos stay undecoded.",
                                 pattern=r"([\w.]+:\w+)?")
    sim_control: str = setting("", "Control channel of the simulated reader, for the demo's "
                               "\"place a card\" button in development mode: tcp://HOST:PORT; "
                               "empty: none.", pattern=r"(tcp://[^:/]+:\d+)?",
                               check=cc.sim_control)


@dataclass(frozen=True)
class DocumentPrinterConfig:
    enabled: bool = setting(True, "Whether this terminal has an A4 printer.")
    queue: str = setting("kiosk-a4", "CUPS queue name of the A4 printer.", check=cc.nonempty)
    max_copies: int = setting(5, "Most copies a citizen may print of one form or copy.",
                              min=1, max=50)
    server: str = setting("", "CUPS server: '' for the system's (CUPS_SERVER, then "
                              "/run/cups/cups.sock), a socket path, or host:port.",
                         check=cc.cups_server)
    job_timeout_s: float = setting(120.0, "Seconds a job may take before it is cancelled and "
                                          "the citizen told.", min=5.0, max=3600.0)


@dataclass(frozen=True)
class ScannerConfig:
    enabled: bool = setting(True, "Whether this terminal has a scanner.")
    device: str = setting("test", "SANE device name (scanimage -L), e.g. 'test' for SANE's "
                                  "test backend.", check=cc.nonempty)
    resolution_dpi: int = setting(300, "Scan resolution.", min=75, max=1200)
    mode: str = setting("Color", "Colour mode.", choices=("Color", "Gray", "Lineart"))
    card_area_mm: list[float] = setting(
        doc="Where one side of an ID card lies on the glass, in mm: [left, top, width, height] "
            "(the corner guide; the card is 85.6 x 54 mm and is printed at that size).",
        factory=lambda: [0.0, 0.0, 85.6, 54.0], min=0.0, max=500.0)
    page_area_mm: list[float] = setting(
        doc="Area scanned for one document page, in mm: [left, top, width, height] (A4 is "
            "210 x 297); printed at true size on A4.",
        factory=lambda: [0.0, 0.0, 210.0, 297.0], min=0.0, max=500.0)
    options: list[str] = setting(
        doc="Extra scanimage options for this device, e.g. ['--source=Flatbed'] or, for SANE's "
            "test backend, ['--test-picture=Color pattern'].", factory=list)
    timeout_s: float = setting(120.0, "Seconds a scan may take before it is abandoned.",
                               min=5.0, max=600.0)


@dataclass(frozen=True)
class QueueConfig:
    db: str = setting("var/queue.sqlite", "SQLite file of the hall's queue when this kiosk holds "
                                          "it (no queue.server): the embedded shape.")
    hall_config: str = setting("hall.toml", "The hall's own settings (services, windows, hours, "
                                            "limits, priority rules): read when queue.server is "
                                            "empty. A missing file means the demo hall.")
    server: str = setting("", "The hall service, e.g. http://192.168.1.10:8700: issue through "
                              "it (several kiosks). Empty: this kiosk holds the queue itself.",
                          pattern=r"(https?://[^\s/]+(/.*)?)?")
    token_file: str = setting("var/hall-token", "This kiosk's token for queue.server, written "
                                                "by `kiosk hall join` (mode 0600).")
    timeout_s: float = setting(3.0, "Seconds one request to queue.server may take before the "
                                    "kiosk says the queue is unavailable.", min=0.2, max=30.0)
    secret_file: str = setting("var/queue-secret.key",
                               "The hall's per-person secret keying the hash of ID numbers (for "
                               "per-person limits); from `kiosk hall join`, or created with "
                               "mode 0600 on first use by a kiosk that holds the queue itself.")
    rating_url: str = setting("", "The hall service's address as citizens' phones reach it (the "
                                  "hall's Wi-Fi), e.g. http://192.168.1.10:8700: each slip then "
                                  "carries a QR code to rate the service (好差评) on a phone, "
                                  "one rating per ticket. Empty: no rating QR.",
                              pattern=r"(https?://[^\s/]+(/.*)?)?")


@dataclass(frozen=True)
class MaintenanceConfig:
    pin_hash: str = setting("", "Salted scrypt hash of the staff PIN (set with `kiosk admin "
                                "set-pin`); empty: maintenance mode cannot be entered.")
    max_attempts: int = setting(5, "Wrong PINs before entry is locked.", min=1, max=10)
    lockout_s: int = setting(300, "Seconds entry stays locked after too many wrong PINs "
                                  f"(with max_attempts: at most {MAX_PIN_GUESSES_A_DAY} guesses "
                                  "a day).", min=60, max=86400)
    idle_timeout_s: int = setting(120, "Maintenance mode leaves by itself after this idle time.",
                                  min=15, max=3600)
    nightly_restart: str = setting("03:30", "Local time of the nightly restart ('' for none).",
                                   pattern=r"(([01]\d|2[0-3]):[0-5]\d)?")


@dataclass(frozen=True)
class FleetConfig:
    url: str = setting("", "Where heartbeats go: the hall service (which relays them to the "
                           "county) or the county service, http://HOST:PORT ('' for none: "
                           "nothing is sent).", pattern=r"(https?://.+)?")
    interval_s: int = setting(60, "Seconds between heartbeats (urgent events go at once).",
                              min=10, max=3600)
    dir: str = setting("var/fleet", "Folder of this kiosk's fleet key, identity and outbox "
                                    "(messages kept until delivered).")


@dataclass(frozen=True)
class LoggingConfig:
    dir: str = setting("var/log", "Folder of the rotating log file.")
    level: str = setting("INFO", "Log level.", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    max_bytes: int = setting(5_000_000, "Size at which the log file rotates.",
                             min=10_000, max=1_000_000_000)
    backups: int = setting(5, "Rotated log files kept.", min=1, max=100)


@dataclass(frozen=True)
class SpeechConfig:
    voice_pack: str = setting("assets/voice/cmn-espeak",
                              "Folder of the voice pack (voice.json + WAV clips) announcements "
                              "are made of; a county may ship recorded clips instead.")
    repeat: int = setting(2, "How many times a call is said after the chime.", min=1, max=5)
    volume: float = setting(1.0, "Loudness of speech and chime (0.0-1.0 of the mixer's).",
                            min=0.0, max=1.0)
    synthesiser: bool = setting(True, "Say text no clip covers with the built-in offline "
                                      "synthesiser (libespeak-ng); false: refuse such text.")


@dataclass(frozen=True)
class CallDisplayConfig:
    server: str = setting("", "The hall service's address for `kiosk display`, e.g. "
                              "http://192.168.1.10:8470 ('' for [queue].server).")
    hall_size: list[int] = setting(factory=lambda: [1920, 1080],
                                   doc="Hall display (综合屏) [width, height] in pixels; "
                                       "[1080, 1920] for a portrait TV.")
    hall_diagonal_inch: float = setting(55.0, "Hall display diagonal.", min=10.0, max=120.0)
    window_size: list[int] = setting(factory=lambda: [1280, 720],
                                     doc="Window screen (窗口屏) [width, height].")
    window_diagonal_inch: float = setting(21.5, "Window screen diagonal.", min=5.0, max=60.0)
    evaluator_size: list[int] = setting(factory=lambda: [1280, 800],
                                        doc="Evaluator (评价器) touch panel [width, height].")
    evaluator_diagonal_inch: float = setting(10.1, "Evaluator diagonal.", min=5.0, max=30.0)
    fullscreen: bool = setting(True, "Full screen (false: a window, for development).")
    recent: int = setting(8, "Recent calls listed on the hall display.", min=1, max=20)
    speak: bool = setting(True, "The hall display speaks calls (false: chime-free, silent).")
    speak_max_age_s: float = setting(30.0, "A call older than this when it reaches the display "
                                           "(after a reconnect) is shown but not spoken.",
                                     min=2.0, max=600.0)
    stale_after_s: float = setting(6.0, "Seconds without news or keep-alive from the service "
                                        "before the display says it cannot update.",
                                   min=2.0, max=120.0)
    rating_timeout_s: int = setting(60, "The evaluator waits this long for a rating after 完成, "
                                        "then returns to its welcome screen.", min=20, max=600)


@dataclass(frozen=True)
class Config:
    """The whole terminal. `base_dir` is the folder of the file it came from."""

    hall: HallConfig = setting(factory=HallConfig, doc="The hall.")
    display: DisplayConfig = setting(factory=DisplayConfig, doc="The touch panel.")
    session: SessionConfig = setting(factory=SessionConfig, doc="A citizen's visit.")
    catalog: CatalogConfig = setting(factory=CatalogConfig, doc="The procedure catalog.")
    search: SearchConfig = setting(factory=SearchConfig, doc="Search.")
    receipt_printer: ReceiptPrinterConfig = setting(factory=ReceiptPrinterConfig, doc="Receipts.")
    printer_profiles: dict[str, PrinterProfile] = setting(factory=_default_profiles,
                                                          doc="Receipt printer profiles.")
    id_reader: IdReaderConfig = setting(factory=IdReaderConfig, doc="ID card reader.")
    document_printer: DocumentPrinterConfig = setting(factory=DocumentPrinterConfig, doc="A4.")
    scanner: ScannerConfig = setting(factory=ScannerConfig, doc="Scanner.")
    queue: QueueConfig = setting(factory=QueueConfig, doc="Queue tickets.")
    maintenance: MaintenanceConfig = setting(factory=MaintenanceConfig, doc="Staff mode.")
    fleet: FleetConfig = setting(factory=FleetConfig, doc="Fleet health (heartbeats).")
    logging: LoggingConfig = setting(factory=LoggingConfig, doc="Logs.")
    speech: SpeechConfig = setting(factory=SpeechConfig, doc="Speech (announcements, prompts).")
    call_display: CallDisplayConfig = setting(factory=CallDisplayConfig,
                                              doc="`kiosk display`: hall, window, evaluator.")
    base_dir: str = dataclasses.field(default=".", metadata={"internal": True})

    def path(self, value: str) -> Path:
        """A path from the config, resolved against the config file's folder."""
        p = Path(value).expanduser()
        return p if p.is_absolute() else Path(self.base_dir) / p

    @property
    def receipt_profile(self) -> PrinterProfile:
        return self.printer_profiles[self.receipt_printer.profile]


def _cross_checks(cfg: Config) -> list[str]:
    """Rules that involve more than one key."""
    problems: list[str] = []
    if cfg.receipt_printer.profile not in cfg.printer_profiles:
        known = ", ".join(sorted(cfg.printer_profiles)) or "(none)"
        problems.append(f'receipt_printer.profile: expected one of the [printer_profiles] '
                        f'({known}), got "{cfg.receipt_printer.profile}"')
    for key in ("card_area_mm", "page_area_mm"):
        area = getattr(cfg.scanner, key)
        if len(area) != 4 or area[2] <= 0 or area[3] <= 0:
            problems.append(f"scanner.{key}: expected [left, top, width, height] with a "
                            f"positive width and height, got {area}")
    problems += _path_problems(cfg) + _pin_problems(cfg)
    problems += _display_sizes(cfg.call_display)
    return problems


_FILES = (("catalog.db", "catalog", "db"), ("queue.db", "queue", "db"),
          ("queue.secret_file", "queue", "secret_file"),
          ("queue.token_file", "queue", "token_file"))
_FOLDERS = (("catalog.forms_dir", "catalog", "forms_dir"), ("logging.dir", "logging", "dir"))


def _path_problems(cfg: Config) -> list[str]:
    """Store, key and log paths: none empty, '/', or in /proc, /sys, /dev; files not folders."""
    out = []
    for key, section, name in _FILES:
        value = getattr(getattr(cfg, section), name)
        problem = cc.file_path(value, cfg.path(value)) if value.strip() else \
            cc.writable_path(value)
        if problem:
            out.append(f'{key}: {problem}, got "{value}"')
    for key, section, name in _FOLDERS:
        value = getattr(getattr(cfg, section), name)
        problem = cc.writable_path(value)
        if problem:
            out.append(f'{key}: {problem}, got "{value}"')
    seed = cfg.catalog.seed
    if seed and cfg.path(seed).is_dir():
        out.append(f'catalog.seed: expected a catalog file, but this is a folder, got "{seed}"')
    return out


def _pin_problems(cfg: Config) -> list[str]:
    m = cfg.maintenance
    out = []
    problem = cc.pin_hash(m.pin_hash) if m.pin_hash else ""
    if problem:
        out.append(f"maintenance.pin_hash: {problem} (set it with `kiosk admin set-pin`), "
                   f'got "{m.pin_hash[:20]}…"')
    guesses = m.max_attempts * 86400 // m.lockout_s
    if guesses > MAX_PIN_GUESSES_A_DAY:
        out.append(f"maintenance.max_attempts: {m.max_attempts} tries per {m.lockout_s} s "
                   f"(maintenance.lockout_s) allow {guesses} guesses of the PIN a day; at most "
                   f"{MAX_PIN_GUESSES_A_DAY}: fewer tries or a longer lockout")
    return out


def _display_sizes(display: CallDisplayConfig) -> list[str]:
    problems: list[str] = []
    for key in ("hall_size", "window_size", "evaluator_size"):
        size = getattr(display, key)
        if len(size) != 2 or not all(240 <= v <= 7680 for v in size):
            problems.append(f"call_display.{key}: expected [width, height], each 240..7680 "
                            f"pixels, got {size}")
    return problems


MOVED_TO_HALL = {"services": "[[services]]", "queue.reset_hour": "[queue] reset_hour",
                 "queue.priority_age": "[[priority]] min_age",
                 "queue.priority_mode": "[queue] priority_mode",
                 "queue.priority_prefix": "[queue] priority_prefix"}
"""Keys a kiosk.toml once had that the hall now decides for every kiosk (hall.toml)."""


def _moved(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    problems = []
    out = dict(data)
    queue = dict(out.get("queue", {})) if isinstance(out.get("queue"), dict) else None
    for key, where in MOVED_TO_HALL.items():
        section, _, name = key.partition(".")
        table = queue if name else out
        if table is not None and (name or section) in table:
            del table[name or section]
            problems.append(f"{key}: moved to hall.toml ({where}): the hall decides it for "
                            f"every kiosk (see docs/hall.md)")
    if queue is not None:
        out["queue"] = queue
    return out, problems


def parse_config(data: dict[str, Any], base_dir: str = ".", source: str = "kiosk.toml") -> Config:
    """Validate a parsed TOML document; raise ConfigError listing every problem."""
    data, moved = _moved(data)
    cfg, problems = build(Config, {k: v for k, v in data.items()})
    problems = moved + problems
    if "base_dir" in data:
        problems.append("base_dir: unknown key (it is set from the file's location)")
    if cfg is not None and not problems:
        cfg = dataclasses.replace(cfg, base_dir=base_dir)   # paths are checked from there
        problems = _cross_checks(cfg)
    if problems or cfg is None:
        raise ConfigError(problems, source)
    return cfg


MAX_CONFIG_BYTES = 1 << 20


def _read_config_text(p: Path) -> str:
    """kiosk.toml's text, or ConfigError saying why not in one line: missing, a folder, not a
    regular file (a FIFO would block the start for ever, /dev/null would read as empty),
    unreadable, too large, not UTF-8. A UTF-8 byte order mark (Windows Notepad) is dropped."""
    try:
        st = p.stat()
    except FileNotFoundError:
        raise ConfigError([f"file not found: {p}"], str(p)) from None
    except OSError as exc:      # a symlink loop, a path through a file, no permission
        raise ConfigError([f"cannot read: {exc.strerror}"], str(p)) from None
    if stat.S_ISDIR(st.st_mode):
        raise ConfigError([f"{p} is a folder; expected the kiosk.toml file"], str(p))
    if not stat.S_ISREG(st.st_mode):
        raise ConfigError([f"{p} is not a regular file (a pipe, device or socket); expected "
                           "the kiosk.toml file"], str(p))
    if st.st_size > MAX_CONFIG_BYTES:
        raise ConfigError([f"the file is {st.st_size} bytes; a kiosk.toml is far smaller "
                           f"(at most {MAX_CONFIG_BYTES})"], str(p))
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ConfigError([f"cannot read: {exc.strerror}"], str(p)) from None
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ConfigError([f"line {line}, byte {exc.start}: not UTF-8 text; save the file as "
                           "UTF-8"], str(p)) from None


def _toml_problem(exc: tomllib.TOMLDecodeError, text: str) -> str:
    """tomllib's message, with the line it points at (so a key given twice is named)."""
    msg = str(exc)
    found = re.search(r"line (\d+)", msg)
    if not found:
        return f"not valid TOML: {msg}"
    n = int(found.group(1))
    lines = text.splitlines()
    shown = lines[n - 1].strip() if 0 < n <= len(lines) else ""
    hint = ""
    if "overwrite" in msg or "Cannot declare" in msg or "redefine" in msg.lower():
        key = re.match(r"\[*\s*([^=\]]+?)\s*(\]|=)", shown)
        name = key.group(1).strip() if key else shown
        hint = f"; '{name}' is set twice, keep one"
    return f"not valid TOML: {msg}: {shown[:80]}{hint}" if shown else f"not valid TOML: {msg}"


def load_config(path: str | Path) -> Config:
    """Read and validate kiosk.toml. An empty file (or /dev/null) is refused: a config
    truncated to 0 bytes must not run the kiosk as the demo."""
    p = Path(path)
    text = _read_config_text(p)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([_toml_problem(exc, text)], str(p)) from None
    except RecursionError:
        raise ConfigError(["not valid TOML: tables nested too deeply"], str(p)) from None
    if not data:
        raise ConfigError(["the file sets nothing (empty, or only comments); a kiosk.toml "
                           "configures at least [hall]"], str(p))
    return parse_config(data, base_dir=str(p.resolve().parent), source=str(p))


def default_config_path() -> Path:
    """kiosk.toml from $KIOSK_CONFIG, else the current folder's. Never a file beside the
    sources: an installed kiosk has none there, and a checkout's is the demo's."""
    import os

    return Path(os.environ.get("KIOSK_CONFIG") or "kiosk.toml")
