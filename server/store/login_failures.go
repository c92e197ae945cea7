package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Failures is one count of the login throttle: how many failed attempts,
// the last one's time and the one before it (restored when the last is
// taken back).
type Failures struct {
	N          int
	Last, Prev time.Time
}

// LoginFailures reads the counts of keys as of now: a count whose last
// failure is window or longer ago reads as none.
func (s *DB) LoginFailures(ctx context.Context, keys []string, now time.Time, window time.Duration) ([]Failures, error) {
	out := make([]Failures, len(keys))
	for i, k := range keys {
		f, err := readFailures(ctx, s.read, k, now, window)
		if err != nil {
			return nil, err
		}
		out[i] = f
	}
	return out, nil
}

// CountLoginFailure decides and counts an attempt in one write, so that
// attempts on any node at once cannot all slip through: admit is given
// the live counts of keys; when it returns true, each key's count grows
// by one failure at now. It returns admit's answer.
func (s *DB) CountLoginFailure(ctx context.Context, keys []string, now time.Time, window time.Duration, admit func([]Failures) bool) (bool, error) {
	var ok bool
	err := s.tx(ctx, func(tx *Tx) error {
		counts := make([]Failures, len(keys))
		for i, k := range keys {
			f, err := readFailures(ctx, tx, k, now, window)
			if err != nil {
				return err
			}
			counts[i] = f
		}
		if ok = admit(counts); !ok {
			return nil
		}
		for i, k := range keys {
			if _, err := tx.ExecContext(ctx, `INSERT INTO login_failures (key, n, last_at, prev_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (key) DO UPDATE SET n = excluded.n, last_at = excluded.last_at, prev_at = excluded.prev_at`,
				k, counts[i].N+1, millis(now), millisOrZero(counts[i].Last)); err != nil {
				return err
			}
		}
		return nil
	})
	return ok, err
}

// TakeBackLoginFailure takes back the failure CountLoginFailure counted at
// now on each key (the password was right, or none was compared): the
// count's last failure is what it was before, so a success makes nobody
// wait longer.
func (s *DB) TakeBackLoginFailure(ctx context.Context, keys []string, now time.Time) error {
	return s.tx(ctx, func(tx *Tx) error {
		for _, k := range keys {
			var n, last, prev int64
			err := tx.QueryRowContext(ctx, `SELECT n, last_at, prev_at FROM login_failures WHERE key = ?`, k).Scan(&n, &last, &prev)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			if n <= 1 {
				_, err = tx.ExecContext(ctx, `DELETE FROM login_failures WHERE key = ?`, k)
			} else {
				if last == millis(now) {
					last = prev
				}
				_, err = tx.ExecContext(ctx, `UPDATE login_failures SET n = ?, last_at = ? WHERE key = ?`, n-1, last, k)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteLoginFailuresBefore forgets the counts whose last failure is
// before t (the janitor: they read as none anyway).
func (s *DB) DeleteLoginFailuresBefore(ctx context.Context, t time.Time) (int64, error) {
	var n int64
	err := s.tx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE last_at < ?`, millis(t))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// readFailures reads key's count as of now (none when expired).
func readFailures(ctx context.Context, q rowQuerier, key string, now time.Time, window time.Duration) (Failures, error) {
	var n, last, prev int64
	err := q.QueryRowContext(ctx, `SELECT n, last_at, prev_at FROM login_failures WHERE key = ?`, key).Scan(&n, &last, &prev)
	if errors.Is(err, sql.ErrNoRows) {
		return Failures{}, nil
	}
	if err != nil {
		return Failures{}, err
	}
	f := Failures{N: int(n), Last: fromMillis(last)}
	if prev != 0 {
		f.Prev = fromMillis(prev)
	}
	if now.Sub(f.Last) >= window {
		return Failures{}, nil
	}
	return f, nil
}

func millisOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return millis(t)
}

// rowQuerier reads one row: the reads (DB) or a write transaction (Tx).
type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
