-- Live updates: every change others should see is an event, appended in the
-- same transaction as the change. AUTOINCREMENT: ids are never reused, so
-- a browser resuming after id N misses nothing and gets nothing twice.
CREATE TABLE events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    type          TEXT    NOT NULL,
    ticket_number INTEGER NOT NULL REFERENCES tickets(number) ON DELETE CASCADE,
    message_id    INTEGER REFERENCES messages(id) ON DELETE CASCADE,
    internal      INTEGER NOT NULL DEFAULT 0, -- invisible to portal users
    user_id       INTEGER REFERENCES users(id) ON DELETE CASCADE, -- only this user's devices
    created_at    INTEGER NOT NULL
);

-- Read markers: the newest message a user has seen on a ticket, so unread
-- badges follow the user across devices.
CREATE TABLE reads (
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    ticket_number INTEGER NOT NULL REFERENCES tickets(number) ON DELETE CASCADE,
    message_id    INTEGER NOT NULL,
    PRIMARY KEY (user_id, ticket_number)
) WITHOUT ROWID;
