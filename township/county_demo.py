"""`kiosk county demo`: the county side in one command — a private PostgreSQL, the county
service with its dashboard, the sample catalog signed into an update repository, and a few
simulated kiosks (real Terminals over the virtual receipt printer) heartbeating to it; every
so often a printer runs out of paper and is refilled, so the dashboard has something to show.

    kiosk county demo [--kiosks 3] [--listen 127.0.0.1:8470] [--dir var/county-demo]

Everything lives under --dir (database, keys, repository, kiosks); run it again and it
carries on. Stop with Ctrl-C. Lives in township/ because it needs both sides: county/ (the
service) and devices/ (the simulators), which must not import each other.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
REPO = Path(__file__).resolve().parent.parent
HALLS = ("清河镇便民服务中心", "柳林乡便民服务中心")
OPERATOR, PASSWORD = "演示", "demo-pass-1"
FAULT_EVERY_S = 45.0


def register(csub: Any) -> None:
    p = csub.add_parser("demo", help="county service + dashboard + simulated kiosks, all "
                                     "local (private PostgreSQL)")
    p.add_argument("--kiosks", type=int, default=3, metavar="N")
    p.add_argument("--listen", default="127.0.0.1:8470", metavar="HOST:PORT")
    p.add_argument("--dir", default="var/county-demo", metavar="DIR")
    p.add_argument("--seconds", type=float, default=0.0, help="stop after this long (0: never)")
    p.set_defaults(handler=_run)


def _repository(base: Path) -> tuple[Path, Path]:
    """Keys and a repository with the sample catalog signed in it (made once)."""
    from county.publish import publish
    from county.repo import Repository
    from county.trust import init

    repo = Repository(base / "repo")
    if not repo.initialised():
        init(repo, base / "keys", base / "offline-root-keys")
    r = publish(REPO / "assets" / "catalog" / "sample-catalog.json", repo, base / "keys",
                forms=REPO / "assets" / "forms", regions=["000000000000"])
    log.info("published catalog %s: %s", r.catalog_version, ", ".join(r.changed_roles))
    return repo.path, repo.metadata / "1.root.json"


def _kiosks(db: Any, base: Path, n: int, url: str, root: Path) -> list[Any]:
    """N simulated kiosks enrolled over HTTP, each with its own key (kept across runs)."""
    from county.service.enrol import new_code, new_hall, new_kiosk
    from kiosk.sync.identity import join, load_identity
    from township.simkiosk import SimKiosk

    halls = {r["name"] for r in db.rows("SELECT name FROM halls")}
    for h in HALLS:
        if h not in halls:
            new_hall(db, h)
    out = []
    for i in range(n):
        hall, name = HALLS[i % len(HALLS)], f"{i // len(HALLS) + 1}号机"
        folder = base / f"kiosk-{i + 1}"
        me = load_identity(folder / "var" / "fleet")
        if me is None:
            row = db.one("SELECT k.id FROM kiosks k JOIN halls h ON h.id = k.hall_id WHERE "
                         "h.name = %s AND k.name = %s", (hall, name))
            code = new_code(db, row["id"]) if row else new_kiosk(db, name, hall).code
            me = join(folder / "var" / "fleet", url, code)
        out.append(SimKiosk(folder, me, url, 10, update_root=str(root),
                            update_url=f"{url}/repo").start())
    return out


def _faults(kiosks: list[Any], stop: threading.Event) -> None:
    """Now and then a printer runs out of paper, and is refilled a little later."""
    i = 0
    while not stop.wait(FAULT_EVERY_S):
        k = kiosks[i % len(kiosks)]
        k.fault("paper out")
        log.info("demo: %s is out of paper", k.identity.kiosk)
        if stop.wait(FAULT_EVERY_S / 2):
            return
        k.fault("paper ok")
        i += 1


def _run(args: argparse.Namespace) -> int:
    from county.service.auth import add_operator
    from county.service.localpg import PrivatePostgres
    from county.service.serve import InThread, parse_listen
    from county.service.web import build_app
    from kiosk.sync.update import Source, check_now

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s")
    for name in ("township", "county", "kiosk.sync"):   # not python-escpos's chatter
        logging.getLogger(name).setLevel(logging.INFO)
    base = Path(args.dir).resolve()
    host, port = parse_listen(args.listen)
    repo, root = _repository(base)
    pg = PrivatePostgres(base / "pg").start()
    stop = threading.Event()
    kiosks: list[Any] = []
    try:
        from county.service.db import Database

        db = Database(pg.create_db("county"), max_size=8).open()
        add_operator(db, OPERATOR, PASSWORD)
        try:
            server = InThread(build_app(db, repo), host, port).start()
        except OSError as exc:
            raise SystemExit(f"kiosk county demo: {exc}; try another --listen") from None
        url = f"http://{host}:{port}"
        kiosks = _kiosks(db, base, args.kiosks, url, root)
        for k in kiosks:
            log.info("kiosk %s: %s", k.identity.kiosk,
                     check_now(k.cfg, Source("url", f"{url}/repo")).line())
        threading.Thread(target=_faults, args=(kiosks, stop), daemon=True).start()
        print(f"county dashboard: {url}/  (login {OPERATOR} / {PASSWORD}); "
              f"{len(kiosks)} simulated kiosks; Ctrl-C to stop", flush=True)
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        deadline = time.monotonic() + args.seconds if args.seconds else None
        try:
            while not stop.wait(0.5):
                if deadline is not None and time.monotonic() > deadline:
                    break
        except KeyboardInterrupt:
            pass
        stop.set()
        server.stop()
        db.close()
    finally:
        stop.set()
        for k in kiosks:
            k.close()
        pg.stop()
    return 0
