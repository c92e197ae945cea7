package store_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/supportal/supportal/server/store"
	"github.com/supportal/supportal/server/store/pgtest"
)

// Two nodes started at once on an empty PostgreSQL database: one migrates,
// the other waits for it and finds nothing left to do; both open the
// same store, at the schema version SQLite's migrations reach.
func TestPostgresMigrationRace(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	const nodes = 4
	dbs := make([]*store.DB, nodes)
	errs := make([]error, nodes)
	var wg sync.WaitGroup
	for i := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dbs[i], errs[i] = store.OpenPostgres(ctx, url, store.PostgresOptions{})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("node %d: %v", i, err)
		}
		t.Cleanup(func() { dbs[i].Close() })
	}
	lite, err := store.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	want, err := lite.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, db := range dbs {
		v, err := db.SchemaVersion(ctx)
		if err != nil || v != want {
			t.Errorf("node %d: schema version %d (%v), want %d as SQLite's", i, v, err, want)
		}
		if db.ID() != dbs[0].ID() || len(db.ID()) != 32 {
			t.Errorf("node %d: store id %q, node 0's %q: want the same 32 hex digits", i, db.ID(), dbs[0].ID())
		}
		if empty, err := db.Empty(ctx); err != nil || !empty {
			t.Errorf("node %d: Empty() = %v, %v; want a new store empty", i, empty, err)
		}
	}
	// Opened again: nothing to migrate, the same store.
	again, err := store.OpenPostgres(ctx, url, store.PostgresOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if again.ID() != dbs[0].ID() {
		t.Errorf("reopened: store id %q, want %q", again.ID(), dbs[0].ID())
	}
}

// The engines' migrations are numbered alike: migration N of one is
// migration N of the other.
func TestMigrationsNumberedAlike(t *testing.T) {
	lite, pg := store.MigrationNames("sqlite"), store.MigrationNames("postgres")
	if len(lite) == 0 || !slices.Equal(lite, pg) {
		t.Errorf("migrations differ:\nsqlite   %v\npostgres %v", lite, pg)
	}
}
