package ticket

import (
	"strings"
	"time"
)

// Requests and answers of the JSON API that the browser and the server
// both speak: declared once here, so the two binaries cannot drift apart.

// Credentials is the body of POST /api/v1/login.
type Credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// Me is who is logged in: the answer of GET and PATCH /api/v1/me and of
// POST /api/v1/login.
type Me struct {
	User User `json:"user"`
	// Profile: what the user says about themselves (Settings → Your
	// information).
	Profile     *Profile     `json:"profile,omitempty"`
	Memberships []Membership `json:"memberships"`
	// VendorAccounts: for vendor users, the customer accounts of their
	// vendor with the access each customer set (none included).
	VendorAccounts []VendorAccount `json:"vendorAccounts,omitempty"`
	// RecordKinds: per account the user sees, the kinds of records it has
	// (the navigation offers those).
	RecordKinds map[int64][]RecordKind `json:"recordKinds,omitempty"`
	// Embed: the session was opened by a host portal that shows this one
	// in a frame (null for a login with a password).
	Embed *EmbedSession `json:"embed,omitempty"`
	// StoreID tells the server's database from any other (32 hex digits,
	// the same across restarts): the browser keeps drafts and its outbox
	// per store, so that they never go to another server's database.
	StoreID string `json:"storeId"`
	// LastEvent: the newest event of the store when this answer was read.
	// A page loaded by a browser with no place yet in the user's live
	// stream starts the stream after it, so that the lists it asks for
	// after this answer miss no change (server/site/preload.go).
	LastEvent int64 `json:"lastEvent,omitempty"`
	// MailLog: the server keeps the outgoing mails for its demo mail view
	// and this user may read them (GET /api/v1/admin/mail).
	MailLog bool `json:"mailLog,omitempty"`
}

// EmbedRequest is the body of POST /api/v1/embed/session: the token the
// host page handed the frame, and the origin of that page.
type EmbedRequest struct {
	Token  string `json:"token"`
	Origin string `json:"origin"`
}

// EmbedSession is a session a host opened: the frame talks only to the
// host's origins, and works in one account.
type EmbedSession struct {
	Host     string   `json:"host"`     // the host's id
	HostName string   `json:"hostName"` // how it is named to users
	Origins  []string `json:"origins"`  // the pages that may talk to the frame
	Account  int64    `json:"account"`  // the one organization of the session
	Kiosk    bool     `json:"kiosk"`
	// IdleSeconds: a kiosk asks whether the user is still there after
	// this long without input, then ends the session.
	IdleSeconds int `json:"idleSeconds,omitempty"`
	// Record: the record the host shows the frame beside (0: none).
	Record int64 `json:"record,omitempty"`
	// ExpiresAt: the session ends then; the frame asks the host for a new
	// token before.
	ExpiresAt time.Time `json:"expiresAt"`
}

// ReplyRequest is the body of POST /api/v1/tickets/{number}/messages: a
// reply, or (agents) an internal note. With files the text may be empty.
type ReplyRequest struct {
	Body        string   `json:"body"`
	Internal    bool     `json:"internal"`
	Attachments []string `json:"attachments,omitempty"` // upload ids
}

// ReplyAnswer is the answer to a reply: the message and the ticket as the
// reply left it.
type ReplyAnswer struct {
	Message MessageView `json:"message"`
	Ticket  TicketView  `json:"ticket"`
}

// TicketPage is one page of GET /api/v1/tickets.
type TicketPage struct {
	Tickets    []TicketView `json:"tickets"`
	NextCursor string       `json:"nextCursor,omitempty"`
	// Truncated: the search matched so much that only its newest matches
	// are listed; the user should be more precise.
	Truncated bool `json:"truncated,omitempty"`
}

// ErrorBody is every error answer of the API: {"error":{…}}.
type ErrorBody struct {
	Error ErrorAnswer `json:"error"`
}

