-- Columns absent from the import file keep their stored value (:has_* = 0).
-- name: upsert-account
INSERT INTO accounts (id, name, industry, employees, country, timezone, stage, tier, buying_step,
                      purchase_type, attrs)
VALUES (:id, :name, :industry, :employees, :country, :timezone, :stage, :tier, :buying_step,
        :purchase_type, :attrs)
ON CONFLICT (id) DO UPDATE SET
  name          = CASE WHEN :has_name THEN excluded.name ELSE name END,
  industry      = CASE WHEN :has_industry THEN excluded.industry ELSE industry END,
  employees     = CASE WHEN :has_employees THEN excluded.employees ELSE employees END,
  country       = CASE WHEN :has_country THEN excluded.country ELSE country END,
  timezone      = CASE WHEN :has_timezone THEN excluded.timezone ELSE timezone END,
  stage         = CASE WHEN :has_stage THEN excluded.stage ELSE stage END,
  tier          = CASE WHEN :has_tier THEN excluded.tier ELSE tier END,
  buying_step   = CASE WHEN :has_buying_step THEN excluded.buying_step ELSE buying_step END,
  purchase_type = CASE WHEN :has_purchase_type THEN excluded.purchase_type ELSE purchase_type END,
  attrs         = json_patch(attrs, excluded.attrs);

-- name: domain-owner
SELECT account_id FROM account_domains WHERE domain = :domain;

-- name: delete-account-domains
DELETE FROM account_domains WHERE account_id = :account_id;

-- name: insert-account-domain
INSERT OR IGNORE INTO account_domains (domain, account_id) VALUES (:domain, :account_id);

-- name: all-account-ids
SELECT id FROM accounts;

-- name: all-account-domains
SELECT domain, account_id FROM account_domains;
