package pgtest_test

import (
	"context"
	"database/sql"
	"os"
	"testing"

	"github.com/supportal/supportal/server/store/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

// Each test gets a database of its own on the shared cluster, with the
// extensions search needs available.
func TestDatabasesAreSeparate(t *testing.T) {
	ctx := context.Background()
	a, b := pgtest.URL(t), pgtest.URL(t)
	if a == b {
		t.Fatalf("two tests got the same database %s", a)
	}
	dba, err := sql.Open("pgx", a)
	if err != nil {
		t.Fatal(err)
	}
	defer dba.Close()
	if _, err := dba.ExecContext(ctx, `CREATE TABLE only_here (id bigint)`); err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{"unaccent", "pg_trgm"} {
		if _, err := dba.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS `+ext); err != nil {
			t.Errorf("extension %s: %v", ext, err)
		}
	}
	dbb, err := sql.Open("pgx", b)
	if err != nil {
		t.Fatal(err)
	}
	defer dbb.Close()
	var n int
	if err := dbb.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_name = 'only_here'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("a table made in one test's database is in another's")
	}
	var v string
	if err := dbb.QueryRowContext(ctx, `SHOW server_version`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	t.Logf("PostgreSQL %s", v)
}
