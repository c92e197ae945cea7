package ticket

import "time"

// MailKind says why a mail is sent.
type MailKind string

// The kinds of mail supportal sends.
const (
	MailPasswordReset MailKind = "password-reset" // a reset link
	MailEmailConfirm  MailKind = "email-confirm"  // a link confirming a new contact email
	MailTicketUpdate  MailKind = "ticket-update"  // a reply or status change on a ticket
	MailReplyRefused  MailKind = "reply-refused"  // a reply by email was not added: why (a bounce)
)

// MailView is one outgoing mail as the demo mail view lists it (GET
// /api/v1/admin/mail): what was, or will be, sent, and how sending went.
type MailView struct {
	ID           int64     `json:"id"`
	MessageID    string    `json:"messageId"`
	To           string    `json:"to"` // the address
	ToName       string    `json:"toName,omitempty"`
	ReplyTo      string    `json:"replyTo,omitempty"`
	Subject      string    `json:"subject"`
	Text         string    `json:"text"`
	HTML         string    `json:"html,omitempty"`
	Kind         MailKind  `json:"kind"`
	TicketNumber int64     `json:"ticketNumber,omitempty"`
	CreatedAt    time.Time `json:"createdAt"`
	// SentAt: when the mail server accepted it; null while it is not sent.
	SentAt   *time.Time `json:"sentAt,omitempty"`
	Attempts int        `json:"attempts"`
	// LastError: why the last attempt failed.
	LastError string `json:"lastError,omitempty"`
	// Failed: sending was given up (after days of failures).
	Failed bool `json:"failed,omitempty"`
}

// MailLog is the answer of GET /api/v1/admin/mail: the newest mails first.
type MailLog struct {
	Mails []MailView `json:"mails"`
}
