package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/supportal/supportal/app/ticket"
)

// noPassword is the password hash of a user who has none (a host portal
// created them: they sign in only through it).
const noPassword = "!"

// Profile returns what the user says about themselves, with the new email
// waiting for its confirmation (if it has not expired at now).
func (s *DB) Profile(ctx context.Context, userID int64, now time.Time) (ticket.Profile, error) {
	var p ticket.Profile
	var hash string
	var pending sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT u.first_name, u.last_name, u.email, u.phone, u.locale, u.notifications, u.password_hash, c.email
		FROM users u LEFT JOIN email_changes c ON c.user_id = u.id AND c.expires_at > ?
		WHERE u.id = ?`, millis(now), userID).
		Scan(&p.FirstName, &p.LastName, &p.Email, &p.Phone, &p.Locale, &p.Notifications, &hash, &pending)
	if err != nil {
		return ticket.Profile{}, notFound(err)
	}
	p.PendingEmail = pending.String
	p.HasPassword = hash != noPassword
	return p, nil
}

// UpdateProfile saves the names, phone, language and mail choice present
// in c (checked before); the user's name as others see it follows the
// names. The email changes only through ConfirmEmail.
func (s *DB) UpdateProfile(ctx context.Context, userID int64, c ticket.ProfileChange) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		set := func(column string, v *string) error {
			if v == nil {
				return nil
			}
			_, err := tx.ExecContext(ctx, `UPDATE users SET `+column+` = ? WHERE id = ?`, *v, userID)
			return err
		}
		var notify *string
		if c.Notifications != nil {
			n := string(*c.Notifications)
			notify = &n
		}
		for _, f := range []struct {
			column string
			v      *string
		}{{"first_name", c.FirstName}, {"last_name", c.LastName}, {"phone", c.Phone}, {"locale", c.Locale}, {"notifications", notify}} {
			if err := set(f.column, f.v); err != nil {
				return err
			}
		}
		if c.FirstName != nil || c.LastName != nil {
			_, err := tx.ExecContext(ctx, `UPDATE users SET name = trim(first_name || ' ' || last_name) WHERE id = ?`, userID)
			return err
		}
		return nil
	})
}

// PasswordHash returns the stored hash of the user's password.
func (s *DB) PasswordHash(ctx context.Context, userID int64) (string, error) {
	var hash string
	err := s.db.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = ?`, userID).Scan(&hash)
	return hash, notFound(err)
}

// Reasons a session ended that the user hears of when they come back.
const (
	EndedPasswordChanged = "password"
)

// endedKept is how long an ended session's reason is kept.
const endedKept = 24 * time.Hour

// SetPassword stores a new password hash for the user and ends every one
// of their sessions (their cookies then say why: reason), and every
// password reset link still open. It returns the ended sessions' token
// hashes (their live sockets close too).
func (s *DB) SetPassword(ctx context.Context, userID int64, hash string, reason string, now time.Time) ([][]byte, error) {
	var ended [][]byte
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID); err != nil {
			return err
		}
		var err error
		if ended, err = endSessions(ctx, tx, userID, reason, now); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM password_resets WHERE user_id = ?`, userID)
		return err
	})
	return ended, err
}

// endSessions deletes every session of the user, keeping why, and returns
// their token hashes.
func endSessions(ctx context.Context, tx *sql.Tx, userID int64, reason string, now time.Time) ([][]byte, error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM ended_sessions WHERE ended_at < ?`, millis(now.Add(-endedKept))); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `DELETE FROM sessions WHERE user_id = ? RETURNING token_hash`, userID)
	if err != nil {
		return nil, err
	}
	var ended [][]byte
	for rows.Next() {
		var h []byte
		if err := rows.Scan(&h); err != nil {
			rows.Close()
			return nil, err
		}
		ended = append(ended, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, h := range ended {
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO ended_sessions (token_hash, reason, ended_at) VALUES (?, ?, ?)`, h, reason, millis(now)); err != nil {
			return nil, err
		}
	}
	return ended, nil
}

// EndedSession returns why the session with tokenHash was ended (within
// the last day), or ErrNotFound.
func (s *DB) EndedSession(ctx context.Context, tokenHash []byte, now time.Time) (string, error) {
	var reason string
	err := s.db.QueryRowContext(ctx, `SELECT reason FROM ended_sessions WHERE token_hash = ? AND ended_at >= ?`, tokenHash, millis(now.Add(-endedKept))).Scan(&reason)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ticket.ErrNotFound
	}
	return reason, err
}
