package api_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
)

// BenchmarkEventCatchUp measures what browsers coming back with after=1
// cost when the log holds many events (SUPPORTAL_BENCH_EVENTS, default
// 100,000: replies on Praxis Sonnenschein's tickets): 20 sockets at once of
// one user, each read to its sync frame. Carla (no ticket access) and
// Diego (another organization) see none of them; Anna sees them all, which
// the default bound (10,000 events) answers with a reset. One op is 20
// sockets.
func BenchmarkEventCatchUp(b *testing.B) {
	n := 100000
	if s := os.Getenv("SUPPORTAL_BENCH_EVENTS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	for _, bound := range []struct {
		name   string
		events int64
	}{{"unbounded", -1}, {"bounded", 0}} {
		srv, db := mustDemo(b, api.Config{CatchUpEvents: bound.events, CatchUpAge: -1, StreamOpens: -1})
		fillEvents(b, db, n)
		for _, who := range []string{seed.CarlaEmail, seed.DiegoEmail, seed.AnnaEmail} {
			if bound.events < 0 && who == seed.AnnaEmail && n > 20000 {
				continue // sending her every event: seconds a socket
			}
			c := newClient(b, srv)
			c.login(who)
			b.Run(bound.name+"/"+strings.Split(who, "@")[0], func(b *testing.B) {
				rows := db.EventRowsRead()
				frames := 0
				for b.Loop() {
					var wg sync.WaitGroup
					var mu sync.Mutex
					for range 20 {
						wg.Go(func() {
							got := catchUp(b, c)
							mu.Lock()
							frames += got
							mu.Unlock()
						})
					}
					wg.Wait()
				}
				b.ReportMetric(float64(db.EventRowsRead()-rows)/float64(b.N*20), "rows/socket")
				b.ReportMetric(float64(frames)/float64(b.N*20), "frames/socket")
			})
		}
	}
}

// fillEvents appends n replies by Sam to Praxis Sonnenschein's tickets.
func fillEvents(b *testing.B, db *store.DB, n int) {
	b.Helper()
	ctx := context.Background()
	sam, _, err := db.UserByEmail(ctx, seed.SamEmail)
	if err != nil {
		b.Fatal(err)
	}
	var numbers []int64
	for _, tk := range mustTickets(b, db) {
		if tk.Organization.Name == "Praxis Sonnenschein" {
			numbers = append(numbers, tk.Number)
		}
	}
	for i := range n {
		if _, err := db.AddMessage(ctx, ticket.Message{TicketNumber: numbers[i%len(numbers)], Author: sam.Ref(), Body: "Antwort " + strconv.Itoa(i), CreatedAt: time.Now()}); err != nil {
			b.Fatal(err)
		}
	}
}

func mustTickets(b *testing.B, db *store.DB) []ticket.Ticket {
	list, _, err := db.ListTickets(context.Background(), store.ListQuery{Scope: ticket.Scope{All: true}, Limit: 1000})
	if err != nil {
		b.Fatal(err)
	}
	return list
}

// catchUp opens c's event stream after event 1 and reads it to its sync
// (or reset) frame; it returns how many events came before.
func catchUp(b *testing.B, c *client) int {
	s, _, err := c.dial(b, "1")
	if err != nil {
		b.Error(err)
		return 0
	}
	defer s.ws.Close() // at once: a user may keep only so many sockets
	n := 0
	for ev := range s.frames {
		if ev.Type == ticket.EventSync || ev.Type == ticket.EventReset {
			return n
		}
		n++
	}
	b.Error("the stream ended before its sync frame")
	return n
}
