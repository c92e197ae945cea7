package store

import (
	"context"
	"database/sql"
	"regexp"
	"strings"
	"sync"
)

// Tx is a write transaction of the store. Its ExecContext and
// QueryRowContext run statements the store prepared before, once per
// connection, instead of parsing the SQL anew each time: a create parses
// nothing after the first few. A statement seen for the first time runs
// unprepared and is prepared by the writer between two commits (preparing
// takes a connection: the in-memory store has only the one the transaction
// holds). QueryContext is not cached: its rows stay open while the caller
// may run the same statement again.
//
// Statements inside a write run to their end even if the caller's context
// ends: once handed to the writer, a write happens (see DB.write), and a
// context without cancellation costs the driver no watching goroutine.
type Tx struct {
	*sql.Tx
	stmts *stmtCache
	texts []text // to index for search before the commit (see index)
	// identity: a statement wrote to a table of who is who (see
	// IdentityVersion).
	identity bool
	// postgres: the statements' ? become $n (rebind).
	postgres bool
}

// sql is query in the engine's dialect.
func (tx *Tx) sql(query string) string {
	if tx.postgres {
		return rebind(query)
	}
	return query
}

// pgArgs returns args as PostgreSQL takes them for the store's columns:
// flags are integers 0/1 in both engines' tables, and SQLite's driver turns
// a Go bool into one, PostgreSQL's does not. The caller's slice is not
// changed.
func pgArgs(args []any) []any {
	var out []any
	for i, a := range args {
		b, ok := a.(bool)
		if !ok {
			continue
		}
		if out == nil {
			out = append([]any(nil), args...)
		}
		out[i] = int64(0)
		if b {
			out[i] = int64(1)
		}
	}
	if out == nil {
		return args
	}
	return out
}

func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	identity := writesIdentity(query)
	ctx = context.WithoutCancel(ctx)
	query = tx.sql(query)
	if tx.postgres {
		args = pgArgs(args)
	}
	var res sql.Result
	var err error
	if st := tx.stmts.get(query); st != nil {
		res, err = tx.Tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	} else {
		res, err = tx.Tx.ExecContext(ctx, query, args...)
	}
	if identity && !tx.identity {
		// Only a statement that changed a row moves the identity version
		// (a logout of no session, a touch of no row, keep every node's
		// kept sessions).
		n, rerr := rowsAffected(res, err)
		tx.identity = rerr != nil || n > 0
	}
	return res, err
}

// rowsAffected is res's count of rows changed; an error when it is not
// known (then the caller assumes some were).
func rowsAffected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	tx.identity = tx.identity || writesIdentity(query)
	ctx = context.WithoutCancel(ctx)
	query = tx.sql(query)
	if tx.postgres {
		args = pgArgs(args)
	}
	if st := tx.stmts.get(query); st != nil {
		return tx.Tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

// reads runs the store's reads (outside write transactions) with
// statements prepared on first use and kept: DB-level statements, which
// database/sql prepares once on each connection of the pool.
type reads struct {
	db       *sql.DB
	mu       sync.Mutex
	stmts    map[string]*sql.Stmt
	postgres bool // the statements' ? become $n (rebind)
}

func (r *reads) stmt(query string) *sql.Stmt {
	r.mu.Lock()
	st, ok := r.stmts[query]
	full := len(r.stmts) >= maxStatements
	r.mu.Unlock()
	if ok || full {
		return st // nil for a query that could not be prepared
	}
	// Prepared outside the caller's context: a cancelled request must not
	// leave the query unprepared for good.
	st, err := r.db.PrepareContext(context.Background(), query)
	if err != nil {
		st = nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if prev, ok := r.stmts[query]; ok { // prepared meanwhile by another caller
		if st != nil {
			st.Close()
		}
		return prev
	}
	r.stmts[query] = st
	return st
}

func (r *reads) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if r.postgres {
		query, args = rebind(query), pgArgs(args)
	}
	if st := r.stmt(query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return r.db.QueryRowContext(ctx, query, args...)
}

func (r *reads) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if r.postgres {
		query, args = rebind(query), pgArgs(args)
	}
	if st := r.stmt(query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return r.db.QueryContext(ctx, query, args...)
}

func (r *reads) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for q, st := range r.stmts {
		if st != nil {
			st.Close()
		}
		delete(r.stmts, q)
	}
}

func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	tx.identity = tx.identity || writesIdentity(query)
	if tx.postgres {
		args = pgArgs(args)
	}
	return tx.Tx.QueryContext(context.WithoutCancel(ctx), tx.sql(query), args...)
}

