-- Your information: first and last name (name stays as the two together,
-- how others see the user), phone, which mails the user wants.
ALTER TABLE users ADD COLUMN first_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN last_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN notifications TEXT NOT NULL DEFAULT 'all'
    CHECK (notifications IN ('all', 'replies', 'none'));

-- Users named before: the first word is the first name, the rest the last.
UPDATE users SET
    first_name = CASE WHEN instr(trim(name), ' ') > 0 THEN substr(trim(name), 1, instr(trim(name), ' ') - 1) ELSE trim(name) END,
    last_name  = CASE WHEN instr(trim(name), ' ') > 0 THEN trim(substr(trim(name), instr(trim(name), ' ') + 1)) ELSE '' END;

-- A new contact email waits for the link sent to it (one per user: a new
-- request replaces the last).
CREATE TABLE email_changes (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    email      TEXT    NOT NULL,
    token_hash BLOB    NOT NULL UNIQUE,
    expires_at INTEGER NOT NULL
);

-- Password reset links: single use, short-lived.
CREATE TABLE password_resets (
    token_hash BLOB    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX password_resets_user ON password_resets (user_id, created_at);

-- Sessions ended for a reason the user should hear of when they come back
-- with its cookie (a password change): kept a day.
CREATE TABLE ended_sessions (
    token_hash BLOB    PRIMARY KEY,
    reason     TEXT    NOT NULL,
    ended_at   INTEGER NOT NULL
) WITHOUT ROWID;
