package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/supportal/supportal/app/ticket"
)

// Session is a login session: whose it is and, when a host opened it for
// its user (server/embed), which host, the one account it works in, and
// how it ends.
type Session struct {
	UserID int64
	// Host is the id of the host that opened the session; "" for a login
	// with a password.
	Host string
	// OrganizationID: the only account a host's session works in.
	OrganizationID int64
	// Kiosk: opened on a shared terminal (the panel ends it when idle).
	Kiosk bool
	// Locale: the language the host asked for ("": the user's own).
	Locale string
	// RecordID: the record the host showed the portal beside (0: none).
	RecordID int64
	// ExpiresAt: the session ends then, however recently it was used
	// (zero: only when idle).
	ExpiresAt time.Time
	// LastSeen is when its use was last written down before it was read.
	LastSeen time.Time
}

// Embedded reports whether a host opened the session.
func (s Session) Embedded() bool { return s.Host != "" }

// CreateSession stores a session under the hash of its token.
func (s *DB) CreateSession(ctx context.Context, tokenHash []byte, sess Session, now time.Time) error {
	return s.tx(ctx, func(tx *Tx) error {
		return insertSession(ctx, tx, tokenHash, sess, now)
	})
}

func insertSession(ctx context.Context, tx *Tx, tokenHash []byte, sess Session, now time.Time) error {
	var expires any
	if !sess.ExpiresAt.IsZero() {
		expires = millis(sess.ExpiresAt)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen, host, organization_id, kiosk, locale, record_id, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		tokenHash, sess.UserID, millis(now), millis(now), nullString(sess.Host), nullID(sess.OrganizationID), sess.Kiosk,
		nullString(sess.Locale), nullID(sess.RecordID), expires)
	return err
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Session returns the session with tokenHash if it was used after
// idleSince and has not reached its end, and marks it used at now when it
// was last marked before now-touchEvery. Expired sessions are deleted.
func (s *DB) Session(ctx context.Context, tokenHash []byte, now, idleSince time.Time, touchEvery time.Duration) (Session, error) {
	var sess Session
	var lastSeen int64
	var host, locale sql.NullString
	var org, record, expires sql.NullInt64
	err := s.read.QueryRowContext(ctx, `SELECT user_id, last_seen, host, organization_id, kiosk, locale, record_id, expires_at FROM sessions WHERE token_hash = ?`, tokenHash).
		Scan(&sess.UserID, &lastSeen, &host, &org, &sess.Kiosk, &locale, &record, &expires)
	if err != nil {
		return Session{}, notFound(err)
	}
	sess.Host, sess.Locale, sess.OrganizationID, sess.RecordID = host.String, locale.String, org.Int64, record.Int64
	sess.LastSeen = time.UnixMilli(lastSeen)
	if expires.Valid {
		sess.ExpiresAt = time.UnixMilli(expires.Int64)
	}
	if lastSeen < millis(idleSince) || (expires.Valid && expires.Int64 <= millis(now)) {
		if _, err := s.DeleteSession(ctx, tokenHash); err != nil {
			return Session{}, err
		}
		return Session{}, ticket.ErrNotFound
	}
	if lastSeen < millis(now.Add(-touchEvery)) {
		err := s.tx(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen = ? WHERE token_hash = ?`, millis(now), tokenHash)
			return err
		})
		if err != nil {
			return Session{}, err
		}
	}
	return sess, nil
}

// SetSessionLocale changes the language of a host's session (the user's
// own stays).
func (s *DB) SetSessionLocale(ctx context.Context, tokenHash []byte, locale string) error {
	return s.tx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET locale = ? WHERE token_hash = ?`, locale, tokenHash)
		return err
	})
}

// DeleteSession ends the session with tokenHash and reports whether there
// was one. A token that opens no session writes nothing: a logout with a
// made-up cookie must not take the write lock, move the versions every
// node's caches are kept by, nor be announced to the other nodes.
func (s *DB) DeleteSession(ctx context.Context, tokenHash []byte) (bool, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE token_hash = ?`, tokenHash).Scan(&n); err != nil {
		return false, err
	}
	if n == 0 {
		return false, nil
	}
	var deleted int64
	err := s.tx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
		if err == nil {
			deleted, err = res.RowsAffected()
		}
		return err
	})
	return deleted > 0, err
}

// EmbedLogin is what a host's token opens: a session for its user, who is
// created first when the host may provision users and the portal does not
// know them.
type EmbedLogin struct {
	Host      string
	TokenID   string    // jti: used once
	TokenEnds time.Time // exp: the id is kept until then
	// User: email, name and locale; created as a member (with ticket
	// access) of OrganizationID when unknown and Provision is set.
	User      ticket.User
	Provision bool
	// Record: the record the host shows the portal beside, stored (title
	// given) or looked up (only kind and external id) in the session's
	// account; an unknown one is no context.
	Record  *ticket.Record
	Session Session // its UserID and RecordID are filled in
}

// OpenEmbedSession uses the token's id (ErrTokenUsed when it was used
// before), finds or creates its user, stores or finds the record and
// stores the session, in one transaction: a refused token leaves nothing behind. It returns the user
// and whether they were created. Unknown users without Provision are
// ErrNotFound.
func (s *DB) OpenEmbedSession(ctx context.Context, tokenHash []byte, in EmbedLogin, now time.Time) (ticket.User, bool, error) {
	var u ticket.User
	var created bool
	err := s.tx(ctx, func(tx *Tx) error {
		created = false
		if _, err := tx.ExecContext(ctx, `DELETE FROM embed_token_ids WHERE expires_at < ?`, millis(now.Add(-time.Hour))); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO embed_token_ids (host, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			in.Host, in.TokenID, millis(in.TokenEnds))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrTokenUsed
		}
		u = in.User
		u.Email = strings.ToLower(strings.TrimSpace(u.Email))
		err = scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE `+emailIs(tx.postgres), u.Email), &u)
		switch {
		case errors.Is(err, sql.ErrNoRows) && in.Provision:
			// No password: such a user signs in only through their host.
			first, last := ticket.SplitName(u.Name)
			if err := tx.QueryRowContext(ctx, `INSERT INTO users (email, name, first_name, last_name, locale, password_hash, agent) VALUES (?, ?, ?, ?, ?, '!', 0) RETURNING id`,
				u.Email, u.Name, first, last, u.Locale).Scan(&u.ID); err != nil {
				return err
			}
			u.Agent = false
			if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (user_id, organization_id, role, ticket_access) VALUES (?, ?, 'member', 1)`,
				u.ID, in.Session.OrganizationID); err != nil {
				return err
			}
			created = true
		case errors.Is(err, sql.ErrNoRows):
			return ticket.ErrNotFound
		case err != nil:
			return err
		}
		sess := in.Session
		sess.UserID = u.ID
		if r := in.Record; r != nil {
			r.Organization.ID = sess.OrganizationID
			if r.Title == "" {
				err := tx.QueryRowContext(ctx, `SELECT id FROM records WHERE organization_id = ? AND kind = ? AND external_id = ?`,
					r.Organization.ID, string(r.Kind), r.ExternalID).Scan(&sess.RecordID)
				if err != nil && !errors.Is(err, sql.ErrNoRows) {
					return err
				}
			} else {
				if r.Fields == nil {
					r.Fields = []ticket.RecordField{}
				}
				fj, err := json.Marshal(r.Fields)
				if err != nil {
					return err
				}
				if sess.RecordID, _, err = upsertRecord(ctx, tx, *r, string(fj)); err != nil {
					return err
				}
			}
		}
		return insertSession(ctx, tx, tokenHash, sess, now)
	})
	return u, created, err
}
