package store

import (
	"context"
	"errors"
	"time"

	"github.com/supportal/supportal/app/ticket"
)

// Store is what supportal keeps, whatever the engine behind it: the API,
// the live hub, the mail worker, the mail intake, the seed and the file
// janitor use this, never an engine's type. *DB (SQLite, a file or memory)
// implements it.
//
// The promises every implementation keeps:
//   - a write that returns without error is committed and durable; one that
//     returns an error changed nothing (a write handed to a closing store
//     gets ErrClosed);
//   - Versions move with every commit, before its writer returns, and on
//     every node: an answer read at one version may be served as long as
//     Versions still returns it (see Versions; AccessVersion is the live
//     hub's, which moves before the hub can read the commit's events);
//   - events get increasing ids that become visible in that order: a reader
//     that has seen id n never later finds a new event below n;
//   - a missing row is ticket.ErrNotFound; the other refusals are the
//     errors below, each a ticket.Error the API sends as it is (except
//     ErrClosed and ErrBadMail, which are the server's own).
type Store interface {
	Lifecycle
	Accounts
	Sessions
	LoginThrottle
	Profiles
	Tickets
	Conversation
	Idempotency
	Uploads
	Records
	Integrations
	Vendors
	Views
	Events
	Mailbox
	Notifications
	ReplyAddresses
	Imports
}

var _ Store = (*DB)(nil)

// Lifecycle: the store itself.
type Lifecycle interface {
	// ID is the store's identity, 32 hex digits, the same across restarts.
	ID() string
	// Empty: no organization and no user yet (the demo data may be loaded).
	Empty(ctx context.Context) (bool, error)
	// SchemaVersion is the newest migration applied.
	SchemaVersion(ctx context.Context) (int, error)
	// Versions: see Store.
	Versions(ctx context.Context) (Versions, error)
	// Ready: nil when the node may be sent requests, else why not.
	Ready(ctx context.Context) error
	// Close waits for the writes under way and closes the store.
	Close() error
}

// LoginThrottle: the login throttle's failure counts, shared by every
// node (the rule that reads them is the API's, throttle.go).
type LoginThrottle interface {
	LoginFailures(ctx context.Context, keys []string, now time.Time, window time.Duration) ([]Failures, error)
	CountLoginFailure(ctx context.Context, keys []string, now time.Time, window time.Duration, admit func([]Failures) bool) (bool, error)
	TakeBackLoginFailure(ctx context.Context, keys []string, now time.Time) error
	DeleteLoginFailuresBefore(ctx context.Context, t time.Time) (int64, error)
}

// Accounts: organizations, users and memberships.
type Accounts interface {
	CreateOrganization(ctx context.Context, o ticket.Organization) (ticket.Organization, error)
	Organization(ctx context.Context, id int64) (ticket.Organization, error)
	Organizations(ctx context.Context) ([]ticket.Organization, error)
	OrganizationByAccount(ctx context.Context, number string) (ticket.Organization, error)
	CreateUser(ctx context.Context, u ticket.User, passwordHash string) (ticket.User, error)
	User(ctx context.Context, id int64) (ticket.User, error)
	UserByEmail(ctx context.Context, email string) (ticket.User, string, error)
	SetUserLocale(ctx context.Context, userID int64, locale string) error
	Memberships(ctx context.Context, userID int64) ([]ticket.Membership, error)
	SetMembership(ctx context.Context, userID, orgID int64, role ticket.Role, ticketAccess bool) error
	// Viewer is who userID is and what they may see (ticket's policy).
	Viewer(ctx context.Context, userID int64) (ticket.Viewer, error)
}

// Sessions: login sessions, by the hash of their token.
type Sessions interface {
	CreateSession(ctx context.Context, tokenHash []byte, sess Session, now time.Time) error
	Session(ctx context.Context, tokenHash []byte, now, idleSince time.Time, touchEvery time.Duration) (Session, error)
	SetSessionLocale(ctx context.Context, tokenHash []byte, locale string) error
	DeleteSession(ctx context.Context, tokenHash []byte) (bool, error)
	EndedSession(ctx context.Context, tokenHash []byte, now time.Time) (string, error)
	OpenEmbedSession(ctx context.Context, tokenHash []byte, in EmbedLogin, now time.Time) (ticket.User, bool, error)
}

