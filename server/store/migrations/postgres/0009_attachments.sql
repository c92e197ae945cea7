ALTER TABLE organizations ADD COLUMN privacy_regime text NOT NULL DEFAULT 'gdpr';

CREATE TABLE attachments (
    id                   text    PRIMARY KEY,
    uploader_id          bigint  NOT NULL REFERENCES users(id),
    organization_id      bigint  NOT NULL REFERENCES organizations(id),
    name                 text    NOT NULL,
    size                 bigint  NOT NULL,
    content_type         text    NOT NULL,
    sha256               text    NOT NULL,
    privacy_regime       text    NOT NULL,
    privacy_wording      text    NOT NULL,
    privacy_confirmed_at bigint  NOT NULL,
    created_at           bigint  NOT NULL,
    ticket_number        bigint  REFERENCES tickets(number),
    message_id           bigint  REFERENCES messages(id)
);
CREATE INDEX attachments_ticket ON attachments (ticket_number, message_id) WHERE ticket_number IS NOT NULL;
CREATE INDEX attachments_unattached ON attachments (created_at) WHERE ticket_number IS NULL;
CREATE INDEX attachments_sha ON attachments (sha256);
