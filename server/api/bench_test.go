package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
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

	var next atomic.Int64
	var mu sync.Mutex
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(b.N) {
				req, _ := http.NewRequest("POST", srv.URL+"/api/v1/tickets", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Idempotency-Key", fmt.Sprint("bench-", next.Load(), "-", time.Now().UnixNano()))
				t0 := time.Now()
				res, err := c.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				res.Body.Close()
				d := time.Since(t0)
				if res.StatusCode != 201 {
					b.Errorf("status %d", res.StatusCode)
					return
				}
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if len(lat) == 0 {
		return
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "tickets/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
