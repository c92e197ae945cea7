package ticket

import "time"

// Viewer is whoever asks: a user with their memberships. The zero Viewer
// (nobody logged in) sees nothing.
type Viewer struct {
	User        User         `json:"user"`
	Memberships []Membership `json:"memberships"`
	// VendorAccounts are the customer accounts the user's vendor
	// organizations have access to, with the level each customer set.
	VendorAccounts []VendorAccount `json:"vendorAccounts,omitempty"`
}

// This file is the one visibility policy. Every read of a ticket, message or
// list goes through it, on the server and, for display, in the browser.

// Scope says which tickets a viewer may see: all of them (agents) or those of
// the listed organizations.
type Scope struct {
	All             bool
	OrganizationIDs []int64
}

// Scope returns the tickets v may see. A portal user sees the tickets of each
// organization they are a member of while ticket access is granted; a vendor
// user also those of the customer accounts that gave their vendor read or
// full access (or whose account the vendor pays for).
func (v Viewer) Scope() Scope {
	if v.User.ID == 0 {
		return Scope{}
	}
	if v.User.Agent {
		return Scope{All: true}
	}
	var s Scope
	for _, o := range v.Accounts() {
		s.OrganizationIDs = append(s.OrganizationIDs, o.ID)
	}
	return s
}

// Includes reports whether the scope covers tickets of organization orgID.
func (s Scope) Includes(orgID int64) bool {
	if s.All {
		return true
	}
	for _, id := range s.OrganizationIDs {
		if id == orgID {
			return true
		}
	}
	return false
}

// Empty reports whether the scope covers no ticket at all.
func (s Scope) Empty() bool { return !s.All && len(s.OrganizationIDs) == 0 }

// EventFilter is what of the event log a viewer may learn of, in a form a
// store can query: a store pre-filters the log with it, and ViewEvent
// admits no event it excludes.
type EventFilter struct {
	UserID   int64 // events for one user's devices only: this user's
	Scope    Scope // events of tickets in the scope
	Internal bool  // internal events and internal notes too (agents)
}

// EventFilter returns the filter of what v may learn of.
func (v Viewer) EventFilter() EventFilter {
	return EventFilter{UserID: v.User.ID, Scope: v.Scope(), Internal: v.Agent()}
}

// Empty reports whether the filter admits no event at all.
func (f EventFilter) Empty() bool { return f.UserID == 0 || f.Scope.Empty() }

// Admits reports whether e passes f.
func (f EventFilter) Admits(e Event) bool {
	if f.Empty() || (e.UserID != 0 && e.UserID != f.UserID) || !f.Scope.Includes(e.Ticket.Organization.ID) {
		return false
	}
	return f.Internal || (!e.Internal && (e.Message == nil || !e.Message.Internal))
}

// CanSeeTicket reports whether v may see t at all.
func (v Viewer) CanSeeTicket(t Ticket) bool { return v.Scope().Includes(t.Organization.ID) }

// CanSeeMessage reports whether v may see m of a ticket v can see.
func (v Viewer) CanSeeMessage(m Message) bool { return v.User.Agent || !m.Internal }

// Agent reports whether v is support staff.
func (v Viewer) Agent() bool { return v.User.Agent }

// TicketView is a ticket as one viewer receives it: portal users get the
// portal status only; agents also get the internal status.
type TicketView struct {
	Number         int64             `json:"number"`
	Subject        string            `json:"subject"`
	Description    string            `json:"description"`
	Type           string            `json:"type"`
	Category       string            `json:"category"`
	Fields         map[string]string `json:"fields"`
	Organization   OrgRef            `json:"organization"`
	Requester      UserRef           `json:"requester"`
	Status         PortalStatus      `json:"status"`
	InternalStatus Status            `json:"internalStatus,omitempty"`
	CreatedAt      time.Time         `json:"createdAt"`
	UpdatedAt      time.Time         `json:"updatedAt"`
	FollowUpOf     int64             `json:"followUpOf,omitempty"`
	// Unread counts the messages of others the viewer has not seen yet.
	Unread int `json:"unread"`
	// Attachments came with the description (on the detail only).
	Attachments []Attachment `json:"attachments,omitempty"`
	// CreatedBy names the creator when they are no member of the ticket's
	// account: a vendor user who filed it on the customer's behalf.
	CreatedBy *CreatedBy `json:"createdBy,omitempty"`
	// Links are the records the ticket is about: all of them on the
	// detail and in events ([] when none), null in lists (not read).
	Links []Link `json:"links"`
	// Agents only:
	Assignee       *UserRef   `json:"assignee,omitempty"`
	PostponedUntil *time.Time `json:"postponedUntil,omitempty"`
}

