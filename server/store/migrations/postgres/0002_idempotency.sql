CREATE TABLE idempotency_keys (
    user_id       bigint  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key           text    NOT NULL,
    request_hash  bytea   NOT NULL,
    ticket_number bigint  NOT NULL REFERENCES tickets(number) ON DELETE CASCADE,
    message_id    bigint  REFERENCES messages(id) ON DELETE CASCADE,
    created_at    bigint  NOT NULL,
    PRIMARY KEY (user_id, key)
);
