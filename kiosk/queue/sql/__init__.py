"""The hall store's SQL, written once for SQLite and PostgreSQL: the schema and its migration
steps (schema.py), the transaction wrapper every operation runs in (tx.py), tickets (tickets.py),
windows and calls (windows.py), the event log (events.py), staff and kiosks (auth.py), and the
store class that puts them together (engine.py). kiosk/queue/sqlite_store.py and
hall/pg_store.py only open connections and hand out transactions.

Stdlib only (plus the queue's pure modules): the hall service imports it.
"""
