-- Uploads and attachments. An upload belongs to its uploader and carries
-- the privacy confirmation it was made under; attaching it (once) to a new
-- ticket or a message sets ticket_number (and message_id). The bytes are
-- kept outside the database, by their SHA-256.
ALTER TABLE organizations ADD COLUMN privacy_regime TEXT NOT NULL DEFAULT 'gdpr';

CREATE TABLE attachments (
    id TEXT PRIMARY KEY,                    -- random, unguessable
    uploader_id INTEGER NOT NULL REFERENCES users(id),
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    privacy_regime TEXT NOT NULL,
    privacy_wording TEXT NOT NULL,
    privacy_confirmed_at INTEGER NOT NULL,  -- unix ms
    created_at INTEGER NOT NULL,            -- unix ms
    ticket_number INTEGER REFERENCES tickets(number),
    message_id INTEGER REFERENCES messages(id)
);
CREATE INDEX attachments_ticket ON attachments (ticket_number, message_id) WHERE ticket_number IS NOT NULL;
CREATE INDEX attachments_unattached ON attachments (created_at) WHERE ticket_number IS NULL;
CREATE INDEX attachments_sha ON attachments (sha256);
