package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

// BenchmarkCreateTicket measures durable ticket creation: each one is its
// own transaction, committed with synchronous=FULL on a WAL file.
func BenchmarkCreateTicket(b *testing.B) {
	db, err := store.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	f := mustFixture(b, db)
	ctx := context.Background()
	tk := ticket.Ticket{Organization: f.orgA.Ref(), Requester: f.user.Ref(), Type: "login_problem", Category: "password",
		Subject: "Kennwort abgelaufen", Description: "Seit heute früh kann ich mich nicht mehr anmelden.", Status: ticket.StatusNew}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		tk.CreatedAt = time.Now()
		if _, err := db.CreateTicket(ctx, tk); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "tickets/s")
}

// BenchmarkListVisible lists the first page of a customer's (two accounts)
// and an agent's visible tickets in a store of 100,000 tickets over 1,000
// organizations, and reports the p50 and p99 latency of one list.
func BenchmarkListVisible(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	user, err := db.CreateUser(ctx, ticket.User{Email: "bench@example.com", Name: "Bench"}, "x")
	if err != nil {
		b.Fatal(err)
	}
	var orgs []ticket.Organization
	for i := 0; i < 1000; i++ {
		o, err := db.CreateOrganization(ctx, ticket.Organization{Name: fmt.Sprint("Org ", i), AccountNumber: fmt.Sprint(500000 + i), Kind: ticket.KindCustomer})
		if err != nil {
			b.Fatal(err)
		}
		orgs = append(orgs, o)
	}
	const total = 100000
	statuses := ticket.Statuses()
	base := time.Now().Add(-total * time.Minute)
	batch := make([]ticket.Ticket, 0, 10000)
	for i := 0; i < total; i++ {
		batch = append(batch, ticket.Ticket{Organization: orgs[i%len(orgs)].Ref(), Requester: user.Ref(), Type: "login_problem", Category: "password",
			Subject: fmt.Sprint("Ticket ", i), Description: "Beschreibung", Status: statuses[i%len(statuses)], CreatedAt: base.Add(time.Duration(i) * time.Minute)})
		if len(batch) == cap(batch) {
			if err := db.ImportTickets(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	viewers := map[string]store.ListQuery{
		"customer": {Scope: ticket.Scope{OrganizationIDs: []int64{orgs[7].ID, orgs[8].ID}}, Limit: 50},
		"customer-open": {Scope: ticket.Scope{OrganizationIDs: []int64{orgs[7].ID, orgs[8].ID}}, Limit: 50,
			Statuses: append(ticket.PortalInProgress.InternalStatuses(), ticket.PortalResponseExpected.InternalStatuses()...)},
		"agent": {Scope: ticket.Scope{All: true}, Limit: 50},
	}
	for name, q := range viewers {
		b.Run(name, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				ts, _, err := db.ListTickets(ctx, q)
				if err != nil || len(ts) == 0 {
					b.Fatalf("list: %d tickets, %v", len(ts), err)
				}
				lat = append(lat, time.Since(t0))
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[(len(lat)*99)/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// BenchmarkCreateTicketConcurrent is BenchmarkCreateTicket with 32 callers
// per core, as a busy server has: concurrent writes share commits.
func BenchmarkCreateTicketConcurrent(b *testing.B) {
	db, err := store.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	f := mustFixture(b, db)
	ctx := context.Background()
	b.SetParallelism(32)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		tk := ticket.Ticket{Organization: f.orgA.Ref(), Requester: f.user.Ref(), Type: "login_problem", Category: "password",
			Subject: "Kennwort abgelaufen", Description: "Seit heute früh kann ich mich nicht mehr anmelden.", Status: ticket.StatusNew}
		for pb.Next() {
			tk.CreatedAt = time.Now()
			if _, err := db.CreateTicket(ctx, tk); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "tickets/s")
}
