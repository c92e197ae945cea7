// Package ticket is the domain shared by the browser and the server: the
// organizations and users who raise tickets, tickets and their messages, the
// status model, the visibility policy and the error codes that cross the wire.
//
// It does no I/O and imports only the standard library.
package ticket

import "time"

// OrgKind tells customers from vendors.
type OrgKind string

const (
	KindCustomer OrgKind = "customer"
	KindVendor   OrgKind = "vendor"
)

// Organization is an account: a customer, a customer's branch (ParentID set)
// or a vendor.
type Organization struct {
	ID            int64   `json:"id"`
	Name          string  `json:"name"`
	AccountNumber string  `json:"accountNumber"`
	Kind          OrgKind `json:"kind"`
	ParentID      int64   `json:"parentId,omitempty"`
	// PrivacyRegime words the confirmation before uploads.
	PrivacyRegime PrivacyRegime `json:"privacyRegime"`
}

// OrgRef is how a ticket names its organization on the wire.
type OrgRef struct {
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	AccountNumber string `json:"accountNumber"`
}

// Ref returns the short form of o.
func (o Organization) Ref() OrgRef {
	return OrgRef{ID: o.ID, Name: o.Name, AccountNumber: o.AccountNumber}
}

// User is a person who logs in: a portal user of one or more organizations,
// or a support agent (Agent set).
type User struct {
	ID     int64  `json:"id"`
	Email  string `json:"email"`
	Name   string `json:"name"`
	Locale string `json:"locale"`
	Agent  bool   `json:"agent"`
}

// UserRef is how tickets and messages name a person on the wire.
type UserRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Ref returns the short form of u.
func (u User) Ref() UserRef { return UserRef{ID: u.ID, Name: u.Name} }

// Role is a user's role in an organization.
type Role string

const (
	RoleMember Role = "member"
	RoleAdmin  Role = "admin"
)

// Membership ties a user to an organization. While TicketAccess is false
// (revoked) the user sees none of the organization's tickets.
type Membership struct {
	Organization Organization `json:"organization"`
	Role         Role         `json:"role"`
	TicketAccess bool         `json:"ticketAccess"`
}

// Ticket is a support request of an organization.
type Ticket struct {
	Number       int64             `json:"number"`
	Organization OrgRef            `json:"organization"`
	Requester    UserRef           `json:"requester"`
	Type         string            `json:"type"`
	Category     string            `json:"category"`
	Subject      string            `json:"subject"`
	Description  string            `json:"description"`
	Fields       map[string]string `json:"fields"`
	Status       Status            `json:"-"` // internal: reaches the wire only through View
	CreatedAt    time.Time         `json:"createdAt"`
	UpdatedAt    time.Time         `json:"updatedAt"`
	// FollowUpOf is the closed ticket this one follows up, 0 if none.
	FollowUpOf int64 `json:"followUpOf,omitempty"`
	// Assignee is the agent working on the ticket (internal).
	Assignee *UserRef `json:"-"`
	// PostponedUntil is when a postponed ticket comes back (internal).
	PostponedUntil *time.Time `json:"-"`
	// Attachments came with the description.
	Attachments []Attachment `json:"attachments,omitempty"`
	// OnBehalfOf is the vendor organization whose user (the requester)
	// filed the ticket in this customer account; nil when a member did.
	OnBehalfOf *OrgRef `json:"-"`
	// Links are the records the ticket is about (filled in where asked:
	// the detail and events, not the list).
	Links []Link `json:"links,omitempty"`
}

// Message is one entry of a ticket's conversation. Internal messages (notes
// between agents) are never shown to portal users.
type Message struct {
	ID           int64     `json:"id"`
	TicketNumber int64     `json:"ticket"`
	Author       UserRef   `json:"author"`
	Body         string    `json:"body"`
	Internal     bool      `json:"internal"`
	CreatedAt    time.Time `json:"createdAt"`
	// Attachments are the message's files (an internal note's are as
	// internal as the note).
	Attachments []Attachment `json:"attachments,omitempty"`
}

// FirstTicketNumber is the number of the first ticket of a new store.
const FirstTicketNumber = 10001
