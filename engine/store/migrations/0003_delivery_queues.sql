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

-- Claiming walks due messages in order; with domain and provider in the index, the
-- paused and skipped ones are passed over without reading their rows (and messages).
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox(state, next_attempt_at, domain, provider);

-- `queue status` groups by domain from this index alone: the new columns sit after the
-- message BLOB in the row, so reading them from the table reads every message too.
CREATE INDEX outbox_domain ON outbox(domain, state, last_attempt_at, provider, last_reply);

-- Destinations an operator paused; ClaimDue passes over their messages.
CREATE TABLE queue_pause (
  kind      TEXT NOT NULL CHECK (kind IN ('domain', 'provider')),
  name      TEXT NOT NULL,           -- domain lower-cased; provider as the engine names it
  paused_at INTEGER NOT NULL,
  PRIMARY KEY (kind, name)
) WITHOUT ROWID;
