"""The cheap checks a pattern cannot make: a port within 1-65535, a URL whose scheme the kiosk
knows and whose host part is well formed, a path the kiosk could write, a PIN hash it could
verify. Each returns '' or what was expected, for `kiosk.configschema`'s `check=` and for the
checks across keys in kiosk.config (paths depend on the file's folder).

Why: a fault run found 26 impossible values that `config check` passed (ports 99999 or
`notaport`, `tcp://[::1`, unknown schemes, "/" or /proc as a store, a pin_hash that silently
disabled maintenance mode); each failed only later, at a citizen's ticket or a technician's
visit.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path, PurePosixPath
from urllib.parse import SplitResult, parse_qs, urlsplit

SYSTEM_TREES = ("/proc", "/sys", "/dev", "/run/cups")
PYSERIAL_SCHEMES = ("socket", "rfc2217", "loop", "hwgrep", "spy", "alt", "cp2110")


def nonempty(value: str) -> str:
    return "" if value.strip() else "expected some text, not an empty string"


def _port_problem(u: SplitResult, required: bool) -> str:
    try:
        port = u.port
    except ValueError:
        return "expected a port number from 1 to 65535"
    if port is None:
        return "expected HOST:PORT (the port is missing)" if required else ""
    return "" if 1 <= port <= 65535 else "expected a port number from 1 to 65535"


def _host_problem(u: SplitResult) -> str:
    try:
        host = u.hostname
    except ValueError:      # tcp://[::1 — an unclosed IPv6 bracket
        return "expected a host name or an address ([…] closed for IPv6)"
    if not host:
        return "expected a host name or an address after //"
    if "[" in u.netloc and "]" not in u.netloc:
        return "expected a host name or an address ([…] closed for IPv6)"
    return ""


def host_port(url: str, required_port: bool = True) -> str:
    """'' for scheme://host:port with a port in range."""
    try:
        u = urlsplit(url)
    except ValueError:
        return "expected scheme://HOST:PORT ([…] closed for IPv6)"
    return _host_problem(u) or _port_problem(u, required_port)


def _usb_problem(u: SplitResult) -> str:
    if re.fullmatch(r"0x[0-9a-fA-F]{1,4}:0x[0-9a-fA-F]{1,4}", u.netloc):
        return ""
    return "expected usb://0xVID:0xPID (hexadecimal vendor and product ids)"


def _serial_problem(u: SplitResult) -> str:
    if not u.path.startswith("/"):
        return "expected serial:///dev/… (a device path)"
    baud = parse_qs(u.query).get("baudrate", ["115200"])[0]
    return "" if baud.isdigit() and 50 <= int(baud) <= 4_000_000 else \
        "expected ?baudrate= a line speed such as 9600 or 115200"


def receipt_url(url: str) -> str:
    """The receipt printer URLs devices/receipt_printer understands."""
    try:
        u = urlsplit(url)
    except ValueError:
        return "expected a host name or an address ([…] closed for IPv6)"
    if u.scheme in ("tcp", "socket"):
        return _host_problem(u) or _port_problem(u, required=False)
    if u.scheme == "serial":
        return _serial_problem(u)
    if u.scheme == "usb":
        return _usb_problem(u)
    if u.scheme == "file":
        return writable_path(u.path, device_ok=True) if u.path else \
            "expected file:///path (an absolute path)"
    if u.scheme == "cups":
        return "" if u.netloc else "expected cups://QUEUE"
    if u.scheme == "memory":
        return ""
    return "expected a tcp://, socket://, serial://, usb://, file://, cups:// or memory:// URL"


def serial_url(value: str) -> str:
    """A pyserial port: a device path, or one of pyserial's URL handlers."""
    if "://" not in value:
        return "" if value.startswith("/dev/") else \
            "expected a device path such as /dev/ttyUSB0, or a pyserial URL (socket://…)"
    scheme = value.split("://", 1)[0]
    if scheme not in PYSERIAL_SCHEMES:
        return "expected a pyserial URL: " + ", ".join(f"{s}://" for s in PYSERIAL_SCHEMES)
    if scheme in ("socket", "rfc2217"):
        return host_port(value)
    return ""


def sim_control(value: str) -> str:
    return host_port(value) if value else ""


def cups_server(value: str) -> str:
    """'' (the system's), a socket path, or host:port."""
    if not value or value.startswith("/"):
        return ""
    return host_port(f"ipp://{value}", required_port=False)


def writable_path(value: str, *, device_ok: bool = False) -> str:
    """A path the kiosk may create files at: not empty, not the root, not a system tree."""
    if not value.strip():
        return "expected a path, not an empty string"
    p = PurePosixPath(value)
    if str(p) == "/" or (p.is_absolute() and len(p.parts) == 1):
        return "expected a path below /, not / itself"
    trees = [t for t in SYSTEM_TREES if not (device_ok and t == "/dev")]
    if any(str(p) == t or str(p).startswith(t + "/") for t in trees):
        return "expected a path outside " + ", ".join(trees)
    return ""


def file_path(value: str, resolved: Path) -> str:
    """writable_path(), and not an existing folder (a store or key is one file)."""
    problem = writable_path(value)
    if problem:
        return problem
    return "expected a file, but this is a folder" if resolved.is_dir() else ""


def pin_hash(stored: str) -> str:
    """'' when `stored` is a hash kiosk.maintenance.pin.verify_pin can use; else what is
    wrong (a hand-edited or truncated pin_hash would lock staff out of maintenance mode
    silently)."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return "expected scrypt$N$r$p$salt$hash"
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except ValueError:
        return "expected scrypt$N$r$p$salt$hash with numbers and base64"
    if not (2 <= n <= 2**20 and n & (n - 1) == 0 and 1 <= r <= 64 and 1 <= p <= 16):
        return "expected scrypt costs N a power of two up to 2^20, r ≤ 64, p ≤ 16"
    if len(salt) < 8 or len(digest) < 16:
        return "expected a salt of at least 8 and a hash of at least 16 bytes"
    return ""
