package store_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
	"github.com/supportal/supportal/server/store/pgtest"
	"github.com/supportal/supportal/server/store/synth"
)

// TestMain only removes the big benchmark store (see bigStore) once every
// benchmark is done; it builds nothing.
func TestMain(m *testing.M) {
	code := m.Run()
	removeBig()
	pgtest.Stop()
	os.Exit(code)
}

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

// BenchmarkListVisible lists pages of a customer's (two accounts: one of
// the two biggest, 1,512 tickets, and a middling one) and an agent's
// visible tickets in the big store (100,000 tickets, 1,000,000 messages,
// see bigStore), in the UI's default order (last update) and by status,
// first pages and deep pages reached through cursors (page 1,001 by last
// update, page 101 by status). It reports the p50, p95 and p99 latency of
// one ListTickets call (50 tickets).
func BenchmarkListVisible(b *testing.B) {
	w := bigStore(b)
	ctx := context.Background()
	open := append(ticket.PortalInProgress.InternalStatuses(), ticket.PortalResponseExpected.InternalStatuses()...)
	all := ticket.Scope{All: true}
	cases := []struct {
		name string
		q    store.ListQuery
		skip int // tickets before the page measured, paged through with cursors
	}{
		{"customer/updated", store.ListQuery{Scope: w.Customer, Sort: ticket.SortUpdated}, 0},
		{"customer/status", store.ListQuery{Scope: w.Customer, Sort: ticket.SortStatus}, 0},
		{"customer/open", store.ListQuery{Scope: w.Customer, Sort: ticket.SortUpdated, Statuses: open}, 0},
		{"customer/updated-page20", store.ListQuery{Scope: w.Customer, Sort: ticket.SortUpdated}, 19 * 50},
		// The same, read and sorted whole (before one walk per account).
		{"customer/updated-sortall", store.ListQuery{Scope: w.Customer, Sort: ticket.SortUpdated}.SortingAll(), 0},
		{"customer/open-sortall", store.ListQuery{Scope: w.Customer, Sort: ticket.SortUpdated, Statuses: open}.SortingAll(), 0},
		{"agent/updated", store.ListQuery{Scope: all, Sort: ticket.SortUpdated}, 0},
		{"agent/status", store.ListQuery{Scope: all, Sort: ticket.SortStatus}, 0},
		{"agent/open", store.ListQuery{Scope: all, Sort: ticket.SortUpdated, Statuses: open}, 0},
		{"agent/updated-page1001", store.ListQuery{Scope: all, Sort: ticket.SortUpdated}, 1000 * 50},
		{"agent/status-page101", store.ListQuery{Scope: all, Sort: ticket.SortStatus}, 100 * 50},
	}
	for _, c := range cases {
		cursor := "" // found once: the benchmark function runs several times
		b.Run(c.name, func(b *testing.B) {
			q := c.q
			if c.skip > 0 && cursor == "" {
				cursor = skipTickets(b, w.DB, q, c.skip)
			}
			q.Cursor, q.Limit = cursor, 50
			measure(b, func() {
				ts, _, err := w.DB.ListTickets(ctx, q)
				if err != nil || len(ts) == 0 {
					b.Fatalf("list: %d tickets, %v", len(ts), err)
				}
			})
		})
	}
}

// skipTickets returns the cursor of the page after the first n tickets q
// lists (n a multiple of 50), paging 500 at a time where it can.
func skipTickets(b *testing.B, db *store.DB, q store.ListQuery, n int) string {
	b.Helper()
	for n > 0 {
		q.Limit = 50
		if n >= 500 {
			q.Limit = 500
		}
		ts, next, err := db.ListTickets(context.Background(), q)
		if err != nil || next == "" || len(ts) != q.Limit {
			b.Fatalf("skipping tickets: %d listed, no next page (%v)", len(ts), err)
		}
		q.Cursor = next
		n -= q.Limit
	}
	return q.Cursor
}

