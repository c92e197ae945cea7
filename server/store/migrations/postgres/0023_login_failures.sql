-- The login throttle's counts (server/api/throttle.go), in the database so
-- that every node counts the same failures: per client and account, per
-- client, per account (keys made by the API).
CREATE TABLE login_failures (
    key     text   PRIMARY KEY,
    n       bigint NOT NULL,
    last_at bigint NOT NULL,
    prev_at bigint NOT NULL
);
CREATE INDEX login_failures_last ON login_failures (last_at);
