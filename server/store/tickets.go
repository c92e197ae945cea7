package store

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/supportal/supportal/app/ticket"
)

// CreateTicket stores t with a new sequential number and returns it. The
// organization and requester are given by id; their names are filled in.
func (s *DB) CreateTicket(ctx context.Context, t ticket.Ticket) (ticket.Ticket, error) {
	t, _, err := s.CreateTicketOnce(ctx, Once{}, t)
	return t, err
}

// Once identifies a request that may be retried: the same user sending the
// same key gets what the first request created. RequestHash tells a retry
// from a different request that reuses the key. The zero Once means no key.
//
// Only a request that succeeds binds its key (it is recorded in the
// transaction that makes the change): a key whose request failed may come
// again with another request.
type Once struct {
	UserID      int64
	Key         string
	RequestHash []byte
	// OldHash is the request's hash as computed before the kind of
	// request was hashed too (keys kept before migration 0015): a key
	// without a kept answer whose hash is OldHash is a retry as well.
	OldHash []byte
	// Answer, when set, makes the request's answer from what it wrote,
	// inside its transaction, so that the answer is kept with the key in
	// the same commit (no second write, nothing read back). It is called
	// with or without a key, on the store's writer: it must be quick and
	// must not use the store. A status of 0 keeps no answer (a retry then
	// gets one rebuilt).
	Answer func(Written) (status int, body []byte)
}

// Written is what a request wrote, as its answer is made from it.
type Written struct {
	// Ticket is the ticket a create made, as DB.Ticket would read it.
	Ticket ticket.Ticket
	// Message is the message a reply added, as DB.Message would read it;
	// Status and UpdatedAt are its ticket's after the reply.
	Message   ticket.Message
	Status    ticket.Status
	UpdatedAt time.Time
}

// Replay is what the first request with a key left: the ticket and
// message (0: none) it made and, once kept, its answer.
type Replay struct {
	Number    int64
	MessageID int64
	// Status and Body are the first answer; Body is nil for a key kept
	// before answers were, or whose answer could not be kept.
	Status int
	Body   []byte
}

// ErrKeyReused is returned when a key comes back with a different request.
var ErrKeyReused = ticket.Errorf(ticket.CodeUnprocessable, "ErrIdempotencyReused", "Idempotency-Key")

// queryRower is a transaction (*Tx) or the database.
type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// replay looks up once in tx: ok reports a retry and gives what the first
// request left.
func (once Once) replay(ctx context.Context, tx queryRower) (Replay, bool, error) {
	if once.Key == "" {
		return Replay{}, false, nil
	}
	var (
		hash   []byte
		msg    sql.NullInt64
		status sql.NullInt64
		rp     Replay
	)
	err := tx.QueryRowContext(ctx, `SELECT request_hash, ticket_number, message_id, response_status, response_body FROM idempotency_keys WHERE user_id = ? AND key = ?`,
		once.UserID, once.Key).Scan(&hash, &rp.Number, &msg, &status, &rp.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return Replay{}, false, nil
	}
	if err != nil {
		return Replay{}, false, err
	}
	same := bytes.Equal(hash, once.RequestHash) || (!status.Valid && once.OldHash != nil && bytes.Equal(hash, once.OldHash))
	if !same {
		return Replay{}, false, ErrKeyReused
	}
	rp.MessageID = msg.Int64
	if status.Valid {
		rp.Status = int(status.Int64)
	} else {
		rp.Body = nil
	}
	return rp, true, nil
}

// record makes once's answer from what was written (Once.Answer) and
// keeps it with the key.
func (once Once) record(ctx context.Context, tx *Tx, w Written, at time.Time) error {
	var status any
	var body []byte
	if once.Answer != nil {
		if st, b := once.Answer(w); st != 0 {
			status, body = st, b
		}
	}
	if once.Key == "" {
		return nil
	}
	number, msg := w.Ticket.Number, any(nil)
	if w.Message.ID != 0 {
		number, msg = w.Message.TicketNumber, w.Message.ID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash, ticket_number, message_id, created_at, response_status, response_body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		once.UserID, once.Key, once.RequestHash, number, msg, millis(at), status, body)
	return err
}

