package store

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Export and import move a whole store from one engine to the other
// (SQLite to PostgreSQL when one machine is not enough, and back), or to
// another database of the same engine. The file is JSON lines:
//
//	{"supportal":"export","version":1,"schema":23,"engine":"sqlite"}
//	{"table":"organizations","columns":["id","name",…]}
//	[1,"Praxis Dr. Weber",…]            one array per row, in key order
//	…
//	{"counts":{"organizations":12,…}}    the rows of each table
//
// Every table of the schema is in it, ids and all (ticket numbers, event
// ids: browsers resume their live updates where they were), and the search
// index, so nothing is rebuilt. Byte strings are {"b":"base64"}. The
// migrations' own bookkeeping (schema_migrations, store_versions) and the
// login throttle's counts (minutes long) are not.

// exportTables are the store's tables in the order they may be filled:
// each after those it refers to (the order the migrations created them).
// TestExportCoversEveryTable keeps it complete.
var exportTables = []string{
	"organizations", "users", "memberships", "tickets", "messages", "sessions",
	"idempotency_keys", "search", "views", "events", "reads", "attachments",
	"vendor_access", "records", "ticket_links", "integrations", "integration_organizations",
	"embed_token_ids", "meta", "email_changes", "password_resets", "ended_sessions",
	"mails", "notifications", "reply_addresses",
}

// notExported are the tables left out on purpose (see above).
var notExported = []string{"schema_migrations", "store_versions", "login_failures"}

// exportVersion is the file format's version.
const exportVersion = 1

type exportHeader struct {
	Supportal string `json:"supportal"`
	Version   int    `json:"version"`
	Schema    int    `json:"schema"`
	Engine    string `json:"engine"`
}

type exportTable struct {
	Table   string   `json:"table"`
	Columns []string `json:"columns"`
}

type exportCounts struct {
	Counts map[string]int64 `json:"counts"`
}

// Counts are the rows of each table an export wrote or an import read.
type Counts map[string]int64

// String lists the tables that have rows, in the export's order.
func (c Counts) String() string {
	var parts []string
	for _, t := range exportTables {
		if c[t] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", t, c[t]))
		}
	}
	return strings.Join(parts, ", ")
}

func (s *DB) engine() string {
	if s.postgres {
		return "postgres"
	}
	return "sqlite"
}

// columns returns the columns of table that an import writes, in the
// table's order: every stored column (not PostgreSQL's generated ones);
// the search index by name, as FTS5 has its row id apart.
func (s *DB) columns(ctx context.Context, q *Tx, table string) ([]string, error) {
	if table == "search" {
		return []string{"rowid", "text", "scope", "ticket_number", "internal"}, nil
	}
	query := `SELECT name FROM pragma_table_info(?) ORDER BY cid`
	if s.postgres {
		query = `SELECT column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ? AND is_generated = 'NEVER'
			ORDER BY ordinal_position`
	}
	rows, err := q.QueryContext(ctx, query, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("no table %s", table)
	}
	return cols, nil
}

// Export writes the whole store to w (see exportTables) and returns the
// rows of each table. It reads in one transaction: a consistent picture,
// even while nodes write.
func (s *DB) Export(ctx context.Context, w io.Writer) (Counts, error) {
	schema, err := s.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	// One snapshot for every table (SQLite: a read transaction is one).
	raw, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: s.postgres, Isolation: isolation(s.postgres)})
	if err != nil {
		return nil, err
	}
	defer raw.Rollback()
	q := &Tx{Tx: raw, stmts: s.stmts, postgres: s.postgres}
	if s.postgres {
		// The file may be written slowly (a pipe, a slow disk): the
		// snapshot stays between the tables.
		if _, err := raw.ExecContext(ctx, `SET LOCAL idle_in_transaction_session_timeout = 0`); err != nil {
			return nil, err
		}
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	if err := enc.Encode(exportHeader{"export", exportVersion, schema, s.engine()}); err != nil {
		return nil, err
	}
	counts := Counts{}
	for _, table := range exportTables {
		cols, err := s.columns(ctx, q, table)
		if err != nil {
			return nil, err
		}
		if err := enc.Encode(exportTable{table, cols}); err != nil {
			return nil, err
		}
		rows, err := q.QueryContext(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+table+` ORDER BY `+cols[0])
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", table, err)
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, err
			}
			out := make([]any, len(vals))
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					v = exportBytes{base64.StdEncoding.EncodeToString(b)}
				}
				out[i] = v
			}
			if err := enc.Encode(out); err != nil {
				rows.Close()
				return nil, err
			}
			counts[table]++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	if err := enc.Encode(exportCounts{counts}); err != nil {
		return nil, err
	}
	return counts, bw.Flush()
}

