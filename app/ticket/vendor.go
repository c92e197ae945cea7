package ticket

// Access is how much of a customer's tickets a vendor organization may
// see, as the customer set it.
type Access string

const (
	AccessNone Access = "none" // nothing: the account is not offered, its tickets are not found
	AccessRead Access = "read" // the tickets and their public conversation
	AccessFull Access = "full" // also create tickets in the account and reply
)

// Valid reports whether a is a known level.
func (a Access) Valid() bool { return a == AccessNone || a == AccessRead || a == AccessFull }

// VendorAccount is a customer account a vendor user may work in, through
// their vendor organization.
type VendorAccount struct {
	Organization Organization `json:"organization"` // the customer
	Vendor       OrgRef       `json:"vendor"`       // the vendor organization that has the access
	Access       Access       `json:"access"`       // as the customer set it
	// VendorPaid: the vendor pays for the account, so its access is always
	// full and the customer cannot lower it.
	VendorPaid bool `json:"vendorPaid"`
}

// Effective is the access that applies: full when the vendor pays.
func (a VendorAccount) Effective() Access {
	if a.VendorPaid {
		return AccessFull
	}
	return a.Access
}

// CreatedBy is who filed a ticket for a customer account they are no
// member of, and for which organization.
type CreatedBy struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Organization OrgRef `json:"organization"`
}
