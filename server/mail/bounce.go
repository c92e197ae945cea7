package mail

import (
	"strconv"
	"strings"

	"github.com/supportal/supportal/locales"
)

// Refusal says why a reply by email was not added to its ticket; the
// bounce (ReplyRefused) explains it to the sender.
type Refusal string

// Why a reply by email is refused. The bounces of RefusedUnknown,
// RefusedSender and RefusedUnreadable say nothing about any ticket: they
// may reach someone who is not the user.
const (
	RefusedUnknown      Refusal = "unknown-address" // no such reply address (any more)
	RefusedSender       Refusal = "wrong-sender"    // not from the user's contact email
	RefusedForbidden    Refusal = "forbidden"       // the user may no longer write on the ticket
	RefusedClosed       Refusal = "ticket-closed"   // the ticket is closed
	RefusedFileType     Refusal = "file-type"       // a file of a type uploads may not have
	RefusedFileTooLarge Refusal = "file-too-large"  // a file larger than uploads may be
	RefusedTooManyFiles Refusal = "too-many-files"  // more files than a message may have
	RefusedEmpty        Refusal = "empty"           // no text of its own and no file
	RefusedTooLong      Refusal = "too-long"        // more text than a message may have
	RefusedUnreadable   Refusal = "unreadable"      // the message could not be parsed
)

// messageIDs are the refusals' explanations.
var refusalMessages = map[Refusal]string{
	RefusedUnknown:      "MailRefusedUnknown",
	RefusedSender:       "MailRefusedSender",
	RefusedForbidden:    "MailRefusedForbidden",
	RefusedClosed:       "MailRefusedClosed",
	RefusedFileType:     "MailRefusedFileType",
	RefusedFileTooLarge: "MailRefusedFileTooLarge",
	RefusedTooManyFiles: "MailRefusedTooManyFiles",
	RefusedEmpty:        "MailRefusedEmpty",
	RefusedTooLong:      "MailRefusedTooLong",
	RefusedUnreadable:   "MailRefusedUnreadable",
}

// Private reports whether the refusal's bounce must not name the ticket:
// the sender is not known to be the user the reply address was made for
// (an unreadable message could not be checked).
func (r Refusal) Private() bool {
	return r == RefusedUnknown || r == RefusedSender || r == RefusedUnreadable
}

// Bounce is what a refusal's bounce says beyond the reason: which ticket
// (0 for a private refusal) and, for a refused file, its name and the
// limit it broke.
type Bounce struct {
	Reason Refusal
	// Number is the ticket; ignored for a private refusal.
	Number int64
	// File is the refused file's name; MaxFileBytes and MaxFiles the
	// limits (RefusedFileTooLarge, RefusedTooManyFiles); Types the
	// extensions files may have (RefusedFileType).
	File         string
	MaxFileBytes int64
	MaxFiles     int
	Types        []string
}

// ReplyRefused is the bounce of a reply by email that was not added, in
// lang, to name (the user's name, or the sender's address): why, and a
// link to the ticket at linkBase (https://support.example.com), or to the
// portal for a private refusal.
func ReplyRefused(lang, name, linkBase string, b Bounce) Letter {
	l := Letter{Lang: lang, Name: name}
	linkBase = strings.TrimRight(linkBase, "/")
	number := strconv.FormatInt(b.Number, 10)
	if b.Reason.Private() || b.Number == 0 {
		l.Subject = l.t("MailRefusedSubject", nil)
		if linkBase != "" {
			l.Action = &Action{Label: l.t("MailRefusedActionPortal", nil), URL: linkBase + "/"}
		}
	} else {
		l.Subject = l.t("MailRefusedSubjectTicket", map[string]any{"Number": number})
		if linkBase != "" {
			l.Action = &Action{Label: l.t("MailRefusedActionTicket", map[string]any{"Number": number}), URL: linkBase + "/tickets/" + number}
		}
	}
	id, ok := refusalMessages[b.Reason]
	if !ok {
		id = refusalMessages[RefusedUnreadable]
	}
	l.Paragraphs = []string{locales.T(lang, id, map[string]any{
		"Number": number,
		"Name":   b.File,
		"Size":   locales.Size(lang, b.MaxFileBytes),
		"Count":  strconv.Itoa(b.MaxFiles),
		"Types":  strings.Join(b.Types, ", "),
	})}
	return l
}
