package ticket

import "time"

// Viewer is whoever asks: a user with their memberships. The zero Viewer
// (nobody logged in) sees nothing.
type Viewer struct {
	User        User         `json:"user"`
	Memberships []Membership `json:"memberships"`
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
// organization they are a member of while ticket access is granted.
func (v Viewer) Scope() Scope {
	if v.User.ID == 0 {
		return Scope{}
	}
	if v.User.Agent {
		return Scope{All: true}
	}
	var s Scope
	for _, m := range v.Memberships {
		if m.TicketAccess {
			s.OrganizationIDs = append(s.OrganizationIDs, m.Organization.ID)
		}
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
		FollowUpOf: t.FollowUpOf, Attachments: t.Attachments,
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

// Accounts returns the organizations v may file and view tickets for, in
// membership order.
func (v Viewer) Accounts() []Organization {
	var out []Organization
	for _, m := range v.Memberships {
		if m.TicketAccess {
			out = append(out, m.Organization)
		}
	}
	return out
}
