"""The hall store's tables, as numbered steps shared by SQLite (kiosk.db.SqliteFile,
PRAGMA user_version) and PostgreSQL (hall/pg_store.py, table schema_version).

The DDL is written in the subset both understand (TEXT times in ISO 8601, DOUBLE PRECISION,
partial indexes, no AUTOINCREMENT/SERIAL: ids are uuids or come from a counter row). Step 1 is
the kiosk's queue file as it was before the hall service existed; step 2 turns it into the
hall's layout and carries its tickets over, so a kiosk upgraded in the field keeps its day.
"""

from __future__ import annotations

from kiosk.db import Migration

STATES = ("'issuing','waiting','verify','called','serving','done','no_show','transferred',"
          "'void'")

V1 = """
CREATE TABLE IF NOT EXISTS sequences (
    day TEXT NOT NULL, number_prefix TEXT NOT NULL, last_seq INTEGER NOT NULL,
    PRIMARY KEY (day, number_prefix));
CREATE TABLE IF NOT EXISTS tickets (
    ticket_id TEXT PRIMARY KEY, day TEXT NOT NULL, number TEXT NOT NULL,
    service_prefix TEXT NOT NULL, seq INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('issuing','printed','called','done','void')),
    issued_at TEXT NOT NULL, people_ahead INTEGER NOT NULL, est_wait_min REAL NOT NULL,
    priority TEXT NOT NULL DEFAULT '', declared TEXT NOT NULL DEFAULT '',
    person_hash TEXT, owner TEXT NOT NULL DEFAULT '',
    printed_at TEXT, called_at TEXT, done_at TEXT, voided_at TEXT,
    void_reason TEXT NOT NULL DEFAULT '', counter TEXT NOT NULL DEFAULT '',
    UNIQUE (day, number));
CREATE INDEX IF NOT EXISTS tickets_service ON tickets (day, service_prefix, state);
CREATE INDEX IF NOT EXISTS tickets_person ON tickets (day, person_hash)
    WHERE person_hash IS NOT NULL;
CREATE TABLE IF NOT EXISTS service_overrides (
    day TEXT NOT NULL, service_prefix TEXT NOT NULL, is_open INTEGER NOT NULL,
    PRIMARY KEY (day, service_prefix));
"""

