package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

func TestOnce(t *testing.T) {
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			ctx := context.Background()
			db := mode.open(t)
			f := mustFixture(t, db)
			at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
			newTicket := ticket.Ticket{Organization: f.orgA.Ref(), Requester: f.user.Ref(), Type: "login_problem", Category: "password",
				Subject: "S", Description: "D", Status: ticket.StatusNew, CreatedAt: at}
			once := store.Once{UserID: f.user.ID, Key: "k1", RequestHash: []byte("hash 1")}

			tk, replayed, err := db.CreateTicketOnce(ctx, once, newTicket)
			if err != nil || replayed {
				t.Fatalf("CreateTicketOnce = %v, %v; want a new ticket", replayed, err)
			}
			rp, ok, err := db.Replayed(ctx, once)
			if err != nil || !ok {
				t.Fatalf("Replayed = %v, %v; want the key", ok, err)
			}
			if rp.Number != tk.Number || rp.Status != 0 || rp.Body != nil {
				t.Errorf("Replayed before the answer is kept = %+v, want ticket #%d and no answer", rp, tk.Number)
			}

			// The first answer kept stays.
			if err := db.KeepAnswer(ctx, once, 201, []byte(`{"first":true}`)); err != nil {
				t.Fatal(err)
			}
			if err := db.KeepAnswer(ctx, once, 200, []byte(`{"second":true}`)); err != nil {
				t.Fatal(err)
			}
			rp, _, _ = db.Replayed(ctx, once)
			if got, want := string(rp.Body), `{"first":true}`; rp.Status != 201 || got != want {
				t.Errorf("Replayed = %d %s, want 201 %s", rp.Status, got, want)
			}

			// A retry in the write transaction makes nothing.
			again, replayed, err := db.CreateTicketOnce(ctx, once, newTicket)
			if err != nil || !replayed || again.Number != tk.Number {
				t.Fatalf("retry = #%d %v, %v; want #%d replayed", again.Number, replayed, err, tk.Number)
			}

			// Another request with the key is refused (422), in both places.
			other := once
			other.RequestHash = []byte("hash 2")
			if _, _, err := db.Replayed(ctx, other); err != store.ErrKeyReused {
				t.Errorf("Replayed(another request) err = %v, want ErrKeyReused", err)
			}
			if _, _, err := db.CreateTicketOnce(ctx, other, newTicket); err != store.ErrKeyReused {
				t.Errorf("CreateTicketOnce(another request) err = %v, want ErrKeyReused", err)
			}
			if got, want := ticket.ErrorCode(store.ErrKeyReused), ticket.CodeUnprocessable; got != want {
				t.Errorf("ErrKeyReused code = %q, want %q", got, want)
			}

			// A reply with a key is added once and moves the status once.
			reply := store.Once{UserID: f.user.ID, Key: "r1", RequestHash: []byte("reply hash")}
			m := ticket.Message{TicketNumber: tk.Number, Author: f.user.Ref(), Body: "Danke", CreatedAt: at.Add(time.Minute)}
			first, replayed, err := db.ReplyOnce(ctx, reply, m, ticket.StatusNew, ticket.StatusOpen)
			if err != nil || replayed {
				t.Fatalf("ReplyOnce = %v, %v", replayed, err)
			}
			second, replayed, err := db.ReplyOnce(ctx, reply, m, ticket.StatusOpen, ticket.StatusWaitingExternal)
			if err != nil || !replayed || second.ID != first.ID {
				t.Fatalf("ReplyOnce again = #%d %v, %v; want #%d replayed", second.ID, replayed, err, first.ID)
			}
			ms, _ := db.Messages(ctx, tk.Number)
			if got, want := len(ms), 1; got != want {
				t.Errorf("messages = %d, want %d", got, want)
			}
			if got, _ := db.Ticket(ctx, tk.Number); got.Status != ticket.StatusOpen {
				t.Errorf("status = %s, want %s (moved once)", got.Status, ticket.StatusOpen)
			}

			// A key kept before kinds were hashed (and before answers
			// were kept) matches its old hash.
			legacy := store.Once{UserID: f.user.ID, Key: "old", RequestHash: []byte("old hash")}
			if _, _, err := db.CreateTicketOnce(ctx, legacy, newTicket); err != nil {
				t.Fatal(err)
			}
			rehashed := store.Once{UserID: f.user.ID, Key: "old", RequestHash: []byte("new hash"), OldHash: []byte("old hash")}
			if _, ok, err := db.Replayed(ctx, rehashed); err != nil || !ok {
				t.Errorf("Replayed(old hash) = %v, %v; want the key", ok, err)
			}
			// ... but not once an answer was kept with the key.
			answered := store.Once{UserID: f.user.ID, Key: "k1", RequestHash: []byte("new hash"), OldHash: []byte("hash 1")}
			if _, _, err := db.Replayed(ctx, answered); err != store.ErrKeyReused {
				t.Errorf("Replayed(old hash of an answered key) err = %v, want ErrKeyReused", err)
			}
		})
	}
}

func TestDeleteKeysBefore(t *testing.T) {
	onEngines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := mustFixture(t, db)
		t0 := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
		keys := []struct {
			key string
			at  time.Time
		}{{"old", t0}, {"new", t0.Add(10 * 24 * time.Hour)}}
		for _, k := range keys {
			once := store.Once{UserID: f.user.ID, Key: k.key, RequestHash: []byte(k.key)}
			if _, _, err := db.CreateTicketOnce(ctx, once, ticket.Ticket{Organization: f.orgA.Ref(), Requester: f.user.Ref(), Type: "login_problem",
				Category: "password", Subject: "S", Description: "D", Status: ticket.StatusNew, CreatedAt: k.at}); err != nil {
				t.Fatal(err)
			}
		}
		n, err := db.DeleteKeysBefore(ctx, t0.Add(5*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := n, int64(1); got != want {
			t.Errorf("deleted %d keys, want %d", got, want)
		}
		for _, tt := range []struct {
			key  string
			kept bool
		}{{"old", false}, {"new", true}} {
			_, ok, err := db.Replayed(ctx, store.Once{UserID: f.user.ID, Key: tt.key, RequestHash: []byte(tt.key)})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := ok, tt.kept; got != want {
				t.Errorf("key %q kept = %v, want %v", tt.key, got, want)
			}
		}
	})
}
