-- Notifications: who should hear of a change by mail, written in the
-- transaction of the change. The notifier (server/mail/notify.go) turns
-- the due ones of one user and ticket into one mail (bundling replies that
-- came within a few minutes) and marks them done in the transaction that
-- queues that mail; the user's choice and the policy are applied then.
CREATE TABLE notifications (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    ticket_number INTEGER NOT NULL REFERENCES tickets(number) ON DELETE CASCADE,
    kind          TEXT    NOT NULL CHECK (kind IN ('reply', 'response_expected', 'created', 'queue', 'reopened')),
    message_id    INTEGER REFERENCES messages(id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,
    done_at       INTEGER,
    mail_id       INTEGER REFERENCES mails(id) ON DELETE SET NULL
);
CREATE INDEX notifications_pending ON notifications (created_at) WHERE done_at IS NULL;
CREATE INDEX notifications_group ON notifications (user_id, ticket_number) WHERE done_at IS NULL;
