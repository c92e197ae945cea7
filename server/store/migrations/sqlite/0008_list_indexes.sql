-- A customer's list reads its page's keys from the organization index
-- alone: with status at its end, "open only" and the sort by status need no
-- ticket row either. The unread counts of a page read only this index of
-- messages (it also serves every lookup of messages_ticket).
DROP INDEX tickets_org_updated;
CREATE INDEX tickets_org_updated ON tickets (organization_id, updated_at DESC, number DESC, status);
DROP INDEX messages_ticket;
CREATE INDEX messages_unread ON messages (ticket_number, id, author_id, internal);
