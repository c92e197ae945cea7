package store_test

import (
	"bytes"
	"context"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
)

// A store moves from SQLite to PostgreSQL and back: every table's rows
// arrive (counted), tickets read the same, search finds the same, the
// store keeps its id, and new tickets and events are numbered after the
// imported ones.
func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	lite := modes[0].open(t)
	if _, err := seed.Load(ctx, lite, "hash", time.Now()); err != nil {
		t.Fatal(err)
	}
	var dump bytes.Buffer
	counts, err := lite.Export(ctx, &dump)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"organizations", "users", "tickets", "messages", "events", "search", "records", "ticket_links", "meta"} {
		if counts[table] == 0 {
			t.Errorf("the demo store exported no %s", table)
		}
	}
	pg := modes[2].open(t)
	imported, err := pg.Import(ctx, bytes.NewReader(dump.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(imported, counts) {
		t.Errorf("imported %v, exported %v", imported, counts)
	}
	if pg.ID() != lite.ID() {
		t.Errorf("store id %s after import, want the exported store's %s", pg.ID(), lite.ID())
	}
	sameStore(t, lite, pg)

	// And back, into a new SQLite store: the same again.
	var again bytes.Buffer
	if _, err := pg.Export(ctx, &again); err != nil {
		t.Fatal(err)
	}
	back := modes[1].open(t)
	if imported, err = back.Import(ctx, bytes.NewReader(again.Bytes())); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(imported, counts) {
		t.Errorf("imported back %v, exported %v", imported, counts)
	}
	sameStore(t, lite, back)

	// New rows come after the imported ones on both engines.
	for _, db := range []*store.DB{pg, back} {
		last, _ := lite.LastEventID(ctx)
		orgs, _ := db.Organizations(ctx)
		u, _, err := db.UserByEmail(ctx, seed.AnnaEmail)
		if err != nil {
			t.Fatal(err)
		}
		tk := mustTicket(t, db, orgs[0], u, ticket.StatusNew, time.Now())
		all, _, err := lite.ListTickets(ctx, store.ListQuery{Scope: ticket.Scope{All: true}, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if tk.Number <= all[0].Number {
			t.Errorf("a new ticket got number %d, the imported ones go up to %d", tk.Number, all[0].Number)
		}
		events, err := db.EventsAfter(ctx, last, 10)
		if err != nil || len(events) != 1 || events[0].Ticket.Number != tk.Number {
			t.Errorf("after the imported events (%d): %d events (%v), want the new ticket's", last, len(events), err)
		}
	}
}

// sameStore compares what users see of two stores: every ticket with its
// messages, and what some searches find.
func sameStore(t *testing.T, want, got *store.DB) {
	t.Helper()
	ctx := context.Background()
	all := store.ListQuery{Scope: ticket.Scope{All: true}, Limit: 500}
	wantList, _, err := want.ListTickets(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	gotList, _, err := got.ListTickets(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	if len(gotList) != len(wantList) || len(wantList) < 30 {
		t.Fatalf("%d tickets, want %d (≥ 30)", len(gotList), len(wantList))
	}
	for i, w := range wantList {
		g, err := got.Ticket(ctx, w.Number)
		if err != nil {
			t.Fatalf("ticket %d: %v", w.Number, err)
		}
		w, _ = want.Ticket(ctx, w.Number)
		if !reflect.DeepEqual(g, w) {
			t.Errorf("ticket %d differs:\n got %+v\nwant %+v", w.Number, g, w)
		}
		if gotList[i].Number != w.Number {
			t.Errorf("list position %d: ticket %d, want %d", i, gotList[i].Number, w.Number)
		}
		wm, _ := want.Messages(ctx, w.Number)
		gm, err := got.Messages(ctx, w.Number)
		if err != nil || !reflect.DeepEqual(gm, wm) {
			t.Errorf("ticket %d: messages differ (%v)", w.Number, err)
		}
	}
	for _, words := range []string{"Rechnung", "factura", "Zugang MFA", "umlaute pdf", "verification SMS", "ecran"} {
		q := all
		q.Search = words
		w, _, err := want.ListTickets(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		g, _, err := got.ListTickets(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(w) == 0 {
			t.Errorf("search %q finds nothing in the demo store: pick another word", words)
		}
		if !slices.Equal(numbers(g), numbers(w)) {
			t.Errorf("search %q finds %v, want %v", words, numbers(g), numbers(w))
		}
	}
}

// An import changes nothing unless all of it holds: a store with data is
// refused, and a file cut short or with a row too many leaves the store
// as it was.
func TestImportAllOrNothing(t *testing.T) {
	ctx := context.Background()
	src := modes[0].open(t)
	if _, err := seed.Load(ctx, src, "hash", time.Now()); err != nil {
		t.Fatal(err)
	}
	var dump bytes.Buffer
	if _, err := src.Export(ctx, &dump); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(dump.String(), "\n")
	onEngines(t, func(t *testing.T, db *store.DB) {
		cut := strings.Join(lines[:len(lines)/2], "")
		if _, err := db.Import(ctx, strings.NewReader(cut)); err == nil || !strings.Contains(err.Error(), "ends early") {
			t.Errorf("an export cut short: %v, want it refused", err)
		}
		// Counts that do not match the rows (one ticket fewer said).
		trailer := lines[len(lines)-2]
		m := regexp.MustCompile(`"tickets":(\d+)`).FindStringSubmatch(trailer)
		if m == nil {
			t.Fatalf("no ticket count in %q", trailer)
		}
		wrong := strings.Join(lines[:len(lines)-2], "") + strings.Replace(trailer, m[0], `"tickets":`+strconv.Itoa(atoi(t, m[1])-1), 1)
		if _, err := db.Import(ctx, strings.NewReader(wrong)); err == nil || !strings.Contains(err.Error(), "table tickets: the export counts") {
			t.Errorf("an export whose counts do not match its rows: %v, want it refused", err)
		}
		if empty, err := db.Empty(ctx); err != nil || !empty {
			t.Errorf("after refused imports: empty %v (%v), want nothing imported", empty, err)
		}
		if _, err := db.Import(ctx, strings.NewReader(dump.String())); err != nil {
			t.Fatalf("the whole export: %v", err)
		}
		if _, err := db.Import(ctx, strings.NewReader(dump.String())); err != store.ErrNotEmpty {
			t.Errorf("importing into a store with data: %v, want ErrNotEmpty", err)
		}
	})
}

// Every table of both engines' schemas is exported, or left out on
// purpose: a migration that adds a table must say which.
func TestExportCoversEveryTable(t *testing.T) {
	onEngines(t, func(t *testing.T, db *store.DB) {
		got, err := db.Tables(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := store.ExportedTables()
		if db.Engine() == "sqlite" { // its versions live in memory
			want = slices.DeleteFunc(want, func(t string) bool { return t == "store_versions" })
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("the schema's tables %v,\nexported or left out %v", got, want)
		}
	})
}

func atoi(t *testing.T, s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
