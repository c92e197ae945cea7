-- The store's versions (see server/store/versions.go), shared by every
-- node: each write transaction moves them under the write lock, and
-- every node reads them before it serves a kept answer or session.
CREATE TABLE store_versions (
    id       integer PRIMARY KEY CHECK (id = 1),
    version  bigint NOT NULL,
    identity bigint NOT NULL,
    access   bigint NOT NULL
);
INSERT INTO store_versions (id, version, identity, access) VALUES (1, 0, 0, 0);
