package store

import (
	"context"
	"io/fs"
	"path"
	"time"
)

// StatusRankExpr is the status order expression, for tests.
var StatusRankExpr = statusRankExpr

// QueueMailIn queues m in a transaction that then ends with fail (nil:
// commits), as a change that causes a mail would.
func (s *DB) QueueMailIn(ctx context.Context, m Mail, now time.Time, fail error) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *Tx) error {
		var err error
		if id, err = s.queueMail(ctx, tx, m, now); err != nil {
			return err
		}
		return fail
	})
	return id, err
}

// SortingAll returns q listed by the one query that reads and sorts every
// ticket it selects, never walking the organizations one by one.
func (q ListQuery) SortingAll() ListQuery {
	q.sortAll = true
	return q
}

// MigrationNames lists the migration files of an engine ("sqlite",
// "postgres").
func MigrationNames(engine string) []string {
	names, _ := fs.Glob(migrations, "migrations/"+engine+"/*.sql")
	for i, n := range names {
		names[i] = path.Base(n)
	}
	return names
}

// Terminate ends the PostgreSQL connections named appName (see
// ListenerName) and returns how many it ended.
func (s *DB) Terminate(ctx context.Context, appName string) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1`, appName).Scan(&n)
	return n, err
}

// Tables lists the tables of the store's schema (not SQLite's own, nor
// the search index's shadow tables).
func (s *DB) Tables(ctx context.Context) ([]string, error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_%'`
	if s.postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// ExportedTables are the tables an export has, and those it leaves out.
func ExportedTables() []string {
	return append(append([]string(nil), exportTables...), notExported...)
}

// Engine is "sqlite" or "postgres".
func (s *DB) Engine() string { return s.engine() }

// SetHeartbeat sets the listener's heartbeat until the test ends.
func SetHeartbeat(t interface{ Cleanup(func()) }, d time.Duration) {
	old := heartbeat
	heartbeat = d
	t.Cleanup(func() { heartbeat = old })
}

// SetSessionParam sets a connection setting of the stores opened until
// the test ends.
func SetSessionParam(t interface{ Cleanup(func()) }, k, v string) {
	old := pgSession[k]
	pgSession[k] = v
	t.Cleanup(func() { pgSession[k] = old })
}

// HoldWriteLock takes the store's write lock in a transaction of its own,
// as a node's writer does, then runs then (nothing: the transaction sits
// idle, as in a node that froze) and keeps the transaction until release.
// It returns once the lock is held.
func (s *DB) HoldWriteLock(ctx context.Context, then string) (release func() error, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, writeLock); err != nil {
		tx.Rollback()
		return nil, err
	}
	done := make(chan error, 1)
	go func() {
		if then == "" {
			done <- nil
			return
		}
		_, err := tx.ExecContext(ctx, then)
		done <- err
	}()
	return func() error {
		err := <-done
		if rerr := tx.Rollback(); err == nil {
			err = rerr
		}
		return err
	}, nil
}
