package api_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
)

type listPage struct {
	Tickets    []ticket.TicketView
	NextCursor string
}

func (c *client) list(tb testing.TB, q url.Values) []ticket.TicketView {
	tb.Helper()
	q.Set("limit", "500")
	r := c.get("/api/v1/tickets?" + q.Encode())
	if r.status != 200 {
		tb.Fatalf("list %s: %d %s", q.Encode(), r.status, r.body)
	}
	var p listPage
	r.decode(tb, &p)
	return p.Tickets
}

func TestListFilters(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	ctx := context.Background()
	anna := newClient(t, srv)
	anna.login(seed.AnnaEmail)
	all, _, _ := db.ListTickets(ctx, store.ListQuery{Scope: ticket.Scope{All: true}, Limit: 500})
	annaID := int64(0)
	for _, tk := range all {
		if tk.Requester.Name == "Anna Admin" {
			annaID = tk.Requester.ID
		}
	}
	// Each filter, checked against the store's tickets Anna may see.
	mine := func(keep func(ticket.Ticket) bool) map[int64]bool {
		out := map[int64]bool{}
		for _, tk := range all {
			if (tk.Organization.AccountNumber == "100200" || tk.Organization.AccountNumber == "100201") && keep(tk) {
				out[tk.Number] = true
			}
		}
		return out
	}
	cut := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		query string
		keep  func(ticket.Ticket) bool
	}{
		{"type=admin_request", func(tk ticket.Ticket) bool { return tk.Type == "admin_request" }},
		{"category=invoice", func(tk ticket.Ticket) bool { return tk.Category == "invoice" }},
		{"status=response_expected", func(tk ticket.Ticket) bool { return tk.Status.Portal() == ticket.PortalResponseExpected }},
		{"status=closed&open=true", func(tk ticket.Ticket) bool { return false }},
		{"status=in_progress,postponed", func(tk ticket.Ticket) bool {
			return tk.Status.Portal() == ticket.PortalInProgress || tk.Status.Portal() == ticket.PortalPostponed
		}},
		{"createdFrom=2026-06-01", func(tk ticket.Ticket) bool { return !tk.CreatedAt.Before(cut) }},
		{"createdTo=2026-05-31", func(tk ticket.Ticket) bool { return tk.CreatedAt.Before(cut) }},
		{"createdFrom=2026-06-01T00:00:00%2B02:00", func(tk ticket.Ticket) bool { return !tk.CreatedAt.Before(cut.Add(-2 * time.Hour)) }},
		{"awaiting=me", func(tk ticket.Ticket) bool {
			return tk.Requester.ID == annaID && tk.Status.Portal() == ticket.PortalResponseExpected
		}},
	} {
		q, _ := url.ParseQuery(tt.query)
		got := anna.list(t, q)
		want := mine(tt.keep)
		if len(got) != len(want) {
			t.Errorf("%s: %d tickets, want %d", tt.query, len(got), len(want))
		}
		for _, tk := range got {
			if !want[tk.Number] {
				t.Errorf("%s: ticket %d should not be listed", tt.query, tk.Number)
			}
		}
	}
	if len(mine(func(tk ticket.Ticket) bool { return tk.Category == "invoice" })) == 0 ||
		len(mine(func(tk ticket.Ticket) bool {
			return tk.Requester.ID == annaID && tk.Status.Portal() == ticket.PortalResponseExpected
		})) == 0 {
		t.Fatal("the demo data no longer covers the filters")
	}
}

func TestSearchRankedAndByNumber(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	diego := newClient(t, srv)
	diego.login(seed.DiegoEmail)
	sam := newClient(t, srv)
	sam.login(seed.SamEmail)
	a := firstTicket(t, db, "300400", 0, ticket.StatusNew, ticket.StatusOpen, ticket.StatusWaitingExternal)
	b := firstTicket(t, db, "300400", 0, ticket.StatusClosed, ticket.StatusResolved)
	// a mentions the word in two messages, b in one, written last: more
	// matching texts rank first, whatever the update time.
	if a.Status == ticket.StatusClosed {
		t.Fatal("a must take replies")
	}
	sam.send("POST", path(a.Number, "/messages"), map[string]any{"body": "Revisamos la zanahoria."})
	sam.send("POST", path(a.Number, "/messages"), map[string]any{"body": "La zanahoria sigue ahí."})
	sam.send("POST", path(b.Number, "/messages"), map[string]any{"body": "Revisamos el servidor de facturación, la base de datos, la red y varias otras cosas: zanahoria."})
	got := diego.list(t, url.Values{"q": {"zanahor"}})
	if len(got) != 2 || got[0].Number != a.Number || got[1].Number != b.Number {
		t.Fatalf("ranked search = %v, want [%d %d]", numbersOf(got), a.Number, b.Number)
	}
	// Asked in another order, the same matches.
	got = diego.list(t, url.Values{"q": {"zanahoria"}, "sort": {"number"}})
	if len(got) != 2 || got[0].Number < got[1].Number {
		t.Fatalf("search by number = %v", numbersOf(got))
	}
	// "#N" and "N" find ticket N first.
	for _, q := range []string{"#" + strconv.FormatInt(b.Number, 10), strconv.FormatInt(b.Number, 10)} {
		if got := diego.list(t, url.Values{"q": {q}}); len(got) == 0 || got[0].Number != b.Number {
			t.Errorf("search %q = %v, want %d first", q, numbersOf(got), b.Number)
		}
	}
	// Another account's number finds nothing.
	other := firstTicket(t, db, "100200", 0, ticket.Statuses()...)
	if got := diego.list(t, url.Values{"q": {strconv.FormatInt(other.Number, 10)}}); len(got) != 0 {
		t.Errorf("Diego found %v by another account's number", numbersOf(got))
	}
}

