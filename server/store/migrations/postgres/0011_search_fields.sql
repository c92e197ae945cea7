-- (SQLite: indexed the data fields of the tickets there were; a new
-- PostgreSQL store has none.)
SELECT 1;
