package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/supportal/supportal/app/ticket"
)

// SetVendorAccess records the access vendorID has to customerID's tickets
// (demo data, imports): paid forces full access.
func (s *DB) SetVendorAccess(ctx context.Context, vendorID, customerID int64, access ticket.Access, paid bool) error {
	return s.accessTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO vendor_access (vendor_id, customer_id, access, vendor_paid) VALUES (?, ?, ?, ?)
			ON CONFLICT (customer_id, vendor_id) DO UPDATE SET access = excluded.access, vendor_paid = excluded.vendor_paid`,
			vendorID, customerID, string(access), paid)
		return err
	})
}

// ChangeVendorAccess is the customer's change of a vendor's access:
// ErrVendorPaid when the vendor pays and access is not full, not found when
// the vendor has no access entry for the customer.
// A vendor let in (from none) follows the customer's tickets from then on:
// for its users what is there already counts as read.
func (s *DB) ChangeVendorAccess(ctx context.Context, customerID, vendorID int64, access ticket.Access) error {
	return s.accessTx(ctx, func(tx *Tx) error {
		var paid bool
		var was ticket.Access
		err := tx.QueryRowContext(ctx, `SELECT vendor_paid, access FROM vendor_access WHERE customer_id = ? AND vendor_id = ?`, customerID, vendorID).Scan(&paid, &was)
		if err != nil {
			return notFound(err)
		}
		if paid && access != ticket.AccessFull {
			return ErrVendorPaid
		}
		_, err = tx.ExecContext(ctx, `UPDATE vendor_access SET access = ? WHERE customer_id = ? AND vendor_id = ?`, string(access), customerID, vendorID)
		if err != nil || was != ticket.AccessNone || access == ticket.AccessNone {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO reads (user_id, ticket_number, message_id)
			SELECT mb.user_id, m.ticket_number, max(m.id) FROM messages m JOIN tickets t ON t.number = m.ticket_number
			JOIN memberships mb ON mb.organization_id = ? AND mb.ticket_access = 1
			WHERE t.organization_id = ?
			GROUP BY mb.user_id, m.ticket_number
			ON CONFLICT (user_id, ticket_number) DO UPDATE SET message_id = excluded.message_id WHERE excluded.message_id > reads.message_id`,
			vendorID, customerID)
		return err
	})
}

// Vendors returns the vendors with an access entry for customerID (the
// customer's vendor settings), by name.
func (s *DB) Vendors(ctx context.Context, customerID int64) ([]ticket.VendorAccount, error) {
	return s.vendorAccounts(ctx, `va.customer_id = ?`, customerID)
}

// vendorAccountsOf returns the customer accounts of the vendor
// organizations userID is a member of with ticket access.
func (s *DB) vendorAccountsOf(ctx context.Context, userID int64) ([]ticket.VendorAccount, error) {
	return s.vendorAccounts(ctx, `va.vendor_id IN (SELECT m.organization_id FROM memberships m JOIN organizations vo ON vo.id = m.organization_id
		WHERE m.user_id = ? AND m.ticket_access = 1 AND vo.kind = 'vendor')`, userID)
}

func (s *DB) vendorAccounts(ctx context.Context, where string, args ...any) ([]ticket.VendorAccount, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+orgColumns+`, v.id, v.name, v.account_number, va.access, va.vendor_paid
		FROM vendor_access va JOIN organizations o ON o.id = va.customer_id JOIN organizations v ON v.id = va.vendor_id
		WHERE `+where+` ORDER BY o.account_number, v.name`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ticket.VendorAccount{}
	for rows.Next() {
		var a ticket.VendorAccount
		if err := scanOrg(rows, &a.Organization, &a.Vendor.ID, &a.Vendor.Name, &a.Vendor.AccountNumber, &a.Access, &a.VendorPaid); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Member is a user of an organization as its admins manage them.
type Member struct {
	User         ticket.UserRef `json:"user"`
	Email        string         `json:"email"`
	Role         ticket.Role    `json:"role"`
	TicketAccess bool           `json:"ticketAccess"`
}

// Members returns the members of organization orgID, by name.
func (s *DB) Members(ctx context.Context, orgID int64) ([]Member, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT u.id, u.name, u.email, m.role, m.ticket_access FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.organization_id = ? ORDER BY u.name, u.id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Member{}
	for rows.Next() {
		var m Member
		if err := rows.Scan(&m.User.ID, &m.User.Name, &m.Email, &m.Role, &m.TicketAccess); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// SetTicketAccess grants or revokes the ticket access of member userID of
// organization orgID; not found when userID is no member. A member newly
// granted access starts with the account's tickets read up to now: what
// was written before the grant is history, not news (markers only move
// forward, so nothing the member had read turns unread).
func (s *DB) SetTicketAccess(ctx context.Context, orgID, userID int64, access bool) error {
	return s.accessTx(ctx, func(tx *Tx) error {
		var had bool
		err := tx.QueryRowContext(ctx, `SELECT ticket_access FROM memberships WHERE organization_id = ? AND user_id = ?`, orgID, userID).Scan(&had)
		if errors.Is(err, sql.ErrNoRows) {
			return ticket.ErrNotFound
		}
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE memberships SET ticket_access = ? WHERE organization_id = ? AND user_id = ?`, access, orgID, userID)
		if err != nil {
			return err
		}
		if err := oneRow(res); err != nil || had || !access {
			return err
		}
		// The tickets the grant opens: the organization's own and, for a
		// vendor, those of the customer accounts it has access to.
		_, err = tx.ExecContext(ctx, `INSERT INTO reads (user_id, ticket_number, message_id)
			SELECT ?, m.ticket_number, max(m.id) FROM messages m JOIN tickets t ON t.number = m.ticket_number
			WHERE t.organization_id = ? OR t.organization_id IN (
				SELECT va.customer_id FROM vendor_access va WHERE va.vendor_id = ? AND (va.access != 'none' OR va.vendor_paid = 1))
			GROUP BY m.ticket_number
			ON CONFLICT (user_id, ticket_number) DO UPDATE SET message_id = excluded.message_id WHERE excluded.message_id > reads.message_id`,
			userID, orgID, orgID)
		return err
	})
}
