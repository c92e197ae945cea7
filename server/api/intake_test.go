package api_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
)

func (c *client) post(path string, v any, key string) response {
	c.tb.Helper()
	b, _ := json.Marshal(v)
	if key == "" {
		return c.do("POST", path, "application/json", b)
	}
	return c.do("POST", path, "application/json", b, "Idempotency-Key", key)
}

// accounts returns the caller's organizations by account number.
func (c *client) accounts() map[string]int64 {
	var me struct{ Memberships []ticket.Membership }
	c.get("/api/v1/me").decode(c.tb, &me)
	out := map[string]int64{}
	for _, m := range me.Memberships {
		out[m.Organization.AccountNumber] = m.Organization.ID
	}
	return out
}

type validationBody struct {
	Error struct {
		Code, MessageID, Field, Message string
		Fields                          []struct{ Field, MessageID, Message string }
	}
}

func TestCatalogPerUser(t *testing.T) {
	srv, _ := mustDemo(t, api.Config{})
	types := func(email string) map[string][]int64 {
		c := newClient(t, srv)
		c.login(email)
		var res struct {
			Types []struct {
				ID              string
				OrganizationIDs []int64
				Categories      []ticket.Category
			}
		}
		c.get("/api/v1/catalog").decode(t, &res)
		out := map[string][]int64{}
		for _, ty := range res.Types {
			if len(ty.Categories) == 0 {
				t.Errorf("%s: type %s has no categories", email, ty.ID)
			}
			out[ty.ID] = ty.OrganizationIDs
		}
		return out
	}
	if got := types(seed.AnnaEmail); len(got["admin_request"]) != 2 || len(got["login_problem"]) != 2 {
		t.Errorf("anna (admin of two accounts): %v", got)
	}
	if got, want := types(seed.DiegoEmail), len(ticket.DefaultCatalog.Types)-1; got["admin_request"] != nil || len(got) != want {
		t.Errorf("diego (member): %v, want the %d general types and no admin_request", got, want)
	}
	if got := types(seed.CarlaEmail); len(got) != 0 {
		t.Errorf("carla (revoked): %v, want nothing", got)
	}
}

func TestCreateTicket(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	anna := newClient(t, srv)
	anna.login(seed.AnnaEmail)
	potsdam := anna.accounts()["100201"]
	draft := ticket.Draft{OrganizationID: potsdam, Type: "admin_request", Category: "invoice",
		Subject: "Rechnung <RE-2026-12001> doppelt", Description: "Zeile 1\nZeile 2 <b>fett?</b>",
		Fields: map[string]string{"invoiceNumber": "RE-2026-12001"}}

	r := anna.post("/api/v1/tickets", draft, "key-anna-1")
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var created struct{ Ticket ticket.TicketView }
	r.decode(t, &created)
	tk := created.Ticket
	if tk.Number < ticket.FirstTicketNumber || tk.Organization.AccountNumber != "100201" || tk.Requester.Name != "Anna Admin" ||
		tk.Subject != draft.Subject || tk.Description != draft.Description || tk.Fields["invoiceNumber"] != "RE-2026-12001" ||
		tk.Status != ticket.PortalInProgress || tk.InternalStatus != "" {
		t.Fatalf("created ticket = %+v", tk)
	}
	stored, err := db.Ticket(context.Background(), tk.Number)
	if err != nil || stored.Status != ticket.StatusNew || stored.Subject != draft.Subject {
		t.Fatalf("stored = %+v, %v", stored, err)
	}

	// A retry with the same key answers the same ticket and creates nothing.
	r2 := anna.post("/api/v1/tickets", draft, "key-anna-1")
	var again struct{ Ticket ticket.TicketView }
	r2.decode(t, &again)
	if r2.status != 201 || again.Ticket.Number != tk.Number {
		t.Fatalf("retry: %d ticket %d, want 201 ticket %d", r2.status, again.Ticket.Number, tk.Number)
	}
	// The same key with another request is refused.
	changed := draft
	changed.Subject = "Etwas anderes"
	mustError(t, anna.post("/api/v1/tickets", changed, "key-anna-1"), 422, ticket.CodeUnprocessable)
	// Another user's same key is theirs alone.
	bernd := newClient(t, srv)
	bernd.login(seed.BerndEmail)
	bd := ticket.Draft{OrganizationID: bernd.accounts()["100200"], Type: "login_problem", Category: "password", Subject: "Passwort", Description: "Vergessen."}
	if r := bernd.post("/api/v1/tickets", bd, "key-anna-1"); r.status != 201 {
		t.Fatalf("bernd with the same key: %d %s", r.status, r.body)
	}
	mustError(t, anna.post("/api/v1/tickets", draft, "bad key with spaces"), 400, ticket.CodeInvalid)

	// It is listed for Anna in the Potsdam account.
	var list struct{ Tickets []ticket.TicketView }
	anna.get("/api/v1/tickets?open=true&organizationId="+strconv.FormatInt(potsdam, 10)).decode(t, &list)
	if len(list.Tickets) == 0 || list.Tickets[0].Number != tk.Number {
		t.Errorf("new ticket is not first in the Potsdam open list")
	}
}

