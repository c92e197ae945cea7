package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
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

// idem is a demo server with Anna logged in, her account and two tickets
// of it she may reply to; clock moves the server's time.
type idem struct {
	t      *testing.T
	db     *store.DB
	a      *api.Server
	srv    *httptest.Server
	anna   *client
	annaID int64
	praxis int64
	open   ticket.Ticket // replied to
	other  ticket.Ticket // another ticket of the account

	mu  sync.Mutex
	now time.Time
}

func newIdem(t *testing.T) *idem {
	t.Helper()
	_, db := mustDemo(t, api.Config{})
	f := &idem{t: t, db: db, now: time.Now()}
	f.a = api.New(db, api.Config{Now: f.clock, SessionIdle: 365 * 24 * time.Hour})
	f.srv = httptest.NewServer(f.a)
	t.Cleanup(f.srv.Close)
	f.anna = newClient(t, f.srv)
	var me ticket.Me
	f.anna.send("POST", "/api/v1/login", map[string]string{"email": seed.AnnaEmail, "password": seed.Password}).decode(t, &me)
	f.annaID = me.User.ID
	f.praxis = f.anna.accounts()["100200"]
	all, _, err := db.ListTickets(context.Background(), store.ListQuery{Scope: ticket.Scope{All: true}, OrganizationID: f.praxis,
		Statuses: []ticket.Status{ticket.StatusNew, ticket.StatusOpen}, Limit: 2})
	if err != nil || len(all) < 2 {
		t.Fatalf("the demo needs two new or open tickets of 100200: %d, %v", len(all), err)
	}
	f.open, f.other = all[0], all[1]
	return f
}

