package store

import (
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
		var number int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO tickets (organization_id, requester_id, type, category, subject, description, fields, status, created_at, updated_at, follow_up_of, on_behalf_of)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING number`,
			t.Organization.ID, t.Requester.ID, t.Type, t.Category, t.Subject, t.Description, string(fj), string(t.Status),
			millis(t.CreatedAt), millis(t.UpdatedAt), followUp, onBehalf).Scan(&number); err != nil {
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

// ImportTickets stores many tickets in one transaction (imports, load
// tests); numbers are assigned in slice order.
func (s *DB) ImportTickets(ctx context.Context, ts []ticket.Ticket) error {
	return s.tx(ctx, func(tx *Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO tickets (organization_id, requester_id, type, category, subject, description, fields, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING number`)
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
			var number int64
			if err := stmt.QueryRowContext(ctx, t.Organization.ID, t.Requester.ID, t.Type, t.Category, t.Subject, t.Description,
				string(fj), string(t.Status), millis(t.CreatedAt), millis(t.UpdatedAt)).Scan(&number); err != nil {
				return err
			}
			if err := indexTicket(ctx, tx, number, t); err != nil {
				return err
			}
		}
		return nil
	})
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
		q = `UPDATE tickets SET status = ?, updated_at = ` + tx.greatest("updated_at", "?") + ` WHERE number = ? AND status = ? RETURNING updated_at`
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