func TestCreateTicketValidation(t *testing.T) {
	srv, _ := mustDemo(t, api.Config{})
	anna := newClient(t, srv)
	anna.lang = "de-DE"
	anna.login(seed.AnnaEmail)
	praxis := anna.accounts()["100200"]
	base := func(cat string) ticket.Draft {
		return ticket.Draft{OrganizationID: praxis, Type: "admin_request", Category: cat, Subject: "S", Description: "D", Fields: map[string]string{}}
	}
	for _, tt := range []struct{ category, field string }{
		{"invoice", "fields.invoiceNumber"}, {"payment", "fields.invoiceNumber"}, {"contract", "fields.orderNumber"},
	} {
		r := anna.post("/api/v1/tickets", base(tt.category), "")
		if r.status != 422 {
			t.Fatalf("%s without %s: %d %s", tt.category, tt.field, r.status, r.body)
		}
		var e validationBody
		r.decode(t, &e)
		if e.Error.Code != "unprocessable" || e.Error.Field != tt.field || len(e.Error.Fields) != 1 ||
			e.Error.Fields[0].MessageID != "ErrFieldRequired" || !strings.Contains(e.Error.Fields[0].Message, "erforderlich") {
			t.Errorf("%s: error = %+v", tt.category, e.Error)
		}
	}
	// general: the reference number is optional.
	if r := anna.post("/api/v1/tickets", base("general"), ""); r.status != 201 {
		t.Errorf("general without reference number: %d %s", r.status, r.body)
	}
	// Everything wrong at once: every field is listed, the first is "field".
	r := anna.post("/api/v1/tickets", ticket.Draft{OrganizationID: praxis, Type: "admin_request", Category: "invoice"}, "")
	var e validationBody
	r.decode(t, &e)
	var fields []string
	for _, f := range e.Error.Fields {
		fields = append(fields, f.Field)
	}
	if r.status != 422 || e.Error.Field != "subject" || strings.Join(fields, ",") != "subject,fields.invoiceNumber,description" {
		t.Errorf("all wrong: %d field %q fields %v", r.status, e.Error.Field, fields)
	}

	diego := newClient(t, srv)
	diego.login(seed.DiegoEmail)
	sol := diego.accounts()["300400"]
	mustError(t, diego.post("/api/v1/tickets", ticket.Draft{OrganizationID: sol, Type: "admin_request", Category: "general", Subject: "S", Description: "D"}, ""), 403, ticket.CodeForbidden)
	// Someone else's account is 404, like one that does not exist.
	mustError(t, diego.post("/api/v1/tickets", ticket.Draft{OrganizationID: praxis, Type: "login_problem", Category: "password", Subject: "S", Description: "D"}, ""), 404, ticket.CodeNotFound)
	mustError(t, diego.post("/api/v1/tickets", ticket.Draft{OrganizationID: 99999, Type: "login_problem", Category: "password", Subject: "S", Description: "D"}, ""), 404, ticket.CodeNotFound)

	carla := newClient(t, srv)
	carla.login(seed.CarlaEmail)
	mustError(t, carla.post("/api/v1/tickets", ticket.Draft{OrganizationID: praxis, Type: "login_problem", Category: "password", Subject: "S", Description: "D"}, ""), 404, ticket.CodeNotFound)

	// Malformed and oversized bodies.
	mustError(t, anna.do("POST", "/api/v1/tickets", "application/json", []byte(`{"type":`)), 400, ticket.CodeInvalid)
	mustError(t, anna.do("POST", "/api/v1/tickets", "application/json", []byte(`{"type":"x","colour":1}`)), 400, ticket.CodeInvalid)
	big := `{"organizationId":1,"type":"login_problem","category":"password","subject":"s","description":"` + strings.Repeat("a", 2<<20) + `"}`
	mustError(t, anna.do("POST", "/api/v1/tickets", "application/json", []byte(big)), 413, ticket.CodeTooLarge)
	mustError(t, newClient(t, srv).post("/api/v1/tickets", base("general"), ""), 401, ticket.CodeUnauthorized)
}

