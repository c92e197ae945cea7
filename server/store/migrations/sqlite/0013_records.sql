-- Records: things outside supportal a ticket can be about (claims, ERAs,
-- eligibility checks, assets, providers, payers, articles, contacts), sent
-- by the customer's own systems through the integration API. An external
-- id is unique per organization and kind; a deleted record is archived,
-- so the links to it stay readable.
CREATE TABLE records (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    kind TEXT NOT NULL,
    external_id TEXT NOT NULL,
    title TEXT NOT NULL,
    fields TEXT NOT NULL DEFAULT '[]',
    url TEXT NOT NULL DEFAULT '',
    archived INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (organization_id, kind, external_id)
);
CREATE INDEX records_recent ON records (organization_id, updated_at DESC, id DESC);
CREATE INDEX records_key ON records (kind, external_id);

-- A ticket's links to records: who made each and when. search_rowid is
-- the link's row in the search index (the record's id and title find the
-- ticket).
CREATE TABLE ticket_links (
    ticket_number INTEGER NOT NULL REFERENCES tickets(number),
    record_id INTEGER NOT NULL REFERENCES records(id),
    linked_by INTEGER NOT NULL REFERENCES users(id),
    linked_at INTEGER NOT NULL,
    search_rowid INTEGER,
    PRIMARY KEY (ticket_number, record_id)
) WITHOUT ROWID;
CREATE INDEX ticket_links_record ON ticket_links (record_id, ticket_number);

-- Integrations: the customer systems that send records, each with an API
-- key (kept as its SHA-256: the key is random, not a password) and the
-- organizations it may speak for.
CREATE TABLE integrations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    key_hash BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE TABLE integration_organizations (
    integration_id INTEGER NOT NULL REFERENCES integrations(id),
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    PRIMARY KEY (integration_id, organization_id)
) WITHOUT ROWID;
