-- Sessions a host opened for its user (server/embed): which host, the one
-- account the session works in, whether it is a kiosk's, the language the
-- host asked for, the record the host showed the portal beside, and when
-- it ends whatever its use. A password login leaves them NULL/0.
ALTER TABLE sessions ADD COLUMN host TEXT;
ALTER TABLE sessions ADD COLUMN organization_id INTEGER REFERENCES organizations(id) ON DELETE CASCADE;
ALTER TABLE sessions ADD COLUMN kiosk INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN locale TEXT;
ALTER TABLE sessions ADD COLUMN record_id INTEGER REFERENCES records(id) ON DELETE SET NULL;
ALTER TABLE sessions ADD COLUMN expires_at INTEGER;

-- The ids (jti) of the hosts' tokens used, until they expire: a token is
-- exchanged for a session once.
CREATE TABLE embed_token_ids (
    host       TEXT    NOT NULL,
    jti        TEXT    NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (host, jti)
) WITHOUT ROWID;
CREATE INDEX embed_token_ids_expiry ON embed_token_ids (expires_at);
