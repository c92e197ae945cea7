package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
)

// The catch-up's query filters by the same policy as ViewEvent: for every
// demo user it returns exactly the events ViewEvent lets through, and for
// a user who may see nothing it reads not a single row.
func TestEventsForAgreesWithThePolicy(t *testing.T) {
	onEngines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := seed.Load(ctx, db, "hash", time.Now()); err != nil {
			t.Fatal(err)
		}
		// A read marker: an event for one user's devices only.
		anna, _, err := db.UserByEmail(ctx, seed.AnnaEmail)
		if err != nil {
			t.Fatal(err)
		}
		all, err := db.EventsAfter(ctx, 0, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.MarkRead(ctx, anna.ID, all[0].Ticket.Number, false, time.Now()); err != nil {
			t.Fatal(err)
		}
		if all, err = db.EventsAfter(ctx, 0, 1<<20); err != nil {
			t.Fatal(err)
		}
		last := all[len(all)-1].ID
		var internal, personal int
		for _, e := range all {
			if e.Internal {
				internal++
			}
			if e.UserID != 0 {
				personal++
			}
		}
		if internal == 0 || personal == 0 {
			t.Fatalf("the demo log has %d internal and %d personal events of %d, want some of each", internal, personal, len(all))
		}

		for _, email := range []string{seed.AnnaEmail, seed.BerndEmail, seed.CarlaEmail, seed.ClaireEmail, seed.DiegoEmail, seed.VeraEmail, seed.SamEmail} {
			t.Run(email, func(t *testing.T) {
				u, _, err := db.UserByEmail(ctx, email)
				if err != nil {
					t.Fatal(err)
				}
				v, err := db.Viewer(ctx, u.ID)
				if err != nil {
					t.Fatal(err)
				}
				var want []int64
				for _, e := range all {
					if _, ok := v.ViewEvent(e); ok {
						want = append(want, e.ID)
					}
				}
				read := db.EventRowsRead()
				// In pages of 7, as the catch-up reads, up to the last event.
				var got []int64
				for after := int64(0); ; {
					page, err := db.EventsFor(ctx, after, last, 7, v.EventFilter())
					if err != nil {
						t.Fatal(err)
					}
					for _, e := range page {
						got = append(got, e.ID)
					}
					if len(page) < 7 {
						break
					}
					after = page[len(page)-1].ID
				}
				if !slices.Equal(got, want) {
					t.Fatalf("EventsFor = %v,\nViewEvent admits %v", got, want)
				}
				if rows := db.EventRowsRead() - read; rows != int64(len(want)) {
					t.Errorf("rows read = %d, want %d (only the events the user may see)", rows, len(want))
				}
				if email == seed.CarlaEmail && len(got) != 0 {
					t.Errorf("a user without ticket access got %d events", len(got))
				}
				// upTo bounds the read.
				if len(want) > 1 {
					page, err := db.EventsFor(ctx, 0, want[0], 100, v.EventFilter())
					if err != nil {
						t.Fatal(err)
					}
					if len(page) != 1 || page[0].ID != want[0] {
						t.Errorf("EventsFor up to %d = %d events, want just that one", want[0], len(page))
					}
				}
			})
		}
		// Nobody logged in reads nothing either.
		read := db.EventRowsRead()
		if got, err := db.EventsFor(ctx, 0, last, 100, ticket.Viewer{}.EventFilter()); err != nil || len(got) != 0 || db.EventRowsRead() != read {
			t.Errorf("the zero viewer: %d events, %d rows read, %v; want none", len(got), db.EventRowsRead()-read, err)
		}
	})
}

// EventTime tells when the first event after a position was appended.
func TestEventTime(t *testing.T) {
	onEngines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, ok, err := db.EventTime(ctx, 0); ok || err != nil {
			t.Fatalf("empty log: ok %v, %v; want no event", ok, err)
		}
		f := mustFixture(t, db)
		at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
		mustTicket(t, db, f.orgA, f.user, ticket.StatusNew, at)
		got, ok, err := db.EventTime(ctx, 0)
		if err != nil || !ok || !got.Equal(at) {
			t.Fatalf("EventTime(0) = %v, %v, %v; want %v", got, ok, err, at)
		}
	})
}