V2 = f"""
DROP INDEX IF EXISTS tickets_service;
DROP INDEX IF EXISTS tickets_person;
ALTER TABLE tickets RENAME TO tickets_v1;
CREATE TABLE tickets (
    ticket_id TEXT PRIMARY KEY, day TEXT NOT NULL, number TEXT NOT NULL,
    service_prefix TEXT NOT NULL, origin TEXT NOT NULL, seq INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ({STATES})),
    lane INTEGER NOT NULL, pos DOUBLE PRECISION NOT NULL, arrival DOUBLE PRECISION NOT NULL,
    issued_at TEXT NOT NULL, people_ahead INTEGER NOT NULL,
    est_wait_min DOUBLE PRECISION NOT NULL,
    priority TEXT NOT NULL DEFAULT '', declared TEXT NOT NULL DEFAULT '',
    person_hash TEXT, owner TEXT NOT NULL DEFAULT '', kiosk TEXT NOT NULL DEFAULT '',
    printed_at TEXT, called_at TEXT, last_called_at TEXT, serving_at TEXT, done_at TEXT,
    voided_at TEXT, void_reason TEXT NOT NULL DEFAULT '',
    verify_reason TEXT NOT NULL DEFAULT '',
    window_no INTEGER, staff TEXT NOT NULL DEFAULT '', target_window INTEGER,
    calls INTEGER NOT NULL DEFAULT 0, no_shows INTEGER NOT NULL DEFAULT 0,
    transfers INTEGER NOT NULL DEFAULT 0, case_no TEXT NOT NULL DEFAULT '',
    UNIQUE (day, number));
INSERT INTO tickets (ticket_id, day, number, service_prefix, origin, seq, state, lane, pos, arrival,
    issued_at, people_ahead, est_wait_min, priority, declared, person_hash, owner,
    printed_at, called_at, last_called_at, done_at, voided_at, void_reason, calls)
  SELECT ticket_id, day, number, service_prefix, service_prefix, seq,
    CASE state WHEN 'printed' THEN 'waiting' ELSE state END,
    CASE WHEN priority = '' THEN 9 ELSE 1 END, seq, seq,
    issued_at, people_ahead, est_wait_min, priority, declared, person_hash, owner,
    printed_at, called_at, called_at, done_at, voided_at, void_reason,
    CASE WHEN called_at IS NULL THEN 0 ELSE 1 END
  FROM tickets_v1;
DROP TABLE tickets_v1;
CREATE INDEX tickets_queue ON tickets (day, service_prefix, lane, state, pos);
CREATE INDEX tickets_person ON tickets (day, person_hash) WHERE person_hash IS NOT NULL;
CREATE INDEX tickets_issuing ON tickets (state) WHERE state = 'issuing';
CREATE UNIQUE INDEX one_open_ticket_per_window ON tickets (window_no)
    WHERE state IN ('called', 'serving');
CREATE TABLE service_days (
    day TEXT NOT NULL, service TEXT NOT NULL, issued INTEGER NOT NULL DEFAULT 0,
    run INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (day, service));
INSERT INTO service_days (day, service, issued)
  SELECT day, service_prefix, COUNT(*) FROM tickets WHERE state != 'void'
  GROUP BY day, service_prefix;
CREATE TABLE windows (
    number INTEGER PRIMARY KEY,
    state TEXT NOT NULL DEFAULT 'closed' CHECK (state IN ('closed', 'open', 'paused')),
    paused_reason TEXT NOT NULL DEFAULT '', staff TEXT NOT NULL DEFAULT '', since TEXT);
CREATE UNIQUE INDEX one_window_per_staff ON windows (staff) WHERE staff != '';
CREATE TABLE events (
    id BIGINT PRIMARY KEY, at TEXT NOT NULL, day TEXT NOT NULL, type TEXT NOT NULL,
    ticket_id TEXT NOT NULL DEFAULT '', number TEXT NOT NULL DEFAULT '',
    service TEXT NOT NULL DEFAULT '', window_no INTEGER, staff TEXT NOT NULL DEFAULT '',
    kiosk TEXT NOT NULL DEFAULT '', request_id TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL DEFAULT '{{}}');
CREATE INDEX events_day ON events (day, id);
CREATE TABLE event_seq (one INTEGER PRIMARY KEY CHECK (one = 1), last_id BIGINT NOT NULL);
INSERT INTO event_seq (one, last_id) VALUES (1, 0);
CREATE TABLE requests (
    request_id TEXT PRIMARY KEY, kind TEXT NOT NULL, result TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL);
CREATE TABLE staff (
    staff_no TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL CHECK (role IN ('window', 'manager')), pin_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT, created_at TEXT NOT NULL);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY, staff_no TEXT NOT NULL, window_no INTEGER,
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL);
CREATE TABLE kiosks (
    name TEXT PRIMARY KEY, token_hash TEXT NOT NULL, enrolled_at TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0, last_seen TEXT);
CREATE TABLE enrol_codes (
    code_hash TEXT PRIMARY KEY, name TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT);
CREATE TABLE ratings (
    rating_id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL UNIQUE, day TEXT NOT NULL,
    number TEXT NOT NULL, window_no INTEGER, staff TEXT NOT NULL DEFAULT '',
    case_no TEXT NOT NULL DEFAULT '', level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    reasons TEXT NOT NULL DEFAULT '', channel TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL, acknowledged_at TEXT, acknowledged_by TEXT NOT NULL DEFAULT '')
"""

MIGRATIONS = (
    Migration(1, "tickets, sequences, service overrides (the kiosk's own queue)", V1),
    Migration(2, "the hall: ticket states, windows, events, requests, staff, kiosks, ratings",
              V2),
)
SCHEMA_VERSION = len(MIGRATIONS)