// Profiles: what users say about themselves, passwords, e-mail changes.
type Profiles interface {
	Profile(ctx context.Context, userID int64, now time.Time) (ticket.Profile, error)
	UpdateProfile(ctx context.Context, userID int64, c ticket.ProfileChange) error
	PasswordHash(ctx context.Context, userID int64) (string, error)
	SetPassword(ctx context.Context, userID int64, hash string, reason string, now time.Time) ([][]byte, error)
	PasswordResetFor(ctx context.Context, email string) (ticket.User, ticket.Profile, error)
	CreatePasswordReset(ctx context.Context, userID int64, tokenHash []byte, expires time.Time, m Mail, now time.Time) (bool, error)
	CheckPasswordReset(ctx context.Context, tokenHash []byte, now time.Time) error
	PasswordResetUser(ctx context.Context, tokenHash []byte, now time.Time) (int64, error)
	ResetPassword(ctx context.Context, tokenHash []byte, hash string, now time.Time) (int64, [][]byte, error)
	RequestEmailChange(ctx context.Context, userID int64, email string, tokenHash []byte, expires time.Time, m Mail, now time.Time) error
	CancelEmailChange(ctx context.Context, userID int64) error
	ConfirmEmail(ctx context.Context, tokenHash []byte, now time.Time, told func(before ticket.User, p ticket.Profile, email string) Mail) (ticket.User, error)
}

// Tickets: creating, changing, reading and listing tickets.
type Tickets interface {
	CreateTicket(ctx context.Context, t ticket.Ticket) (ticket.Ticket, error)
	CreateTicketOnce(ctx context.Context, once Once, t ticket.Ticket) (ticket.Ticket, bool, error)
	Ticket(ctx context.Context, number int64) (ticket.Ticket, error)
	UpdateTicket(ctx context.Context, number int64, u Update) error
	SetStatus(ctx context.Context, number int64, from, to ticket.Status, at time.Time) error
	ListTickets(ctx context.Context, q ListQuery) ([]ticket.Ticket, string, error)
	CountByStatus(ctx context.Context, q ListQuery) (map[ticket.Status]int, error)
	SearchTruncated(ctx context.Context, q ListQuery) (bool, error)
}

// Conversation: the messages of a ticket.
type Conversation interface {
	Message(ctx context.Context, id int64) (ticket.Message, error)
	Messages(ctx context.Context, number int64) ([]ticket.Message, error)
	AddMessage(ctx context.Context, m ticket.Message) (ticket.Message, error)
	AddMessageOnce(ctx context.Context, once Once, m ticket.Message) (ticket.Message, bool, error)
	Reply(ctx context.Context, m ticket.Message, from, to ticket.Status) (ticket.Message, error)
	ReplyOnce(ctx context.Context, once Once, m ticket.Message, from, to ticket.Status) (ticket.Message, bool, error)
	ReplyWithUploads(ctx context.Context, once Once, m ticket.Message, ups []Upload, from, to ticket.Status) (ticket.Message, bool, error)
}

// Idempotency: the answers kept for Idempotency-Keys.
type Idempotency interface {
	Replayed(ctx context.Context, once Once) (Replay, bool, error)
	KeepAnswer(ctx context.Context, once Once, status int, body []byte) error
	DeleteKeysBefore(ctx context.Context, before time.Time) (int64, error)
}

// Uploads: files uploaded, before and after they are attached.
type Uploads interface {
	CreateUpload(ctx context.Context, u Upload) error
	CreateUploadWithin(ctx context.Context, u Upload, quota int64) error
	Upload(ctx context.Context, id string) (Upload, error)
	UnattachedBytes(ctx context.Context, userID int64) (int64, error)
	DeleteStaleUploads(ctx context.Context, before time.Time) ([]string, error)
}

