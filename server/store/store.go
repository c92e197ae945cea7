// Package store keeps supportal's data in an embedded SQLite database
// (modernc.org/sqlite, pure Go): WAL, synchronous=FULL, foreign keys on.
// A method that returns without error has committed and fsynced its change.
//
// The in-memory mode runs the same code on a database that lives in memory.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // database/sql driver "sqlite"

	"github.com/supportal/supportal/app/ticket"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// DB is the store.
type DB struct {
	db   *sql.DB
	read *reads // the reads, with their statements kept prepared

	// Writes go through one goroutine that commits concurrent writes
	// together (group commit): one fsync for the batch instead of one each.
	writes    chan write
	stmts     *stmtCache // of the writes (see Tx)
	closing   chan struct{}
	closeOnce sync.Once
	writerWG  sync.WaitGroup
	stopped   chan struct{} // closed when the writer has returned

	// Live updates: a commit that appended events calls onEvents; every
	// membership change moves accessVersion.
	onEvents      atomic.Pointer[func()]
	eventsPending atomic.Bool
	accessVersion atomic.Int64
	eventRows     atomic.Int64 // event rows read, for EventRowsRead

	// Outgoing mail: a commit that queued a mail calls onMail (the mail
	// worker's Notify); mailDomain ends the Message-IDs made (see mail.go).
	onMail      atomic.Pointer[func()]
	mailPending atomic.Bool
	mailDomain  atomic.Pointer[string]

	// The store's versions (versions.go): on SQLite they move after every
	// commit, before its writers hear of it; on PostgreSQL they follow the
	// shared row, raised by this node's commits and by the notifications
	// of the others'.
	version         atomic.Int64
	identityVersion atomic.Int64
	// knownEvent (PostgreSQL): the newest event id of a commit whose
	// versions this node has taken in; the live hub reads no event above
	// it (see LastEventID, EventsAfter).
	knownEvent atomic.Int64
	// cluster: this node's part in the nodes' notifications (cluster.go);
	// nil on SQLite.
	cluster *cluster

	// id tells this database from any other (see ID).
	id string

	// postgres: the database is PostgreSQL's (postgres.go), not SQLite's.
	postgres bool
}

// write is one caller's transaction body and where its result goes.
type write struct {
	fn   func(*Tx) error
	done chan error
	// access: the write changes who may see what (memberships, vendor
	// access); accessVersion moves with its commit, before any later event
	// is fanned out.
	access bool
}

// maxBatch bounds how many writes share one commit.
const maxBatch = 256

// Open opens (creating if needed) the database file at path.
func Open(path string) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	u := url.URL{Scheme: "file", Path: abs}
	// No checkpoint inside a commit (SQLite's default every 1,000 pages):
	// the checkpointer copies the log into the database beside the writer.
	// A log started over is cut back to 64 MB (it keeps its largest size
	// otherwise).
	s, err := open(u.String()+"?"+pragmas()+"&_pragma=wal_autocheckpoint(0)&_pragma=journal_size_limit(67108864)", 4)
	if err != nil {
		return nil, err
	}
	s.writerWG.Add(1)
	go s.checkpointer()
	return s, nil
}

// OpenMemory opens a fresh in-memory database. Nothing touches the disk.
func OpenMemory() (*DB, error) {
	// One connection: every connection to ":memory:" is its own database.
	return open("file::memory:?"+pragmas(), 1)
}

func pragmas() string {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Add("_pragma", "busy_timeout(10000)")
	// Statement journals (every savepoint of a batch, every statement that
	// may change several rows) and sorts in memory, not in temporary files:
	// writing them cost a quarter of a create's time.
	q.Add("_pragma", "temp_store(MEMORY)")
	q.Set("_txlock", "immediate")
	return q.Encode()
}

func open(dsn string, conns int) (*DB, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	// Writes are handed over without a rendezvous: a request puts its
	// write in the queue and waits for the commit, while the writer is
	// busy with the previous batch.
	s := &DB{db: db, read: &reads{db: db, stmts: map[string]*sql.Stmt{}}, writes: make(chan write, maxBatch), stmts: newStmtCache(), closing: make(chan struct{}), stopped: make(chan struct{})}
	if err := s.migrate(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrating database: %w", err)
	}
	if err := db.QueryRow(`SELECT value FROM meta WHERE key = 'store_id'`).Scan(&s.id); err != nil {
		db.Close()
		return nil, fmt.Errorf("reading the store id: %w", err)
	}
	s.writerWG.Add(1)
	go s.writer()
	return s, nil
}

// Close waits for the writes under way and closes the database.
func (s *DB) Close() error {
	s.closeOnce.Do(func() { close(s.closing) })
	s.writerWG.Wait()
	s.stopCluster()
	s.stmts.close()
	s.read.close()
	return s.db.Close()
}