// MessageView is a message as one viewer receives it. Internal is set only
// for agents (portal users never receive internal messages at all).
type MessageView struct {
	ID        int64     `json:"id"`
	Author    UserRef   `json:"author"`
	Body      string    `json:"body"`
	Internal  *bool     `json:"internal,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	// Attachments are the message's files.
	Attachments []Attachment `json:"attachments,omitempty"`
}

// View returns t as v may receive it. The caller has checked CanSeeTicket.
func (v Viewer) View(t Ticket) TicketView {
	fields := t.Fields
	if fields == nil {
		fields = map[string]string{}
	}
	tv := TicketView{
		Number: t.Number, Subject: t.Subject, Description: t.Description,
		Type: t.Type, Category: t.Category, Fields: fields,
		Organization: t.Organization, Requester: t.Requester,
		Status: t.Status.Portal(), CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
		FollowUpOf: t.FollowUpOf, Attachments: t.Attachments, Links: t.Links,
	}
	if t.OnBehalfOf != nil {
		tv.CreatedBy = &CreatedBy{ID: t.Requester.ID, Name: t.Requester.Name, Organization: *t.OnBehalfOf}
	}
	if v.User.Agent {
		tv.InternalStatus = t.Status
		tv.Assignee = t.Assignee
		tv.PostponedUntil = t.PostponedUntil
	}
	return tv
}

// ViewMessages returns the messages v may see, as v may receive them.
func (v Viewer) ViewMessages(ms []Message) []MessageView {
	out := make([]MessageView, 0, len(ms))
	for _, m := range ms {
		if !v.CanSeeMessage(m) {
			continue
		}
		mv := MessageView{ID: m.ID, Author: m.Author, Body: m.Body, CreatedAt: m.CreatedAt, Attachments: m.Attachments}
		if v.User.Agent {
			internal := m.Internal
			mv.Internal = &internal
		}
		out = append(out, mv)
	}
	return out
}

// Accounts returns the organizations whose tickets v may see, in
// membership order, then the customer accounts of v's vendor; CanWrite
// says where v may also file and reply.
func (v Viewer) Accounts() []Organization {
	var out []Organization
	seen := map[int64]bool{}
	for _, m := range v.Memberships {
		if m.TicketAccess && !seen[m.Organization.ID] {
			seen[m.Organization.ID] = true
			out = append(out, m.Organization)
		}
	}
	// Vendor users: then the customer accounts their vendor may see.
	if v.vendorMember() {
		for _, a := range v.VendorAccounts {
			if a.Effective() != AccessNone && !seen[a.Organization.ID] {
				seen[a.Organization.ID] = true
				out = append(out, a.Organization)
			}
		}
	}
	return out
}

// Within returns v limited to one account: a session a host opened works
// only in the account its token names (server/embed), with the user's
// membership there and nothing else: no vendor access, no agent's reach.
func (v Viewer) Within(orgID int64) Viewer {
	out := Viewer{User: v.User}
	out.User.Agent = false
	for _, m := range v.Memberships {
		if m.Organization.ID == orgID {
			out.Memberships = append(out.Memberships, m)
		}
	}
	return out
}

// vendorMember reports whether v is a member, with ticket access, of a
// vendor organization: vendor access goes through it.
func (v Viewer) vendorMember() bool {
	for _, m := range v.Memberships {
		if m.TicketAccess && m.Organization.Kind == KindVendor {
			return true
		}
	}
	return false
}

// IsAdmin reports whether v is an admin of organization orgID with ticket access.
func (v Viewer) IsAdmin(orgID int64) bool {
	for _, m := range v.Memberships {
		if m.Organization.ID == orgID && m.TicketAccess && m.Role == RoleAdmin {
			return true
		}
	}
	return false
}

// CanFileFor reports whether v may raise tickets for organization orgID.
func (v Viewer) CanFileFor(orgID int64) bool {
	for _, o := range v.Accounts() {
		if o.ID == orgID {
			return v.CanWrite(orgID) // a vendor with read access only views
		}
	}
	return false
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

// Actor is how the workflow knows v: an agent or a customer.
func (v Viewer) Actor() Actor {
	if v.Agent() {
		return ActorAgent
	}
	return ActorCustomer
}

// MayReply returns the status ticket t moves to when v adds a public
// reply to it, or why v may not: ErrNotFound when v may not see t (as if
// it did not exist), ErrReadOnly when v may only read its account's
// tickets, ErrTransition when t is closed. The API's replies and replies
// by email ask it both.
func (v Viewer) MayReply(t Ticket) (Status, error) {
	if !v.CanSeeTicket(t) {
		return t.Status, ErrNotFound
	}
	if !v.CanWrite(t.Organization.ID) {
		return t.Status, ErrReadOnly
	}
	return Next(v.Actor(), ActionReply, t.Status)
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

// QueryFor checks that v may ask q: internal statuses and assignees are
// the agents' business.
func (v Viewer) QueryFor(q Query) error {
	if v.Agent() {
		return nil
	}
	if len(q.InternalStatus) > 0 {
		return Errorf(CodeForbidden, "ErrForbidden", "internalStatus")
	}
	if q.Assignee != "" {
		return Errorf(CodeForbidden, "ErrForbidden", "assignee")
	}
	return nil
}

// ViewEvent returns e as v may receive it, and false when v may not learn
// of it at all. It is the visibility policy applied to events: portal users
// never receive internal changes, internal notes or another organization's
// tickets.
func (v Viewer) ViewEvent(e Event) (EventView, bool) {
	if !v.EventFilter().Admits(e) {
		return EventView{}, false
	}
	tv := v.View(e.Ticket)
	out := EventView{ID: e.ID, Type: e.Type, Ticket: e.Ticket.Number, Data: EventData{Ticket: &tv}}
	if e.Message != nil {
		ms := v.ViewMessages([]Message{*e.Message})
		if len(ms) == 0 {
			return EventView{}, false
		}
		out.Data.Message = &ms[0]
	}
	return out, true
}

// MaySolve reports whether v may close a ticket raised by requester
// ("Problem solved"): only its requester, and agents by their statuses.
func (v Viewer) MaySolve(requester UserRef) bool {
	return !v.Agent() && requester.ID == v.User.ID
}

// Records are seen under the same policy as tickets: a record of an
// organization is visible to whoever sees that organization's tickets.

// CanSeeRecord reports whether v may see r (and its life record).
func (v Viewer) CanSeeRecord(r Record) bool { return v.Scope().Includes(r.Organization.ID) }

// MayLink reports whether v may link r to t: v may write to t's account
// and r belongs to it, and it is not archived. Agents link any record of
// the ticket's account.
func (v Viewer) MayLink(t Ticket, r Record) bool {
	return v.CanSeeTicket(t) && v.CanSeeRecord(r) && v.CanWrite(t.Organization.ID) &&
		r.Organization.ID == t.Organization.ID && !r.Archived
}

// MayUnlink reports whether v may remove link l from t: agents any link,
// portal users with write access the links they made.
func (v Viewer) MayUnlink(t Ticket, l Link) bool {
	if !v.CanSeeTicket(t) || !v.CanWrite(t.Organization.ID) {
		return false
	}
	return v.Agent() || l.LinkedBy.ID == v.User.ID
}

// CanReadMailLog reports whether v may read the outgoing mails kept for the
// demo mail view (only agents, and only where the server keeps that view:
// a mail may hold a password-reset link).
func (v Viewer) CanReadMailLog() bool { return v.Agent() }