// ErrorAnswer is an error as the API answers it: its code, translation id
// and field (Error), the message in the caller's language, each failing
// field of a validation error, and for 429 the seconds to wait (as the
// Retry-After header says).
type ErrorAnswer struct {
	Code       Code         `json:"code"`
	MessageID  string       `json:"messageId"`
	Field      string       `json:"field,omitempty"`
	Message    string       `json:"message"`
	Fields     []FieldError `json:"fields,omitempty"`
	RetryAfter int          `json:"retryAfter,omitempty"`
}

// Err is the answer's code, translation id and field.
func (a ErrorAnswer) Err() *Error {
	return &Error{Code: a.Code, MessageID: a.MessageID, Field: a.Field}
}

// RecordView is a record as a viewer receives it, with what the viewer
// should know of the tickets about it: how many are open, and how many
// messages of others on them the viewer has not read (the red marker on
// "Get Help").
type RecordView struct {
	Record
	OpenTickets int `json:"openTickets"`
	Unread      int `json:"unread"`
}

// RecordPage is one page of GET /api/v1/records.
type RecordPage struct {
	Records    []RecordView `json:"records"`
	NextCursor string       `json:"nextCursor,omitempty"`
}

// RecordAnswer is GET /api/v1/records/{id}: the record and its life
// record, every ticket linked to it that the viewer may see, newest first.
type RecordAnswer struct {
	Record  RecordView   `json:"record"`
	Tickets []TicketView `json:"tickets"`
}

// RecordUnread is GET /api/v1/records/unread: the replies the viewer has
// not read on tickets about records, in all and per record, keyed
// "kind:externalId" (a host's Get Help buttons show them).
type RecordUnread struct {
	Total    int            `json:"total"`
	ByRecord map[string]int `json:"byRecord"`
}

// LinkRequest is the body of POST /api/v1/tickets/{number}/links. With
// Example the link is announced in the conversation ("Example added: …"),
// as when a claim or an ERA is added to an open ticket from Get Help.
type LinkRequest struct {
	RecordID int64 `json:"recordId"`
	Example  bool  `json:"example,omitempty"`
}

// TicketAnswer is the answer to a change that leaves a ticket and maybe a
// message: creating a ticket (or adding to an existing one), linking a
// record (the message an example added) and unlinking.
type TicketAnswer struct {
	Ticket  TicketView   `json:"ticket"`
	Message *MessageView `json:"message,omitempty"`
}

// A page of the app names the user it shows in every API request (the
// header; the live events' websocket: the query parameter). The session
// cookie belongs to the browser, not the tab: when another user logged in
// in another window, a tab still showing the first one is refused
// (ErrSessionChanged) instead of acting as the second.
const (
	UserHeader = "Supportal-User"
	UserParam  = "user"
)

// CatalogAnswer is GET /api/v1/catalog: the types the caller may raise
// tickets of, each with the accounts it may be used in; the catalog's
// other types, only to show tickets of them by their labels and fields;
// and what may be uploaded.
type CatalogAnswer struct {
	Types       []CatalogType    `json:"types"`
	Others      []Type           `json:"others,omitempty"`
	Attachments AttachmentLimits `json:"attachments"`
}

// CatalogType is a ticket type with the accounts the caller may use it in.
type CatalogType struct {
	Type
	OrganizationIDs []int64 `json:"organizationIds"`
}

// AttachmentLimits is what may be uploaded.
type AttachmentLimits struct {
	MaxFileBytes int64    `json:"maxFileBytes"`
	MaxFiles     int      `json:"maxFiles"`
	Extensions   []string `json:"extensions"` // ".pdf", …
}

// Allows reports whether a file named name may be uploaded by its
// extension (the server also checks its bytes).
func (l AttachmentLimits) Allows(name string) bool {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return false
	}
	ext := strings.ToLower(name[i:])
	for _, e := range l.Extensions {
		if e == ext {
			return true
		}
	}
	return false
}
