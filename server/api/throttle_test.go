package api_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/addrs"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
)

// throttleConfig: 3 free failures per client and account, 6 per client,
// 4 per account, delays of 1s, 2s, 4s… within 10 minutes; the test's
// requests come from 127.0.0.1, a trusted proxy, so X-Forwarded-For names
// the client.
func throttleConfig(clock func() time.Time) api.Config {
	return api.Config{LoginFailures: 3, LoginClientFailures: 6, LoginAccountFailures: 4, LoginWindow: 10 * time.Minute, LoginDelay: time.Second,
		Now: clock, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}
}

// attempt is one login in a throttling story.
type attempt struct {
	client   string        // X-Forwarded-For
	email    string        // seed.ClaireEmail when empty
	password string        // seed.Password when empty
	advance  time.Duration // the clock moves on before the attempt
	status   int
	retry    string // Retry-After of a 429
}

const wrong = "wrong"

func TestLoginThrottle(t *testing.T) {
	const a, b, c, d, e = "203.0.113.1", "203.0.113.2", "198.51.100.3", "198.51.100.4", "2001:db8:1:2::5"
	tests := []struct {
		name     string
		attempts []attempt
	}{
		{"a client failing on an account is slowed progressively", []attempt{
			{client: a, password: wrong, status: 401},
			{client: a, password: wrong, status: 401},
			{client: a, password: wrong, status: 401},
			{client: a, password: wrong, status: 429, retry: "1"},
			{client: a, status: 429, retry: "1"}, // even the right password waits
			{client: a, password: wrong, advance: time.Second, status: 401},
			{client: a, password: wrong, status: 429, retry: "2"},
			{client: a, password: wrong, advance: 2 * time.Second, status: 401},
			{client: a, status: 429, retry: "4"},
			{client: a, advance: 4 * time.Second, status: 200},
		}},
		{"per client: many emails from one client", []attempt{
			{client: a, email: "one@example.com", password: wrong, status: 401},
			{client: a, email: "two@example.com", password: wrong, status: 401},
			{client: a, email: seed.DiegoEmail, password: wrong, status: 401},
			{client: a, email: "four@example.com", password: wrong, status: 401},
			{client: a, email: "five@example.com", password: wrong, status: 401},
			{client: a, email: "six@example.com", password: wrong, status: 401},
			{client: a, email: "seven@example.com", password: wrong, status: 429, retry: "1"},
			{client: a, email: seed.AnnaEmail, status: 429, retry: "1"},
			{client: b, email: "seven@example.com", password: wrong, status: 401}, // another client is not slowed
		}},
		{"colleagues behind one address are not slowed by one another's typos", []attempt{
			{client: a, password: wrong, status: 401},
			{client: a, password: wrong, status: 401},
			{client: a, password: wrong, status: 401},
			{client: a, password: wrong, status: 429, retry: "1"}, // Claire waits
			{client: a, email: seed.DiegoEmail, status: 200},      // her colleagues do not
			{client: a, email: seed.AnnaEmail, status: 200},
			{client: a, email: seed.AnnaEmail, password: wrong, status: 401},
			{client: a, email: seed.DiegoEmail, status: 200},
			{client: a, advance: time.Second, status: 200}, // a success makes nobody wait longer
		}},
		{"per client: an IPv6 client is counted by its /64", []attempt{
			{client: "2001:db8:1:2::1", password: wrong, status: 401},
			{client: "2001:db8:1:2::2", password: wrong, status: 401},
			{client: "2001:db8:1:2::3", password: wrong, status: 401},
			{client: e, password: wrong, status: 429, retry: "1"},
			{client: "2001:db8:1:3::1", status: 200},
		}},
		{"the right password from a clean client is never refused", []attempt{
			{client: a, password: wrong, status: 401},
			{client: a, password: wrong, status: 401},
			{client: a, password: wrong, status: 401},
			{client: b, password: wrong, status: 401},
			{client: a, status: 429, retry: "1"}, // a's own failures
			{client: b, status: 429, retry: "1"}, // the account's failures, b among them
			{client: c, status: 200},
			{client: c, status: 200},
		}},
		{"per account: failures from many clients slow those clients only", []attempt{
			{client: a, email: seed.DiegoEmail, password: wrong, status: 401},
			{client: b, email: seed.DiegoEmail, password: wrong, status: 401},
			{client: c, email: seed.DiegoEmail, password: wrong, status: 401},
			{client: d, email: seed.DiegoEmail, password: wrong, status: 401},
			// Each failed once, far from its own limit, but the account
			// has had 4 failures: who failed waits.
			{client: a, email: seed.DiegoEmail, status: 429, retry: "1"},
			{client: b, email: seed.DiegoEmail, password: wrong, status: 429, retry: "1"},
			{client: e, email: seed.DiegoEmail, status: 200}, // a clean client with the right password
			{client: a, email: seed.DiegoEmail, advance: time.Second, status: 200},
			{client: b, email: seed.AnnaEmail, status: 200}, // other accounts are not slowed
		}},
		{"failures are forgotten after the window", []attempt{
			{client: a, password: wrong, status: 401},
			{client: a, password: wrong, status: 401},
			{client: a, password: wrong, status: 401},
			{client: a, password: wrong, status: 429, retry: "1"},
			{client: a, password: wrong, advance: time.Second, status: 401},
			{client: a, password: wrong, advance: 10 * time.Minute, status: 401},
			{client: a, password: wrong, status: 401},
			{client: a, password: wrong, status: 401},
			{client: a, password: wrong, status: 429, retry: "1"},
		}},
		{"a successful login does not wipe a client's failures", []attempt{
			{client: a, password: wrong, status: 401},
			{client: a, password: wrong, status: 401},
			{client: a, status: 200},
			{client: a, password: wrong, status: 401},
			{client: a, password: wrong, status: 429, retry: "1"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
			var mu sync.Mutex
			clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
			srv, _ := mustDemo(t, throttleConfig(clock))
			for i, at := range tt.attempts {
				mu.Lock()
				now = now.Add(at.advance)
				mu.Unlock()
				r := loginFrom(t, srv, at.client, at.email, at.password)
				if r.status != at.status {
					t.Fatalf("attempt %d (%+v): status = %d, want %d (body %s)", i, at, r.status, at.status, r.body)
				}
				if at.status == 429 {
					mustError(t, r, 429, ticket.CodeTooMany)
					if got := r.header.Get("Retry-After"); got != at.retry {
						t.Fatalf("attempt %d (%+v): Retry-After = %q, want %q", i, at, got, at.retry)
					}
					var body ticket.ErrorBody // the page says how long to wait
					r.decode(t, &body)
					if got := strconv.Itoa(body.Error.RetryAfter); got != at.retry {
						t.Fatalf("attempt %d (%+v): retryAfter in the body = %s, want %s", i, at, got, at.retry)
					}
				}
			}
		})
	}
}

// loginFrom logs in as if from client (X-Forwarded-For), defaults as in attempt.
func loginFrom(t *testing.T, srv *httptest.Server, client, email, password string) response {
	t.Helper()
	if email == "" {
		email = seed.ClaireEmail
	}
	if password == "" {
		password = seed.Password
	}
	body := `{"email":"` + email + `","password":"` + password + `"}`
	return newClient(t, srv).do("POST", "/api/v1/login", "application/json", []byte(body), "X-Forwarded-For", client)
}

// TestLoginThrottleParallel sends many wrong passwords at once from one
// client: no more than the free failures are compared.
func TestLoginThrottleParallel(t *testing.T) {
	now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	cfg := throttleConfig(func() time.Time { return now })
	cfg.LoginQueueWait = time.Minute
	srv, _ := mustDemo(t, cfg)
	const n = 8
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() { statuses <- loginFrom(t, srv, "203.0.113.9", "", wrong).status })
	}
	wg.Wait()
	close(statuses)
	got := map[int]int{}
	for s := range statuses {
		got[s]++
	}
	if got[401] != 3 || got[429] != n-3 {
		t.Fatalf("statuses = %v, want 3×401 and %d×429", got, n-3)
	}
}

