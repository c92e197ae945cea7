-- Reply by email: a notification's Reply-To is reply+<token>@<reply
-- domain>, one token per mail, standing for one user on one ticket. Only
-- the token's SHA-256 is kept: the database alone does not let anyone
-- write as the user. (0019 is taken by the notifications.)
CREATE TABLE reply_addresses (
    token_hash    BLOB    PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    ticket_number INTEGER NOT NULL REFERENCES tickets(number) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL  -- unix ms
) WITHOUT ROWID;
