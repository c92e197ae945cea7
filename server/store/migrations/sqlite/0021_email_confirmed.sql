-- A confirmation link used once says so when opened again (it was
-- deleted before, and said "not valid").
ALTER TABLE email_changes ADD COLUMN confirmed_at INTEGER;