func TestExistingTicketAssociation(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	ctx := context.Background()
	diego := newClient(t, srv)
	diego.login(seed.DiegoEmail)
	sol := diego.accounts()["300400"]
	open, _, _ := db.ListTickets(ctx, store.ListQuery{Scope: ticket.Scope{All: true}, OrganizationID: sol, Statuses: ticket.PortalInProgress.InternalStatuses(), Limit: 1})
	closed, _, _ := db.ListTickets(ctx, store.ListQuery{Scope: ticket.Scope{All: true}, OrganizationID: sol, Statuses: ticket.PortalClosed.InternalStatuses(), Limit: 1})
	other, _, _ := db.ListTickets(ctx, store.ListQuery{Scope: ticket.Scope{All: true}, OrganizationID: 1, Limit: 1})
	if len(open) == 0 || len(closed) == 0 || len(other) == 0 {
		t.Fatal("demo data lacks open/closed tickets")
	}
	before, _ := db.Messages(ctx, open[0].Number)
	d := ticket.Draft{OrganizationID: sol, Type: "web_interface_problem", Description: "Otro ejemplo: la ERA del 12/11 tampoco aparece.", ExistingTicket: open[0].Number}
	r := diego.post("/api/v1/tickets", d, "assoc-1")
	var res struct {
		Ticket  ticket.TicketView
		Message *ticket.MessageView
	}
	r.decode(t, &res)
	if r.status != 201 || res.Ticket.Number != open[0].Number || res.Message == nil || res.Message.Body != d.Description || res.Message.Internal != nil {
		t.Fatalf("associate: %d %s", r.status, r.body)
	}
	if again := diego.post("/api/v1/tickets", d, "assoc-1"); again.status != 201 || string(again.body) != string(r.body) {
		t.Fatalf("retry: %d %s, want 201 %s", again.status, again.body, r.body)
	}
	after, _ := db.Messages(ctx, open[0].Number)
	if len(after) != len(before)+1 {
		t.Fatalf("messages %d -> %d, want one more", len(before), len(after))
	}
	all, _, _ := db.ListTickets(ctx, store.ListQuery{Scope: ticket.Scope{All: true}, Limit: 500})
	for _, bad := range []int64{closed[0].Number, other[0].Number, 424242} {
		d.ExistingTicket = bad
		r := diego.post("/api/v1/tickets", d, "")
		var e validationBody
		r.decode(t, &e)
		if r.status != 422 || e.Error.Field != "existingTicket" {
			t.Errorf("existing ticket %d: %d %s", bad, r.status, r.body)
		}
	}
	if again, _, _ := db.ListTickets(ctx, store.ListQuery{Scope: ticket.Scope{All: true}, Limit: 500}); len(again) != len(all) {
		t.Errorf("associating created tickets: %d -> %d", len(all), len(again))
	}
}

// TestIdempotentAcrossRestart retries a creation after the store was closed
// and opened again: the answer is the ticket created before.
func TestIdempotentAcrossRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "supportal.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := api.HashPassword(seed.Password)
	if _, err := seed.Load(context.Background(), db, hash, time.Now()); err != nil {
		t.Fatal(err)
	}
	srv := serve(t, db)
	c := newClient(t, srv)
	c.login(seed.ClaireEmail)
	d := ticket.Draft{OrganizationID: c.accounts()["200300"], Type: "admin_request", Category: "contract", Subject: "Avenant", Description: "Merci.", Fields: map[string]string{"orderNumber": "AU-2026-4000"}}
	r := c.post("/api/v1/tickets", d, "claire-42")
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	srv.Close()
	db.Close()

	db2, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	srv2 := serve(t, db2)
	c2 := newClient(t, srv2)
	c2.login(seed.ClaireEmail)
	r2 := c2.post("/api/v1/tickets", d, "claire-42")
	if got, want := r2.status, 201; got != want {
		t.Fatalf("retry after restart: status %d, want %d (%s)", got, want, r2.body)
	}
	if got, want := string(r2.body), string(r.body); got != want {
		t.Fatalf("retry after restart: body\n%s\nwant the first\n%s", got, want)
	}
}

func serve(t *testing.T, db *store.DB) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(api.New(db, api.Config{}))
	t.Cleanup(srv.Close)
	return srv
}
