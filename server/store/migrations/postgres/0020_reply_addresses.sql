CREATE TABLE reply_addresses (
    token_hash    bytea   PRIMARY KEY,
    user_id       bigint  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    ticket_number bigint  NOT NULL REFERENCES tickets(number) ON DELETE CASCADE,
    created_at    bigint  NOT NULL
);