// Records: the things tickets are about (claims, remittances, assets…)
// and their links.
type Records interface {
	UpsertRecord(ctx context.Context, r ticket.Record) (ticket.Record, bool, error)
	ArchiveRecord(ctx context.Context, orgID int64, kind ticket.RecordKind, externalID string, at time.Time) (ticket.Record, error)
	Record(ctx context.Context, id int64) (ticket.Record, error)
	RecordByKey(ctx context.Context, orgID int64, kind ticket.RecordKind, externalID string) (ticket.Record, error)
	ListRecords(ctx context.Context, q RecordQuery) ([]ticket.Record, string, error)
	RecordKinds(ctx context.Context, scope ticket.Scope) (map[int64][]ticket.RecordKind, error)
	RecordTickets(ctx context.Context, recordIDs []int64, scope ticket.Scope) ([]RecordTicket, error)
	TicketsAbout(ctx context.Context, recordID int64, scope ticket.Scope, limit int) ([]ticket.Ticket, error)
	LinkRecord(ctx context.Context, number, recordID int64, by ticket.UserRef, at time.Time, example *Example) (int64, error)
	UnlinkRecord(ctx context.Context, number, recordID int64, at time.Time) error
	Links(ctx context.Context, number int64) ([]ticket.Link, error)
	LinksOf(ctx context.Context, numbers []int64) (map[int64][]ticket.Link, error)
}

// Integrations: customer systems that send records, by API key.
type Integrations interface {
	CreateIntegration(ctx context.Context, name string, keyHash []byte, orgIDs []int64, at time.Time) (Integration, error)
	IntegrationByKey(ctx context.Context, keyHash []byte) (Integration, error)
	RevokeIntegration(ctx context.Context, name string, at time.Time) error
}

// Vendors: vendor organizations, the access customers give them, and who
// in an organization has ticket access.
type Vendors interface {
	Vendors(ctx context.Context, customerID int64) ([]ticket.VendorAccount, error)
	SetVendorAccess(ctx context.Context, vendorID, customerID int64, access ticket.Access, paid bool) error
	ChangeVendorAccess(ctx context.Context, customerID, vendorID int64, access ticket.Access) error
	Members(ctx context.Context, orgID int64) ([]Member, error)
	SetTicketAccess(ctx context.Context, orgID, userID int64, access bool) error
}

// Views: users' saved ticket views.
type Views interface {
	Views(ctx context.Context, userID int64) ([]ticket.View, error)
	View(ctx context.Context, userID, id int64) (ticket.View, error)
	CreateView(ctx context.Context, userID int64, v ticket.View, at time.Time) (ticket.View, error)
	UpdateView(ctx context.Context, userID, id int64, name string, query *ticket.Query) (ticket.View, error)
	DeleteView(ctx context.Context, userID, id int64) error
}

// Events: what happened, for the live updates, and what each user has read.
type Events interface {
	// OnEvents sets the function called after a commit that added events,
	// this node's or (PostgreSQL) another's.
	OnEvents(f func())
	// OnSignal and Announce: what one node's live hub tells the others'
	// (cluster.go); nothing on SQLite.
	OnSignal(f func(Signal))
	Announce(ctx context.Context, sig Signal) error
	LastEventID(ctx context.Context) (int64, error)
	EventsAfter(ctx context.Context, after int64, limit int) ([]ticket.Event, error)
	EventsFor(ctx context.Context, after, upTo int64, limit int, f ticket.EventFilter) ([]ticket.Event, error)
	EventTime(ctx context.Context, after int64) (at time.Time, ok bool, err error)
	EventRowsRead() int64
	// AccessVersion: see Store.
	AccessVersion() int64
	MarkRead(ctx context.Context, userID, number int64, agent bool, at time.Time) (bool, error)
	SetRead(ctx context.Context, userID, number, messageID int64) error
	Unread(ctx context.Context, q UnreadQuery) (map[int64]TicketUnread, error)
}

// Mailbox: the outgoing mail queue.
type Mailbox interface {
	// OnMail sets the function called after a commit that queued a mail.
	OnMail(f func())
	SetMailDomain(domain string) error
	QueueMail(ctx context.Context, m Mail, now time.Time) (int64, error)
	ClaimMails(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Mail, error)
	MailSent(ctx context.Context, id int64, now time.Time) error
	MailFailed(ctx context.Context, id int64, errText string, next time.Time) error
	MailGaveUp(ctx context.Context, id int64, errText string, now time.Time) error
	Mail(ctx context.Context, id int64) (Mail, error)
	Mails(ctx context.Context, limit int) ([]Mail, error)
}

