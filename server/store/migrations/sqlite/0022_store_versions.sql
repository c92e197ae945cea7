-- Nothing on SQLite: one node owns the file, and its versions live in
-- memory (server/store/versions.go). PostgreSQL's 0022 keeps them in a
-- table every node shares.
SELECT 1;