// TestLoginHashersCap: while every password comparison slot is taken, a
// login waits LoginQueueWait and is answered 429 ErrLoginBusy, without a
// failure counted; once a slot is free it succeeds.
func TestLoginHashersCap(t *testing.T) {
	srv, _, a := mustDemoAPI(t, api.Config{LoginHashers: 2, LoginQueueWait: 50 * time.Millisecond})
	release := api.HoldHashers(a, 2)
	start := time.Now()
	r := newClient(t, srv).send("POST", "/api/v1/login", map[string]string{"email": seed.ClaireEmail, "password": seed.Password})
	e := mustError(t, r, 429, ticket.CodeTooMany)
	if e.Error.MessageID != "ErrLoginBusy" || r.header.Get("Retry-After") != "1" {
		t.Fatalf("busy answer = %+v, Retry-After %q; want ErrLoginBusy, 1", e.Error, r.header.Get("Retry-After"))
	}
	if waited := time.Since(start); waited < 50*time.Millisecond {
		t.Fatalf("answered busy after %v, want after waiting 50ms", waited)
	}
	// A busy answer is not a failure: five more busy answers do not
	// throttle the client.
	for range 5 {
		if r := newClient(t, srv).send("POST", "/api/v1/login", map[string]string{"email": seed.ClaireEmail, "password": wrong}); r.status != 429 {
			t.Fatalf("status while busy = %d, want 429", r.status)
		}
	}
	release()
	newClient(t, srv).login(seed.ClaireEmail)

	// Concurrent logins never compare more than LoginHashers passwords at once.
	srv, _, a = mustDemoAPI(t, api.Config{LoginHashers: 2, LoginQueueWait: time.Minute,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	stop := api.WatchHashers(a, 50*time.Millisecond)
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			if r := loginFrom(t, srv, "192.0.2."+strconv.Itoa(i+1), seed.DiegoEmail, ""); r.status != 200 {
				t.Errorf("login %d: status %d %s", i, r.status, r.body)
			}
		})
	}
	wg.Wait()
	if most := stop(); most < 1 || most > 2 {
		t.Fatalf("most comparisons at once = %d, want at most 2", most)
	}
}