// migrate applies the embedded migrations not yet applied, each in its own
// transaction.
func (s *DB) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)`); err != nil {
		return err
	}
	steps, err := migrationSteps("sqlite")
	if err != nil {
		return err
	}
	for _, m := range steps {
		version, base, script := m.version, m.name, m.script
		err = s.direct(ctx, func(tx *Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.Tx.ExecContext(ctx, string(script)); err != nil { // a script: not kept prepared
				return fmt.Errorf("migration %s: %w", base, err)
			}
			if version == 1 {
				// Ticket numbers start at FirstTicketNumber.
				if _, err := tx.ExecContext(ctx, `INSERT INTO sqlite_sequence (name, seq) VALUES ('tickets', ?)`, ticket.FirstTicketNumber-1); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version) VALUES (?)`, version)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// migration is one numbered migration script of an engine.
type migration struct {
	version int
	name    string
	script  []byte
}

// migrationSteps returns the migrations of engine ("sqlite", "postgres")
// in order.
func migrationSteps(engine string) ([]migration, error) {
	names, err := fs.Glob(migrations, "migrations/"+engine+"/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]migration, 0, len(names))
	for _, name := range names {
		base := filepath.Base(name)
		version, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: bad name", base)
		}
		script, err := migrations.ReadFile(name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version, base, script})
	}
	return out, nil
}

// ID is the store's identity: 32 hex digits made at random when the
// database was created, the same for as long as it lives (across restarts),
// different for another database. Browsers keep drafts per store with it.
func (s *DB) ID() string { return s.id }

// SchemaVersion returns the newest migration applied.
func (s *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// Ready reports why this node should not be sent requests (nil: it may):
// the database does not answer, its schema is older than this build's,
// or (PostgreSQL) the node does not hear the other nodes. A write waiting
// for the write lock does not make a node unready: every node waits for
// the same lock, and all of them unready would leave a load balancer no
// node for the reads either (a frozen holder loses the lock within
// idle_in_transaction_session_timeout).
func (s *DB) Ready(ctx context.Context) error {
	engine := "sqlite"
	if s.postgres {
		engine = "postgres"
	}
	steps, err := migrationSteps(engine)
	if err != nil {
		return err
	}
	have, err := s.SchemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("database: %w", err)
	}
	if want := steps[len(steps)-1].version; have < want {
		return fmt.Errorf("database schema at %d, this build needs %d", have, want)
	}
	if !s.Listening() {
		return errors.New("not hearing the other nodes")
	}
	return nil
}

// tx runs fn in a write transaction and returns once it is committed (and
// fsynced) or failed. Concurrent calls share one commit; each runs inside
// its own savepoint, so one caller's failure undoes only its own changes.
func (s *DB) tx(ctx context.Context, fn func(*Tx) error) error {
	return s.write(ctx, write{fn: fn, done: make(chan error, 1)})
}

// accessTx is tx for a write that changes access: open websockets filter
// every event committed after it with the new access (AccessVersion moves
// in the commit, not after the caller hears of it).
func (s *DB) accessTx(ctx context.Context, fn func(*Tx) error) error {
	return s.write(ctx, write{fn: fn, done: make(chan error, 1), access: true})
}

