-- Vendors in customer accounts. The customer sets how much a vendor may
-- see (none, read, full); vendor_paid forces full (the vendor pays for the
-- account). A ticket a vendor user filed in a customer account names the
-- vendor organization it was filed for.
CREATE TABLE vendor_access (
    vendor_id INTEGER NOT NULL REFERENCES organizations(id),
    customer_id INTEGER NOT NULL REFERENCES organizations(id),
    access TEXT NOT NULL CHECK (access IN ('none', 'read', 'full')),
    vendor_paid INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (customer_id, vendor_id)
);
CREATE INDEX vendor_access_vendor ON vendor_access (vendor_id);

ALTER TABLE tickets ADD COLUMN on_behalf_of INTEGER REFERENCES organizations(id);