func (f *idem) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *idem) wait(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

// draft is a ticket Anna may raise; variant tells requests apart.
func (f *idem) draft(variant int) ticket.Draft {
	return ticket.Draft{OrganizationID: f.praxis, Type: "login_problem", Category: "password",
		Subject: "Passwort vergessen " + strconv.Itoa(variant), Description: "Bitte zurücksetzen."}
}

func (f *idem) create(key string, variant int) response {
	return f.anna.post("/api/v1/tickets", f.draft(variant), key)
}

func (f *idem) reply(key string, variant int) response {
	return f.replyTo(f.open.Number, key, variant)
}

func (f *idem) replyTo(number int64, key string, variant int) response {
	return f.anna.post(path(number, "/messages"), ticket.ReplyRequest{Body: "Danke, " + strconv.Itoa(variant)}, key)
}

// associate adds a draft's description to the open ticket.
func (f *idem) associate(key string, variant int) response {
	d := f.draft(variant)
	d.Subject, d.Description, d.ExistingTicket = "", "Noch ein Beispiel "+strconv.Itoa(variant), f.open.Number
	return f.anna.post("/api/v1/tickets", d, key)
}

// made counts what requests made: tickets, and messages of the two tickets.
func (f *idem) made() int {
	f.t.Helper()
	ctx := context.Background()
	all, _, err := f.db.ListTickets(ctx, store.ListQuery{Scope: ticket.Scope{All: true}, Limit: 1000})
	if err != nil {
		f.t.Fatal(err)
	}
	n := len(all)
	for _, number := range []int64{f.open.Number, f.other.Number} {
		ms, err := f.db.Messages(ctx, number)
		if err != nil {
			f.t.Fatal(err)
		}
		n += len(ms)
	}
	return n
}

// kinds are the requests that take an Idempotency-Key.
func (f *idem) kinds() []struct {
	name string
	send func(key string, variant int) response
} {
	return []struct {
		name string
		send func(key string, variant int) response
	}{
		{"create", f.create},
		{"reply", f.reply},
		{"create with existingTicket", f.associate},
	}
}

// keyOf makes an Idempotency-Key of a test's name (no spaces).
func keyOf(prefix, name string) string {
	return prefix + strings.Map(func(c rune) rune {
		if c <= ' ' || c > '~' {
			return '-'
		}
		return c
	}, name)
}

func numberOf(t *testing.T, r response) int64 {
	t.Helper()
	var res struct{ Ticket ticket.TicketView }
	r.decode(t, &res)
	return res.Ticket.Number
}

// A retry of a request that succeeded is answered as the first was: the
// same status and the same bytes, marked Idempotent-Replayed, and makes
// nothing, even after the ticket changed.
func TestIdempotentReplay(t *testing.T) {
	f := newIdem(t)
	sam := newClient(t, f.srv)
	sam.login(seed.SamEmail)
	for _, kind := range f.kinds() {
		t.Run(kind.name, func(t *testing.T) {
			key := keyOf("replay-", kind.name)
			first := kind.send(key, 0)
			if got, want := first.status, http.StatusCreated; got != want {
				t.Fatalf("first: status %d, want %d (%s)", got, want, first.body)
			}
			if got := first.header.Get("Idempotent-Replayed"); got != "" {
				t.Errorf("first: Idempotent-Replayed = %q, want none", got)
			}
			// The ticket moves on: an agent answers.
			if r := sam.send("POST", path(numberOf(t, first), "/messages"), map[string]any{"body": "Wir sehen nach."}); r.status != 201 {
				t.Fatalf("agent reply: %d %s", r.status, r.body)
			}
			made := f.made()
			for i := range 2 {
				again := kind.send(key, 0)
				if got, want := again.status, first.status; got != want {
					t.Errorf("retry %d: status %d, want %d (%s)", i, got, want, again.body)
				}
				if got, want := string(again.body), string(first.body); got != want {
					t.Errorf("retry %d: body\n%s\nwant the first\n%s", i, got, want)
				}
				if got, want := again.header.Get("Idempotent-Replayed"), "true"; got != want {
					t.Errorf("retry %d: Idempotent-Replayed = %q, want %q", i, got, want)
				}
				if got, want := again.header.Get("Content-Type"), "application/json; charset=utf-8"; got != want {
					t.Errorf("retry %d: Content-Type = %q, want %q", i, got, want)
				}
			}
			if got, want := f.made(), made; got != want {
				t.Errorf("tickets and messages = %d after retries, want %d", got, want)
			}
		})
	}
}

// The same key with another request is refused with 422 and makes
// nothing; the kind of request and a reply's ticket are part of the
// request, so a create's key and a reply's key never answer each other.
func TestIdempotencyKeyReused(t *testing.T) {
	f := newIdem(t)
	for _, tt := range []struct {
		name         string
		first, again func(key string) response
	}{
		{"create, another body", func(k string) response { return f.create(k, 0) }, func(k string) response { return f.create(k, 1) }},
		{"reply, another body", func(k string) response { return f.reply(k, 0) }, func(k string) response { return f.reply(k, 1) }},
		{"reply, another ticket", func(k string) response { return f.reply(k, 0) }, func(k string) response { return f.replyTo(f.other.Number, k, 0) }},
		{"reply with a create's key", func(k string) response { return f.create(k, 0) }, func(k string) response { return f.reply(k, 0) }},
		{"create with a reply's key", func(k string) response { return f.reply(k, 0) }, func(k string) response { return f.create(k, 0) }},
		{"create with existingTicket with a create's key", func(k string) response { return f.create(k, 0) }, func(k string) response { return f.associate(k, 0) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			key := keyOf("reused-", tt.name)
			first := tt.first(key)
			if first.status != 201 {
				t.Fatalf("first: %d %s", first.status, first.body)
			}
			made := f.made()
			e := mustError(t, tt.again(key), http.StatusUnprocessableEntity, ticket.CodeUnprocessable)
			if got, want := e.Error.MessageID, "ErrIdempotencyReused"; got != want {
				t.Errorf("messageId = %q, want %q", got, want)
			}
			if got, want := f.made(), made; got != want {
				t.Errorf("tickets and messages = %d, want %d", got, want)
			}
			// The key still answers its own request.
			if r := tt.first(key); r.status != 201 || string(r.body) != string(first.body) {
				t.Errorf("the first request again: %d %s, want 201 %s", r.status, r.body, first.body)
			}
		})
	}
}

// While a key's request is being handled, the same key is answered 409
// with Retry-After; once it is done, the next one is taken.
func TestIdempotencyInProgress(t *testing.T) {
	f := newIdem(t)
	for _, kind := range f.kinds() {
		t.Run(kind.name, func(t *testing.T) {
			key := keyOf("busy-", kind.name)
			release := api.HoldKey(f.a, f.annaID, key)
			made := f.made()
			r := kind.send(key, 0)
			e := mustError(t, r, http.StatusConflict, ticket.CodeConflict)
			if got, want := e.Error.MessageID, "ErrIdempotencyInProgress"; got != want {
				t.Errorf("messageId = %q, want %q", got, want)
			}
			if got, want := r.header.Get("Retry-After"), "1"; got != want {
				t.Errorf("Retry-After = %q, want %q", got, want)
			}
			if got, want := f.made(), made; got != want {
				t.Errorf("tickets and messages = %d, want %d", got, want)
			}
			// Another key of the same user is not held up.
			if r := kind.send(key+"-other", 1); r.status != 201 {
				t.Errorf("another key: %d %s, want 201", r.status, r.body)
			}
			release()
			if r := kind.send(key, 0); r.status != 201 || r.header.Get("Idempotent-Replayed") != "" {
				t.Errorf("after the first is done: %d %s, want 201, not replayed", r.status, r.body)
			}
		})
	}
}

// Requests with one key arriving together make one ticket: each is
// answered with it (201) or told to try again (409, Retry-After).
func TestIdempotencyConcurrent(t *testing.T) {
	f := newIdem(t)
	made := f.made()
	body, _ := json.Marshal(f.draft(0))
	type answer struct {
		status     int
		retryAfter string
		body       []byte
		err        error
	}
	answers := make([]answer, 8)
	var wg sync.WaitGroup
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/tickets", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Idempotency-Key", "together")
			res, err := f.anna.http.Do(req)
			if err != nil {
				answers[i].err = err
				return
			}
			defer res.Body.Close()
			b, err := io.ReadAll(res.Body)
			answers[i] = answer{res.StatusCode, res.Header.Get("Retry-After"), b, err}
		}()
	}
	wg.Wait()
	var created []byte
	for i, a := range answers {
		switch {
		case a.err != nil:
			t.Fatalf("request %d: %v", i, a.err)
		case a.status == http.StatusCreated:
			if created != nil && !bytes.Equal(a.body, created) {
				t.Errorf("request %d: body %s, want the same as %s", i, a.body, created)
			}
			created = a.body
		case a.status == http.StatusConflict:
			if got, want := a.retryAfter, "1"; got != want {
				t.Errorf("request %d: 409 with Retry-After %q, want %q", i, got, want)
			}
		default:
			t.Errorf("request %d: %d %s, want 201 or 409", i, a.status, a.body)
		}
	}
	if created == nil {
		t.Error("no request was answered 201")
	}
	if got, want := f.made(), made+1; got != want {
		t.Errorf("tickets and messages = %d, want %d (one ticket)", got, want)
	}
}

