DROP INDEX tickets_org_updated;
CREATE INDEX tickets_org_updated ON tickets (organization_id, updated_at DESC, number DESC, status);
DROP INDEX messages_ticket;
CREATE INDEX messages_unread ON messages (ticket_number, id, author_id, internal);
