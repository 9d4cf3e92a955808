-- name: contact-id-by-email
SELECT id, email FROM contacts WHERE email = :email;

-- name: insert-event
INSERT OR IGNORE INTO events (contact_id, type, at, campaign, bot, detail, value)
VALUES (:contact_id, :type, :at, :campaign, :bot, :detail, :value);