// BenchmarkSearch searches the big store (see bigStore) as a customer (two
// accounts) and as an agent (everything, internal notes included): a rare
// word, a common one, a three-letter prefix and a ticket number, first
// page in the default order of a search (relevance). It reports the p50,
// p95 and p99 latency of one ListTickets call and how many tickets the
// search lists in all (CountByStatus: within store.SearchWindow).
// A search that takes longer than searchTimeout is stopped and reported
// as taking searchTimeout, with timeouts 1.
func BenchmarkSearch(b *testing.B) {
	w := bigStore(b)
	ctx := context.Background()
	viewers := []struct {
		name   string
		scope  ticket.Scope
		number int64
	}{
		{"customer", w.Customer, w.customerTicket},
		{"agent", ticket.Scope{All: true}, ticket.FirstTicketNumber + synth.Tickets/2},
	}
	for _, v := range viewers {
		for _, s := range []struct{ name, text string }{
			{"rare", benchRare},
			{"common", benchCommon},
			{"prefix3", benchPrefix},
			{"number", "#" + strconv.FormatInt(v.number, 10)},
		} {
			matches := 0 // counted once: the benchmark function runs several times
			b.Run(v.name+"/"+s.name, func(b *testing.B) {
				q := store.ListQuery{Scope: v.scope, Search: s.text, Sort: ticket.SortRelevance, Limit: 50}
				if matches == 0 {
					counts, err := w.DB.CountByStatus(ctx, q)
					if err != nil {
						b.Fatal(err)
					}
					for _, n := range counts {
						matches += n
					}
					if matches == 0 {
						b.Fatalf("search %q finds nothing", s.text)
					}
				}
				lat := make([]time.Duration, 0, b.N)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					qctx, cancel := context.WithTimeout(ctx, searchTimeout)
					t0 := time.Now()
					ts, _, err := w.DB.ListTickets(qctx, q)
					d := time.Since(t0)
					timedOut := qctx.Err() == context.DeadlineExceeded
					cancel()
					if timedOut {
						b.StopTimer()
						b.Logf("search %q did not finish within %v: stopped", s.text, searchTimeout)
						reportPercentiles(b, []time.Duration{searchTimeout})
						b.ReportMetric(1, "timeouts")
						b.ReportMetric(float64(matches), "matches")
						return
					}
					if err != nil || len(ts) == 0 {
						b.Fatalf("search %q: %d tickets, %v", s.text, len(ts), err)
					}
					lat = append(lat, d)
				}
				b.StopTimer()
				reportPercentiles(b, lat)
				b.ReportMetric(float64(matches), "matches")
			})
		}
	}
}

// searchTimeout bounds one search of BenchmarkSearch.
const searchTimeout = 10 * time.Second

// measure runs fn b.N times and reports the p50, p95 and p99 latency of
// one call in milliseconds.
func measure(b *testing.B, fn func()) {
	b.Helper()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		fn()
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	for _, p := range []float64{50, 95, 99} {
		i := int(math.Ceil(p/100*float64(len(lat)))) - 1
		b.ReportMetric(float64(lat[max(i, 0)].Microseconds())/1000, fmt.Sprintf("p%.0f-ms", p))
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

// Search terms of BenchmarkSearch: a rare word (about 350 documents), a
// common one (about one German text in eight) and a three-letter prefix
// of many words in all four languages (Rechnung, recibo, reçu, recherche,
// receipt...).
const (
	benchRare   = "Zahnarztpraxis"
	benchCommon = "Drucker"
	benchPrefix = "rec"
)

// bigWorld is the big store: 1,000 organizations, 100,000 tickets and
// 1,000,000 messages (10 per ticket, about 10% internal notes) in German,
// English, French and Spanish.
type bigWorld struct {
	*synth.World
	customerTicket int64 // a ticket the customer sees
}

var big synth.Once[*bigWorld]

// bigStore returns the big store, building it on first use (a minute or
// two); it lives until TestMain removes it.
func bigStore(b *testing.B) *bigWorld { return big.Get(b, buildBigWorld) }

// removeBig closes and deletes the big store if a benchmark built it.
func removeBig() {
	if w, ok := big.Built(); ok {
		w.Remove()
	}
}

func buildBigWorld() (*bigWorld, error) {
	world, err := synth.Build("x")
	if err != nil {
		return nil, err
	}
	ts, _, err := world.DB.ListTickets(context.Background(), store.ListQuery{Scope: world.Customer, Sort: ticket.SortNumber, Limit: 500})
	if err != nil || len(ts) < 500 {
		world.Remove()
		return nil, fmt.Errorf("customer sees %d tickets (%v)", len(ts), err)
	}
	return &bigWorld{World: world, customerTicket: ts[250].Number}, nil
}
