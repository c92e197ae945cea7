-- The first successful answer to a request with an Idempotency-Key is kept
-- with the key: a retry gets the same status and the same bytes. Keys kept
-- before this have no answer; theirs is rebuilt from what they made.
ALTER TABLE idempotency_keys ADD COLUMN response_status INTEGER;
ALTER TABLE idempotency_keys ADD COLUMN response_body BLOB;

-- Keys are removed by age (the janitor, after 30 days).
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
