-- The mail outbox. A mail is written in the same transaction as the event
-- that causes it and sent later by the mail worker (server/mail): nothing
-- acknowledged is lost, and a crash between sending and marking it sent
-- resends it at most once, with the same Message-ID. Times in unix millis.
CREATE TABLE mails (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id      TEXT    NOT NULL UNIQUE, -- "<hex@domain>", made when queued, the same on every attempt
    to_addr         TEXT    NOT NULL,
    to_name         TEXT    NOT NULL DEFAULT '',
    reply_to        TEXT,
    subject         TEXT    NOT NULL,
    text_body       TEXT    NOT NULL,
    html_body       TEXT    NOT NULL DEFAULT '',
    kind            TEXT    NOT NULL,        -- ticket.MailKind: password-reset, email-confirm, ticket-update
    user_id         INTEGER REFERENCES users(id) ON DELETE SET NULL,
    ticket_number   INTEGER REFERENCES tickets(number) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,        -- due then; a claim moves it past its lease
    sent_at         INTEGER,
    gave_up_at      INTEGER,                 -- the worker stopped trying (see last_error)
    last_error      TEXT
);

-- What the worker claims: due and neither sent nor given up.
CREATE INDEX mails_due ON mails (next_attempt_at) WHERE sent_at IS NULL AND gave_up_at IS NULL;
-- The demo mail view: newest first.
CREATE INDEX mails_newest ON mails (created_at, id);
