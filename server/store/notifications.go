package store

import (
	"context"
	"errors"
	"time"

	"github.com/supportal/supportal/app/ticket"
)

// NotificationKind says what a notification is about.
type NotificationKind string

const (
	NotifyReply            NotificationKind = "reply"             // a public reply by someone else
	NotifyResponseExpected NotificationKind = "response_expected" // the ticket now waits for its requester (red)
	NotifyCreated          NotificationKind = "created"           // the requester's confirmation
	NotifyQueue            NotificationKind = "queue"             // agents: a new ticket in the queue
	NotifyReopened         NotificationKind = "reopened"          // agents: a closed ticket is open again
)

// Wanted reports whether a user who chose n wants mails of kind k.
func (k NotificationKind) Wanted(n ticket.Notifications) bool {
	switch n {
	case ticket.NotifyNone:
		return false
	case ticket.NotifyReplies:
		return k == NotifyReply
	}
	return true
}

// Notification is one change a user is to hear of.
type Notification struct {
	ID           int64
	UserID       int64
	TicketNumber int64
	Kind         NotificationKind
	MessageID    int64 // a reply's message (0: none)
	CreatedAt    time.Time
}

type quietKey struct{}

// Quietly returns ctx for writes nobody is to hear of by mail (the demo
// data, an import of old tickets).
func Quietly(ctx context.Context) context.Context { return context.WithValue(ctx, quietKey{}, true) }

func quiet(ctx context.Context) bool { q, _ := ctx.Value(quietKey{}).(bool); return q }

// notify writes the notifications of a change in tx, the transaction that
// makes it: who hears of it is decided here, in one place.
//   - a public reply: the ticket's requester and every portal user who
//     wrote on it in public, but not its author;
//   - a new ticket: its requester (a confirmation) and every agent;
//   - a status step into "response expected": the requester;
//   - a closed ticket open again: its assignee, or every agent.
//
// Internal notes and internal steps notify nobody. Whether the user still
// may see the ticket and wants such mails is checked when the mail is
// written.
func notify(ctx context.Context, tx *Tx, kind NotificationKind, number, messageID, authorID int64, at time.Time) error {
	if quiet(ctx) {
		return nil
	}
	var who string
	args := []any{}
	switch kind {
	case NotifyReply:
		who = `SELECT requester_id AS id FROM tickets WHERE number = ?
			UNION SELECT m.author_id FROM messages m JOIN users u ON u.id = m.author_id
			WHERE m.ticket_number = ? AND m.internal = 0 AND u.agent = 0`
		args = append(args, number, number)
	case NotifyCreated, NotifyResponseExpected:
		who = `SELECT requester_id AS id FROM tickets WHERE number = ?`
		args = append(args, number)
	case NotifyQueue:
		who = `SELECT id FROM users WHERE agent = 1`
	case NotifyReopened:
		who = `SELECT assignee_id AS id FROM tickets WHERE number = ? AND assignee_id IS NOT NULL
			UNION SELECT id FROM users WHERE agent = 1 AND NOT EXISTS (SELECT 1 FROM tickets WHERE number = ? AND assignee_id IS NOT NULL)`
		args = append(args, number, number)
	}
	var msg any
	if messageID != 0 {
		msg = messageID
	}
	q := `INSERT INTO notifications (user_id, ticket_number, kind, message_id, created_at)
		SELECT w.id, ?, ?, ?, ? FROM (` + who + `) w WHERE w.id IS NOT NULL AND w.id <> ?`
	_, err := tx.ExecContext(ctx, q, append([]any{number, string(kind), msg, millis(at)}, append(args, authorID)...)...)
	return err
}

// NotificationGroup is the due notifications of one user about one
// ticket: they make one mail.
type NotificationGroup struct {
	UserID       int64
	TicketNumber int64
	Items        []Notification
}

// DueNotifications returns up to limit groups whose first notification
// is at least window old at now: the replies that came within the window
// make one mail.
func (s *DB) DueNotifications(ctx context.Context, now time.Time, window time.Duration, limit int) ([]NotificationGroup, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT n.id, n.user_id, n.ticket_number, n.kind, coalesce(n.message_id, 0), n.created_at
		FROM notifications n JOIN (
			SELECT user_id, ticket_number FROM notifications WHERE done_at IS NULL
			GROUP BY user_id, ticket_number HAVING min(created_at) <= ? ORDER BY min(created_at) LIMIT ?
		) g ON g.user_id = n.user_id AND g.ticket_number = n.ticket_number
		WHERE n.done_at IS NULL ORDER BY n.user_id, n.ticket_number, n.id`, millis(now.Add(-window)), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []NotificationGroup
	for rows.Next() {
		var n Notification
		var at int64
		if err := rows.Scan(&n.ID, &n.UserID, &n.TicketNumber, &n.Kind, &n.MessageID, &at); err != nil {
			return nil, err
		}
		n.CreatedAt = time.UnixMilli(at)
		if len(out) == 0 || out[len(out)-1].UserID != n.UserID || out[len(out)-1].TicketNumber != n.TicketNumber {
			out = append(out, NotificationGroup{UserID: n.UserID, TicketNumber: n.TicketNumber})
		}
		g := &out[len(out)-1]
		g.Items = append(g.Items, n)
	}
	return out, rows.Err()
}

// NotificationsMailed marks the group's notifications done and queues m
// for them (nil: nothing is sent: the user wants no such mail, or may no
// longer see the ticket), in one transaction. It reports false, and does
// nothing, when another notifier did them first.
func (s *DB) NotificationsMailed(ctx context.Context, g NotificationGroup, m *Mail, now time.Time) (bool, error) {
	done := false
	err := s.tx(ctx, func(tx *Tx) error {
		done = false
		var mailID any
		if m != nil {
			m.UserID, m.TicketNumber = g.UserID, g.TicketNumber
			id, err := s.queueMail(ctx, tx, *m, now)
			if err != nil {
				return err
			}
			mailID = id
		}
		for _, n := range g.Items {
			res, err := tx.ExecContext(ctx, `UPDATE notifications SET done_at = ?, mail_id = ? WHERE id = ? AND done_at IS NULL`, millis(now), mailID, n.ID)
			if err != nil {
				return err
			}
			if k, err := res.RowsAffected(); err != nil {
				return err
			} else if k != 1 {
				return errNotifiedElsewhere
			}
		}
		done = true
		return nil
	})
	if err == errNotifiedElsewhere {
		return false, nil
	}
	return done, err
}

// errNotifiedElsewhere: another notifier marked a notification of the
// group first (its mail goes out; this transaction rolls back).
var errNotifiedElsewhere = errors.New("store: notification done elsewhere")

// PendingNotifications counts the notifications not yet done (tests, the
// notifier's wake-up).
func (s *DB) PendingNotifications(ctx context.Context) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE done_at IS NULL`).Scan(&n)
	return n, err
}
