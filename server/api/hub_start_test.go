package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/live"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
)

// The server starts the live hub before the API; an event committed after
// the hub read where the log ends, but before api.New pointed the store's
// notifications at the hub, is sent at once, not with the next commit.
func TestEventBeforeNewIsSent(t *testing.T) {
	ctx := context.Background()
	db, err := store.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := seed.Load(ctx, db, "unused", time.Now()); err != nil {
		t.Fatal(err)
	}
	hubCtx, stopHub := context.WithCancel(ctx)
	t.Cleanup(stopHub)
	hub := live.NewHub(db, nil, 0)
	go hub.Run(hubCtx)
	queued := make(chan struct{}, 1)
	sub, err := hub.Subscribe(ctx, 1, "", func() {
		select {
		case queued <- struct{}{}:
		default:
		}
	})
	if err != nil { // answered once the hub has read where the log ends
		t.Fatal(err)
	}
	defer hub.Unsubscribe(sub)

	sam, _, err := db.UserByEmail(ctx, seed.SamEmail)
	if err != nil {
		t.Fatal(err)
	}
	tk := firstTicket(t, db, "100200", 0, ticket.StatusNew, ticket.StatusOpen, ticket.StatusWaitingExternal)
	if changed, err := db.MarkRead(ctx, sam.ID, tk.Number, true, time.Now()); err != nil || !changed {
		t.Fatalf("MarkRead: changed %v, %v; want an event", changed, err)
	}
	api.New(db, api.Config{Hub: hub})

	select {
	case <-queued:
	case <-time.After(5 * time.Second):
		t.Fatal("the event committed before api.New was not sent within 5 s")
	}
	var got []ticket.Event
	for _, b := range sub.Take() {
		got = append(got, b.Events...)
	}
	if len(got) != 1 || got[0].Type != ticket.EventTicketRead || got[0].Ticket.Number != tk.Number {
		t.Errorf("sent %+v, want the read of ticket %d", got, tk.Number)
	}
}
