package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

// The write-ahead log is copied into the database beside the writer (no
// checkpoint inside a commit): it is started over, so it does not grow
// with every write.
func TestLogDoesNotGrow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f := mustFixture(t, db)
	ctx := context.Background()
	var sizes []int64
	for round := range 4 {
		for range 300 {
			if _, err := db.CreateTicket(ctx, ticket.Ticket{Organization: f.orgA.Ref(), Requester: f.user.Ref(), Type: "login_problem",
				Category: "password", Subject: "Kennwort", Description: "Seit heute früh geht es nicht.", Status: ticket.StatusNew, CreatedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(time.Second) // the checkpointer's turn
		fi, err := os.Stat(path + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, fi.Size())
		t.Logf("round %d: log %d bytes", round, fi.Size())
	}
	if sizes[3] > sizes[0]*3/2 {
		t.Fatalf("the log grows with the writes: %v bytes after each round", sizes)
	}
}
