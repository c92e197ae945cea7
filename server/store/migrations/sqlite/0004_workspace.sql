-- The agent workspace: who works on a ticket, until when it is postponed,
-- and which closed ticket a new one follows up.
ALTER TABLE tickets ADD COLUMN assignee_id INTEGER REFERENCES users(id);
ALTER TABLE tickets ADD COLUMN postponed_until INTEGER;
ALTER TABLE tickets ADD COLUMN follow_up_of INTEGER REFERENCES tickets(number);

-- Keyset pagination per sort order, for agents (all tickets) and per
-- organization (portal users).
CREATE INDEX tickets_updated ON tickets (updated_at DESC, number DESC);
CREATE INDEX tickets_created ON tickets (created_at DESC, number DESC);
CREATE INDEX tickets_org_updated ON tickets (organization_id, updated_at DESC, number DESC);
CREATE INDEX tickets_org_created ON tickets (organization_id, created_at DESC, number DESC);
CREATE INDEX tickets_assignee ON tickets (assignee_id, status);

-- Saved views: a user's named searches of the ticket list.
CREATE TABLE views (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    query      TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX views_user_name ON views (user_id, name COLLATE NOCASE);
