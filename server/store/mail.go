package store

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/supportal/supportal/app/ticket"
)

// The mail outbox. A mail is queued in the transaction of the event that
// causes it (queueMail), or on its own (QueueMail); after the commit the
// mail worker is woken (OnMail). The worker claims due mails for a lease
// (ClaimMails), sends them and records the outcome (MailSent, MailFailed,
// MailGaveUp). A mail whose lease runs out unrecorded (the sender crashed)
// is claimed again: it may be sent twice, never lost, and both copies
// carry the same Message-ID.

// Mail is one outgoing mail and how sending it went.
type Mail struct {
	ID int64
	// MessageID is the Message-ID header, angle brackets included
	// ("<hex@domain>"): made when the mail is queued, the same on every
	// attempt.
	MessageID string
	To        string // the recipient's address
	ToName    string // their name, "" for none
	ReplyTo   string // an address, "" for none
	Subject   string
	Text      string // the plain text body (required)
	HTML      string // the HTML alternative, "" for none
	Kind      ticket.MailKind
	// UserID and TicketNumber: whom and which ticket the mail is about (0:
	// none).
	UserID       int64
	TicketNumber int64
	CreatedAt    time.Time
	// Attempts counts the attempts to send it, the successful one included.
	Attempts int
	// NextAttemptAt: the mail is due then (a claim moves it to the end of
	// its lease).
	NextAttemptAt time.Time
	SentAt        time.Time // zero: not sent
	GaveUpAt      time.Time // zero: still trying (or sent)
	LastError     string    // why the last attempt failed
}

// Sent reports whether the mail server accepted the mail.
func (m Mail) Sent() bool { return !m.SentAt.IsZero() }

// GaveUp reports whether sending the mail was given up.
func (m Mail) GaveUp() bool { return !m.GaveUpAt.IsZero() }

// defaultMailDomain ends Message-IDs until SetMailDomain names a domain.
const defaultMailDomain = "supportal"

// OnMail sets the function called after a commit that queued a mail (the
// mail worker's Notify). It must not block.
func (s *DB) OnMail(f func()) { s.onMail.Store(&f) }

// notifyMail runs after a commit.
func (s *DB) notifyMail() {
	if !s.mailPending.Swap(false) {
		return
	}
	if f := s.onMail.Load(); f != nil && *f != nil {
		(*f)()
	}
}

// SetMailDomain sets the domain of the Message-IDs made from now on, e.g.
// the domain of the From address or the portal's public host name.
func (s *DB) SetMailDomain(domain string) error {
	if domain == "" || strings.ContainsAny(domain, "<>@ \t\r\n\"()[],;:\\") {
		return fmt.Errorf("store: %q is no mail domain", domain)
	}
	s.mailDomain.Store(&domain)
	return nil
}

// newMessageID makes a Message-ID: 128 random bits at the mail domain.
func (s *DB) newMessageID() (string, error) {
	domain := defaultMailDomain
	if d := s.mailDomain.Load(); d != nil {
		domain = *d
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "<" + hex.EncodeToString(b) + "@" + domain + ">", nil
}

// checkMail refuses a mail that could not be sent as it is.
func checkMail(m Mail) error {
	if err := mailProblem(m); err != nil {
		return fmt.Errorf("%w: %w", ErrBadMail, err)
	}
	return nil
}

func mailProblem(m Mail) error {
	bare := func(addr string) bool { a, err := mail.ParseAddress(addr); return err == nil && a.Address == addr }
	switch {
	case !bare(m.To):
		return fmt.Errorf("store: mail: bad recipient address %q", m.To)
	case m.ReplyTo != "" && !bare(m.ReplyTo):
		return fmt.Errorf("store: mail: bad reply-to address %q", m.ReplyTo)
	case strings.ContainsAny(m.Subject+m.ToName, "\r\n"):
		return errors.New("store: mail: line break in the subject or the recipient's name")
	case strings.TrimSpace(m.Subject) == "":
		return errors.New("store: mail: no subject")
	case strings.TrimSpace(m.Text) == "":
		return errors.New("store: mail: no text")
	case m.Kind == "":
		return errors.New("store: mail: no kind")
	case m.MessageID != "" && !(strings.HasPrefix(m.MessageID, "<") && strings.HasSuffix(m.MessageID, ">") && strings.Contains(m.MessageID, "@")):
		return fmt.Errorf("store: mail: bad Message-ID %q", m.MessageID)
	}
	return nil
}

// queueMail writes m to the outbox in tx, the transaction of the event
// that causes it, due at once; the worker hears of it after the commit. A
// Message-ID is made unless m has one. It returns the mail's id.
func (s *DB) queueMail(ctx context.Context, tx *Tx, m Mail, now time.Time) (int64, error) {
	if err := checkMail(m); err != nil {
		return 0, err
	}
	if m.MessageID == "" {
		id, err := s.newMessageID()
		if err != nil {
			return 0, err
		}
		m.MessageID = id
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO mails (message_id, to_addr, to_name, reply_to, subject, text_body, html_body,
		kind, user_id, ticket_number, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		m.MessageID, m.To, m.ToName, nullString(m.ReplyTo), m.Subject, m.Text, m.HTML,
		string(m.Kind), nullID(m.UserID), nullID(m.TicketNumber), millis(now), millis(now)).Scan(&id)
	if err != nil {
		return 0, err
	}
	s.mailPending.Store(true)
	return id, nil
}

// QueueMail queues m on its own (a mail no other change causes) and
// returns its id.
func (s *DB) QueueMail(ctx context.Context, m Mail, now time.Time) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *Tx) error {
		var err error
		id, err = s.queueMail(ctx, tx, m, now)
		return err
	})
	return id, err
}

