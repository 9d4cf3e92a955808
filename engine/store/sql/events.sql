-- name: contact-id-by-email
SELECT id FROM contacts WHERE email = :email;

-- name: insert-event
INSERT OR IGNORE INTO events (contact_id, type, at, campaign, bot, detail, value)
VALUES (:contact_id, :type, :at, :campaign, :bot, :detail, :value);

-- name: suppress
INSERT INTO suppressions (email, reason, created_at, expires_at)
VALUES (:email, :reason, :created_at, NULL)
ON CONFLICT (email) DO UPDATE SET reason = excluded.reason, expires_at = NULL;
