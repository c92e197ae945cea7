package store

import (
	"context"
	"database/sql"

	"github.com/supportal/supportal/app/ticket"
)

// CreateOrganization stores o and returns it with its id.
func (s *DB) CreateOrganization(ctx context.Context, o ticket.Organization) (ticket.Organization, error) {
	var parent any
	if o.ParentID != 0 {
		parent = o.ParentID
	}
	if o.PrivacyRegime == "" {
		o.PrivacyRegime = ticket.PrivacyGDPR
	}
	err := s.tx(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO organizations (name, account_number, kind, parent_id, privacy_regime) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			o.Name, o.AccountNumber, string(o.Kind), parent, string(o.PrivacyRegime)).Scan(&o.ID)
	})
	return o, err
}

// orgColumns are the columns scanOrg reads, of organizations o.
const orgColumns = `o.id, o.name, o.account_number, o.kind, o.parent_id, o.privacy_regime`

func scanOrg(row interface{ Scan(...any) error }, o *ticket.Organization, extra ...any) error {
	var parent sql.NullInt64
	err := row.Scan(append([]any{&o.ID, &o.Name, &o.AccountNumber, &o.Kind, &parent, &o.PrivacyRegime}, extra...)...)
	o.ParentID = parent.Int64
	return err
}

// Organization returns the organization with id.
func (s *DB) Organization(ctx context.Context, id int64) (ticket.Organization, error) {
	var o ticket.Organization
	err := scanOrg(s.read.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organizations o WHERE o.id = ?`, id), &o)
	return o, notFound(err)
}

// Organizations returns every organization, by name.
func (s *DB) Organizations(ctx context.Context) ([]ticket.Organization, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+orgColumns+` FROM organizations o ORDER BY o.name, o.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ticket.Organization{}
	for rows.Next() {
		var o ticket.Organization
		if err := scanOrg(rows, &o); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// CreateUser stores u with its password hash and returns it with its id.
func (s *DB) CreateUser(ctx context.Context, u ticket.User, passwordHash string) (ticket.User, error) {
	err := s.tx(ctx, func(tx *Tx) error {
		first, last := ticket.SplitName(u.Name)
		return tx.QueryRowContext(ctx, `INSERT INTO users (email, name, first_name, last_name, locale, password_hash, agent) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			u.Email, u.Name, first, last, u.Locale, passwordHash, u.Agent).Scan(&u.ID)
	})
	return u, err
}

const userColumns = `id, email, name, locale, agent`

func scanUser(row interface{ Scan(...any) error }, u *ticket.User, extra ...any) error {
	return row.Scan(append([]any{&u.ID, &u.Email, &u.Name, &u.Locale, &u.Agent}, extra...)...)
}

// UserByEmail returns the user with email (any case) and their password hash.
func (s *DB) UserByEmail(ctx context.Context, email string) (ticket.User, string, error) {
	var u ticket.User
	var hash string
	err := scanUser(s.read.QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE `+emailIs(s.postgres), email), &u, &hash)
	return u, hash, notFound(err)
}

// User returns the user with id.
func (s *DB) User(ctx context.Context, id int64) (ticket.User, error) {
	var u ticket.User
	err := scanUser(s.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id), &u)
	return u, notFound(err)
}

// SetUserLocale saves the language a user chose.
func (s *DB) SetUserLocale(ctx context.Context, userID int64, locale string) error {
	return s.tx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE users SET locale = ? WHERE id = ?`, locale, userID)
		return err
	})
}

// SetMembership adds userID to orgID or changes the membership.
func (s *DB) SetMembership(ctx context.Context, userID, orgID int64, role ticket.Role, ticketAccess bool) error {
	return s.accessTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO memberships (user_id, organization_id, role, ticket_access) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id, organization_id) DO UPDATE SET role = excluded.role, ticket_access = excluded.ticket_access`,
			userID, orgID, string(role), ticketAccess)
		return err
	})
}

// Memberships returns the memberships of userID, ordered by account number.
func (s *DB) Memberships(ctx context.Context, userID int64) ([]ticket.Membership, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+orgColumns+`, m.role, m.ticket_access
		FROM memberships m JOIN organizations o ON o.id = m.organization_id
		WHERE m.user_id = ? ORDER BY o.account_number`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ticket.Membership{}
	for rows.Next() {
		var m ticket.Membership
		if err := scanOrg(rows, &m.Organization, &m.Role, &m.TicketAccess); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Viewer returns the user with id and their memberships.
func (s *DB) Viewer(ctx context.Context, userID int64) (ticket.Viewer, error) {
	u, err := s.User(ctx, userID)
	if err != nil {
		return ticket.Viewer{}, err
	}
	ms, err := s.Memberships(ctx, userID)
	if err != nil {
		return ticket.Viewer{}, err
	}
	v := ticket.Viewer{User: u, Memberships: ms}
	for _, m := range ms {
		if m.Organization.Kind == ticket.KindVendor && m.TicketAccess {
			if v.VendorAccounts, err = s.vendorAccountsOf(ctx, userID); err != nil {
				return ticket.Viewer{}, err
			}
			break
		}
	}
	return v, nil
}

// emailIs is the condition "users.email is ?", whatever the case of either:
// SQLite's column compares without case (COLLATE NOCASE, its index), and
// PostgreSQL's unique index is on lower(email).
func emailIs(postgres bool) string {
	if postgres {
		return "lower(email) = lower(?)"
	}
	return "email = ?"
}
