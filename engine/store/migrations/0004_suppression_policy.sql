-- Migration 4: the suppression policy (issue 8). Suppressions say where they came from,
-- for `suppress list` and reports: bounce (hard, or soft ones adding up), complaint,
-- manual (`suppress add`) or import (`suppress import`, lists from other tools).
-- Soft suppressions already carry expires_at (migration 1).
ALTER TABLE suppressions ADD COLUMN source TEXT NOT NULL DEFAULT 'manual';

-- Rows written before: InsertEvents wrote exactly these two reasons.
UPDATE suppressions SET source = CASE reason
  WHEN 'complaint' THEN 'complaint'
  WHEN 'hard-bounce' THEN 'bounce'
  ELSE 'manual' END;