// exportBytes is a byte string in an export.
type exportBytes struct {
	B string `json:"b"`
}

// ErrNotEmpty: an import needs a store without organizations and users.
var ErrNotEmpty = errors.New("store: the store to import into is not empty")

// Import reads an export into this store, which must be new (migrated,
// nothing else), in one transaction: it checks that every table's rows
// read match the export's counts and what the store then holds, and
// changes nothing unless all do. The store's id becomes the exported
// store's (browsers keep their drafts). Run it with no node serving the
// store: they would keep the id they read at start.
func (s *DB) Import(ctx context.Context, r io.Reader) (Counts, error) {
	if empty, err := s.Empty(ctx); err != nil {
		return nil, err
	} else if !empty {
		return nil, ErrNotEmpty
	}
	schema, err := s.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bufio.NewReaderSize(r, 1<<16))
	dec.UseNumber()
	var h exportHeader
	if err := dec.Decode(&h); err != nil || h.Supportal != "export" {
		return nil, errors.New("not a supportal export")
	}
	if h.Version != exportVersion {
		return nil, fmt.Errorf("export format %d; this build reads %d", h.Version, exportVersion)
	}
	if h.Schema != schema {
		return nil, fmt.Errorf("the export is of schema %d, this store is at %d: export and import with the same build", h.Schema, schema)
	}
	read := Counts{}
	var want Counts
	err = s.direct(ctx, func(tx *Tx) error {
		// The migrations made the store's own id: the export's replaces it.
		if _, err := tx.ExecContext(ctx, `DELETE FROM meta`); err != nil {
			return err
		}
		next := 0 // the table expected next
		var table string
		var cols []string
		var insert string
		for {
			var line json.RawMessage
			if err := dec.Decode(&line); err != nil {
				if errors.Is(err, io.EOF) {
					return errors.New("the export ends early: no counts at its end")
				}
				return fmt.Errorf("reading the export: %w", err)
			}
			if len(line) > 0 && line[0] == '[' {
				if table == "" {
					return errors.New("a row before any table")
				}
				vals, err := importRow(line, len(cols))
				if err != nil {
					return fmt.Errorf("%s row %d: %w", table, read[table]+1, err)
				}
				if table == "search" && tx.postgres {
					// Indexed as PostgreSQL's search takes texts.
					if t, ok := vals[1].(string); ok {
						vals[1] = tx.indexedText(t)
					}
				}
				if _, err := tx.Tx.ExecContext(ctx, insert, vals...); err != nil {
					return fmt.Errorf("%s row %d: %w", table, read[table]+1, err)
				}
				read[table]++
				continue
			}
			var head struct {
				exportTable
				Counts Counts `json:"counts"`
			}
			if err := json.Unmarshal(line, &head); err != nil {
				return fmt.Errorf("reading the export: %w", err)
			}
			if head.Counts != nil {
				want = head.Counts
				break
			}
			if next >= len(exportTables) || head.Table != exportTables[next] {
				return fmt.Errorf("table %q where %q was expected", head.Table, exportTables[min(next, len(exportTables)-1)])
			}
			next++
			table = head.Table
			have, err := s.columns(ctx, tx, table)
			if err != nil {
				return err
			}
			if !sameColumns(head.Columns, have) {
				return fmt.Errorf("table %s: the export's columns %v, this store's %v", table, head.Columns, have)
			}
			cols = head.Columns
			insert = tx.sql(`INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES (?` + strings.Repeat(", ?", len(cols)-1) + `)`)
		}
		if next != len(exportTables) {
			return fmt.Errorf("the export has %d of the %d tables", next, len(exportTables))
		}
		for _, t := range exportTables {
			var n int64
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+t).Scan(&n); err != nil {
				return err
			}
			if want[t] != read[t] || n != read[t] {
				return fmt.Errorf("table %s: the export counts %d rows, %d were read, the store holds %d", t, want[t], read[t], n)
			}
		}
		return s.moveIdentities(ctx, tx)
	})
	if err != nil {
		return nil, fmt.Errorf("import (nothing imported): %w", err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'store_id'`).Scan(&s.id); err != nil {
		return nil, err
	}
	return read, nil
}

// moveIdentities moves PostgreSQL's identity sequences past the ids an
// import wrote (SQLite's AUTOINCREMENT follows explicit ids by itself).
func (s *DB) moveIdentities(ctx context.Context, tx *Tx) error {
	if !s.postgres {
		return nil
	}
	rows, err := tx.Tx.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_identity = 'YES'`)
	if err != nil {
		return err
	}
	type col struct{ table, column string }
	var cols []col
	for rows.Next() {
		var c col
		if err := rows.Scan(&c.table, &c.column); err != nil {
			rows.Close()
			return err
		}
		cols = append(cols, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range cols {
		// Only forward: an empty table keeps its start (ticket numbers
		// start at FirstTicketNumber).
		var seq string
		if err := tx.Tx.QueryRowContext(ctx, `SELECT pg_get_serial_sequence($1, $2)`, c.table, c.column).Scan(&seq); err != nil {
			return fmt.Errorf("the sequence of %s.%s: %w", c.table, c.column, err)
		}
		if _, err := tx.Tx.ExecContext(ctx, `SELECT setval($1, m) FROM (SELECT max(`+c.column+`) AS m FROM `+c.table+`) x
			WHERE m IS NOT NULL AND m >= (SELECT last_value FROM `+seq+`)`, seq); err != nil {
			return fmt.Errorf("moving %s.%s: %w", c.table, c.column, err)
		}
	}
	return nil
}

// importRow decodes one exported row of n values.
func importRow(line json.RawMessage, n int) ([]any, error) {
	var raw []json.RawMessage
	if err := json.Unmarshal(line, &raw); err != nil {
		return nil, err
	}
	if len(raw) != n {
		return nil, fmt.Errorf("%d values for %d columns", len(raw), n)
	}
	vals := make([]any, n)
	for i, r := range raw {
		switch {
		case len(r) > 0 && r[0] == '{':
			var b exportBytes
			if err := json.Unmarshal(r, &b); err != nil {
				return nil, err
			}
			v, err := base64.StdEncoding.DecodeString(b.B)
			if err != nil {
				return nil, err
			}
			vals[i] = v
		case len(r) > 0 && r[0] == '"':
			var v string
			if err := json.Unmarshal(r, &v); err != nil {
				return nil, err
			}
			vals[i] = v
		case string(r) == "null":
			vals[i] = nil
		case string(r) == "true" || string(r) == "false":
			vals[i] = string(r) == "true"
		default:
			var num json.Number
			if err := json.Unmarshal(r, &num); err != nil {
				return nil, err
			}
			if v, err := num.Int64(); err == nil {
				vals[i] = v
			} else if f, err := num.Float64(); err == nil {
				vals[i] = f
			} else {
				return nil, err
			}
		}
	}
	return vals, nil
}

func sameColumns(a, b []string) bool {
	return slices.Equal(a, b)
}

// isolation is the export's: PostgreSQL's default reads each statement
// at its own snapshot; SQLite's read transaction is one snapshot already.
func isolation(postgres bool) sql.IsolationLevel {
	if postgres {
		return sql.LevelRepeatableRead
	}
	return sql.LevelDefault
}