// KeepAnswer keeps the answer to once's first request with its key, for
// retries to get the same status and bytes. The first answer kept stays.
func (s *DB) KeepAnswer(ctx context.Context, once Once, status int, body []byte) error {
	if once.Key == "" {
		return nil
	}
	return s.tx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE idempotency_keys SET response_status = ?, response_body = ?
			WHERE user_id = ? AND key = ? AND request_hash = ? AND response_status IS NULL`,
			status, body, once.UserID, once.Key, once.RequestHash)
		return err
	})
}

// DeleteKeysBefore deletes the idempotency keys recorded before before and
// returns how many.
func (s *DB) DeleteKeysBefore(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.tx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < ?`, millis(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// CreateTicketOnce stores t like CreateTicket, unless once was seen before:
// then it returns the ticket the first request created and replayed true.
// The ticket returned is made from what was written (nothing is read
// back), exactly as DB.Ticket reads it.
func (s *DB) CreateTicketOnce(ctx context.Context, once Once, t ticket.Ticket) (ticket.Ticket, bool, error) {
	fields := t.Fields
	if fields == nil {
		fields = map[string]string{}
	}
	fj, err := json.Marshal(fields)
	if err != nil {
		return t, false, err
	}
	// As stored: milliseconds, UTC.
	t.CreatedAt = fromMillis(millis(t.CreatedAt))
	if t.UpdatedAt.IsZero() {
		t.UpdatedAt = t.CreatedAt
	}
	t.UpdatedAt = fromMillis(millis(t.UpdatedAt))
	t.Fields = fields
	var written ticket.Ticket
	var replayed bool
	err = s.tx(ctx, func(tx *Tx) error {
		prev, ok, err := once.replay(ctx, tx)
		if err != nil || ok {
			written.Number, replayed = prev.Number, ok
			return err
		}
		written = t
		var followUp, onBehalf any
		if t.FollowUpOf != 0 {
			followUp = t.FollowUpOf
		}
		if t.OnBehalfOf != nil {
			onBehalf = t.OnBehalfOf.ID
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO tickets (organization_id, requester_id, type, category, subject, description, fields, status, created_at, updated_at, follow_up_of, on_behalf_of)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			t.Organization.ID, t.Requester.ID, t.Type, t.Category, t.Subject, t.Description, string(fj), string(t.Status),
			millis(t.CreatedAt), millis(t.UpdatedAt), followUp, onBehalf)
		if err != nil {
			return err
		}
		number, err := res.LastInsertId()
		if err != nil {
			return err
		}
		written.Number = number
		if err := names(ctx, tx, &written); err != nil {
			return err
		}
		if err := indexTicket(ctx, tx, number, t); err != nil {
			return err
		}
		if written.Attachments, err = attach(ctx, tx, t.Attachments, t.Requester.ID, number, 0); err != nil {
			return err
		}
		written.Links = []ticket.Link{}
		for _, l := range t.Links {
			link, err := s.link(ctx, tx, number, l.Record.ID, written.Requester, t.CreatedAt)
			if err != nil {
				return err
			}
			written.Links = append(written.Links, link)
		}
		// As DB.Links orders them: by time (all the same), then record.
		slices.SortFunc(written.Links, func(a, b ticket.Link) int { return cmp.Compare(a.Record.ID, b.Record.ID) })
		if err := s.appendEvent(ctx, tx, ticket.EventTicketCreated, number, 0, false, 0, t.CreatedAt); err != nil {
			return err
		}
		if err := notify(ctx, tx, NotifyCreated, number, 0, 0, t.CreatedAt); err != nil {
			return err
		}
		if err := notify(ctx, tx, NotifyQueue, number, 0, t.Requester.ID, t.CreatedAt); err != nil {
			return err
		}
		return once.record(ctx, tx, Written{Ticket: written}, t.CreatedAt)
	})
	if err != nil {
		return t, false, err
	}
	if replayed {
		got, err := s.Ticket(ctx, written.Number)
		return got, true, err
	}
	return written, false, nil
}

// names fills in the names of t's organization, requester and vendor (on
// behalf of) in tx, from their ids.
func names(ctx context.Context, tx *Tx, t *ticket.Ticket) error {
	if err := tx.QueryRowContext(ctx, `SELECT o.name, o.account_number, u.name FROM organizations o, users u WHERE o.id = ? AND u.id = ?`,
		t.Organization.ID, t.Requester.ID).Scan(&t.Organization.Name, &t.Organization.AccountNumber, &t.Requester.Name); err != nil {
		return notFound(err)
	}
	if t.OnBehalfOf != nil {
		vendor := *t.OnBehalfOf
		if err := tx.QueryRowContext(ctx, `SELECT name, account_number FROM organizations WHERE id = ?`, vendor.ID).Scan(&vendor.Name, &vendor.AccountNumber); err != nil {
			return notFound(err)
		}
		t.OnBehalfOf = &vendor
	}
	return nil
}

// AddMessage appends m to its ticket, touches the ticket's update time
// (public messages only) and returns m with its id.
func (s *DB) AddMessage(ctx context.Context, m ticket.Message) (ticket.Message, error) {
	m, _, err := s.AddMessageOnce(ctx, Once{}, m)
	return m, err
}

// AddMessageOnce appends m like AddMessage, unless once was seen before:
// then it returns the message the first request added and replayed true.
func (s *DB) AddMessageOnce(ctx context.Context, once Once, m ticket.Message) (ticket.Message, bool, error) {
	var replayed bool
	var written ticket.Message
	err := s.tx(ctx, func(tx *Tx) error {
		prev, ok, err := once.replay(ctx, tx)
		if err != nil || ok {
			written.ID, replayed = prev.MessageID, ok
			return err
		}
		if written, err = s.insertMessage(ctx, tx, m); err != nil {
			return err
		}
		// Internal notes do not touch the ticket: its update time is what
		// customers see, and it must not give notes away.
		var status string
		var updated int64
		row := tx.QueryRowContext(ctx, `SELECT status, updated_at FROM tickets WHERE number = ?`, m.TicketNumber)
		if !m.Internal {
			row = tx.QueryRowContext(ctx, `UPDATE tickets SET updated_at = max(updated_at, ?) WHERE number = ? RETURNING status, updated_at`,
				millis(m.CreatedAt), m.TicketNumber)
		}
		if err := row.Scan(&status, &updated); err != nil {
			return notFound(err)
		}
		return once.record(ctx, tx, Written{Message: written, Status: ticket.Status(status), UpdatedAt: fromMillis(updated)}, m.CreatedAt)
	})
	if err != nil {
		return m, false, err
	}
	if replayed {
		got, err := s.Message(ctx, written.ID)
		return got, true, err
	}
	return written, false, nil
}

// Message returns the message with id.
func (s *DB) Message(ctx context.Context, id int64) (ticket.Message, error) {
	var m ticket.Message
	var created int64
	err := s.read.QueryRowContext(ctx, `SELECT m.id, m.ticket_number, m.author_id, u.name, m.body, m.internal, m.created_at
		FROM messages m JOIN users u ON u.id = m.author_id WHERE m.id = ?`, id).
		Scan(&m.ID, &m.TicketNumber, &m.Author.ID, &m.Author.Name, &m.Body, &m.Internal, &created)
	m.CreatedAt = fromMillis(created)
	if err != nil {
		return m, notFound(err)
	}
	return m, s.withAttachments(ctx, []*ticket.Message{&m})
}

const ticketSelect = `SELECT t.number, t.organization_id, o.name, o.account_number, t.requester_id, u.name,
	t.type, t.category, t.subject, t.description, t.fields, t.status, t.created_at, t.updated_at,
	t.assignee_id, a.name, t.postponed_until, t.follow_up_of, t.on_behalf_of, ob.name, ob.account_number`

const ticketJoins = ` JOIN organizations o ON o.id = t.organization_id JOIN users u ON u.id = t.requester_id
	LEFT JOIN users a ON a.id = t.assignee_id LEFT JOIN organizations ob ON ob.id = t.on_behalf_of`

func scanTicket(row interface{ Scan(...any) error }, extra ...any) (ticket.Ticket, error) {
	var t ticket.Ticket
	var fields string
	var created, updated int64
	var assignee, postponed, followUp, onBehalf sql.NullInt64
	var assigneeName, onBehalfName, onBehalfNumber sql.NullString
	err := row.Scan(append([]any{&t.Number, &t.Organization.ID, &t.Organization.Name, &t.Organization.AccountNumber,
		&t.Requester.ID, &t.Requester.Name, &t.Type, &t.Category, &t.Subject, &t.Description, &fields, &t.Status, &created, &updated,
		&assignee, &assigneeName, &postponed, &followUp, &onBehalf, &onBehalfName, &onBehalfNumber}, extra...)...)
	if err != nil {
		return t, err
	}
	t.CreatedAt, t.UpdatedAt = fromMillis(created), fromMillis(updated)
	if assignee.Valid {
		t.Assignee = &ticket.UserRef{ID: assignee.Int64, Name: assigneeName.String}
	}
	if postponed.Valid {
		at := fromMillis(postponed.Int64)
		t.PostponedUntil = &at
	}
	t.FollowUpOf = followUp.Int64
	if onBehalf.Valid {
		t.OnBehalfOf = &ticket.OrgRef{ID: onBehalf.Int64, Name: onBehalfName.String, AccountNumber: onBehalfNumber.String}
	}
	if err := json.Unmarshal([]byte(fields), &t.Fields); err != nil {
		return t, err
	}
	return t, nil
}

// Ticket returns the ticket with number.
func (s *DB) Ticket(ctx context.Context, number int64) (ticket.Ticket, error) {
	t, err := scanTicket(s.read.QueryRowContext(ctx, ticketSelect+` FROM tickets t`+ticketJoins+` WHERE t.number = ?`, number))
	if err != nil {
		return t, notFound(err)
	}
	described, err := s.attachments(ctx, `ticket_number = ? AND message_id IS NULL`, number)
	if err != nil {
		return t, err
	}
	t.Attachments = described[0]
	if t.Links, err = s.Links(ctx, number); t.Links == nil {
		t.Links = []ticket.Link{} // read, and none
	}
	return t, err
}

// Messages returns the conversation of ticket number, oldest first,
// internal notes included: callers filter through the policy.
func (s *DB) Messages(ctx context.Context, number int64) ([]ticket.Message, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT m.id, m.ticket_number, m.author_id, u.name, m.body, m.internal, m.created_at
		FROM messages m JOIN users u ON u.id = m.author_id WHERE m.ticket_number = ? ORDER BY m.id`, number)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ticket.Message{}
	for rows.Next() {
		var m ticket.Message
		var created int64
		if err := rows.Scan(&m.ID, &m.TicketNumber, &m.Author.ID, &m.Author.Name, &m.Body, &m.Internal, &created); err != nil {
			return nil, err
		}
		m.CreatedAt = fromMillis(created)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	byMessage, err := s.attachments(ctx, `ticket_number = ? AND message_id IS NOT NULL`, number)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Attachments = byMessage[out[i].ID]
	}
	return out, nil
}

// ImportTickets stores many tickets in one transaction (imports, load
// tests); numbers are assigned in slice order.
func (s *DB) ImportTickets(ctx context.Context, ts []ticket.Ticket) error {
	return s.tx(ctx, func(tx *Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO tickets (organization_id, requester_id, type, category, subject, description, fields, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, t := range ts {
			fj, err := json.Marshal(t.Fields)
			if err != nil || t.Fields == nil {
				fj = []byte("{}")
			}
			if t.UpdatedAt.IsZero() {
				t.UpdatedAt = t.CreatedAt
			}
			res, err := stmt.ExecContext(ctx, t.Organization.ID, t.Requester.ID, t.Type, t.Category, t.Subject, t.Description,
				string(fj), string(t.Status), millis(t.CreatedAt), millis(t.UpdatedAt))
			if err != nil {
				return err
			}
			number, err := res.LastInsertId()
			if err != nil {
				return err
			}
			if err := indexTicket(ctx, tx, number, t); err != nil {
				return err
			}
		}
		return nil
	})
}

// Replayed reports whether once was seen before, and what it left.
func (s *DB) Replayed(ctx context.Context, once Once) (Replay, bool, error) {
	if once.Key == "" {
		return Replay{}, false, nil
	}
	return once.replay(ctx, s.read)
}

// ErrChanged is returned when a ticket's status changed between reading it
// and writing: the caller reads again.
var ErrChanged = ticket.Errorf(ticket.CodeConflict, "ErrTicketChanged", "")

// Reply appends m to its ticket and moves the ticket from status from to
// status to, in one transaction; ErrChanged when the ticket is no longer in
// status from.
func (s *DB) Reply(ctx context.Context, m ticket.Message, from, to ticket.Status) (ticket.Message, error) {
	m, _, err := s.ReplyOnce(ctx, Once{}, m, from, to)
	return m, err
}

// ReplyOnce is Reply, unless once was seen before: then it returns the
// message the first request added and replayed true, and moves nothing.
func (s *DB) ReplyOnce(ctx context.Context, once Once, m ticket.Message, from, to ticket.Status) (ticket.Message, bool, error) {
	return s.ReplyWithUploads(ctx, once, m, nil, from, to)
}

// SetStatus moves ticket number from status from to status to;
// ErrChanged when it is no longer in status from.
func (s *DB) SetStatus(ctx context.Context, number int64, from, to ticket.Status, at time.Time) error {
	return s.UpdateTicket(ctx, number, Update{From: from, To: to, At: at})
}

// Update is a change of a ticket by an agent or its customer.
type Update struct {
	From, To ticket.Status // To "": the status stays
	Until    time.Time     // To postponed: when the ticket comes back
	Assign   bool          // set the assignee to AssigneeID (0: nobody)
	Assignee int64
	At       time.Time
	By       int64 // who makes the change (not told of it by mail)
}

// UpdateTicket applies u to ticket number in one transaction; ErrChanged
// when the ticket is no longer in status u.From.
func (s *DB) UpdateTicket(ctx context.Context, number int64, u Update) error {
	return s.tx(ctx, func(tx *Tx) error {
		if u.To != "" && u.To != u.From {
			// A step customers do not see (new → open, open ↔
			// waiting_internal…: the same light) does not move the update
			// time they see either.
			touch := u.To.Portal() != u.From.Portal()
			if _, err := moveStatus(ctx, tx, number, u.From, u.To, u.At, touch); err != nil {
				return err
			}
		}
		if u.To != "" {
			var until any
			if u.To == ticket.StatusPostponed && !u.Until.IsZero() {
				until = millis(u.Until)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE tickets SET postponed_until = ? WHERE number = ?`, until, number); err != nil {
				return err
			}
		}
		if u.Assign {
			// Assignment is internal: it does not move the update time
			// customers see.
			var who any
			if u.Assignee != 0 {
				who = u.Assignee
			}
			if _, err := tx.ExecContext(ctx, `UPDATE tickets SET assignee_id = ? WHERE number = ?`, who, number); err != nil {
				return err
			}
		}
		if u.To == "" && !u.Assign {
			return nil
		}
		// Customers learn of a change only when their status light moves.
		visible := u.To != "" && u.To.Portal() != u.From.Portal()
		if visible && u.To.Portal() == ticket.PortalResponseExpected {
			if err := notify(ctx, tx, NotifyResponseExpected, number, 0, u.By, u.At); err != nil {
				return err
			}
		}
		if visible && u.From.Closed() && !u.To.Closed() {
			if err := notify(ctx, tx, NotifyReopened, number, 0, u.By, u.At); err != nil {
				return err
			}
		}
		return s.appendEvent(ctx, tx, ticket.EventTicketUpdated, number, 0, !visible, 0, u.At)
	})
}

