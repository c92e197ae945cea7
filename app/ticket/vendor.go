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

// vendorAccount returns v's vendor access to organization orgID.
func (v Viewer) vendorAccount(orgID int64) (VendorAccount, bool) {
	if !v.vendorMember() {
		return VendorAccount{}, false
	}
	for _, a := range v.VendorAccounts {
		if a.Organization.ID == orgID && a.Effective() != AccessNone {
			return a, true
		}
	}
	return VendorAccount{}, false
}

// member reports whether v is a member of organization orgID with ticket
// access.
func (v Viewer) member(orgID int64) bool {
	for _, m := range v.Memberships {
		if m.Organization.ID == orgID && m.TicketAccess {
			return true
		}
	}
	return false
}

// CanWrite reports whether v may add to tickets of organization orgID:
// create, reply, close, attach. Members with ticket access and agents
// may; a vendor only with full access.
func (v Viewer) CanWrite(orgID int64) bool {
	if v.User.ID == 0 {
		return false
	}
	if v.User.Agent || v.member(orgID) {
		return true
	}
	a, ok := v.vendorAccount(orgID)
	return ok && a.Effective() == AccessFull
}

// OnBehalf returns the vendor organization v acts for when filing in
// organization orgID, if v files there as a vendor (not as a member).
func (v Viewer) OnBehalf(orgID int64) (OrgRef, bool) {
	if v.member(orgID) {
		return OrgRef{}, false
	}
	a, ok := v.vendorAccount(orgID)
	return a.Vendor, ok
}

// CreatedBy is who filed a ticket for a customer account they are no
// member of, and for which organization.
type CreatedBy struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Organization OrgRef `json:"organization"`
}
