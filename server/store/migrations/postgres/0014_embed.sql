ALTER TABLE sessions ADD COLUMN host text;
ALTER TABLE sessions ADD COLUMN organization_id bigint REFERENCES organizations(id) ON DELETE CASCADE;
ALTER TABLE sessions ADD COLUMN kiosk integer NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN locale text;
ALTER TABLE sessions ADD COLUMN record_id bigint REFERENCES records(id) ON DELETE SET NULL;
ALTER TABLE sessions ADD COLUMN expires_at bigint;

CREATE TABLE embed_token_ids (
    host       text    NOT NULL,
    jti        text    NOT NULL,
    expires_at bigint  NOT NULL,
    PRIMARY KEY (host, jti)
);
CREATE INDEX embed_token_ids_expiry ON embed_token_ids (expires_at);