func TestClientAddr(t *testing.T) {
	db, err := store.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	trusted, err := addrs.Parse("127.0.0.1, 10.0.0.0/8, fd00::/8", 8)
	if err != nil {
		t.Fatal(err)
	}
	s := api.New(db, api.Config{TrustedProxies: trusted})
	tests := []struct {
		remote string
		xff    []string
		want   string
	}{
		{"203.0.113.7:5000", nil, "203.0.113.7"},
		{"203.0.113.7:5000", []string{"198.51.100.1"}, "203.0.113.7"}, // untrusted peer: header ignored
		{"127.0.0.1:5000", nil, "127.0.0.1"},
		{"127.0.0.1:5000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"127.0.0.1:5000", []string{"6.6.6.6, 198.51.100.1"}, "198.51.100.1"}, // the client wrote 6.6.6.6
		{"127.0.0.1:5000", []string{"6.6.6.6", "198.51.100.1, 10.1.2.3"}, "198.51.100.1"},
		{"127.0.0.1:5000", []string{"10.0.0.9, 10.1.2.3"}, "10.0.0.9"}, // all trusted: the first
		{"127.0.0.1:5000", []string{"198.51.100.1, not-an-address"}, "127.0.0.1"},
		{"[fd00::1]:443", []string{"2001:db8::7"}, "2001:db8::7"},
		{"[::ffff:127.0.0.1]:5000", []string{"::ffff:198.51.100.2"}, "198.51.100.2"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		for _, v := range tt.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := s.ClientAddr(r).String(); got != tt.want {
			t.Errorf("ClientAddr(%s, X-Forwarded-For %q) = %s, want %s", tt.remote, tt.xff, got, tt.want)
		}
	}
}

// BenchmarkListTicketsWhileSpraying asks GET /api/v1/tickets (demo store,
// as an agent, 4 clients) while 8 password sprayers post wrong passwords
// as fast as they are answered, each attempt from a new address (so no
// throttle slows them: only the cap on bcrypt work protects the API), at
// bcrypt's default cost. "hashers=64" is as good as no cap. It reports the
// list's req/s and p50/p99 latency.
func BenchmarkListTicketsWhileSpraying(b *testing.B) {
	for _, bc := range []struct {
		name     string
		sprayers int
		hashers  int
	}{
		{"sprayers=0", 0, 0},
		{"sprayers=8/hashers=default", 8, 0},
		{"sprayers=8/hashers=64", 8, 64},
	} {
		b.Run(bc.name, func(b *testing.B) { benchSpraying(b, bc.sprayers, bc.hashers) })
	}
}

func benchSpraying(b *testing.B, sprayers, hashers int) {
	db, err := store.OpenMemory()
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	hash, _ := api.HashPassword(seed.Password)
	if _, err := seed.Load(context.Background(), db, hash, time.Now()); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(api.New(db, api.Config{LoginHashers: hashers, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}))
	defer srv.Close()
	agent := newClient(b, srv)
	agent.login(seed.SamEmail)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var addr atomic.Int64
	for range sprayers {
		wg.Go(func() {
			c := &http.Client{}
			for {
				select {
				case <-stop:
					return
				default:
				}
				n := addr.Add(1)
				req, _ := http.NewRequest("POST", srv.URL+"/api/v1/login", strings.NewReader(`{"email":"`+seed.ClaireEmail+`","password":"guess"}`))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255))
				if res, err := c.Do(req); err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
			}
		})
	}
	time.Sleep(100 * time.Millisecond) // the sprayers are at it
	hammer(b, 4, "req/s", func() error {
		res, err := agent.http.Get(srv.URL + "/api/v1/tickets")
		if err != nil {
			return err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			return fmt.Errorf("status %d", res.StatusCode)
		}
		return nil
	})
	close(stop)
	wg.Wait()
}
