"""Queue tickets: numbering, priority, issuing → printed/void, and the stores behind them.

service.py (QueueService: what the screens and the CLI call), store.py (the QueueStore
interface), sqlite_store.py (the embedded store), model.py (the values that cross it),
identity.py (CardInfo, the salted per-day person hash), waittime.py, messages.py (every line a
citizen reads), printer.py (where the printer function comes from), staff.py (maintenance
actions), report.py (figures for `kiosk status`). docs/queue-store.md has the semantics.
"""
