-- The search index learns whose text it holds: one token of the
-- organization and the visibility ("o17p", "o17i").
ALTER TABLE search ADD COLUMN scope text NOT NULL DEFAULT '';
ALTER TABLE search ALTER COLUMN scope DROP DEFAULT;
CREATE INDEX search_words ON search USING gin (words);
CREATE INDEX search_scope ON search (scope, ticket_number);