func numbersOf(ts []ticket.TicketView) []int64 {
	var out []int64
	for _, tk := range ts {
		out = append(out, tk.Number)
	}
	return out
}

func TestSavedViews(t *testing.T) {
	srv, _ := mustDemo(t, api.Config{})
	anna := newClient(t, srv)
	anna.lang = "de"
	anna.login(seed.AnnaEmail)
	bernd := newClient(t, srv)
	bernd.login(seed.BerndEmail)

	r := anna.send("POST", "/api/v1/views", map[string]any{"name": " Rechnungen ", "query": map[string]any{"category": "invoice", "open": "true", "sort": "status"}})
	var created struct{ View ticket.View }
	r.decode(t, &created)
	if r.status != 201 || created.View.ID == 0 || created.View.Name != "Rechnungen" || created.View.Query.Category != "invoice" || created.View.Query.Sort != ticket.SortStatus {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	id := strconv.FormatInt(created.View.ID, 10)

	// Bad input: structured, localized errors.
	e := mustError(t, anna.send("POST", "/api/v1/views", map[string]any{"name": "  "}), 422, ticket.CodeUnprocessable)
	if e.Error.Field != "name" {
		t.Errorf("empty name: field %q", e.Error.Field)
	}
	mustError(t, anna.send("POST", "/api/v1/views", map[string]any{"name": strings.Repeat("x", ticket.MaxViewName+1)}), 422, ticket.CodeUnprocessable)
	mustError(t, anna.send("POST", "/api/v1/views", map[string]any{"name": "rechnungen"}), 409, ticket.CodeConflict)
	mustError(t, anna.send("POST", "/api/v1/views", map[string]any{"name": "X", "query": map[string]any{"sort": "random"}}), 400, ticket.CodeInvalid)
	mustError(t, anna.send("POST", "/api/v1/views", map[string]any{"name": "X", "query": map[string]any{"internalStatus": []string{"new"}}}), 403, ticket.CodeForbidden)

	// Listed for Anna only.
	var views struct{ Views []ticket.View }
	anna.get("/api/v1/views").decode(t, &views)
	if len(views.Views) != 1 || views.Views[0].Name != "Rechnungen" {
		t.Fatalf("Anna's views = %+v", views.Views)
	}
	bernd.get("/api/v1/views").decode(t, &views)
	if len(views.Views) != 0 {
		t.Fatalf("Bernd sees Anna's views: %+v", views.Views)
	}
	// Another user's view is not found, for every method.
	mustError(t, bernd.send("PATCH", "/api/v1/views/"+id, map[string]any{"name": "Mine"}), 404, ticket.CodeNotFound)
	mustError(t, bernd.send("DELETE", "/api/v1/views/"+id, nil), 404, ticket.CodeNotFound)
	mustError(t, anna.send("PATCH", "/api/v1/views/999999", map[string]any{"name": "Mine"}), 404, ticket.CodeNotFound)

	// Rename keeps the query; a new query replaces it.
	r = anna.send("PATCH", "/api/v1/views/"+id, map[string]any{"name": "Offene Rechnungen"})
	r.decode(t, &created)
	if r.status != 200 || created.View.Name != "Offene Rechnungen" || created.View.Query.Category != "invoice" {
		t.Fatalf("rename: %d %s", r.status, r.body)
	}
	r = anna.send("PATCH", "/api/v1/views/"+id, map[string]any{"query": map[string]any{"q": "Rechnung"}})
	var replaced struct{ View ticket.View }
	r.decode(t, &replaced)
	if r.status != 200 || replaced.View.Name != "Offene Rechnungen" || replaced.View.Query.Category != "" || replaced.View.Query.Search != "Rechnung" {
		t.Fatalf("new query: %d %s", r.status, r.body)
	}
	if r := anna.send("DELETE", "/api/v1/views/"+id, nil); r.status != 204 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	mustError(t, anna.send("DELETE", "/api/v1/views/"+id, nil), 404, ticket.CodeNotFound)
}

func TestAssignAndPostpone(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	srv, db := mustDemo(t, api.Config{Now: func() time.Time { return now }})
	sam := newClient(t, srv)
	sam.login(seed.SamEmail)
	anna := newClient(t, srv)
	anna.login(seed.AnnaEmail)
	tk := firstTicket(t, db, "100200", 0, ticket.StatusNew, ticket.StatusOpen)
	var me struct{ User ticket.User }
	sam.get("/api/v1/me").decode(t, &me)

	// Customers neither assign nor postpone.
	mustError(t, anna.send("PATCH", path(tk.Number, ""), map[string]any{"assigneeId": me.User.ID}), 403, ticket.CodeForbidden)
	mustError(t, anna.send("PATCH", path(tk.Number, ""), map[string]any{"status": "closed", "postponedUntil": "2027-01-01"}), 403, ticket.CodeForbidden)

	// Assign to me: not visible to the customer, no update time moved.
	r := sam.send("PATCH", path(tk.Number, ""), map[string]any{"assigneeId": me.User.ID})
	var res struct{ Ticket ticket.TicketView }
	r.decode(t, &res)
	if r.status != 200 || res.Ticket.Assignee == nil || res.Ticket.Assignee.ID != me.User.ID || !res.Ticket.UpdatedAt.Equal(tk.UpdatedAt) {
		t.Fatalf("assign: %d %s", r.status, r.body)
	}
	if r := anna.get(path(tk.Number, "")); strings.Contains(string(r.body), "assignee") || strings.Contains(string(r.body), "Sam") {
		t.Errorf("the customer learns the assignee: %s", r.body)
	}
	mine := sam.list(t, url.Values{"assignee": {"me"}})
	if len(mine) != 1 || mine[0].Number != tk.Number {
		t.Errorf("assignee=me: %v", numbersOf(mine))
	}
	for _, other := range sam.list(t, url.Values{"assignee": {"none"}}) {
		if other.Number == tk.Number {
			t.Error("assignee=none lists an assigned ticket")
		}
	}
	if got := sam.list(t, url.Values{"awaiting": {"me"}}); len(got) != 1 || got[0].Number != tk.Number {
		t.Errorf("agent awaiting=me: %v", numbersOf(got))
	}
	// Only agents can be assigned.
	e := mustError(t, sam.send("PATCH", path(tk.Number, ""), map[string]any{"assigneeId": 2}), 422, ticket.CodeUnprocessable)
	if e.Error.Field != "assigneeId" {
		t.Errorf("assign a customer: field %q", e.Error.Field)
	}
	// Unassign.
	var unassigned struct{ Ticket ticket.TicketView }
	sam.send("PATCH", path(tk.Number, ""), map[string]any{"assigneeId": 0}).decode(t, &unassigned)
	if unassigned.Ticket.Assignee != nil {
		t.Errorf("unassign: %+v", res.Ticket.Assignee)
	}

	// Postponed asks for a future date.
	for _, tt := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"status": "postponed"}, "postponedUntil"},
		{map[string]any{"status": "postponed", "postponedUntil": "2026-11-22"}, "postponedUntil"},
		{map[string]any{"status": "postponed", "postponedUntil": "soon"}, "postponedUntil"},
		{map[string]any{"status": "open", "postponedUntil": "2027-01-10"}, "postponedUntil"},
	} {
		e := mustError(t, sam.send("PATCH", path(tk.Number, ""), tt.body), 422, ticket.CodeUnprocessable)
		if e.Error.Field != tt.field {
			t.Errorf("%v: field %q", tt.body, e.Error.Field)
		}
	}
	r = sam.send("PATCH", path(tk.Number, ""), map[string]any{"status": "postponed", "postponedUntil": "2027-01-10"})
	r.decode(t, &res)
	if r.status != 200 || res.Ticket.InternalStatus != ticket.StatusPostponed || res.Ticket.PostponedUntil == nil || !res.Ticket.PostponedUntil.Equal(time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("postpone: %d %s", r.status, r.body)
	}
	if r := anna.get(path(tk.Number, "")); strings.Contains(string(r.body), "postponedUntil") || !strings.Contains(string(r.body), `"status":"postponed"`) {
		t.Errorf("the customer's view of a postponed ticket: %s", r.body)
	}
	// Back to open clears the date.
	var reopened struct{ Ticket ticket.TicketView }
	sam.send("PATCH", path(tk.Number, ""), map[string]any{"status": "open"}).decode(t, &reopened)
	if reopened.Ticket.PostponedUntil != nil || reopened.Ticket.InternalStatus != ticket.StatusOpen {
		t.Errorf("open keeps the postponed date")
	}
}

