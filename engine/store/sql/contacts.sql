-- Columns absent from the import file keep their stored value (:has_* = 0).
-- Unsubscribing is sticky: an import can unsubscribe a contact, never resubscribe one.
-- name: upsert-contact
INSERT INTO contacts (email, first_name, last_name, title, account_id, role, seniority, department,
                      language, country, timezone, consent, unsubscribed, attrs)
VALUES (:email, :first_name, :last_name, :title, :account_id, :role, :seniority, :department,
        :language, :country, :timezone, :consent, :unsubscribed, :attrs)
ON CONFLICT (email) DO UPDATE SET
  first_name   = CASE WHEN :has_first_name THEN excluded.first_name ELSE first_name END,
  last_name    = CASE WHEN :has_last_name THEN excluded.last_name ELSE last_name END,
  title        = CASE WHEN :has_title THEN excluded.title ELSE title END,
  account_id   = CASE WHEN :has_account_id THEN excluded.account_id ELSE account_id END,
  role         = CASE WHEN :has_role THEN excluded.role ELSE role END,
  seniority    = CASE WHEN :has_seniority THEN excluded.seniority ELSE seniority END,
  department   = CASE WHEN :has_department THEN excluded.department ELSE department END,
  language     = CASE WHEN :has_language THEN excluded.language ELSE language END,
  country      = CASE WHEN :has_country THEN excluded.country ELSE country END,
  timezone     = CASE WHEN :has_timezone THEN excluded.timezone ELSE timezone END,
  consent      = CASE WHEN :has_consent THEN excluded.consent ELSE consent END,
  unsubscribed = max(unsubscribed, excluded.unsubscribed),
  attrs        = json_patch(attrs, excluded.attrs);

-- name: contact-by-email
SELECT id, email, first_name, last_name, title, account_id, role, seniority, department, language,
       country, timezone, consent, unsubscribed, attrs
FROM contacts WHERE email = :email;

-- name: unsubscribe-contact
UPDATE contacts SET unsubscribed = 1 WHERE id = :contact_id;
