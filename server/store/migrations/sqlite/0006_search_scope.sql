-- The search index learns whose text it holds: "scope" is one token of
-- the organization and the visibility ("o17p": public text of
-- organization 17, "o17i": its internal notes), so a customer's search is
-- an FTS intersection with their organizations' public rows instead of a
-- scan of every match; prefix indexes (2 and 3 letters) make short prefix
-- searches cheap.
DROP TABLE search;
CREATE VIRTUAL TABLE search USING fts5(
    text,
    scope,
    ticket_number UNINDEXED,
    internal UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
INSERT INTO search (text, scope, ticket_number, internal)
    SELECT subject || ' ' || description, 'o' || organization_id || 'p', number, 0 FROM tickets;
INSERT INTO search (text, scope, ticket_number, internal)
    SELECT m.body, 'o' || t.organization_id || CASE WHEN m.internal THEN 'i' ELSE 'p' END, m.ticket_number, m.internal
    FROM messages m JOIN tickets t ON t.number = m.ticket_number;
