-- name: queued-contact-ids
SELECT contact_id FROM outbox WHERE campaign = :campaign;

-- name: enqueue
INSERT OR IGNORE INTO outbox (campaign, contact_id, recipient, sender, token, state,
                              next_attempt_at, created_at, updated_at, domain, message_id)
VALUES (:campaign, :contact_id, :recipient, :sender, :token, 'queued', :now, :now, :now,
        :domain, :message_id);

-- The body of the row `enqueue` just inserted (it inserted one when changes() is 1).
-- name: enqueue-body
INSERT INTO outbox_body (id, message) VALUES (last_insert_rowid(), :message);

-- Due messages, oldest due first, leaving out paused destinations and those the caller
-- skips (:skip_domains is a JSON array of domains). The inner query picks ids from
-- outbox_due's columns alone and sorts only those; bodies are read for the chosen few
-- (a correlated body in the outer list would be read for every due row, then sorted).
-- name: due
SELECT o.id, o.campaign, o.contact_id, o.recipient, o.sender, o.token, b.message, o.attempts,
       o.created_at, o.domain, o.provider
FROM (SELECT id, next_attempt_at FROM outbox
      WHERE state IN ('queued', 'deferred') AND next_attempt_at <= :now
        AND domain NOT IN (SELECT name FROM queue_pause WHERE kind = 'domain')
        AND provider NOT IN (SELECT name FROM queue_pause WHERE kind = 'provider')
        AND domain NOT IN (SELECT value FROM json_each(:skip_domains))
      ORDER BY next_attempt_at, id
      LIMIT :limit) AS d
JOIN outbox o ON o.id = d.id
JOIN outbox_body b ON b.id = d.id
ORDER BY d.next_attempt_at, d.id;

-- name: mark-sending
UPDATE outbox SET state = 'sending', updated_at = :now WHERE id = :id;

-- name: record-attempt
UPDATE outbox SET state = :state, attempts = attempts + 1, last_reply = :reply,
  next_attempt_at = coalesce(:next_attempt_at, next_attempt_at),
  provider = CASE WHEN :provider = '' THEN provider ELSE :provider END,
  last_attempt_at = :now, updated_at = :now
WHERE id = :id;

-- Only rows still in flight: a message recorded (or recovered) meanwhile stays as it is.
-- name: release
UPDATE outbox SET state = 'queued', next_attempt_at = :next_attempt_at
WHERE id = :id AND state = 'sending';

-- name: requeue-in-flight
UPDATE outbox SET state = 'queued' WHERE state = 'sending';

-- name: count-by-state
SELECT state, count(*) FROM outbox WHERE :campaign = '' OR campaign = :campaign GROUP BY state;

-- When the next waiting message falls due: deferred ones, and queued ones (given back by
-- Release for later, or new and already due). Held-back destinations do not count.
-- name: next-deferred
SELECT min(next_attempt_at) FROM outbox
WHERE state IN ('queued', 'deferred')
  AND domain NOT IN (SELECT name FROM queue_pause WHERE kind = 'domain')
  AND provider NOT IN (SELECT name FROM queue_pause WHERE kind = 'provider');

-- Per destination domain, in one scan of the outbox rows. The reply is that of the
-- message attempted last, the provider that of the last attempt that recorded one
-- (SQLite: in a query with exactly one min() or max(), bare columns take their values
-- from the row holding it).
-- name: queue-status
WITH counts AS (
  SELECT domain,
         sum(state = 'queued') AS queued, sum(state = 'sending') AS sending,
         sum(state = 'deferred') AS deferred, sum(state = 'sent') AS sent,
         sum(state = 'failed') AS failed, sum(state = 'cancelled') AS cancelled,
         sum(state = 'sent' AND last_attempt_at > :hour_ago) AS sent_last_hour,
         last_reply, max(last_attempt_at) AS last_attempt_at
  FROM outbox GROUP BY domain),
providers AS (
  SELECT domain, provider, max(last_attempt_at) FROM outbox WHERE provider <> ''
  GROUP BY domain)
SELECT c.domain, coalesce(p.provider, ''), c.queued, c.sending, c.deferred, c.sent, c.failed,
       c.cancelled, c.sent_last_hour, c.last_reply, c.last_attempt_at,
       EXISTS (SELECT 1 FROM queue_pause q
               WHERE (q.kind = 'domain' AND q.name = c.domain)
                  OR (q.kind = 'provider' AND q.name = p.provider))
FROM counts c LEFT JOIN providers p ON p.domain = c.domain
ORDER BY c.domain;

-- name: pause
INSERT INTO queue_pause (kind, name, paused_at) VALUES (:kind, :name, :now)
ON CONFLICT (kind, name) DO NOTHING;

-- name: resume
DELETE FROM queue_pause WHERE kind = :kind AND name = :name;

-- name: list-paused
SELECT kind, name FROM queue_pause ORDER BY kind, name;

-- name: retry-now
UPDATE outbox SET next_attempt_at = :now, updated_at = :now
WHERE state IN ('queued', 'deferred') AND next_attempt_at > :now
  AND (:domain = '' OR domain = :domain);

-- name: purge-campaign
UPDATE outbox SET state = 'cancelled', last_reply = '[cancelled] purged by queue purge',
  updated_at = :now
WHERE campaign = :campaign AND state IN ('queued', 'deferred');

-- One scan of the outbox rows (small: bodies are in outbox_body); last_attempt_at has
-- no index of its own, which every attempt would rewrite.
-- name: senders-attempted-since
SELECT sender FROM outbox WHERE last_attempt_at >= :since;

-- name: record-attention
INSERT INTO delivery_attention (outbox_id, domain, account_id, reply, at)
SELECT o.id, o.domain, coalesce(c.account_id, ''), :reply, :at
FROM outbox o LEFT JOIN contacts c ON c.id = o.contact_id
WHERE o.id = :id;

-- name: attention
SELECT domain, account_id, count(*), reply, max(at) FROM delivery_attention
GROUP BY domain, account_id ORDER BY max(at) DESC, domain, account_id;

-- name: policy-blocks-by-domain
SELECT domain, count(*) FROM delivery_attention GROUP BY domain;

-- name: send-by-token
SELECT id, campaign, recipient FROM outbox WHERE token = :token;

-- Message-IDs are unique in practice; the newest send wins should one repeat.
-- name: send-by-message-id
SELECT id, campaign, recipient FROM outbox WHERE message_id = :message_id AND message_id <> ''
ORDER BY id DESC LIMIT 1;
