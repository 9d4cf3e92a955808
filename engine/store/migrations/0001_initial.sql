-- Migration 1: the foundation schema. Applied once, inside a transaction.
-- Enum columns hold the canonical names of include/b2bmail/model/enums.h.

CREATE TABLE accounts (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL DEFAULT '',
  industry      TEXT NOT NULL DEFAULT '',
  employees     INTEGER,
  country       TEXT NOT NULL DEFAULT '',
  timezone      TEXT NOT NULL DEFAULT '',
  stage         TEXT,
  tier          TEXT,
  buying_step   TEXT,
  purchase_type TEXT,
  attrs         TEXT NOT NULL DEFAULT '{}'   -- custom attributes, JSON object of strings
);

CREATE TABLE account_domains (
  domain     TEXT PRIMARY KEY,               -- lower case
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX account_domains_account ON account_domains(account_id);

CREATE TABLE contacts (
  id           INTEGER PRIMARY KEY,
  email        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  first_name   TEXT NOT NULL DEFAULT '',
  last_name    TEXT NOT NULL DEFAULT '',
  title        TEXT NOT NULL DEFAULT '',
  account_id   TEXT REFERENCES accounts(id),
  role         TEXT,
  seniority    TEXT,
  department   TEXT NOT NULL DEFAULT '',
  language     TEXT NOT NULL DEFAULT '',
  country      TEXT NOT NULL DEFAULT '',
  timezone     TEXT NOT NULL DEFAULT '',
  consent      TEXT NOT NULL DEFAULT 'none',
  unsubscribed INTEGER NOT NULL DEFAULT 0,
  attrs        TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX contacts_account ON contacts(account_id);

-- Addresses that must never be mailed again (hard bounce, complaint, manual);
-- soft suppressions carry an expiry (issue 8).
CREATE TABLE suppressions (
  email      TEXT PRIMARY KEY COLLATE NOCASE,
  reason     TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER
) WITHOUT ROWID;

CREATE TABLE events (
  id         INTEGER PRIMARY KEY,
  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  type       TEXT NOT NULL,
  at         INTEGER NOT NULL,               -- unix seconds, UTC
  campaign   TEXT NOT NULL DEFAULT '',
  step       TEXT NOT NULL DEFAULT '',       -- nurture step, later
  bot        INTEGER NOT NULL DEFAULT 0,
  detail     TEXT NOT NULL DEFAULT '',
  value      REAL
);
-- The identity of an event, so re-importing a file adds nothing.
CREATE UNIQUE INDEX events_identity ON events(contact_id, type, at, campaign, detail);

CREATE TABLE campaigns (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL DEFAULT '',
  segment      TEXT NOT NULL,
  template     TEXT NOT NULL,
  subject      TEXT NOT NULL,
  from_address TEXT NOT NULL,
  launched_at  INTEGER NOT NULL
);

-- The persistent outbox: one row per (campaign, contact), never two.
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  campaign        TEXT NOT NULL,
  contact_id      INTEGER NOT NULL REFERENCES contacts(id),
  recipient       TEXT NOT NULL,
  sender          TEXT NOT NULL,
  token           TEXT NOT NULL UNIQUE,
  message         BLOB NOT NULL,
  state           TEXT NOT NULL DEFAULT 'queued',  -- queued, sending, sent, deferred, failed
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_reply      TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  UNIQUE (campaign, contact_id)
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
