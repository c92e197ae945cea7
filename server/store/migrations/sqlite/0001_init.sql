CREATE TABLE organizations (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL,
    account_number TEXT    NOT NULL UNIQUE,
    kind           TEXT    NOT NULL CHECK (kind IN ('customer', 'vendor')),
    parent_id      INTEGER REFERENCES organizations(id)
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT    NOT NULL,
    locale        TEXT    NOT NULL DEFAULT 'en',
    password_hash TEXT    NOT NULL,
    agent         INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE memberships (
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    role            TEXT    NOT NULL CHECK (role IN ('member', 'admin')),
    ticket_access   INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (user_id, organization_id)
);

-- Ticket numbers are sequential; the first one is 10001 (see store.Open).
CREATE TABLE tickets (
    number          INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    requester_id    INTEGER NOT NULL REFERENCES users(id),
    type            TEXT    NOT NULL,
    category        TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    description     TEXT    NOT NULL,
    fields          TEXT    NOT NULL DEFAULT '{}',
    status          TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX tickets_org_number ON tickets (organization_id, number DESC);

CREATE TABLE messages (
    id            INTEGER PRIMARY KEY,
    ticket_number INTEGER NOT NULL REFERENCES tickets(number) ON DELETE CASCADE,
    author_id     INTEGER NOT NULL REFERENCES users(id),
    body          TEXT    NOT NULL,
    internal      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);
CREATE INDEX messages_ticket ON messages (ticket_number, id);

CREATE TABLE sessions (
    token_hash BLOB    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL
) WITHOUT ROWID;
