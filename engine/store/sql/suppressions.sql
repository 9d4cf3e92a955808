-- Suppressions (issue 8). Which row wins for an address is decided in C++
-- (sqlite_suppressions.cc) inside the caller's transaction; these only read and write.

-- name: suppression-by-email
SELECT email, reason, source, created_at, expires_at FROM suppressions WHERE email = :email;

-- name: write-suppression
INSERT INTO suppressions (email, reason, source, created_at, expires_at)
VALUES (:email, :reason, :source, :created_at, :expires_at)
ON CONFLICT (email) DO UPDATE SET reason = excluded.reason, source = excluded.source,
  created_at = excluded.created_at, expires_at = excluded.expires_at;

-- name: list-suppressions
SELECT email, reason, source, created_at, expires_at FROM suppressions
WHERE :all OR expires_at IS NULL OR expires_at > :now
ORDER BY email;

-- name: delete-suppression
DELETE FROM suppressions WHERE email = :email;

-- A contact's soft bounces in a time range, oldest first; LIKE ignores ASCII case, as
-- model::ParseBounceDetail does. Reads the events_identity index only.
-- name: soft-bounces-between
SELECT at, detail FROM events
WHERE contact_id = :contact_id AND type = 'bounced' AND at BETWEEN :from AND :to
  AND detail LIKE 'soft%'
ORDER BY at;