// Only a request that succeeded binds its key: after a refusal, the
// corrected request may come with the same key (the browser's outbox).
func TestIdempotencyKeyFreeAfterFailure(t *testing.T) {
	f := newIdem(t)
	for _, tt := range []struct {
		name   string
		failed func(key string) response
		status int
		fixed  func(key string) response
	}{
		{"create, a required field empty", func(k string) response {
			d := f.draft(0)
			d.Subject = ""
			return f.anna.post("/api/v1/tickets", d, k)
		}, http.StatusUnprocessableEntity, func(k string) response { return f.create(k, 0) }},
		{"create, an account not hers", func(k string) response {
			d := f.draft(0)
			d.OrganizationID = 99999
			return f.anna.post("/api/v1/tickets", d, k)
		}, http.StatusNotFound, func(k string) response { return f.create(k, 0) }},
		{"reply, empty", func(k string) response {
			return f.anna.post(path(f.open.Number, "/messages"), ticket.ReplyRequest{Body: "  "}, k)
		}, http.StatusUnprocessableEntity, func(k string) response { return f.reply(k, 0) }},
		{"reply, a ticket not found", func(k string) response { return f.replyTo(424242, k, 0) }, http.StatusNotFound, func(k string) response { return f.reply(k, 0) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			key := keyOf("fix-", tt.name)
			made := f.made()
			if r := tt.failed(key); r.status != tt.status {
				t.Fatalf("failed request: %d %s, want %d", r.status, r.body, tt.status)
			}
			fixed := tt.fixed(key)
			if got, want := fixed.status, http.StatusCreated; got != want {
				t.Fatalf("fixed request with the same key: %d %s, want %d", got, fixed.body, want)
			}
			if got, want := f.made(), made+1; got != want {
				t.Errorf("tickets and messages = %d, want %d", got, want)
			}
			if r := tt.fixed(key); r.status != 201 || string(r.body) != string(fixed.body) || r.header.Get("Idempotent-Replayed") != "true" {
				t.Errorf("retry of the fixed request: %d %s, want the fixed one replayed", r.status, r.body)
			}
		})
	}
}

