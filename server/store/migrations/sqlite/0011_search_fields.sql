-- Data fields (invoice, order, reference numbers…) are searched too: each
-- ticket's field values are one public text of its own.
INSERT INTO search (text, scope, ticket_number, internal)
    SELECT (SELECT group_concat(value, ' ') FROM (SELECT value FROM json_each(t.fields) ORDER BY key)),
           'o' || t.organization_id || 'p', t.number, 0
    FROM tickets t
    WHERE t.fields != '{}' AND t.fields != '';
