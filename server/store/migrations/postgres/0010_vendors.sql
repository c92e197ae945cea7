CREATE TABLE vendor_access (
    vendor_id   bigint  NOT NULL REFERENCES organizations(id),
    customer_id bigint  NOT NULL REFERENCES organizations(id),
    access      text    NOT NULL CHECK (access IN ('none', 'read', 'full')),
    vendor_paid integer NOT NULL DEFAULT 0,
    PRIMARY KEY (customer_id, vendor_id)
);
CREATE INDEX vendor_access_vendor ON vendor_access (vendor_id);

ALTER TABLE tickets ADD COLUMN on_behalf_of bigint REFERENCES organizations(id);
