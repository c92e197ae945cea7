package api_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
)

// firstTicket returns the newest ticket of account in one of statuses,
// requested by requester when that is not 0.
func firstTicket(t testing.TB, db *store.DB, account string, requester int64, statuses ...ticket.Status) ticket.Ticket {
	t.Helper()
	all, _, _ := db.ListTickets(context.Background(), store.ListQuery{Scope: ticket.Scope{All: true}, Statuses: statuses, Limit: 500})
	for _, tk := range all {
		if tk.Organization.AccountNumber == account && (requester == 0 || tk.Requester.ID == requester) {
			return tk
		}
	}
	t.Fatalf("no ticket of %s in %v", account, statuses)
	return ticket.Ticket{}
}

func path(n int64, rest string) string { return "/api/v1/tickets/" + strconv.FormatInt(n, 10) + rest }

func TestReplies(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	ctx := context.Background()
	anna := newClient(t, srv)
	anna.lang = "de"
	anna.login(seed.AnnaEmail)
	sam := newClient(t, srv)
	sam.login(seed.SamEmail)

	// A customer's reply to a ticket awaiting them puts it back in progress.
	waiting := firstTicket(t, db, "100200", 0, ticket.StatusWaitingExternal)
	r := anna.send("POST", path(waiting.Number, "/messages"), map[string]any{"body": "Hier die Rechnungsnummer: RE-2026-10977.\nViele Grüße"})
	var res struct {
		Message ticket.MessageView
		Ticket  ticket.TicketView
	}
	r.decode(t, &res)
	if r.status != 201 || res.Message.Author.Name != "Anna Admin" || res.Message.Internal != nil || res.Ticket.Status != ticket.PortalInProgress || res.Ticket.InternalStatus != "" {
		t.Fatalf("reply: %d %s", r.status, r.body)
	}
	if got, _ := db.Ticket(ctx, waiting.Number); got.Status != ticket.StatusOpen {
		t.Errorf("status after the customer's reply = %s, want open", got.Status)
	}

	// Internal notes: agents only; they change neither status nor update time.
	mustError(t, anna.send("POST", path(waiting.Number, "/messages"), map[string]any{"body": "x", "internal": true}), 403, ticket.CodeForbidden)
	before, _ := db.Ticket(ctx, waiting.Number)
	r = sam.send("POST", path(waiting.Number, "/messages"), map[string]any{"body": "NOTE-SECRET-4711 Buchhaltung fragen", "internal": true})
	if r.status != 201 || !strings.Contains(string(r.body), `"internal":true`) {
		t.Fatalf("internal note: %d %s", r.status, r.body)
	}
	after, _ := db.Ticket(ctx, waiting.Number)
	if after.Status != before.Status || !after.UpdatedAt.Equal(before.UpdatedAt) {
		t.Errorf("internal note moved the ticket: %s %v -> %s %v", before.Status, before.UpdatedAt, after.Status, after.UpdatedAt)
	}
	if body := string(anna.get(path(waiting.Number, "")).body); strings.Contains(body, "NOTE-SECRET-4711") {
		t.Error("the customer receives the internal note")
	}

	// Bad replies.
	for _, tt := range []struct {
		body  string
		field string
	}{{"   ", "ErrReplyRequired"}, {strings.Repeat("ä", ticket.MaxDescription+1), "ErrReplyTooLong"}} {
		r := anna.send("POST", path(waiting.Number, "/messages"), map[string]any{"body": tt.body})
		var e validationBody
		r.decode(t, &e)
		if r.status != 422 || e.Error.Field != "body" || len(e.Error.Fields) != 1 || e.Error.Fields[0].MessageID != tt.field {
			t.Errorf("reply %.10q: %d %+v, want 422 %s at body", tt.body, r.status, e.Error, tt.field)
		}
	}
	mustError(t, anna.do("POST", path(waiting.Number, "/messages"), "application/json", []byte(`{"body":`)), 400, ticket.CodeInvalid)
	// Another organization's ticket is 404; a closed ticket takes no reply.
	foreign := firstTicket(t, db, "300400", 0, ticket.Statuses()...)
	mustError(t, anna.send("POST", path(foreign.Number, "/messages"), map[string]any{"body": "Hallo"}), 404, ticket.CodeNotFound)
	closed := firstTicket(t, db, "100200", 0, ticket.StatusClosed)
	mustError(t, anna.send("POST", path(closed.Number, "/messages"), map[string]any{"body": "Hallo"}), 409, ticket.CodeConflict)
}

