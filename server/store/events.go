package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/supportal/supportal/app/ticket"
)

// OnEvents sets the function called after a commit that appended events
// (the live hub's Notify). It must not block.
func (s *DB) OnEvents(f func()) { s.onEvents.Store(&f) }

// notifyEvents runs after a commit.
func (s *DB) notifyEvents() {
	if !s.eventsPending.Swap(false) {
		return
	}
	if f := s.onEvents.Load(); f != nil && *f != nil {
		(*f)()
	}
}

// appendEvent records a change in tx, the transaction that makes it.
func (s *DB) appendEvent(ctx context.Context, tx *Tx, typ ticket.EventType, number, messageID int64, internal bool, userID int64, at time.Time) error {
	var msg, user any
	if messageID != 0 {
		msg = messageID
	}
	if userID != 0 {
		user = userID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO events (type, ticket_number, message_id, internal, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		string(typ), number, msg, internal, user, millis(at))
	if err == nil {
		s.eventsPending.Store(true)
	}
	return err
}

// LastEventID returns the id of the newest event, 0 if there is none. On
// PostgreSQL it is the newest this node has taken in the versions of
// (knownEvent): every event up to it is committed, and the access that
// filters it known.
func (s *DB) LastEventID(ctx context.Context) (int64, error) {
	if s.postgres {
		return s.knownEvent.Load(), nil
	}
	var id int64
	err := s.read.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM events`).Scan(&id)
	return id, err
}

// EventsAfter returns up to limit events with ids above after, oldest
// first, each with its ticket as it is now and the message it added.
func (s *DB) EventsAfter(ctx context.Context, after int64, limit int) ([]ticket.Event, error) {
	if s.postgres {
		// Not past knownEvent: see LastEventID.
		return s.events(ctx, "e.id > ? AND e.id <= ?", []any{after, s.knownEvent.Load()}, limit)
	}
	return s.events(ctx, "e.id > ?", []any{after}, limit)
}

// EventsFor returns up to limit events with ids above after and up to
// upTo that f admits, oldest first: what a browser missed, filtered in
// the query by what its user may see (the caller still applies the
// policy to each event). A filter that admits nothing reads no row.
func (s *DB) EventsFor(ctx context.Context, after, upTo int64, limit int, f ticket.EventFilter) ([]ticket.Event, error) {
	if f.Empty() || after >= upTo {
		return nil, nil
	}
	where := "e.id > ? AND e.id <= ? AND (e.user_id IS NULL OR e.user_id = ?)"
	args := []any{after, upTo, f.UserID}
	if !f.Scope.All {
		where += " AND t.organization_id IN (" + placeholders(len(f.Scope.OrganizationIDs)) + ")"
		for _, id := range f.Scope.OrganizationIDs {
			args = append(args, id)
		}
	}
	if !f.Internal {
		where += " AND e.internal = 0 AND coalesce(m.internal, 0) = 0"
	}
	return s.events(ctx, where, args, limit)
}

// EventTime returns when the first event with an id above after was
// appended; ok is false when there is none.
func (s *DB) EventTime(ctx context.Context, after int64) (at time.Time, ok bool, err error) {
	var ms int64
	err = s.read.QueryRowContext(ctx, `SELECT created_at FROM events WHERE id > ? ORDER BY id LIMIT 1`, after).Scan(&ms)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, err
	}
	return fromMillis(ms), true, nil
}

// EventRowsRead counts the event rows read from the log since the store
// was opened (for tests and figures).
func (s *DB) EventRowsRead() int64 { return s.eventRows.Load() }

// events reads up to limit events matching where, in id order.
func (s *DB) events(ctx context.Context, where string, args []any, limit int) ([]ticket.Event, error) {
	q := ticketSelect + `, e.id, e.type, e.internal, coalesce(e.user_id, 0), e.created_at,
		m.id, m.author_id, mu.name, m.body, m.internal, m.created_at
		FROM events e JOIN tickets t ON t.number = e.ticket_number` + ticketJoins + `
		LEFT JOIN messages m ON m.id = e.message_id LEFT JOIN users mu ON mu.id = m.author_id
		WHERE ` + where + ` ORDER BY e.id LIMIT ?`
	rows, err := s.read.QueryContext(ctx, q, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ticket.Event
	for rows.Next() {
		s.eventRows.Add(1)
		var e ticket.Event
		var at int64
		var mID, mAuthor, mAt sql.NullInt64
		var mName, mBody sql.NullString
		var mInternal sql.NullBool
		t, err := scanTicket(rows, &e.ID, &e.Type, &e.Internal, &e.UserID, &at, &mID, &mAuthor, &mName, &mBody, &mInternal, &mAt)
		if err != nil {
			return nil, err
		}
		e.Ticket, e.At = t, fromMillis(at)
		if mID.Valid {
			e.Message = &ticket.Message{ID: mID.Int64, TicketNumber: t.Number, Author: ticket.UserRef{ID: mAuthor.Int64, Name: mName.String},
				Body: mBody.String, Internal: mInternal.Bool, CreatedAt: fromMillis(mAt.Int64)}
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var ms []*ticket.Message
	var numbers []int64
	seen := map[int64]bool{}
	for i := range out {
		if out[i].Message != nil {
			ms = append(ms, out[i].Message)
		}
		if n := out[i].Ticket.Number; !seen[n] {
			seen[n] = true
			numbers = append(numbers, n)
		}
	}
	// Events carry the ticket with its links: a link made or removed is
	// a ticket.updated event, and open pages show the links it left.
	links, err := s.linksOf(ctx, numbers)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Ticket.Links = links[out[i].Ticket.Number]; out[i].Ticket.Links == nil {
			out[i].Ticket.Links = []ticket.Link{} // read, and none
		}
	}
	return out, s.withAttachments(ctx, ms)
}

// MarkRead records that user userID has seen ticket number up to its
// newest message (agents: internal notes too) and tells the user's other
// devices. It reports whether anything changed.
func (s *DB) MarkRead(ctx context.Context, userID, number int64, agent bool, at time.Time) (bool, error) {
	changed := false
	err := s.tx(ctx, func(tx *Tx) error {
		var newest int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM messages WHERE ticket_number = ? AND (internal = 0 OR ? = 1)`,
			number, agent).Scan(&newest); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO reads (user_id, ticket_number, message_id) VALUES (?, ?, ?)
			ON CONFLICT (user_id, ticket_number) DO UPDATE SET message_id = excluded.message_id WHERE excluded.message_id > reads.message_id`,
			userID, number, newest)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		changed = true
		return s.appendEvent(ctx, tx, ticket.EventTicketRead, number, 0, false, userID, at)
	})
	return changed, err
}

// UnreadQuery says whose unread messages to count, on which tickets.
type UnreadQuery struct {
	UserID  int64
	Agent   bool         // agents also count internal notes
	Scope   ticket.Scope // the tickets the user may see
	Numbers []int64      // only these tickets; nil: every ticket in scope (agents: assigned to them)
}

// TicketUnread is how many messages of a ticket a user has not seen, and
// the ticket's organization.
type TicketUnread struct {
	OrganizationID int64
	Count          int
}

// Unread counts, per ticket, the messages of others the user has not seen
// (newer than their read marker); tickets without any are left out.
func (s *DB) Unread(ctx context.Context, q UnreadQuery) (map[int64]TicketUnread, error) {
	out := map[int64]TicketUnread{}
	if q.Scope.Empty() || (q.Numbers != nil && len(q.Numbers) == 0) {
		return out, nil
	}
	var conds []string
	args := []any{q.UserID, q.UserID, q.Agent}
	if !q.Scope.All {
		conds = append(conds, "t.organization_id IN ("+placeholders(len(q.Scope.OrganizationIDs))+")")
		for _, id := range q.Scope.OrganizationIDs {
			args = append(args, id)
		}
	}
	if q.Numbers != nil {
		conds = append(conds, "t.number IN ("+placeholders(len(q.Numbers))+")")
		for _, n := range q.Numbers {
			args = append(args, n)
		}
	} else if q.Scope.All {
		// Agents keep track of the tickets they work on.
		conds = append(conds, "t.assignee_id = ?")
		args = append(args, q.UserID)
	}
	where := ""
	if len(conds) > 0 {
		where = " AND " + strings.Join(conds, " AND ")
	}
	rows, err := s.read.QueryContext(ctx, `SELECT t.number, t.organization_id, count(*) FROM tickets t
		JOIN messages m ON m.ticket_number = t.number
		LEFT JOIN reads r ON r.user_id = ? AND r.ticket_number = t.number
		WHERE m.author_id != ? AND (m.internal = 0 OR ? = 1) AND m.id > coalesce(r.message_id, 0)`+where+`
		GROUP BY t.number, t.organization_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var n int64
		var u TicketUnread
		if err := rows.Scan(&n, &u.OrganizationID, &u.Count); err != nil {
			return nil, err
		}
		out[n] = u
	}
	return out, rows.Err()
}

// SetRead sets user userID's read marker on ticket number to messageID
// (imports and demo data: no event).
func (s *DB) SetRead(ctx context.Context, userID, number, messageID int64) error {
	return s.tx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO reads (user_id, ticket_number, message_id) VALUES (?, ?, ?)
			ON CONFLICT (user_id, ticket_number) DO UPDATE SET message_id = excluded.message_id`, userID, number, messageID)
		return err
	})
}
