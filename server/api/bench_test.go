package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
	"github.com/supportal/supportal/server/store/pgtest"
	"github.com/supportal/supportal/server/store/synth"
)

// BenchmarkCreateTicketHTTP posts tickets end to end: HTTP, session, JSON,
// ticket.Validate, the idempotency record and the fsynced commit, from
// concurrent clients (8, 16, 64) against a file store. It reports tickets/s and the
// p50/p99 latency of one POST.
func BenchmarkCreateTicketHTTP(b *testing.B) {
	for _, clients := range []int{8, 16, 64} {
		b.Run(fmt.Sprint("clients=", clients), func(b *testing.B) { benchCreateHTTP(b, clients) })
	}
}

func benchCreateHTTP(b *testing.B, clients int) {
	db, err := store.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	hash, _ := api.HashPassword(seed.Password)
	if _, err := seed.Load(context.Background(), db, hash, time.Now()); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(api.New(db, api.Config{}))
	defer srv.Close()

	transport := &http.Transport{MaxIdleConnsPerHost: clients}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: transport}
	res, err := c.Post(srv.URL+"/api/v1/login", "application/json", bytes.NewReader([]byte(`{"email":"`+seed.DiegoEmail+`","password":"demo"}`)))
	if err != nil || res.StatusCode != 200 {
		b.Fatalf("login: %v %v", err, res)
	}
	res.Body.Close()
	var me struct{ Memberships []ticket.Membership }
	res, _ = c.Get(srv.URL + "/api/v1/me")
	json.NewDecoder(res.Body).Decode(&me)
	res.Body.Close()
	body, _ := json.Marshal(ticket.Draft{OrganizationID: me.Memberships[0].Organization.ID, Type: "login_problem", Category: "password",
		Subject: "No puedo iniciar sesión", Description: "Desde esta mañana la contraseña no funciona."})

	var seq atomic.Int64
	hammer(b, clients, "tickets/s", func() error {
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/tickets", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", fmt.Sprint("bench-", seq.Add(1), "-", time.Now().UnixNano()))
		res, err := c.Do(req)
		if err != nil {
			return err
		}
		res.Body.Close()
		if res.StatusCode != 201 {
			return fmt.Errorf("status %d", res.StatusCode)
		}
		return nil
	})
}

// BenchmarkListTicketsHTTP asks GET /api/v1/tickets (the first page of 50
// in the default order, last update first) end to end over HTTP: session
// lookup, the viewer's memberships, the list query, the unread counts of
// the listed tickets and the JSON answer,
// from 64 concurrent keep-alive connections, against the big store (1,000
// organizations, 100,000 tickets, 1,000,000 messages; see bigAPIStore) as a
// customer (two accounts: one of the two biggest, 1,512 tickets, and a
// middling one) and as an agent (all tickets). It reports req/s, the p50/p99
// latency of one request and the size of one answer; the load generator
// shares the machine. Nothing is written meanwhile, so every answer after
// the first comes from the answer cache; "writes=100/s" writes something
// (a user's language) every 10 ms, after which the next answers are read
// again; "uncached" turns the cache off (what every request costs right
// after a write).
func BenchmarkListTicketsHTTP(b *testing.B) {
	w := bigAPIStore(b)
	for _, who := range []struct{ name, email string }{
		{"customer", bigCustomerEmail},
		{"agent", bigAgentEmail},
	} {
		b.Run(who.name+"/clients=64", func(b *testing.B) { benchListHTTP(b, w.DB, who.email, 64, api.Config{}, 0) })
		b.Run(who.name+"/writes=100/s/clients=64", func(b *testing.B) {
			benchListHTTP(b, w.DB, who.email, 64, api.Config{}, 10*time.Millisecond)
		})
		b.Run(who.name+"/uncached/clients=64", func(b *testing.B) {
			benchListHTTP(b, w.DB, who.email, 64, api.Config{AnswerCache: -1}, 0)
		})
	}
}