func TestStatusChanges(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	ctx := context.Background()
	bernd := newClient(t, srv)
	bernd.login(seed.BerndEmail)
	anna := newClient(t, srv)
	anna.login(seed.AnnaEmail)
	sam := newClient(t, srv)
	sam.login(seed.SamEmail)
	var me struct{ User ticket.User }
	bernd.get("/api/v1/me").decode(t, &me)

	own := firstTicket(t, db, "100200", me.User.ID, ticket.StatusNew, ticket.StatusOpen, ticket.StatusWaitingExternal, ticket.StatusWaitingInternal, ticket.StatusPostponed)
	// Anna may see Bernd's ticket, but only Bernd closes it.
	mustError(t, anna.send("PATCH", path(own.Number, ""), map[string]string{"status": "closed"}), 403, ticket.CodeForbidden)
	mustError(t, bernd.send("PATCH", path(own.Number, ""), map[string]string{"status": "in_progress"}), 403, ticket.CodeForbidden)
	mustError(t, bernd.send("PATCH", path(own.Number, ""), map[string]string{"status": "waiting_internal"}), 403, ticket.CodeForbidden)
	r := bernd.send("PATCH", path(own.Number, ""), map[string]string{"status": "closed"})
	if r.status != 200 || !strings.Contains(string(r.body), `"status":"closed"`) || strings.Contains(string(r.body), "internalStatus") {
		t.Fatalf("customer close: %d %s", r.status, r.body)
	}
	mustError(t, bernd.send("PATCH", path(own.Number, ""), map[string]string{"status": "closed"}), 409, ticket.CodeConflict)

	// Agents: along the workflow; a closed ticket is reopened first.
	mustError(t, sam.send("PATCH", path(own.Number, ""), map[string]string{"status": "waiting_external"}), 409, ticket.CodeConflict)
	if r := sam.send("PATCH", path(own.Number, ""), map[string]string{"status": "open"}); r.status != 200 {
		t.Fatalf("reopen: %d %s", r.status, r.body)
	}
	if r := sam.send("PATCH", path(own.Number, ""), map[string]string{"status": "waiting_external"}); r.status != 200 || !strings.Contains(string(r.body), `"internalStatus":"waiting_external"`) {
		t.Fatalf("agent set: %d %s", r.status, r.body)
	}
	if got, _ := db.Ticket(ctx, own.Number); got.Status != ticket.StatusWaitingExternal {
		t.Errorf("stored status = %s", got.Status)
	}
	mustError(t, sam.send("PATCH", path(own.Number, ""), map[string]string{"status": "bogus"}), 400, ticket.CodeInvalid)
	mustError(t, sam.send("PATCH", path(own.Number, ""), map[string]any{"status": "open", "colour": "red"}), 400, ticket.CodeInvalid)
	foreign := firstTicket(t, db, "300400", 0, ticket.Statuses()...)
	mustError(t, bernd.send("PATCH", path(foreign.Number, ""), map[string]string{"status": "closed"}), 404, ticket.CodeNotFound)
}