func (s *DB) write(ctx context.Context, w write) error {
	select {
	case s.writes <- w:
	case <-s.closing:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once handed over, the write happens: wait for its outcome even if ctx
	// ends, so a caller never reports failure for committed data.
	select {
	case err := <-w.done:
		return err
	case <-s.stopped:
		// The writer committed what was queued before it stopped: w's
		// outcome is there, or w came after and never happened.
		select {
		case err := <-w.done:
			return err
		default:
			return ErrClosed
		}
	}
}

// writer owns all writes: it takes the waiting writes (up to maxBatch),
// runs them in one transaction and commits once.
func (s *DB) writer() {
	defer s.writerWG.Done()
	defer close(s.stopped)
	for {
		var first write
		select {
		case first = <-s.writes:
		case <-s.closing:
			// Commit what was handed over before Close.
			select {
			case first = <-s.writes:
			default:
				return
			}
		}
		batch := []write{first}
	gather:
		for len(batch) < maxBatch {
			select {
			case w := <-s.writes:
				batch = append(batch, w)
			default:
				break gather
			}
		}
		s.commit(batch)
		s.stmts.prepare(context.Background(), s.db)
	}
}

func (s *DB) commit(batch []write) {
	ctx := context.Background()
	defer s.notifyMail()
	defer s.notifyEvents()
	if len(batch) == 1 {
		identity, err := s.directTx(ctx, batch[0].fn, batch[0].access)
		if !s.postgres { // PostgreSQL's moved in the commit (finish)
			if err == nil && batch[0].access {
				s.accessVersion.Add(1)
			}
			if identity {
				s.identityVersion.Add(1)
			}
			s.version.Add(1)
		}
		batch[0].done <- err
		return
	}
	results := make([]error, len(batch))
	raw, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		for _, w := range batch {
			w.done <- err
		}
		return
	}
	tx, err := s.begun(ctx, raw)
	if err != nil {
		raw.Rollback()
		for _, w := range batch {
			w.done <- err
		}
		return
	}
	for i, w := range batch {
		if _, err := tx.ExecContext(ctx, `SAVEPOINT w`); err != nil {
			results[i] = err
			continue
		}
		texts := len(tx.texts)
		if err := w.fn(tx); err != nil {
			results[i] = err
			tx.ExecContext(ctx, `ROLLBACK TO w`)
			tx.texts = tx.texts[:texts] // nor is its text indexed
		}
		if _, err := tx.ExecContext(ctx, `RELEASE w`); err != nil && results[i] == nil {
			results[i] = err
		}
	}
	access := false
	for i, w := range batch {
		if w.access && results[i] == nil {
			access = true
			break
		}
	}
	err = tx.flushIndex(ctx)
	if err != nil {
		tx.Rollback()
	} else {
		err = s.finish(ctx, tx, access)
	}
	if err != nil {
		for i := range results {
			results[i] = err
		}
	}
	if !s.postgres { // PostgreSQL's moved in the commit (finish)
		if access && err == nil {
			s.accessVersion.Add(1)
		}
		if tx.identity {
			s.identityVersion.Add(1)
		}
		s.version.Add(1)
	}
	for i, w := range batch {
		w.done <- results[i]
	}
}

// begun makes raw, a transaction just begun, the store's. On PostgreSQL it
// first takes the store's write lock (see postgres.go), held until it ends.
func (s *DB) begun(ctx context.Context, raw *sql.Tx) (*Tx, error) {
	if s.postgres {
		if _, err := raw.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, writeLock); err != nil {
			return nil, err
		}
	}
	return &Tx{Tx: raw, stmts: s.stmts, postgres: s.postgres}, nil
}

// direct runs fn in its own transaction on the calling goroutine.
func (s *DB) direct(ctx context.Context, fn func(*Tx) error) error {
	_, err := s.directTx(ctx, fn, false)
	return err
}

// directTx is direct that also reports whether fn wrote to the tables of
// who is who; access: fn changes who may see what.
func (s *DB) directTx(ctx context.Context, fn func(*Tx) error, access bool) (identity bool, err error) {
	raw, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	tx, err := s.begun(ctx, raw)
	if err != nil {
		raw.Rollback()
		return false, err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return tx.identity, err
	}
	if err := tx.flushIndex(ctx); err != nil {
		tx.Rollback()
		return tx.identity, err
	}
	return tx.identity, s.finish(ctx, tx, access)
}

// finish commits tx. On PostgreSQL it first moves the shared versions and
// announces the commit to every node (moveShared), and takes the versions
// in after the commit, before the writers hear of it.
func (s *DB) finish(ctx context.Context, tx *Tx, access bool) error {
	if !s.postgres {
		return tx.Commit()
	}
	v, last, err := s.moveShared(ctx, tx, tx.identity, access)
	if err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if s.raise(v, last) {
		// Events to read, this commit's or the other nodes' that it
		// found (their notification may come later, or have come before
		// and woken nothing then).
		s.wakeHub()
	}
	return nil
}

func millis(t time.Time) int64 { return t.UTC().UnixMilli() }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ticket.ErrNotFound
	}
	return err
}

// Empty reports whether the store holds no organization and no user yet.
func (s *DB) Empty(ctx context.Context) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM organizations) + (SELECT count(*) FROM users)`).Scan(&n)
	return n == 0, err
}

// Settings are the connection settings the durability promise rests on.
type Settings struct {
	JournalMode string
	Synchronous int // 2 = FULL
	ForeignKeys bool
}

// Settings reads the settings of a pooled connection.
func (s *DB) Settings(ctx context.Context) (Settings, error) {
	var st Settings
	if err := s.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&st.JournalMode); err != nil {
		return st, err
	}
	if err := s.db.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&st.Synchronous); err != nil {
		return st, err
	}
	err := s.db.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&st.ForeignKeys)
	return st, err
}

// IndexSQL returns the CREATE statement of index name.
func (s *DB) IndexSQL(ctx context.Context, name string) (string, error) {
	var q string
	err := s.db.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`, name).Scan(&q)
	return q, notFound(err)
}
