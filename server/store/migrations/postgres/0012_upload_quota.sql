CREATE INDEX attachments_uploader_unattached ON attachments (uploader_id) WHERE ticket_number IS NULL;
