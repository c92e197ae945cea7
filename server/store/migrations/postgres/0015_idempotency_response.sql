ALTER TABLE idempotency_keys ADD COLUMN response_status integer;
ALTER TABLE idempotency_keys ADD COLUMN response_body bytea;
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
