-- Migration 2: indexes for segment queries (issue 4). Text fields compare ignoring
-- ASCII case, so their indexes use NOCASE; bench/segment measures what each buys.
CREATE INDEX accounts_industry ON accounts(industry COLLATE NOCASE);
CREATE INDEX accounts_country ON accounts(country COLLATE NOCASE);
CREATE INDEX accounts_employees ON accounts(employees);
CREATE INDEX accounts_stage ON accounts(stage);
