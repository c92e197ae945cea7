-- A POST that carries an Idempotency-Key is answered once: a retry with
-- the same key by the same user finds what the first one created.
CREATE TABLE idempotency_keys (
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key           TEXT    NOT NULL,
    request_hash  BLOB    NOT NULL,
    ticket_number INTEGER NOT NULL REFERENCES tickets(number) ON DELETE CASCADE,
    message_id    INTEGER REFERENCES messages(id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
) WITHOUT ROWID;