func TestFollowUp(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	diego := newClient(t, srv)
	diego.login(seed.DiegoEmail)
	closed := firstTicket(t, db, "300400", 0, ticket.StatusClosed)
	open := firstTicket(t, db, "300400", 0, ticket.StatusNew, ticket.StatusOpen, ticket.StatusWaitingExternal)
	foreign := firstTicket(t, db, "100200", 0, ticket.StatusClosed)
	draft := func(followUp int64) map[string]any {
		return map[string]any{"organizationId": closed.Organization.ID, "type": "login_problem", "category": "password",
			"subject": "Otra vez", "description": "El problema volvió.", "followUpOf": followUp}
	}
	for _, n := range []int64{open.Number, foreign.Number, 99999999} {
		e := mustError(t, diego.send("POST", "/api/v1/tickets", draft(n)), 422, ticket.CodeUnprocessable)
		if e.Error.Field != "followUpOf" {
			t.Errorf("follow-up of %d: field %q", n, e.Error.Field)
		}
	}
	r := diego.send("POST", "/api/v1/tickets", draft(closed.Number))
	var res struct{ Ticket ticket.TicketView }
	r.decode(t, &res)
	if r.status != 201 || res.Ticket.FollowUpOf != closed.Number {
		t.Fatalf("follow-up: %d %s", r.status, r.body)
	}
}

