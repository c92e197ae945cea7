package store

import (
	"context"

	"github.com/supportal/supportal/app/ticket"
)

// ImportMessages stores many messages in one transaction (imports, load
// tests), in slice order, each indexed for search like AddMessage does
// (internal notes as internal). Like AddMessage, a public message moves
// its ticket's update time forward to the message's time; an internal
// note never does. Like ImportTickets, it appends no live-update events:
// an import is not news to anyone watching. IDs are assigned but not
// returned.
func (s *DB) ImportMessages(ctx context.Context, ms []ticket.Message) error {
	return s.tx(ctx, func(tx *Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO messages (ticket_number, author_id, body, internal, created_at) VALUES (?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		latest := map[int64]int64{} // ticket number -> its newest public message (ms)
		var order []int64
		for _, m := range ms {
			if _, err := stmt.ExecContext(ctx, m.TicketNumber, m.Author.ID, m.Body, m.Internal, millis(m.CreatedAt)); err != nil {
				return err
			}
			if err := index(ctx, tx, m.TicketNumber, m.Body, m.Internal); err != nil {
				return err
			}
			if m.Internal {
				continue
			}
			at := millis(m.CreatedAt)
			prev, seen := latest[m.TicketNumber]
			if !seen {
				order = append(order, m.TicketNumber)
			}
			if !seen || at > prev {
				latest[m.TicketNumber] = at
			}
		}
		touch, err := tx.PrepareContext(ctx, `UPDATE tickets SET updated_at = `+tx.greatest("updated_at", "?")+` WHERE number = ?`)
		if err != nil {
			return err
		}
		defer touch.Close()
		for _, number := range order {
			if _, err := touch.ExecContext(ctx, latest[number], number); err != nil {
				return err
			}
		}
		return nil
	})
}