// TestSearchNeverFindsInternalNotes: words written only in internal notes
// find nothing for any customer; agents find them; a customer finds their
// ticket by a word of a public message.
func TestSearchNeverFindsInternalNotes(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	ctx := context.Background()
	markers := []string{"INTERN-NOTIZ", "NOTE-INTERNE", "NOTA-INTERNA", "INTERNAL-NOTE"}
	for email := range matrixAccess {
		c := newClient(t, srv)
		c.login(email)
		for _, m := range markers {
			var list struct{ Tickets []ticket.TicketView }
			c.get("/api/v1/tickets?limit=500&q="+m).decode(t, &list)
			if agent := email == seed.SamEmail; agent != (len(list.Tickets) > 0) {
				t.Errorf("%s searching %s: %d tickets (agent %v)", email, m, len(list.Tickets), agent)
			}
		}
	}

	diego := newClient(t, srv)
	diego.login(seed.DiegoEmail)
	sol := diego.accounts()["300400"]
	mine, _, _ := db.ListTickets(ctx, store.ListQuery{Scope: ticket.Scope{All: true}, OrganizationID: sol, Limit: 1})
	ms, _ := db.Messages(ctx, mine[0].Number)
	var word string
	for _, m := range ms {
		if !m.Internal {
			for _, w := range strings.Fields(m.Body) {
				if w = strings.Trim(w, ".,:;!?¿¡()«»\""); len([]rune(w)) > 6 && word == "" {
					word = w
				}
			}
		}
	}
	if word == "" {
		t.Fatal("no searchable word in Diego's ticket")
	}
	var found struct{ Tickets []ticket.TicketView }
	diego.get("/api/v1/tickets?q="+word).decode(t, &found)
	ok := false
	for _, tk := range found.Tickets {
		ok = ok || tk.Number == mine[0].Number
		if tk.Organization.AccountNumber != "300400" {
			t.Errorf("Diego's search found ticket %d of %s", tk.Number, tk.Organization.AccountNumber)
		}
	}
	if !ok {
		t.Errorf("Diego searching %q does not find ticket %d", word, mine[0].Number)
	}
	mustError(t, diego.get("/api/v1/tickets?q="+strings.Repeat("x", 201)), 400, ticket.CodeInvalid)
}

// A status step customers do not see (the light stays) leaves the update
// time they see as it was: it would give the internal work away. A step
// that changes their light moves it.
func TestInternalStatusStepsKeepUpdateTime(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	anna, sam := newClient(t, srv), newClient(t, srv)
	anna.login(seed.AnnaEmail)
	sam.login(seed.SamEmail)
	tk := firstTicket(t, db, "100200", 0, ticket.StatusNew)
	seen := func() ticket.TicketView {
		t.Helper()
		var got struct{ Ticket ticket.TicketView }
		anna.get(path(tk.Number, "")).decode(t, &got)
		return got.Ticket
	}
	before := seen()
	for _, step := range []ticket.Status{ticket.StatusOpen, ticket.StatusWaitingInternal} {
		time.Sleep(5 * time.Millisecond) // the clock moves on between writes
		if r := sam.send("PATCH", path(tk.Number, ""), map[string]any{"status": step}); r.status != 200 {
			t.Fatalf("Sam sets %s: %d %s", step, r.status, r.body)
		}
		if after := seen(); after.Status != before.Status || !after.UpdatedAt.Equal(before.UpdatedAt) {
			t.Fatalf("after the step to %s Anna sees %s updated %v, want %s updated %v", step, after.Status, after.UpdatedAt, before.Status, before.UpdatedAt)
		}
	}
	time.Sleep(5 * time.Millisecond)
	if r := sam.send("PATCH", path(tk.Number, ""), map[string]any{"status": ticket.StatusWaitingExternal}); r.status != 200 {
		t.Fatalf("Sam sets waiting_external: %d %s", r.status, r.body)
	}
	if after := seen(); after.Status == before.Status || !after.UpdatedAt.After(before.UpdatedAt) {
		t.Fatalf("after a step that changes her light Anna sees %s updated %v, want a new status updated after %v", after.Status, after.UpdatedAt, before.UpdatedAt)
	}
}
