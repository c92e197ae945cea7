package api_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
	"github.com/supportal/supportal/server/store/pgtest"
)

var (
	hashOnce sync.Once
	demoHash string
)

// mustDemo returns an API server over a fresh in-memory store with the demo data.
func mustDemo(tb testing.TB, cfg api.Config) (*httptest.Server, *store.DB) {
	tb.Helper()
	srv, db, _ := mustDemoAPI(tb, cfg)
	return srv, db
}

// mustDemoAPI is mustDemo that returns the API too.
func mustDemoAPI(tb testing.TB, cfg api.Config) (*httptest.Server, *store.DB, *api.Server) {
	tb.Helper()
	hashOnce.Do(func() {
		// The cheapest cost bcrypt allows: -race makes DefaultCost take
		// a second per login on a busy machine.
		h, err := bcrypt.GenerateFromPassword([]byte(seed.Password), bcrypt.MinCost)
		if err != nil {
			panic(err)
		}
		demoHash = string(h)
	})
	db := openStore(tb)
	if _, err := seed.Load(context.Background(), db, demoHash, time.Now()); err != nil {
		tb.Fatal(err)
	}
	a := api.New(db, cfg)
	srv := httptest.NewServer(a)
	tb.Cleanup(srv.Close)
	return srv, db, a
}

