-- name: queued-contact-ids
SELECT contact_id FROM outbox WHERE campaign = :campaign;

-- name: enqueue
INSERT OR IGNORE INTO outbox (campaign, contact_id, recipient, sender, token, message, state,
                              next_attempt_at, created_at, updated_at)
VALUES (:campaign, :contact_id, :recipient, :sender, :token, :message, 'queued', :now, :now, :now);

-- name: due
SELECT id, campaign, contact_id, recipient, sender, token, message, attempts, created_at
FROM outbox
WHERE state IN ('queued', 'deferred') AND next_attempt_at <= :now
ORDER BY next_attempt_at, id
LIMIT :limit;

-- name: mark-sending
UPDATE outbox SET state = 'sending', updated_at = :now WHERE id = :id;

-- name: record-attempt
UPDATE outbox SET state = :state, attempts = attempts + 1, last_reply = :reply,
  next_attempt_at = coalesce(:next_attempt_at, next_attempt_at), updated_at = :now
WHERE id = :id;

-- name: requeue-in-flight
UPDATE outbox SET state = 'queued' WHERE state = 'sending';

-- name: count-by-state
SELECT state, count(*) FROM outbox WHERE :campaign = '' OR campaign = :campaign GROUP BY state;

-- name: next-deferred
SELECT min(next_attempt_at) FROM outbox WHERE state = 'deferred';
