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
	err := s.read.QueryRowContext(ctx, `SELECT u.first_name, u.last_name, u.email, u.phone, u.locale, u.notifications, u.password_hash, c.email
		FROM users u LEFT JOIN email_changes c ON c.user_id = u.id AND c.expires_at > ? AND c.confirmed_at IS NULL
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
	return s.tx(ctx, func(tx *Tx) error {
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
	err := s.read.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = ?`, userID).Scan(&hash)
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
	err := s.tx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID); err != nil {
			return err
		}
		var err error
		if ended, err = endSessions(ctx, tx, userID, reason, now); err != nil {
			return err
		}
		// A reset link or a new email asked for before the change (by whoever
		// had the session) holds no more.
		if _, err := tx.ExecContext(ctx, `DELETE FROM password_resets WHERE user_id = ?`, userID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM email_changes WHERE user_id = ?`, userID)
		return err
	})
	return ended, err
}

// endSessions deletes every session of the user, keeping why, and returns
// their token hashes.
func endSessions(ctx context.Context, tx *Tx, userID int64, reason string, now time.Time) ([][]byte, error) {
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
		if _, err := tx.ExecContext(ctx, `INSERT INTO ended_sessions (token_hash, reason, ended_at) VALUES (?, ?, ?) ON CONFLICT (token_hash) DO UPDATE SET reason = excluded.reason, ended_at = excluded.ended_at`, h, reason, millis(now)); err != nil {
			return nil, err
		}
	}
	return ended, nil
}

// EndedSession returns why the session with tokenHash was ended (within
// the last day), or ErrNotFound.
func (s *DB) EndedSession(ctx context.Context, tokenHash []byte, now time.Time) (string, error) {
	var reason string
	err := s.read.QueryRowContext(ctx, `SELECT reason FROM ended_sessions WHERE token_hash = ? AND ended_at >= ?`, tokenHash, millis(now.Add(-endedKept))).Scan(&reason)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ticket.ErrNotFound
	}
	return reason, err
}

// resetsPerHour is how many reset links one user is sent in an hour;
// more requests send nothing (and are answered alike).
const resetsPerHour = 3

// PasswordResetFor is who asks for a reset link: the user with a password
// whose email it is (ErrNotFound for none, or one who has no password).
func (s *DB) PasswordResetFor(ctx context.Context, email string) (ticket.User, ticket.Profile, error) {
	u, hash, err := s.UserByEmail(ctx, email)
	if err != nil {
		return ticket.User{}, ticket.Profile{}, err
	}
	if hash == noPassword {
		return ticket.User{}, ticket.Profile{}, ticket.ErrNotFound
	}
	p, err := s.Profile(ctx, u.ID, time.Now())
	return u, p, err
}

// CreatePasswordReset stores a reset link (its token's hash) for the user
// until expires, and queues the mail that carries it, in one transaction.
// It reports false (and stores and sends nothing) when the user was sent
// resetsPerHour links within the last hour.
func (s *DB) CreatePasswordReset(ctx context.Context, userID int64, tokenHash []byte, expires time.Time, m Mail, now time.Time) (bool, error) {
	sent := false
	err := s.tx(ctx, func(tx *Tx) error {
		sent = false
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM password_resets WHERE user_id = ? AND created_at > ?`,
			userID, millis(now.Add(-time.Hour))).Scan(&n); err != nil {
			return err
		}
		if n >= resetsPerHour {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM password_resets WHERE expires_at < ?`, millis(now.Add(-24*time.Hour))); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			tokenHash, userID, millis(now), millis(expires)); err != nil {
			return err
		}
		m.UserID = userID
		if _, err := s.queueMail(ctx, tx, m, now); err != nil {
			return err
		}
		sent = true
		return nil
	})
	return sent, err
}

// passwordReset reads the reset link with tokenHash: its user, or why it
// no longer holds.
func passwordReset(ctx context.Context, q queryRower, tokenHash []byte, now time.Time) (int64, error) {
	var userID, expires int64
	var used sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT user_id, expires_at, used_at FROM password_resets WHERE token_hash = ?`, tokenHash).Scan(&userID, &expires, &used)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, ticket.ErrNotFound
	case err != nil:
		return 0, err
	case used.Valid:
		return 0, ErrLinkUsed
	case expires <= millis(now):
		return 0, ErrLinkExpired
	}
	return userID, nil
}

// PasswordResetUser returns the user of the reset link while it holds,
// else ErrNotFound, ErrLinkUsed or ErrLinkExpired.
func (s *DB) PasswordResetUser(ctx context.Context, tokenHash []byte, now time.Time) (int64, error) {
	return passwordReset(ctx, s.read, tokenHash, now)
}