// moveStatus checks the ticket is in status from and sets to; touch moves
// the update time customers see. It returns the update time as written.
func moveStatus(ctx context.Context, tx *Tx, number int64, from, to ticket.Status, at time.Time, touch bool) (time.Time, error) {
	q := `UPDATE tickets SET status = ? WHERE number = ? AND status = ? RETURNING updated_at`
	args := []any{string(to), number, string(from)}
	if touch {
		q = `UPDATE tickets SET status = ?, updated_at = max(updated_at, ?) WHERE number = ? AND status = ? RETURNING updated_at`
		args = []any{string(to), millis(at), number, string(from)}
	}
	var updated int64
	if err := tx.QueryRowContext(ctx, q, args...).Scan(&updated); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return time.Time{}, ErrChanged
		}
		return time.Time{}, err
	}
	return fromMillis(updated), nil
}

// insertMessage stores m, indexes it for search and records the event;
// it returns m as written, as DB.Message reads it.
func (s *DB) insertMessage(ctx context.Context, tx *Tx, m ticket.Message) (ticket.Message, error) {
	m.CreatedAt = fromMillis(millis(m.CreatedAt))
	err := tx.QueryRowContext(ctx, `INSERT INTO messages (ticket_number, author_id, body, internal, created_at) VALUES (?, ?, ?, ?, ?)
		RETURNING id, (SELECT name FROM users WHERE id = author_id)`,
		m.TicketNumber, m.Author.ID, m.Body, m.Internal, millis(m.CreatedAt)).Scan(&m.ID, &m.Author.Name)
	if err != nil {
		return m, err
	}
	if err := index(ctx, tx, m.TicketNumber, m.Body, m.Internal); err != nil {
		return m, err
	}
	if m.Attachments, err = attach(ctx, tx, m.Attachments, m.Author.ID, m.TicketNumber, m.ID); err != nil {
		return m, err
	}
	if !m.Internal {
		if err := notify(ctx, tx, NotifyReply, m.TicketNumber, m.ID, m.Author.ID, m.CreatedAt); err != nil {
			return m, err
		}
	}
	return m, s.appendEvent(ctx, tx, ticket.EventMessageCreated, m.TicketNumber, m.ID, m.Internal, 0, m.CreatedAt)
}