// TestInternalNotesNeverReachCustomers writes a random word only into
// internal notes, then asks for it every way a customer can: no answer to
// any customer contains it.
func TestInternalNotesNeverReachCustomers(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	ctx := context.Background()
	sam := newClient(t, srv)
	sam.login(seed.SamEmail)
	all, _, _ := db.ListTickets(ctx, store.ListQuery{Scope: ticket.Scope{All: true}, Limit: 500})
	for round := 0; round < 3; round++ {
		b := make([]byte, 6)
		rand.Read(b)
		word := "zq" + hex.EncodeToString(b)
		for i, tk := range all {
			if i%3 == round {
				if r := sam.send("POST", path(tk.Number, "/messages"), map[string]any{"body": "Intern: " + word + " prüfen", "internal": true}); r.status != 201 {
					t.Fatalf("note: %d %s", r.status, r.body)
				}
			}
		}
		// Agents find it: the word is really there.
		if got := sam.list(t, url.Values{"q": {word}}); len(got) == 0 {
			t.Fatalf("the agent's search does not find %s", word)
		}
		for _, email := range []string{seed.AnnaEmail, seed.BerndEmail, seed.CarlaEmail, seed.ClaireEmail, seed.DiegoEmail, seed.VeraEmail} {
			c := newClient(t, srv)
			c.login(email)
			var bodies [][]byte
			ask := func(p string) {
				r := c.get(p)
				bodies = append(bodies, r.body)
			}
			for _, q := range []string{word, word[:5], "Intern " + word, "prüfen"} {
				ask("/api/v1/tickets?limit=500&q=" + url.QueryEscape(q))
				ask("/api/v1/tickets/counts?q=" + url.QueryEscape(q))
			}
			ask("/api/v1/tickets?limit=500")
			for _, tk := range all {
				ask(path(tk.Number, ""))
			}
			// A saved view searching the word lists nothing either.
			r := c.send("POST", "/api/v1/views", map[string]any{"name": word, "query": map[string]any{"q": word}})
			bodies = append(bodies, r.body)
			ask("/api/v1/views")
			for _, body := range bodies {
				// The view's own name and query echo what the customer typed.
				clean := strings.ReplaceAll(strings.ReplaceAll(string(body), `"name":"`+word+`"`, ""), `"q":"`+word+`"`, "")
				if strings.Contains(clean, word) {
					t.Fatalf("%s received the internal note's word: %.300s", email, body)
				}
			}
			var found listPage
			c.get("/api/v1/tickets?limit=500&q="+word).decode(t, &found)
			if len(found.Tickets) != 0 {
				t.Fatalf("%s finds %v by a word only internal notes contain", email, numbersOf(found.Tickets))
			}
			var counts struct{ Counts map[string]int }
			c.get("/api/v1/tickets/counts?q="+word).decode(t, &counts)
			for st, n := range counts.Counts {
				if n != 0 {
					t.Fatalf("%s counts %d %s tickets by an internal word", email, n, st)
				}
			}
		}
	}
}
