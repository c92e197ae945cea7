-- Full-text search over what people wrote: a ticket's subject and
-- description (kind 'ticket') and each message (kind 'message'). Internal
-- notes are indexed with internal = 1 and only agents' searches see them.
CREATE VIRTUAL TABLE search USING fts5(
    text,
    ticket_number UNINDEXED,
    internal UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO search (text, ticket_number, internal)
    SELECT subject || ' ' || description, number, 0 FROM tickets;
INSERT INTO search (text, ticket_number, internal)
    SELECT body, ticket_number, internal FROM messages;