func benchListHTTP(b *testing.B, db *store.DB, email string, clients int, cfg api.Config, writeEvery time.Duration) {
	srv := httptest.NewServer(api.New(db, cfg))
	defer srv.Close()
	if writeEvery > 0 {
		agent, _, err := db.UserByEmail(context.Background(), bigAgentEmail)
		if err != nil {
			b.Fatal(err)
		}
		stop := make(chan struct{})
		done := make(chan struct{})
		defer func() { close(stop); <-done }()
		go func() {
			defer close(done)
			tick := time.NewTicker(writeEvery)
			defer tick.Stop()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				case <-tick.C:
				}
				if err := db.SetUserLocale(context.Background(), agent.ID, []string{"de", "en"}[i%2]); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	transport := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients}
	defer transport.CloseIdleConnections()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: transport}
	res, err := c.Post(srv.URL+"/api/v1/login", "application/json", strings.NewReader(`{"email":"`+email+`","password":"`+bigPassword+`"}`))
	if err != nil || res.StatusCode != 200 {
		b.Fatalf("login: %v %v", err, res)
	}
	res.Body.Close()
	// One request first: the answer must be a full page.
	var page struct{ Tickets []json.RawMessage }
	res, err = c.Get(srv.URL + "/api/v1/tickets")
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if err := json.Unmarshal(body, &page); err != nil || res.StatusCode != 200 || len(page.Tickets) != 50 {
		b.Fatalf("list: status %d, %d tickets (%v)", res.StatusCode, len(page.Tickets), err)
	}

	hammer(b, clients, "req/s", func() error {
		res, err := c.Get(srv.URL + "/api/v1/tickets")
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, res.Body) // read to the end: the connection is kept
		res.Body.Close()
		if err != nil || res.StatusCode != 200 {
			return fmt.Errorf("status %d, %v", res.StatusCode, err)
		}
		return nil
	})
	b.ReportMetric(float64(len(body)), "bytes/resp") // after the timer's reset, which drops metrics
}

// hammer runs b.N requests, made by do, from clients concurrent
// goroutines, and reports the rate (in unit) and the p50/p99 latency of
// one request.
func hammer(b *testing.B, clients int, unit string, do func() error) {
	var next atomic.Int64
	lats := make([][]time.Duration, clients)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(b.N) {
				t0 := time.Now()
				if err := do(); err != nil {
					b.Error(err)
					return
				}
				lats[w] = append(lats[w], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	var lat []time.Duration
	for _, l := range lats {
		lat = append(lat, l...)
	}
	if len(lat) == 0 {
		return
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), unit)
	for _, p := range []float64{50, 99} {
		i := int(math.Ceil(p/100*float64(len(lat)))) - 1
		b.ReportMetric(float64(lat[max(i, 0)].Microseconds())/1000, fmt.Sprintf("p%.0f-ms", p))
	}
}

// TestMain only removes the big benchmark store (see bigAPIStore) once
// every benchmark is done, and stops the PostgreSQL cluster if a test
// started one; it builds nothing.
func TestMain(m *testing.M) {
	code := m.Run()
	if w, ok := big.Built(); ok {
		w.Remove()
	}
	pgtest.Stop()
	os.Exit(code)
}

// The big store: the data of server/store's benchmarks (synth.Generate),
// with a customer and an agent who can log in.
const (
	bigCustomerEmail = "customer@bench.example"
	bigAgentEmail    = synth.AgentEmail
	bigPassword      = "bench-password"
)

type bigWorld struct{ *synth.World }

var big synth.Once[*bigWorld]

// bigAPIStore returns the big store, building it on first use (a minute
// or two, in a directory under os.TempDir named supportal-bench-*); it
// lives until TestMain removes it.
func bigAPIStore(b *testing.B) *bigWorld { return big.Get(b, buildBigWorld) }

// buildBigWorld is synth's big store with an agent and a customer of its
// two accounts who can log in.
func buildBigWorld() (*bigWorld, error) {
	hash, err := api.HashPassword(bigPassword)
	if err != nil {
		return nil, err
	}
	world, err := synth.Build(hash)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	customer, err := world.DB.CreateUser(ctx, ticket.User{Email: bigCustomerEmail, Name: "Customer", Locale: "de"}, hash)
	for _, id := range world.Customer.OrganizationIDs {
		if err == nil {
			err = world.DB.SetMembership(ctx, customer.ID, id, ticket.RoleMember, true)
		}
	}
	if err != nil {
		world.Remove()
		return nil, err
	}
	return &bigWorld{world}, nil
}