// Notifications: the replies and changes users are told of by mail.
type Notifications interface {
	DueNotifications(ctx context.Context, now time.Time, window time.Duration, limit int) ([]NotificationGroup, error)
	NotificationsMailed(ctx context.Context, g NotificationGroup, m *Mail, now time.Time) (bool, error)
	PendingNotifications(ctx context.Context) (int, error)
}

// ReplyAddresses: the per-user, per-ticket addresses a mail reply comes to.
type ReplyAddresses interface {
	ReplyToken(ctx context.Context, userID, number int64, now time.Time) (string, error)
	ReplyTarget(ctx context.Context, token string) (userID, number int64, err error)
}

// Imports: tickets and messages brought in whole (the demo data, imports).
type Imports interface {
	ImportTickets(ctx context.Context, ts []ticket.Ticket) error
	ImportMessages(ctx context.Context, ms []ticket.Message) error
}

// The store's refusals.
var (
	// ErrClosed is returned by writes to a closed store.
	ErrClosed = errors.New("store: closed")
	// ErrBadMail: a mail that could not be sent as it is (checkMail): no
	// retry makes it better.
	ErrBadMail = errors.New("store: mail refused")

	// ErrKeyReused is returned when a key comes back with a different request.
	ErrKeyReused = ticket.Errorf(ticket.CodeUnprocessable, "ErrIdempotencyReused", "Idempotency-Key")
	// ErrChanged is returned when a ticket's status changed between reading
	// it and writing: the caller reads again.
	ErrChanged = ticket.Errorf(ticket.CodeConflict, "ErrTicketChanged", "")
	// ErrBadCursor is returned for a cursor this query did not produce.
	ErrBadCursor = ticket.Errorf(ticket.CodeInvalid, "ErrBadParameter", "cursor")
	// ErrAttachment is returned when an upload cannot be attached: unknown,
	// someone else's, attached already, or confirmed for another account.
	ErrAttachment = ticket.ValidationFailed("attachments", "ErrAttachment")
	// ErrUploadQuota is returned when an upload would take its uploader's
	// uploads not attached yet past their quota.
	ErrUploadQuota = ticket.Errorf(ticket.CodeTooLarge, "ErrUploadQuota", "file")

	// ErrLinkExists: the ticket is linked to the record already.
	ErrLinkExists = ticket.Errorf(ticket.CodeConflict, "ErrLinkExists", "recordId")
	// ErrTooManyLinks: the ticket has ticket.MaxLinks links already.
	ErrTooManyLinks = ticket.Errorf(ticket.CodeConflict, "ErrTooManyLinks", "recordId")
	// ErrRecordArchived: the record is archived; no new links.
	ErrRecordArchived = ticket.Errorf(ticket.CodeConflict, "ErrRecordArchived", "recordId")
	// ErrIntegrationExists: an integration of that name exists.
	ErrIntegrationExists = ticket.Errorf(ticket.CodeConflict, "ErrIntegrationExists", "name")
	// ErrVendorPaid is returned when a customer tries to lower the access
	// of a vendor who pays for the account.
	ErrVendorPaid = ticket.Errorf(ticket.CodeConflict, "ErrVendorPaid", "access")
	// ErrViewName is returned when a user already has a view of that name.
	ErrViewName = ticket.Errorf(ticket.CodeConflict, "ErrViewNameTaken", "name")

	// ErrLinkExpired: a reset or confirmation link used after its time (410).
	ErrLinkExpired = ticket.Errorf(ticket.CodeGone, "ErrLinkExpired", "")
	// ErrLinkUsed: a reset link used before (410).
	ErrLinkUsed = ticket.Errorf(ticket.CodeGone, "ErrLinkUsed", "")
	// ErrEmailTaken: the new email is another user's by now (409).
	ErrEmailTaken = ticket.Errorf(ticket.CodeConflict, "ErrEmailTaken", "")
	// ErrTooManyEmailChanges: the user asked for confirmation links too
	// often (429).
	ErrTooManyEmailChanges = ticket.Errorf(ticket.CodeTooMany, "ErrTooManyEmailChanges", "")
	// ErrTokenUsed: a host's token was exchanged for a session before.
	ErrTokenUsed = ticket.Errorf(ticket.CodeConflict, "ErrEmbedReplay", "")
)
