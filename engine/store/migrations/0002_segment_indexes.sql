-- Migration 2: indexes for segment queries (issue 4); bench/segment measures them.
-- Text fields compare ignoring ASCII case, so their indexes use NOCASE.

-- Firmographic targeting starts from the accounts: industry, country, size, stage.
CREATE INDEX accounts_firmographic ON accounts(industry COLLATE NOCASE, country COLLATE NOCASE,
                                               employees);
CREATE INDEX accounts_country ON accounts(country COLLATE NOCASE, employees);
CREATE INDEX accounts_stage ON accounts(stage, employees);
CREATE INDEX accounts_tier ON accounts(tier);

-- An account's contacts with what roles, account quantifiers and the mailable rule read,
-- so those checks never touch the table. Replaces the plain account_id index.
DROP INDEX contacts_account;
CREATE INDEX contacts_account ON contacts(account_id, role, consent, unsubscribed, seniority, email);

-- "opened/clicked within ..." counts human events only: a partial index of them,
-- covering the campaign filter too.
CREATE INDEX events_human_engagement ON events(contact_id, type, at, campaign)
  WHERE bot = 0 AND (type = 'opened' OR type = 'clicked');