func (tx *Tx) PrepareContext(ctx context.Context, query string) (*Stmt, error) {
	tx.identity = tx.identity || writesIdentity(query)
	st, err := tx.Tx.PrepareContext(ctx, tx.sql(query))
	if err != nil {
		return nil, err
	}
	return &Stmt{Stmt: st, postgres: tx.postgres}, nil
}

// Stmt is a statement prepared in a write transaction, run many times
// (imports).
type Stmt struct {
	*sql.Stmt
	postgres bool
}

func (st *Stmt) ExecContext(ctx context.Context, args ...any) (sql.Result, error) {
	if st.postgres {
		args = pgArgs(args)
	}
	return st.Stmt.ExecContext(ctx, args...)
}

func (st *Stmt) QueryRowContext(ctx context.Context, args ...any) *sql.Row {
	if st.postgres {
		args = pgArgs(args)
	}
	return st.Stmt.QueryRowContext(ctx, args...)
}

// greatest is SQL for the larger of a and b: SQLite's max with two
// arguments, PostgreSQL's greatest.
func (tx *Tx) greatest(a, b string) string {
	if tx.postgres {
		return "greatest(" + a + ", " + b + ")"
	}
	return "max(" + a + ", " + b + ")"
}

// identityTables are the tables a session's viewer is read from: the
// session, the user, their memberships, organizations and vendor access.
var identityTables = map[string]bool{"sessions": true, "users": true, "memberships": true, "organizations": true, "vendor_access": true}

// writeTarget finds the table an INSERT, REPLACE, UPDATE or DELETE writes.
var writeTarget = regexp.MustCompile(`(?is)^\s*(?:WITH\b.*?\)\s*)?(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+["'\x60\[]?(\w+)`)

var identityWrites sync.Map // query → bool

// writesIdentity reports whether query writes one of identityTables (a
// query that reads only does not).
func writesIdentity(query string) bool {
	if v, ok := identityWrites.Load(query); ok {
		return v.(bool)
	}
	m := writeTarget.FindStringSubmatch(query)
	w := m != nil && identityTables[strings.ToLower(m[1])]
	identityWrites.Store(query, w)
	return w
}

// maxStatements bounds the statements kept prepared: the store's SQL is
// a fixed set, except lists of placeholders (IN (?, ?, …)) that vary with
// their length.
const maxStatements = 400

// stmtCache holds the statements prepared on the database and those seen
// but not prepared yet.
type stmtCache struct {
	mu      sync.Mutex
	ready   map[string]*sql.Stmt
	wanted  map[string]bool
	refused map[string]bool // failed to prepare (a script, say): never again
}

func newStmtCache() *stmtCache {
	return &stmtCache{ready: map[string]*sql.Stmt{}, wanted: map[string]bool{}, refused: map[string]bool{}}
}

// get returns the prepared statement of query, or nil after noting that
// it is wanted.
func (c *stmtCache) get(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.ready[query]; st != nil {
		return st
	}
	if !c.refused[query] && len(c.ready)+len(c.wanted) < maxStatements {
		c.wanted[query] = true
	}
	return nil
}

// prepare prepares the statements wanted since the last call. The writer
// calls it while no transaction of its own is open.
func (c *stmtCache) prepare(ctx context.Context, db *sql.DB) {
	c.mu.Lock()
	if len(c.wanted) == 0 {
		c.mu.Unlock()
		return
	}
	wanted := c.wanted
	c.wanted = map[string]bool{}
	c.mu.Unlock()
	for q := range wanted {
		st, err := db.PrepareContext(ctx, q)
		c.mu.Lock()
		if err != nil {
			c.refused[q] = true
		} else {
			c.ready[q] = st
		}
		c.mu.Unlock()
	}
}

// close closes the prepared statements.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.ready {
		st.Close()
		delete(c.ready, q)
	}
}
