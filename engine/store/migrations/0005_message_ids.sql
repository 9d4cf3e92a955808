-- Migration 5: each queued message's Message-ID, so that a bounce without our VERP
-- token (a forwarded one, or from a gateway that rewrites the envelope) is matched to
-- its send by the Message-ID it quotes (issue 8). Without angle brackets; '' for rows
-- queued before this migration. The index is partial: old rows take no room.
ALTER TABLE outbox ADD COLUMN message_id TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_message_id ON outbox(message_id) WHERE message_id <> '';
