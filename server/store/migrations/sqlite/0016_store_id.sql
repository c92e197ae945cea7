-- meta holds facts about the database itself. store_id tells one database
-- from another (a browser keeps its drafts and outbox per store): random,
-- made once, the same for as long as the file lives.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

INSERT INTO meta (key, value) VALUES ('store_id', lower(hex(randomblob(16))));
