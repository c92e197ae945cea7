package store

import (
	"context"
	"database/sql"

	"github.com/supportal/supportal/app/ticket"
)

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
		var row *sql.Row
		if m.Internal {
			row = tx.QueryRowContext(ctx, `SELECT status, updated_at FROM tickets WHERE number = ?`, m.TicketNumber)
		} else {
			row = tx.QueryRowContext(ctx, `UPDATE tickets SET updated_at = `+tx.greatest("updated_at", "?")+` WHERE number = ? RETURNING status, updated_at`,
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