// openStore opens a fresh store: SQLite in memory, or PostgreSQL (a
// database of pgtest's throwaway cluster) when SUPPORTAL_API_STORE is
// "postgres" — make test runs this package on both.
func openStore(tb testing.TB) *store.DB {
	tb.Helper()
	var db *store.DB
	var err error
	if os.Getenv("SUPPORTAL_API_STORE") == "postgres" {
		db, err = store.OpenPostgres(context.Background(), pgtest.URL(tb), store.PostgresOptions{})
	} else {
		db, err = store.OpenMemory()
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// client is a browser-like API client with its own cookie jar.
type client struct {
	tb   testing.TB
	base string
	http *http.Client
	lang string
}

func newClient(tb testing.TB, srv *httptest.Server) *client {
	jar, _ := cookiejar.New(nil)
	return &client{tb: tb, base: srv.URL, http: &http.Client{Jar: jar}}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) decode(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		tb.Fatalf("decoding %s: %v", r.body, err)
	}
}

// do sends one request; header holds extra header name/value pairs.
func (c *client) do(method, path, contentType string, body []byte, header ...string) response {
	c.tb.Helper()
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if err != nil {
		c.tb.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.tb.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

func (c *client) get(path string) response { return c.do("GET", path, "", nil) }

func (c *client) send(method, path string, v any) response {
	b, _ := json.Marshal(v)
	return c.do(method, path, "application/json", b)
}

func (c *client) login(email string) {
	c.tb.Helper()
	if r := c.send("POST", "/api/v1/login", map[string]string{"email": email, "password": seed.Password}); r.status != 200 {
		c.tb.Fatalf("login %s: status %d %s", email, r.status, r.body)
	}
}

type apiError struct {
	Error struct {
		Code, MessageID, Field, Message string
	}
}

// mustError checks a structured error answer.
func mustError(tb testing.TB, r response, status int, code ticket.Code) apiError {
	tb.Helper()
	if r.status != status {
		tb.Fatalf("status = %d, want %d (body %s)", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		tb.Fatalf("Content-Type = %q, want JSON", ct)
	}
	var e apiError
	r.decode(tb, &e)
	if e.Error.Code != string(code) || e.Error.MessageID == "" || e.Error.Message == "" || e.Error.Message == e.Error.MessageID {
		tb.Fatalf("error = %+v, want code %q with a translated message", e.Error, code)
	}
	return e
}

func TestLogin(t *testing.T) {
	srv, _ := mustDemo(t, api.Config{})
	t.Run("good", func(t *testing.T) {
		c := newClient(t, srv)
		r := c.send("POST", "/api/v1/login", map[string]string{"email": " Anna.Admin@praxis-sonnenschein.example ", "password": "demo"})
		if r.status != 200 {
			t.Fatalf("status %d %s", r.status, r.body)
		}
		var me struct {
			User        ticket.User
			Memberships []ticket.Membership
		}
		r.decode(t, &me)
		if me.User.Name != "Anna Admin" || me.User.Locale != "de" || len(me.Memberships) != 2 {
			t.Fatalf("me = %+v", me)
		}
		cookie := r.header.Get("Set-Cookie")
		for _, want := range []string{"HttpOnly", "SameSite=Lax", "supportal_session="} {
			if !strings.Contains(cookie, want) {
				t.Errorf("Set-Cookie %q lacks %q", cookie, want)
			}
		}
		if r := c.get("/api/v1/me"); r.status != 200 || !strings.Contains(string(r.body), `"accountNumber":"100201"`) {
			t.Fatalf("GET /me after login: %d %s", r.status, r.body)
		}
		if r := c.do("POST", "/api/v1/logout", "", nil); r.status != 204 {
			t.Fatalf("logout status %d", r.status)
		}
		// The cookie is gone: nobody is logged in, which is no error.
		mustNobody(t, c.get("/api/v1/me"))
	})
	t.Run("bad password", func(t *testing.T) {
		c := newClient(t, srv)
		c.lang = "de-DE"
		e := mustError(t, c.send("POST", "/api/v1/login", map[string]string{"email": seed.BerndEmail, "password": "wrong"}), 401, ticket.CodeUnauthorized)
		if !strings.Contains(e.Error.Message, "Passwort") {
			t.Errorf("message %q is not German", e.Error.Message)
		}
	})
	t.Run("unknown email", func(t *testing.T) {
		mustError(t, newClient(t, srv).send("POST", "/api/v1/login", map[string]string{"email": "nobody@example.com", "password": "demo"}), 401, ticket.CodeUnauthorized)
	})
	t.Run("missing fields", func(t *testing.T) {
		e := mustError(t, newClient(t, srv).send("POST", "/api/v1/login", map[string]string{"email": "", "password": "x"}), 400, ticket.CodeInvalid)
		if e.Error.Field != "email" {
			t.Errorf("field = %q, want email", e.Error.Field)
		}
	})
}

func TestVisibilityEveryUserEveryTicket(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	ctx := context.Background()
	all, _, err := db.ListTickets(ctx, store.ListQuery{Scope: ticket.Scope{All: true}, Limit: 500})
	if err != nil || len(all) < 30 {
		t.Fatalf("demo tickets = %d, %v", len(all), err)
	}
	missing := mustError(t, func() response {
		c := newClient(t, srv)
		c.login(seed.BerndEmail)
		return c.get("/api/v1/tickets/99999")
	}(), 404, ticket.CodeNotFound)

	// Who sees which account: the matrix's table (matrix_test.go).
	for email, access := range matrixAccess {
		t.Run(email, func(t *testing.T) {
			sees := map[string]bool{}
			for a := range access {
				sees[a] = true
			}
			c := newClient(t, srv)
			c.login(email)
			agent := email == seed.SamEmail

			var list struct{ Tickets []json.RawMessage }
			c.get("/api/v1/tickets?limit=500").decode(t, &list)
			want := 0
			for _, tk := range all {
				if sees[tk.Organization.AccountNumber] {
					want++
				}
			}
			if got := len(list.Tickets); got != want {
				t.Errorf("list has %d tickets, want %d", got, want)
			}
			for _, raw := range list.Tickets {
				if got := strings.Contains(string(raw), `"internalStatus"`); got != agent {
					t.Errorf("list entry internalStatus present = %v, want %v: %s", got, agent, raw)
					break
				}
			}

			for _, tk := range all {
				r := c.get("/api/v1/tickets/" + strconv.FormatInt(tk.Number, 10))
				if !sees[tk.Organization.AccountNumber] {
					e := mustError(t, r, 404, ticket.CodeNotFound)
					if e.Error.Code != missing.Error.Code || e.Error.MessageID != missing.Error.MessageID || e.Error.Field != missing.Error.Field {
						t.Errorf("ticket %d of another organization answers %+v, a missing one %+v: must be identical", tk.Number, e, missing)
					}
					continue
				}
				if r.status != 200 {
					t.Fatalf("ticket %d: status %d %s", tk.Number, r.status, r.body)
				}
				body := string(r.body)
				if got := strings.Contains(body, `"internalStatus"`); got != agent {
					t.Errorf("ticket %d: internalStatus present = %v, want %v", tk.Number, got, agent)
				}
				leaks := strings.Contains(body, "INTERN-NOTIZ") || strings.Contains(body, "NOTE-INTERNE") ||
					strings.Contains(body, "NOTA-INTERNA") || strings.Contains(body, "INTERNAL-NOTE")
				if leaks && !agent {
					t.Errorf("ticket %d: a customer received an internal note: %s", tk.Number, body)
				}
				var detail struct {
					Ticket   ticket.TicketView
					Messages []ticket.MessageView
				}
				r.decode(t, &detail)
				if detail.Ticket.Status != tk.Status.Portal() {
					t.Errorf("ticket %d: status %q, want %q", tk.Number, detail.Ticket.Status, tk.Status.Portal())
				}
				ms, _ := db.Messages(ctx, tk.Number)
				wantMsgs := 0
				for _, m := range ms {
					if agent || !m.Internal {
						wantMsgs++
					}
				}
				if len(detail.Messages) != wantMsgs {
					t.Errorf("ticket %d: %d messages, want %d", tk.Number, len(detail.Messages), wantMsgs)
				}
			}
		})
	}
}

func TestAgentSeesInternalNotes(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	ctx := context.Background()
	all, _, _ := db.ListTickets(ctx, store.ListQuery{Scope: ticket.Scope{All: true}, Limit: 500})
	c := newClient(t, srv)
	c.login(seed.SamEmail)
	found := 0
	for _, tk := range all {
		ms, _ := db.Messages(ctx, tk.Number)
		for _, m := range ms {
			if !m.Internal {
				continue
			}
			found++
			var detail struct{ Messages []ticket.MessageView }
			c.get("/api/v1/tickets/"+strconv.FormatInt(tk.Number, 10)).decode(t, &detail)
			ok := false
			for _, got := range detail.Messages {
				ok = ok || (got.ID == m.ID && got.Internal != nil && *got.Internal)
			}
			if !ok {
				t.Errorf("ticket %d: agent did not get internal message %d marked internal", tk.Number, m.ID)
			}
		}
	}
	if found < 8 {
		t.Fatalf("demo data has %d internal notes, want >= 8", found)
	}
}

func TestListFiltersAndPages(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	c := newClient(t, srv)
	c.login(seed.AnnaEmail)
	var me struct{ Memberships []ticket.Membership }
	c.get("/api/v1/me").decode(t, &me)
	potsdam := me.Memberships[1].Organization
	if potsdam.AccountNumber != "100201" {
		t.Fatalf("second membership = %+v", potsdam)
	}

	var page struct {
		Tickets    []ticket.TicketView
		NextCursor string
	}
	c.get("/api/v1/tickets?organizationId="+strconv.FormatInt(potsdam.ID, 10)).decode(t, &page)
	want, _, _ := db.ListTickets(context.Background(), store.ListQuery{Scope: ticket.Scope{All: true}, OrganizationID: potsdam.ID, Limit: 500})
	if len(page.Tickets) != len(want) || len(want) == 0 {
		t.Fatalf("Potsdam list has %d tickets, want %d", len(page.Tickets), len(want))
	}
	for _, tk := range page.Tickets {
		if tk.Organization.AccountNumber != "100201" {
			t.Errorf("ticket %d of %s in the Potsdam list", tk.Number, tk.Organization.AccountNumber)
		}
	}

	// Another organization as a filter yields nothing, not its tickets.
	var other struct{ Tickets []ticket.TicketView }
	c.get("/api/v1/tickets?organizationId=3").decode(t, &other)
	for _, tk := range other.Tickets {
		if tk.Organization.AccountNumber != "100200" && tk.Organization.AccountNumber != "100201" {
			t.Errorf("filter on a foreign organization returned ticket %d of %s", tk.Number, tk.Organization.AccountNumber)
		}
	}

	// In every order, pages of 5 cover the whole list once, in the order
	// of the list asked in one page.
	var full struct{ Tickets []ticket.TicketView }
	c.get("/api/v1/tickets?limit=500").decode(t, &full)
	for _, sort := range []string{"", "updated", "created", "number", "status", "relevance"} {
		var whole struct{ Tickets []ticket.TicketView }
		c.get("/api/v1/tickets?limit=500&sort="+sort).decode(t, &whole)
		if len(whole.Tickets) != len(full.Tickets) {
			t.Fatalf("sort %q: %d tickets, want %d", sort, len(whole.Tickets), len(full.Tickets))
		}
		var paged []int64
		cursor := ""
		for i := 0; i < 50; i++ {
			var p struct {
				Tickets    []ticket.TicketView
				NextCursor string
			}
			c.get("/api/v1/tickets?limit=5&sort="+sort+"&cursor="+cursor).decode(t, &p)
			for _, tk := range p.Tickets {
				paged = append(paged, tk.Number)
			}
			if p.NextCursor == "" {
				break
			}
			cursor = p.NextCursor
		}
		for i, tk := range whole.Tickets {
			if i >= len(paged) || paged[i] != tk.Number {
				t.Fatalf("sort %q: pages give %v, one page gives ticket %d at %d", sort, paged, tk.Number, i)
			}
			if i == 0 {
				continue
			}
			prev := whole.Tickets[i-1]
			var ordered bool
			switch sort {
			case "", "updated", "relevance": // no search: relevance is by update
				ordered = !prev.UpdatedAt.Before(tk.UpdatedAt)
			case "created":
				ordered = !prev.CreatedAt.Before(tk.CreatedAt)
			case "number":
				ordered = prev.Number > tk.Number
			case "status":
				ordered = rank(prev.Status) < rank(tk.Status) || (rank(prev.Status) == rank(tk.Status) && !prev.UpdatedAt.Before(tk.UpdatedAt))
			}
			if !ordered {
				t.Errorf("sort %q: ticket %d before %d", sort, prev.Number, tk.Number)
			}
		}
		if len(paged) != len(whole.Tickets) {
			t.Errorf("sort %q: pages cover %d tickets, want %d", sort, len(paged), len(whole.Tickets))
		}
	}
	// A cursor is opaque but checked.
	mustError(t, c.get("/api/v1/tickets?cursor=garbage"), http.StatusBadRequest, ticket.CodeInvalid)
	mustError(t, c.get("/api/v1/tickets?sort=random"), http.StatusBadRequest, ticket.CodeInvalid)
	mustError(t, c.get("/api/v1/tickets?internalStatus=new"), http.StatusForbidden, ticket.CodeForbidden)
	mustError(t, c.get("/api/v1/tickets?assignee=me"), http.StatusForbidden, ticket.CodeForbidden)
	mustError(t, c.get("/api/v1/tickets?createdFrom=31.12.2026"), http.StatusBadRequest, ticket.CodeInvalid)

	// Open and closed split the list.
	var open, closed struct{ Tickets []ticket.TicketView }
	c.get("/api/v1/tickets?limit=500&open=true").decode(t, &open)
	c.get("/api/v1/tickets?limit=500&open=false").decode(t, &closed)
	if len(open.Tickets)+len(closed.Tickets) != len(full.Tickets) || len(closed.Tickets) == 0 {
		t.Errorf("open %d + closed %d != all %d", len(open.Tickets), len(closed.Tickets), len(full.Tickets))
	}
	for _, tk := range closed.Tickets {
		if tk.Status != ticket.PortalClosed {
			t.Errorf("closed tab has ticket %d with status %q", tk.Number, tk.Status)
		}
	}

	var counts struct{ Counts map[ticket.PortalStatus]int }
	c.get("/api/v1/tickets/counts").decode(t, &counts)
	sum := 0
	for _, n := range counts.Counts {
		sum += n
	}
	if sum != len(full.Tickets) || counts.Counts[ticket.PortalClosed] != len(closed.Tickets) {
		t.Errorf("counts %v do not add up to %d tickets (%d closed)", counts.Counts, len(full.Tickets), len(closed.Tickets))
	}

	for _, bad := range []string{"limit=0", "limit=x", "cursor=-1", "status=nope", "open=maybe", "organizationId=abc"} {
		mustError(t, c.get("/api/v1/tickets?"+bad), 400, ticket.CodeInvalid)
	}
}

func TestRevokedUserSeesNothing(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	c := newClient(t, srv)
	c.login(seed.CarlaEmail)
	var list struct{ Tickets []ticket.TicketView }
	c.get("/api/v1/tickets").decode(t, &list)
	if len(list.Tickets) != 0 {
		t.Fatalf("carla sees %d tickets", len(list.Tickets))
	}
	var counts struct{ Counts map[ticket.PortalStatus]int }
	c.get("/api/v1/tickets/counts").decode(t, &counts)
	for st, n := range counts.Counts {
		if n != 0 {
			t.Errorf("carla's count of %s = %d", st, n)
		}
	}
	all, _, _ := db.ListTickets(context.Background(), store.ListQuery{Scope: ticket.Scope{All: true}, Limit: 1})
	mustError(t, c.get("/api/v1/tickets/"+strconv.FormatInt(all[0].Number, 10)), 404, ticket.CodeNotFound)
}

func TestMalformedRequests(t *testing.T) {
	srv, _ := mustDemo(t, api.Config{})
	c := newClient(t, srv)
	c.login(seed.AnnaEmail)
	big := append([]byte(`{"locale":"`), bytes.Repeat([]byte("a"), 2<<20)...)
	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        []byte
		status      int
		code        ticket.Code
	}{
		{"broken JSON", "POST", "/api/v1/login", "application/json", []byte(`{"email":`), 400, ticket.CodeInvalid},
		{"not an object", "POST", "/api/v1/login", "application/json", []byte(`[1,2]`), 400, ticket.CodeInvalid},
		{"trailing data", "POST", "/api/v1/login", "application/json", []byte(`{"email":"a","password":"b"} {}`), 400, ticket.CodeInvalid},
		{"unknown field", "PATCH", "/api/v1/me", "application/json", []byte(`{"nickname":"x"}`), 400, ticket.CodeInvalid},
		{"wrong content type", "POST", "/api/v1/login", "text/plain", []byte(`{"email":"a","password":"b"}`), 400, ticket.CodeInvalid},
		{"no content type", "PATCH", "/api/v1/me", "", []byte(`{"locale":"de"}`), 400, ticket.CodeInvalid},
		{"too large", "PATCH", "/api/v1/me", "application/json", big, 413, ticket.CodeTooLarge},
		{"unsupported locale", "PATCH", "/api/v1/me", "application/json", []byte(`{"locale":"xx"}`), 422, ticket.CodeUnprocessable},
		{"unknown route", "GET", "/api/v1/nothing", "", nil, 404, ticket.CodeNotFound},
		{"wrong method", "DELETE", "/api/v1/me", "", nil, 405, api.CodeMethodNotAllowed},
		{"GET on login", "GET", "/api/v1/login", "", nil, 405, api.CodeMethodNotAllowed},
		{"ticket number not a number", "GET", "/api/v1/tickets/abc", "", nil, 404, ticket.CodeNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.do(tt.method, tt.path, tt.contentType, tt.body)
			mustError(t, r, tt.status, tt.code)
			if strings.Contains(string(r.body), "goroutine") || strings.Contains(string(r.body), ".go:") {
				t.Fatalf("answer leaks internals: %s", r.body)
			}
		})
	}
}

func TestCrossOriginWritesRefused(t *testing.T) {
	srv, _ := mustDemo(t, api.Config{})
	c := newClient(t, srv)
	c.login(seed.AnnaEmail)
	req, _ := http.NewRequest("PATCH", srv.URL+"/api/v1/me", strings.NewReader(`{"locale":"fr"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	mustError(t, response{status: res.StatusCode, header: res.Header, body: b}, 403, ticket.CodeForbidden)
	var me struct{ User ticket.User }
	c.get("/api/v1/me").decode(t, &me)
	if me.User.Locale != "de" {
		t.Fatalf("cross-origin request changed the locale to %q", me.User.Locale)
	}
}

func TestLanguageChoiceIsSaved(t *testing.T) {
	srv, _ := mustDemo(t, api.Config{})
	c := newClient(t, srv)
	c.login(seed.AnnaEmail)
	r := c.send("PATCH", "/api/v1/me", map[string]string{"locale": "fr"})
	if r.status != 200 || !strings.Contains(r.header.Get("Set-Cookie"), "lang=fr") {
		t.Fatalf("PATCH /me: %d, Set-Cookie %q", r.status, r.header.Get("Set-Cookie"))
	}
	// A new login (another device) gets the saved language, and errors speak it.
	d := newClient(t, srv)
	d.login(seed.AnnaEmail)
	var me struct{ User ticket.User }
	d.get("/api/v1/me").decode(t, &me)
	if me.User.Locale != "fr" {
		t.Fatalf("locale = %q after saving fr", me.User.Locale)
	}
	e := mustError(t, d.get("/api/v1/tickets/99999"), 404, ticket.CodeNotFound)
	if !strings.Contains(e.Error.Message, "demande") {
		t.Errorf("error %q is not in the user's language (fr)", e.Error.Message)
	}
}

func TestSessionIdleExpiry(t *testing.T) {
	now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv, _ := mustDemo(t, api.Config{SessionIdle: time.Hour, Now: clock})
	c := newClient(t, srv)
	c.login(seed.DiegoEmail)
	mu.Lock()
	now = now.Add(50 * time.Minute)
	mu.Unlock()
	if r := c.get("/api/v1/me"); r.status != 200 {
		t.Fatalf("after 50 min: %d", r.status)
	}
	mu.Lock()
	now = now.Add(61 * time.Minute)
	mu.Unlock()
	mustError(t, c.get("/api/v1/me"), 401, ticket.CodeUnauthorized)
}

// rank is the position of a portal status in the dashboard order.
func rank(ps ticket.PortalStatus) int {
	for i, p := range ticket.PortalStatuses() {
		if p == ps {
			return i
		}
	}
	return -1
}

// Who is logged in comes with the store's identity, wherever it is told.
func TestMeStoreID(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	want := db.ID()
	if raw, err := hex.DecodeString(want); err != nil || len(raw) != 16 {
		t.Fatalf("store id %q, want 32 hex digits", want)
	}
	c := newClient(t, srv)
	for _, tt := range []struct {
		name string
		send func() response
	}{
		{"login", func() response {
			return c.send("POST", "/api/v1/login", map[string]string{"email": seed.AnnaEmail, "password": seed.Password})
		}},
		{"GET /me", func() response { return c.get("/api/v1/me") }},
		{"PATCH /me", func() response { return c.send("PATCH", "/api/v1/me", map[string]string{"locale": "de"}) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.send()
			if r.status != 200 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			var me ticket.Me
			r.decode(t, &me)
			if got := me.StoreID; got != want {
				t.Errorf("storeId = %q, want %q", got, want)
			}
			// The newest event as it was read: the place where a first
			// visit's live stream starts (server/site/preload.go).
			last, err := db.LastEventID(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if last == 0 || me.LastEvent != last {
				t.Errorf("lastEvent = %d, want %d, the store's newest", me.LastEvent, last)
			}
		})
	}
	// A new event moves it.
	before := c.get("/api/v1/me")
	var me1 ticket.Me
	before.decode(t, &me1)
	if r := c.post("/api/v1/tickets", ticket.Draft{OrganizationID: c.accounts()["100200"], Type: "web_interface_problem", Category: "display", Subject: "Anzeige", Description: "Leer."}, "last-event-1"); r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var me2 ticket.Me
	c.get("/api/v1/me").decode(t, &me2)
	if me2.LastEvent <= me1.LastEvent {
		t.Errorf("lastEvent after a create: %d, want more than %d", me2.LastEvent, me1.LastEvent)
	}
}

// GET /me of a browser without a session cookie (a visitor on the login
// page) is 204, not an error the browser would log; a cookie whose session
// does not hold is 401, as everywhere; the other routes stay 401 without
// a cookie.
func TestMeWithoutSession(t *testing.T) {
	srv, _ := mustDemo(t, api.Config{})
	c := newClient(t, srv)
	mustNobody(t, c.get("/api/v1/me"))
	for _, cookie := range []string{"supportal_session=not-a-session", "__Host-supportal_session=not-a-session", "__Host-supportal_embed=not-a-session"} {
		mustError(t, c.do("GET", "/api/v1/me", "", nil, "Cookie", cookie), 401, ticket.CodeUnauthorized)
	}
	mustError(t, c.send("PATCH", "/api/v1/me", map[string]string{"locale": "de"}), 401, ticket.CodeUnauthorized)
	mustError(t, c.get("/api/v1/tickets"), 401, ticket.CodeUnauthorized)
}

// mustNobody checks the answer of GET /me when no session cookie was sent:
// 204 without a body.
func mustNobody(t *testing.T, r response) {
	t.Helper()
	if r.status != 204 || len(r.body) != 0 {
		t.Fatalf("GET /me: %d %q, want 204 without a body (nobody logged in)", r.status, r.body)
	}
}
