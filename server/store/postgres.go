package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// PostgreSQL: several supportal nodes on one database (issue 19). The
// store's code is the same on both engines; what differs is said here and
// where the statements differ (rebind: ? becomes $n).
//
// Writes: every write transaction takes the store's write lock
// (pg_advisory_xact_lock(writeLock)) first. Writes are then serialized
// across all nodes, as SQLite's one writer does on one machine, so the
// store's read-then-write steps (quotas, counts, the next ticket number)
// hold, and event ids become visible in commit order: a transaction that
// got id 119 commits before the one that gets 120 can begin. A reader that
// resumed after 120 cannot later find 119 (the ordering trap of plain
// sequences under concurrent transactions).

// Advisory lock keys (one 64-bit space per database): "supportal" in
// ASCII, then the lock's number.
const (
	migrateLock int64 = 0x737570706f720001 // migrations, held for the whole run
	writeLock   int64 = 0x737570706f720002 // every write transaction
)

// PostgresOptions are a node's settings for its database.
type PostgresOptions struct {
	// Log tells of the node's notification connection (nil: slog's
	// default).
	Log *slog.Logger
	// Conns is the most connections the node opens for its reads and
	// writes (0: 10), besides the one it listens on: the nodes together
	// must stay below PostgreSQL's max_connections.
	Conns int
}

// Connection settings every store connection asks for. A node that stops
// in the middle of a write (frozen, cut off) must not keep the write lock
// from the other nodes: its transaction ends after
// idle_in_transaction_session_timeout, and a write waits for the lock at
// most lock_timeout (and then fails) instead of forever. The server finds
// a vanished client's connection within about a minute (keepalives),
// and so does the node (dialKeepAlive).
var pgSession = map[string]string{
	"idle_in_transaction_session_timeout": "10s",
	"lock_timeout":                        "20s",
	"tcp_keepalives_idle":                 "30",
	"tcp_keepalives_interval":             "10",
	"tcp_keepalives_count":                "3",
}

var dialKeepAlive = net.KeepAliveConfig{Enable: true, Idle: 15 * time.Second, Interval: 5 * time.Second, Count: 3}

// pgConfig is url's connection settings with the store's (pgSession).
func pgConfig(url string) (*pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	for k, v := range pgSession {
		if _, set := cfg.RuntimeParams[k]; !set {
			cfg.RuntimeParams[k] = v
		}
	}
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAliveConfig: dialKeepAlive}
	cfg.DialFunc = d.DialContext
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 10 * time.Second // a server that takes the connection and says nothing
	}
	return cfg, nil
}

// OpenPostgres opens the PostgreSQL database at url (postgres://user@host/db)
// and applies the migrations it lacks, under a lock: nodes starting
// together migrate one after the other, the later ones finding nothing
// left to do.
//
// The node hears the others' commits and signals (cluster.go) on a
// connection of its own.
func OpenPostgres(ctx context.Context, url string, opts PostgresOptions) (*DB, error) {
	cfg, err := pgConfig(url)
	if err != nil {
		return nil, err
	}
	conns := opts.Conns
	if conns <= 0 {
		conns = 10
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connecting to PostgreSQL: %w", err)
	}
	if err := migratePostgres(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrating database: %w", err)
	}
	s := &DB{db: db, postgres: true, read: &reads{db: db, stmts: map[string]*sql.Stmt{}, postgres: true}, writes: make(chan write, maxBatch), stmts: newStmtCache(), closing: make(chan struct{}), stopped: make(chan struct{})}
	if err := db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'store_id'`).Scan(&s.id); err != nil {
		db.Close()
		return nil, fmt.Errorf("reading the store id: %w", err)
	}
	if err := s.startCluster(ctx, url, opts.Log); err != nil {
		db.Close()
		return nil, err
	}
	s.writerWG.Add(1)
	go s.writer()
	return s, nil
}

// migratePostgres applies migrations/postgres/*.sql that are not applied
// yet, each in its own transaction, holding migrateLock on one connection
// for the whole run.
func migratePostgres(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// A migration may take long (an index on a big table): the nodes
	// waiting for it wait as long.
	if _, err := conn.ExecContext(ctx, `SET lock_timeout = 0`); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `RESET lock_timeout`)
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrateLock); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLock)
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY)`); err != nil {
		return err
	}
	steps, err := migrationSteps("postgres")
	if err != nil {
		return err
	}
	for _, m := range steps {
		version, base, script := m.version, m.name, m.script
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, version).Scan(&n); err != nil {
			tx.Rollback()
			return err
		}
		if n > 0 {
			tx.Rollback()
			continue
		}
		// Without arguments, the script goes as one simple query: all its
		// statements run.
		if _, err := tx.ExecContext(ctx, string(script)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", base, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, version); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}
