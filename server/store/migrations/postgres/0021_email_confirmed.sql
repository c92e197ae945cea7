ALTER TABLE email_changes ADD COLUMN confirmed_at bigint;
