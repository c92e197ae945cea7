-- The upload quota sums the bytes of each user's uploads not attached yet.
CREATE INDEX attachments_uploader_unattached ON attachments (uploader_id) WHERE ticket_number IS NULL;