// CheckPasswordReset reports whether the reset link holds (nil), is
// unknown (ErrNotFound), used (ErrLinkUsed) or expired (ErrLinkExpired).
func (s *DB) CheckPasswordReset(ctx context.Context, tokenHash []byte, now time.Time) error {
	_, err := passwordReset(ctx, s.read, tokenHash, now)
	return err
}

// ResetPassword uses the reset link once: the user's password becomes
// hash, the link and every other of theirs is used up, and every session
// of the user ends (their token hashes are returned).
func (s *DB) ResetPassword(ctx context.Context, tokenHash []byte, hash string, now time.Time) (int64, [][]byte, error) {
	var userID int64
	var ended [][]byte
	err := s.tx(ctx, func(tx *Tx) error {
		var err error
		if userID, err = passwordReset(ctx, tx, tokenHash, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, millis(now), userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM email_changes WHERE user_id = ?`, userID); err != nil {
			return err
		}
		ended, err = endSessions(ctx, tx, userID, EndedPasswordChanged, now)
		return err
	})
	return userID, ended, err
}

// emailChangesPerHour is how many confirmation links one user may have
// mailed in an hour.
const emailChangesPerHour = 3

// RequestEmailChange keeps email as the user's new address until the
// link carrying tokenHash confirms it (or expires), replacing an earlier
// request, and queues the mail to the new address, in one transaction;
// ErrTooManyEmailChanges after emailChangesPerHour such mails within the
// hour.
func (s *DB) RequestEmailChange(ctx context.Context, userID int64, email string, tokenHash []byte, expires time.Time, m Mail, now time.Time) error {
	return s.tx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM mails WHERE user_id = ? AND kind = ? AND created_at > ?`,
			userID, string(ticket.MailEmailConfirm), millis(now.Add(-time.Hour))).Scan(&n); err != nil {
			return err
		}
		if n >= emailChangesPerHour {
			return ErrTooManyEmailChanges
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO email_changes (user_id, email, token_hash, expires_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, token_hash = excluded.token_hash, expires_at = excluded.expires_at, confirmed_at = NULL`,
			userID, email, tokenHash, millis(expires)); err != nil {
			return err
		}
		m.UserID = userID
		_, err := s.queueMail(ctx, tx, m, now)
		return err
	})
}

// ConfirmEmail makes the address the link with tokenHash was sent to the
// user's email, and queues the mail that tells the previous address
// (made by told from the user before and the new address), in one
// transaction. It returns the user as they are now.
func (s *DB) ConfirmEmail(ctx context.Context, tokenHash []byte, now time.Time, told func(before ticket.User, p ticket.Profile, email string) Mail) (ticket.User, error) {
	var u ticket.User
	taken := false
	err := s.tx(ctx, func(tx *Tx) error {
		u, taken = ticket.User{}, false
		var email string
		var expires int64
		var confirmed sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT user_id, email, expires_at, confirmed_at FROM email_changes WHERE token_hash = ?`, tokenHash).Scan(&u.ID, &email, &expires, &confirmed)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return ticket.ErrNotFound
		case err != nil:
			return err
		case confirmed.Valid:
			return ErrLinkUsed
		case expires <= millis(now):
			return ErrLinkExpired
		}
		var p ticket.Profile
		if err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+`, first_name, last_name FROM users WHERE id = ?`, u.ID), &u, &p.FirstName, &p.LastName); err != nil {
			return notFound(err)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE `+emailIs(tx.postgres)+` AND id <> ?`, email, u.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			// The pending change is over (the profile no longer shows it).
			taken = true
			_, err := tx.ExecContext(ctx, `DELETE FROM email_changes WHERE user_id = ?`, u.ID)
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET email = ? WHERE id = ?`, email, u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE email_changes SET confirmed_at = ? WHERE user_id = ?`, millis(now), u.ID); err != nil {
			return err
		}
		// A reset link mailed to the old address holds no more.
		if _, err := tx.ExecContext(ctx, `DELETE FROM password_resets WHERE user_id = ?`, u.ID); err != nil {
			return err
		}
		m := told(u, p, email)
		m.UserID = u.ID
		if _, err := s.queueMail(ctx, tx, m, now); err != nil {
			return err
		}
		u.Email = email
		return nil
	})
	if err == nil && taken {
		return ticket.User{}, ErrEmailTaken
	}
	return u, err
}

// CancelEmailChange forgets the new email the user asked for (its link
// no longer works).
func (s *DB) CancelEmailChange(ctx context.Context, userID int64) error {
	return s.tx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM email_changes WHERE user_id = ? AND confirmed_at IS NULL`, userID)
		return err
	})
}
