-- Migration 3: per-destination delivery queues for the event-driven SMTP engine:
-- claiming around paused or busy destinations, `queue status/pause/resume/retry/purge`,
-- and the state 'cancelled' (purged by an operator; the state column is free text).

-- The destination: lower-case part of the recipient after its last '@'. rtrim() with
-- every non-'@' character of the address strips back to that '@' (SQLite has no
-- "last index of"). Enqueue computes the same in C++ (AddressDomain).
ALTER TABLE outbox ADD COLUMN domain TEXT NOT NULL DEFAULT '';
-- The MX provider rollup ("google", "microsoft") the engine resolved, written with
-- each attempt, so a paused provider holds back messages already tried once.
ALTER TABLE outbox ADD COLUMN provider TEXT NOT NULL DEFAULT '';
-- When the last attempt ended (0: never). updated_at also moves when a message is
-- claimed, released, retried or purged; status and warm-up counters need attempts.
ALTER TABLE outbox ADD COLUMN last_attempt_at INTEGER NOT NULL DEFAULT 0;

UPDATE outbox SET
  domain = CASE WHEN instr(recipient, '@') > 0
                THEN lower(substr(recipient,
                                  length(rtrim(recipient, replace(recipient, '@', ''))) + 1))
                ELSE '' END,
  last_attempt_at = CASE WHEN attempts > 0 THEN updated_at ELSE 0 END;

-- Message bodies live apart from the state row: a message's row is updated when it is
-- claimed and again when its attempt is recorded, and SQLite rewrites a row whole,
-- BLOB and overflow pages included: two 10 KB writes per message for a state change.
CREATE TABLE outbox_body (
  id      INTEGER PRIMARY KEY,  -- outbox.id
  message BLOB NOT NULL         -- the complete RFC 5322 message, CRLF line ends
);
INSERT INTO outbox_body (id, message) SELECT id, message FROM outbox;
ALTER TABLE outbox DROP COLUMN message;

-- Claiming walks due messages in order; with domain and provider in the index, the
-- paused and skipped ones are passed over without reading their rows (and messages).
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox(state, next_attempt_at, domain, provider);

-- No index for `queue status`: it groups the (small, body-less) rows by domain in one
-- scan, and every index on state or last reply would be rewritten with each attempt.

-- Destinations an operator paused; ClaimDue passes over their messages.
CREATE TABLE queue_pause (
  kind      TEXT NOT NULL CHECK (kind IN ('domain', 'provider')),
  name      TEXT NOT NULL,           -- domain lower-cased; provider as the engine names it
  paused_at INTEGER NOT NULL,
  PRIMARY KEY (kind, name)
) WITHOUT ROWID;

-- Policy and spam blocks (the address is fine; the destination and the account need a
-- person): one row per refused attempt, with the account it concerns.
CREATE TABLE delivery_attention (
  outbox_id  INTEGER NOT NULL,
  domain     TEXT NOT NULL,
  account_id TEXT NOT NULL DEFAULT '',
  reply      TEXT NOT NULL,
  at         INTEGER NOT NULL
);
CREATE INDEX delivery_attention_domain ON delivery_attention(domain, account_id);