const mailColumns = `id, message_id, to_addr, to_name, coalesce(reply_to, ''), subject, text_body, html_body, kind,
	coalesce(user_id, 0), coalesce(ticket_number, 0), created_at, attempts, next_attempt_at,
	coalesce(sent_at, 0), coalesce(gave_up_at, 0), coalesce(last_error, '')`

func scanMail(row interface{ Scan(dest ...any) error }) (Mail, error) {
	var m Mail
	var created, next, sent, gaveUp int64
	err := row.Scan(&m.ID, &m.MessageID, &m.To, &m.ToName, &m.ReplyTo, &m.Subject, &m.Text, &m.HTML, &m.Kind,
		&m.UserID, &m.TicketNumber, &created, &m.Attempts, &next, &sent, &gaveUp, &m.LastError)
	if err != nil {
		return Mail{}, err
	}
	m.CreatedAt, m.NextAttemptAt = fromMillis(created), fromMillis(next)
	if sent != 0 {
		m.SentAt = fromMillis(sent)
	}
	if gaveUp != 0 {
		m.GaveUpAt = fromMillis(gaveUp)
	}
	return m, nil
}

// ClaimMails takes up to limit mails that are due at now, neither sent nor
// given up, oldest due first, and makes them due again only at now+lease,
// in one transaction: whoever claims a mail has it to themselves for the
// lease (other workers, other nodes on the same database). The lease must
// cover sending all of them; a mail neither sent nor failed by its end is
// claimed again.
func (s *DB) ClaimMails(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Mail, error) {
	if lease <= 0 || limit <= 0 {
		return nil, errors.New("store: ClaimMails needs a positive lease and limit")
	}
	var out []Mail
	err := s.tx(ctx, func(tx *Tx) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, `UPDATE mails SET next_attempt_at = ? WHERE id IN (
			SELECT id FROM mails WHERE sent_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= ?
			ORDER BY next_attempt_at, id LIMIT ?) RETURNING `+mailColumns,
			millis(now.Add(lease)), millis(now), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanMail(rows)
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b Mail) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// MailSent records that the mail server accepted mail id at now.
func (s *DB) MailSent(ctx context.Context, id int64, now time.Time) error {
	return s.mailUpdate(ctx, `UPDATE mails SET sent_at = ?, attempts = attempts + 1 WHERE id = ?`, millis(now), id)
}

// MailFailed records a failed attempt to send mail id and makes it due
// again at next.
func (s *DB) MailFailed(ctx context.Context, id int64, errText string, next time.Time) error {
	return s.mailUpdate(ctx, `UPDATE mails SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?
		WHERE id = ? AND sent_at IS NULL`, errText, millis(next), id)
}

// MailGaveUp records that sending mail id was given up, errText saying
// why: it is not tried again.
func (s *DB) MailGaveUp(ctx context.Context, id int64, errText string, now time.Time) error {
	return s.mailUpdate(ctx, `UPDATE mails SET last_error = ?, gave_up_at = ?
		WHERE id = ? AND sent_at IS NULL`, errText, millis(now), id)
}

// mailUpdate runs one update of one mail; ticket.ErrNotFound if there is
// no such mail (or, for a failure, it was sent meanwhile).
func (s *DB) mailUpdate(ctx context.Context, q string, args ...any) error {
	return s.tx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ticket.ErrNotFound
		}
		return nil
	})
}

// Mails returns up to limit mails, the newest first.
func (s *DB) Mails(ctx context.Context, limit int) ([]Mail, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+mailColumns+` FROM mails ORDER BY created_at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Mail
	for rows.Next() {
		m, err := scanMail(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Mail returns mail id; ticket.ErrNotFound if there is none.
func (s *DB) Mail(ctx context.Context, id int64) (Mail, error) {
	m, err := scanMail(s.read.QueryRowContext(ctx, `SELECT `+mailColumns+` FROM mails WHERE id = ?`, id))
	return m, notFound(err)
}