// A key is kept at least 7 days (an outbox can be old) and removed by the
// janitor after 30.
func TestIdempotencyKeyAge(t *testing.T) {
	f := newIdem(t)
	for _, kind := range f.kinds() {
		t.Run(kind.name, func(t *testing.T) {
			key := keyOf("age-", kind.name)
			first := kind.send(key, 0)
			if first.status != 201 {
				t.Fatalf("first: %d %s", first.status, first.body)
			}
			f.wait(8 * 24 * time.Hour)
			if err := f.a.RemoveOldKeys(context.Background()); err != nil {
				t.Fatal(err)
			}
			if r := kind.send(key, 0); r.status != 201 || string(r.body) != string(first.body) || r.header.Get("Idempotent-Replayed") != "true" {
				t.Errorf("retry 8 days later: %d %s, want the first replayed", r.status, r.body)
			}
			f.wait(api.KeepKeys - 8*24*time.Hour + time.Hour)
			if err := f.a.RemoveOldKeys(context.Background()); err != nil {
				t.Fatal(err)
			}
			// The key is forgotten: another request may use it.
			if r := kind.send(key, 1); r.status != 201 || r.header.Get("Idempotent-Replayed") != "" {
				t.Errorf("the key with another request after %v: %d %s, want 201, not replayed", api.KeepKeys, r.status, r.body)
			}
		})
	}
}

// A key kept before answers were (and before the kind was hashed) still
// answers its retry: the answer is rebuilt, 201 as the first was.
func TestIdempotencyKeptBeforeAnswers(t *testing.T) {
	f := newIdem(t)
	d := f.draft(0)
	raw, _ := json.Marshal(d)
	old := sha256.Sum256(raw)
	tk, _, err := f.db.CreateTicketOnce(context.Background(), store.Once{UserID: f.annaID, Key: "legacy", RequestHash: old[:]}, ticket.Ticket{
		Organization: ticket.OrgRef{ID: d.OrganizationID}, Requester: ticket.UserRef{ID: f.annaID}, Type: d.Type, Category: d.Category,
		Subject: d.Subject, Description: d.Description, Fields: map[string]string{}, Status: ticket.StatusNew, CreatedAt: f.clock(),
	})
	if err != nil {
		t.Fatal(err)
	}
	made := f.made()
	r := f.create("legacy", 0)
	if got, want := r.status, http.StatusCreated; got != want {
		t.Fatalf("retry: %d %s, want %d", got, r.body, want)
	}
	if got, want := numberOf(t, r), tk.Number; got != want {
		t.Errorf("retry answers #%d, want #%d", got, want)
	}
	if got, want := r.header.Get("Idempotent-Replayed"), "true"; got != want {
		t.Errorf("Idempotent-Replayed = %q, want %q", got, want)
	}
	if got, want := f.made(), made; got != want {
		t.Errorf("tickets and messages = %d, want %d", got, want)
	}
	mustError(t, f.create("legacy", 1), http.StatusUnprocessableEntity, ticket.CodeUnprocessable)
}

