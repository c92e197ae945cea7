ALTER TABLE users ADD COLUMN first_name text NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN last_name text NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN phone text NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN notifications text NOT NULL DEFAULT 'all'
    CHECK (notifications IN ('all', 'replies', 'none'));

CREATE TABLE email_changes (
    user_id    bigint  PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    email      text    NOT NULL,
    token_hash bytea   NOT NULL UNIQUE,
    expires_at bigint  NOT NULL
);

CREATE TABLE password_resets (
    token_hash bytea   PRIMARY KEY,
    user_id    bigint  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at bigint  NOT NULL,
    expires_at bigint  NOT NULL,
    used_at    bigint
);
CREATE INDEX password_resets_user ON password_resets (user_id, created_at);

CREATE TABLE ended_sessions (
    token_hash bytea   PRIMARY KEY,
    reason     text    NOT NULL,
    ended_at   bigint  NOT NULL
);