// An empty or a repeated Idempotency-Key is refused, not taken as none
// (the request would then have no protection against a second send).
func TestIdempotencyKeyHeaderForms(t *testing.T) {
	f := newIdem(t)
	made := f.made()
	for _, tt := range []struct {
		name   string
		values []string
	}{
		{"empty", []string{""}},
		{"spaces only", []string{"   "}},
		{"twice", []string{"k-1", "k-2"}},
		{"twice the same", []string{"k-3", "k-3"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := json.Marshal(f.draft(0))
			req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/tickets", bytes.NewReader(b))
			req.Header.Set("Content-Type", "application/json")
			for _, v := range tt.values {
				req.Header.Add("Idempotency-Key", v)
			}
			res, err := f.anna.http.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			e := mustError(t, response{status: res.StatusCode, header: res.Header, body: body}, http.StatusBadRequest, ticket.CodeInvalid)
			if got, want := e.Error.MessageID, "ErrIdempotencyKey"; got != want {
				t.Errorf("messageId = %q, want %q", got, want)
			}
		})
	}
	if got := f.made(); got != made {
		t.Errorf("refused requests made %d tickets or messages", got-made)
	}
}

// A replay answers only while the user may still see the ticket: a vendor
// whose access ended gets 404, not the answer kept from before.
func TestIdempotencyReplayAfterAccessEnds(t *testing.T) {
	f := newIdem(t)
	vera := newClient(t, f.srv)
	var me ticket.Me
	vera.send("POST", "/api/v1/login", map[string]string{"email": seed.VeraEmail, "password": seed.Password}).decode(t, &me)
	var vendor, lumiere int64
	for _, a := range me.VendorAccounts {
		if a.Organization.AccountNumber == "200300" {
			vendor, lumiere = a.Vendor.ID, a.Organization.ID
		}
	}
	if vendor == 0 {
		t.Fatal("Vera has no vendor access to 200300 in the demo")
	}
	ctx := context.Background()
	// Cabinet Lumière lets MedSoft write for a while.
	if err := f.db.ChangeVendorAccess(ctx, lumiere, vendor, ticket.AccessFull); err != nil {
		t.Fatal(err)
	}
	d := f.draft(7)
	d.OrganizationID = lumiere
	first := vera.post("/api/v1/tickets", d, "vera-k1")
	if first.status != http.StatusCreated {
		t.Fatalf("Vera's create: %d %s", first.status, first.body)
	}
	if again := vera.post("/api/v1/tickets", d, "vera-k1"); again.status != http.StatusCreated || string(again.body) != string(first.body) {
		t.Fatalf("replay with access: %d, want 201 and the same body", again.status)
	}
	if err := f.db.ChangeVendorAccess(ctx, lumiere, vendor, ticket.AccessNone); err != nil {
		t.Fatal(err)
	}
	r := vera.post("/api/v1/tickets", d, "vera-k1")
	mustError(t, r, http.StatusNotFound, ticket.CodeNotFound)
	if strings.Contains(string(r.body), "Passwort vergessen") {
		t.Errorf("the replay after the access ended shows the ticket: %s", r.body)
	}
}
