package api_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
)

// integrationClient is a customer system with an API key for accounts.
type integrationClient struct {
	*client
	key string
}

func mustIntegration(t *testing.T, srv *httptest.Server, db *store.DB, name string, accounts ...string) integrationClient {
	t.Helper()
	ctx := context.Background()
	var ids []int64
	for _, a := range accounts {
		o, err := db.OrganizationByAccount(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, o.ID)
	}
	key, hash := api.NewIntegrationKey()
	if _, err := db.CreateIntegration(ctx, name, hash, ids, time.Now()); err != nil {
		t.Fatal(err)
	}
	return integrationClient{newClient(t, srv), key}
}

func (ic integrationClient) send(method, path string, v any) response {
	b := []byte(nil)
	if v != nil {
		b, _ = jsonBytes(v)
	}
	return ic.do(method, path, "application/json", b, "Authorization", "Bearer "+ic.key)
}

func (ic integrationClient) put(kind, id string, v any) ticket.Record {
	ic.tb.Helper()
	r := ic.send("PUT", "/api/v1/integration/records/"+kind+"/"+id, v)
	if r.status != 201 && r.status != 200 {
		ic.tb.Fatalf("PUT %s/%s: %d %s", kind, id, r.status, r.body)
	}
	var rec ticket.Record
	r.decode(ic.tb, &rec)
	return rec
}

func recordPath(id int64) string { return "/api/v1/records/" + strconv.FormatInt(id, 10) }

func TestIntegrationAPI(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	pvs := mustIntegration(t, srv, db, "pvs", "100200", "100201")
	other := mustIntegration(t, srv, db, "sol", "300400")

	body := map[string]any{"organization": "100200", "title": "Autoklav Melag 23V", "url": "https://assets.example/SN-4711",
		"fields": []map[string]string{{"label": "serialNumber", "value": "SN-4711"}, {"label": "installedOn", "value": "2021-04-01", "kind": "date"}}}
	r := pvs.send("PUT", "/api/v1/integration/records/asset/SN-4711", body)
	if r.status != 201 {
		t.Fatalf("first PUT: %d %s", r.status, r.body)
	}
	var first ticket.Record
	r.decode(t, &first)
	// The same PUT again is the same record: idempotent.
	r = pvs.send("PUT", "/api/v1/integration/records/asset/SN-4711", body)
	var again ticket.Record
	r.decode(t, &again)
	if r.status != 200 || again.ID != first.ID || again.Title != first.Title || len(again.Fields) != 2 {
		t.Fatalf("second PUT: %d %+v, want 200 and record %d", r.status, again, first.ID)
	}
	if r := pvs.get("/api/v1/integration/records/asset/SN-4711?organization=100200"); r.status != 401 {
		t.Fatalf("GET without the key: %d, want 401", r.status)
	}
	if r := pvs.send("GET", "/api/v1/integration/records/asset/SN-4711?organization=100200", nil); r.status != 200 {
		t.Fatalf("GET: %d %s", r.status, r.body)
	}

	// A key for another organization's records gets 404, never the record.
	mustError(t, other.send("GET", "/api/v1/integration/records/asset/SN-4711?organization=100200", nil), 404, ticket.CodeNotFound)
	mustError(t, other.send("GET", "/api/v1/integration/records/asset/SN-4711", nil), 404, ticket.CodeNotFound)
	mustError(t, other.send("DELETE", "/api/v1/integration/records/asset/SN-4711?organization=100200", nil), 404, ticket.CodeNotFound)
	mustError(t, other.send("PUT", "/api/v1/integration/records/asset/SN-4711", body), 404, ticket.CodeNotFound)
	mustError(t, other.send("GET", "/api/v1/integration/records?organization=100200", nil), 404, ticket.CodeNotFound)
	var list struct{ Records []ticket.Record }
	if r := other.send("GET", "/api/v1/integration/records", nil); r.status != 200 {
		t.Fatalf("list of the key's one organization: %d", r.status)
	} else if r.decode(t, &list); len(list.Records) == 0 {
		t.Fatalf("Clínica Sol's key lists nothing; want its demo records")
	} else {
		for _, rec := range list.Records {
			if rec.Organization.AccountNumber != "300400" || rec.ExternalID == "SN-4711" {
				t.Fatalf("Clínica Sol's key lists %s/%s of %s", rec.Kind, rec.ExternalID, rec.Organization.AccountNumber)
			}
		}
	}

	// Bad input.
	for _, tc := range []struct {
		name, path string
		body       any
		status     int
		field      string
	}{
		{"unknown kind", "/api/v1/integration/records/spaceship/X1", body, 400, "kind"},
		{"bad external id", "/api/v1/integration/records/asset/..%2Fx", body, 400, "externalId"},
		{"no title", "/api/v1/integration/records/asset/X1", map[string]any{"organization": "100200"}, 422, "title"},
		{"long title", "/api/v1/integration/records/asset/X1", map[string]any{"organization": "100200", "title": strings.Repeat("x", 201)}, 422, "title"},
		{"bad date", "/api/v1/integration/records/asset/X1", map[string]any{"organization": "100200", "title": "x",
			"fields": []map[string]string{{"label": "installedOn", "value": "01.04.2021", "kind": "date"}}}, 422, "fields.0.value"},
		{"long value", "/api/v1/integration/records/asset/X1", map[string]any{"organization": "100200", "title": "x",
			"fields": []map[string]string{{"label": "a", "value": "ok"}, {"label": "note", "value": strings.Repeat("x", 501)}}}, 422, "fields.1.value"},
		{"bad label", "/api/v1/integration/records/asset/X1", map[string]any{"organization": "100200", "title": "x",
			"fields": []map[string]string{{"label": "<b>", "value": "x"}}}, 422, "fields.0.label"},
		{"too many fields", "/api/v1/integration/records/asset/X1", map[string]any{"organization": "100200", "title": "x",
			"fields": make([]map[string]string, 11)}, 422, "fields"},
		{"javascript link", "/api/v1/integration/records/asset/X1", map[string]any{"organization": "100200", "title": "x", "url": "javascript:alert(1)"}, 422, "url"},
		{"no organization with two", "/api/v1/integration/records/asset/X1", map[string]any{"title": "x"}, 422, "organization"},
		{"unknown organization", "/api/v1/integration/records/asset/X1", map[string]any{"organization": "999999", "title": "x"}, 404, "organization"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code := map[int]ticket.Code{400: ticket.CodeInvalid, 404: ticket.CodeNotFound, 422: ticket.CodeUnprocessable}[tc.status]
			r := pvs.send("PUT", tc.path, tc.body)
			e := mustError(t, r, tc.status, code)
			var full struct{ Error ticket.ErrorAnswer }
			r.decode(t, &full)
			field := e.Error.Field
			if tc.status == 422 {
				field = ""
				for _, f := range full.Error.Fields {
					if f.Field == tc.field {
						field = f.Field
					}
				}
			}
			if field != tc.field {
				t.Fatalf("error %s, want field %q", r.body, tc.field)
			}
		})
	}

	// Archived: still readable through links, no new links.
	anna := newClient(t, srv)
	anna.login(seed.AnnaEmail)
	tk := firstTicket(t, db, "100200", 0, ticket.StatusNew, ticket.StatusOpen)
	if r := anna.send("POST", path(tk.Number, "/links"), ticket.LinkRequest{RecordID: first.ID}); r.status != 201 {
		t.Fatalf("link: %d %s", r.status, r.body)
	}
	r = pvs.send("DELETE", "/api/v1/integration/records/asset/SN-4711?organization=100200", nil)
	var archived ticket.Record
	if r.decode(t, &archived); r.status != 200 || !archived.Archived {
		t.Fatalf("DELETE: %d %s", r.status, r.body)
	}
	var detail struct{ Ticket ticket.TicketView }
	anna.get(path(tk.Number, "")).decode(t, &detail)
	if len(detail.Ticket.Links) == 0 || !detail.Ticket.Links[len(detail.Ticket.Links)-1].Record.Archived {
		t.Fatalf("links after archiving: %+v", detail.Ticket.Links)
	}
	other2 := firstTicket(t, db, "100200", 0, ticket.StatusWaitingExternal, ticket.StatusWaitingInternal)
	mustError(t, anna.send("POST", path(other2.Number, "/links"), ticket.LinkRequest{RecordID: first.ID}), 409, ticket.CodeConflict)
	if r := anna.get(recordPath(first.ID)); r.status != 200 {
		t.Fatalf("an archived record's page: %d", r.status)
	}
}

// TestLinksAndGetHelp walks the flows of the record page: a ticket filed
// from a claim is linked to it; the claim's life record lists it with its
// unread count; an example added to an open ticket says so in the
// conversation; links are events; unlinking is the maker's or an agent's.
func TestLinksAndGetHelp(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	sol := mustIntegration(t, srv, db, "sol", "300400")
	pvs := mustIntegration(t, srv, db, "pvs", "100200")
	claim := sol.put("claim", "CLM-2024-0815", map[string]any{"organization": "300400", "title": "García, Lucía – 12/11",
		"fields": []map[string]string{{"label": "billedAmount", "value": "180.00", "kind": "money", "currency": "USD"}}})
	era := sol.put("remittance", "ERA-77", map[string]any{"organization": "300400", "title": "Aetna 2024-11-30"})
	foreign := pvs.put("claim", "CLM-X", map[string]any{"organization": "100200", "title": "Praxis"})
	diego, sam, claire := newClient(t, srv), newClient(t, srv), newClient(t, srv)
	diego.login(seed.DiegoEmail)
	sam.login(seed.SamEmail)
	claire.login(seed.ClaireEmail)
	solOrg, _ := db.OrganizationByAccount(context.Background(), "300400")

	ws := diego.mustDial(t, "")
	ws.next(func(ev ticket.EventView) bool { return ev.Type == ticket.EventSync })

	// Get Help: a new ticket linked to the claim.
	draft := map[string]any{"organizationId": solOrg.ID, "type": "web_interface_problem", "category": "error_message",
		"subject": "La reclamación fue rechazada", "description": "Código CO-16.", "links": []int64{claim.ID}}
	r := diego.send("POST", "/api/v1/tickets", draft)
	if r.status != 201 {
		t.Fatalf("Get Help: %d %s", r.status, r.body)
	}
	var created struct{ Ticket ticket.TicketView }
	r.decode(t, &created)
	n := created.Ticket.Number
	if len(created.Ticket.Links) != 1 || created.Ticket.Links[0].Record.ID != claim.ID {
		t.Fatalf("new ticket's links = %+v", created.Ticket.Links)
	}
	// Another account's record, or a missing one: 404 naming links, nothing created.
	before := len(listAll(t, diego))
	draft["links"] = []int64{foreign.ID}
	if e := mustError(t, diego.send("POST", "/api/v1/tickets", draft), 404, ticket.CodeNotFound); e.Error.Field != "links" {
		t.Fatalf("foreign record: field %q, want links", e.Error.Field)
	}
	draft["links"] = []int64{999999}
	mustError(t, diego.send("POST", "/api/v1/tickets", draft), 404, ticket.CodeNotFound)
	if after := len(listAll(t, diego)); after != before {
		t.Fatalf("refused drafts created tickets: %d before, %d after", before, after)
	}

	// Sam answers; the claim's page counts the unread reply.
	if r := sam.send("POST", path(n, "/messages"), map[string]any{"body": "Hola Diego, lo revisamos."}); r.status != 201 {
		t.Fatalf("Sam's reply: %d", r.status)
	}
	var page ticket.RecordAnswer
	diego.get(recordPath(claim.ID)).decode(t, &page)
	if len(page.Tickets) != 1 || page.Tickets[0].Number != n || page.Record.Unread != 1 || page.Record.OpenTickets != 1 {
		t.Fatalf("claim page = %+v", page)
	}
	var records ticket.RecordPage
	diego.get("/api/v1/records?kind=claim&q=0815").decode(t, &records)
	if len(records.Records) != 1 || records.Records[0].Unread != 1 {
		t.Fatalf("records list = %+v", records)
	}
	if r := diego.send("POST", path(n, "/read"), map[string]any{}); r.status != 200 && r.status != 204 {
		t.Fatalf("read: %d", r.status)
	}
	diego.get(recordPath(claim.ID)).decode(t, &page)
	if page.Record.Unread != 0 {
		t.Fatalf("unread after reading = %d", page.Record.Unread)
	}

	// The ERA as an example on the open ticket.
	r = diego.send("POST", path(n, "/links"), ticket.LinkRequest{RecordID: era.ID, Example: true})
	if r.status != 201 {
		t.Fatalf("example: %d %s", r.status, r.body)
	}
	var linked ticket.TicketAnswer
	r.decode(t, &linked)
	if linked.Message == nil || !strings.Contains(linked.Message.Body, "ERA-77") || !strings.HasPrefix(linked.Message.Body, "Ejemplo añadido") || len(linked.Ticket.Links) != 2 {
		t.Fatalf("example answer = %+v", linked)
	}
	mustError(t, diego.send("POST", path(n, "/links"), ticket.LinkRequest{RecordID: era.ID}), 409, ticket.CodeConflict)
	mustError(t, diego.send("POST", path(n, "/links"), ticket.LinkRequest{RecordID: foreign.ID}), 404, ticket.CodeNotFound)
	mustError(t, diego.send("POST", path(n, "/links"), ticket.LinkRequest{RecordID: 999999}), 404, ticket.CodeNotFound)
	// Claire sees neither the ticket nor the records.
	mustError(t, claire.send("POST", path(n, "/links"), ticket.LinkRequest{RecordID: era.ID}), 404, ticket.CodeNotFound)
	mustError(t, claire.get(recordPath(claim.ID)), 404, ticket.CodeNotFound)

	// Links are events: Diego's socket saw the ticket with both links, in
	// a change of the ticket (an event carries the ticket as it is when
	// the event is read: an earlier one, his read marker say, may show
	// both links too when it is read after them).
	ws.next(func(ev ticket.EventView) bool {
		return ev.Ticket == n && ev.Data.Ticket != nil && len(ev.Data.Ticket.Links) == 2 &&
			(ev.Type == ticket.EventMessageCreated || ev.Type == ticket.EventTicketUpdated)
	})

	// Search and filter by the record.
	for _, q := range []string{"q=CLM-2024-0815", "q=ERA-77", "record=claim:CLM-2024-0815", "record=remittance:ERA-77"} {
		var found listPage
		diego.get("/api/v1/tickets?"+q).decode(t, &found)
		if len(found.Tickets) != 1 || found.Tickets[0].Number != n {
			t.Errorf("%s found %+v, want #%d", q, found.Tickets, n)
		}
	}
	mustError(t, diego.get("/api/v1/tickets?record=spaceship:1"), 400, ticket.CodeInvalid)

	// Unlinking: Diego his own link; the link Sam makes is Sam's to remove.
	mustError(t, diego.send("DELETE", path(n, "/links/"+strconv.FormatInt(claim.ID+era.ID+1000, 10)), nil), 404, ticket.CodeNotFound)
	if r := diego.send("DELETE", path(n, "/links/"+strconv.FormatInt(era.ID, 10)), nil); r.status != 200 {
		t.Fatalf("Diego unlinks his example: %d %s", r.status, r.body)
	}
	if r := sam.send("POST", path(n, "/links"), ticket.LinkRequest{RecordID: era.ID}); r.status != 201 {
		t.Fatalf("Sam links: %d %s", r.status, r.body)
	}
	mustError(t, diego.send("DELETE", path(n, "/links/"+strconv.FormatInt(era.ID, 10)), nil), 403, ticket.CodeForbidden)
	if r := sam.send("DELETE", path(n, "/links/"+strconv.FormatInt(claim.ID, 10)), nil); r.status != 200 {
		t.Fatalf("Sam unlinks Diego's link: %d", r.status)
	}

	// A follow-up of the closed ticket is about the same records.
	if r := diego.send("PATCH", path(n, ""), map[string]any{"status": "closed"}); r.status != 200 {
		t.Fatalf("Diego closes #%d: %d %s", n, r.status, r.body)
	}
	delete(draft, "links")
	draft["followUpOf"] = n
	r = diego.send("POST", "/api/v1/tickets", draft)
	var follow struct{ Ticket ticket.TicketView }
	if r.decode(t, &follow); r.status != 201 || len(follow.Ticket.Links) != 1 || follow.Ticket.Links[0].Record.ID != era.ID {
		t.Fatalf("follow-up: %d %s, want it linked to the ERA", r.status, r.body)
	}

	// Unknown kinds and bad parameters.
	mustError(t, diego.get("/api/v1/records?kind=spaceship"), 400, ticket.CodeInvalid)
	mustError(t, diego.get("/api/v1/records?organizationId=x"), 400, ticket.CodeInvalid)
	mustError(t, diego.get("/api/v1/records/abc"), 404, ticket.CodeNotFound)
}

func listAll(t *testing.T, c *client) []ticket.TicketView {
	t.Helper()
	var page listPage
	c.get("/api/v1/tickets?limit=500").decode(t, &page)
	return page.Tickets
}

// TestRecordAccessMatrix: every demo user × a record of every account ×
// list, get, link, Get Help (a ticket filed with the link), search by the
// record, unlink and events, as the rules of matrixAccess say.
func TestRecordAccessMatrix(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	ctx := context.Background()
	accounts := []string{"100200", "100201", "200300", "300400", "900100"}
	ic := mustIntegration(t, srv, db, "all", accounts...)
	type target struct {
		rec    ticket.Record
		ticket ticket.Ticket
		org    ticket.Organization
	}
	targets := map[string]target{}
	for _, a := range accounts {
		o, _ := db.OrganizationByAccount(ctx, a)
		rec := ic.put("asset", "MATRIX-"+a, map[string]any{"organization": a, "title": "Matrix " + a})
		tk, err := db.CreateTicket(ctx, ticket.Ticket{Organization: o.Ref(), Requester: ticket.UserRef{ID: 1}, Type: "login_problem", Category: "password",
			Subject: "Matrix", Description: "d", Status: ticket.StatusOpen, CreatedAt: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		targets[a] = target{rec, tk, o}
	}
	sockets := map[string]*socket{}
	clients := map[string]*client{}
	for email := range matrixAccess {
		clients[email] = newClient(t, srv)
		clients[email].login(email)
		if email != seed.CarlaEmail {
			sockets[email] = clients[email].mustDial(t, "")
			sockets[email].next(func(ev ticket.EventView) bool { return ev.Type == ticket.EventSync })
		}
	}
	for email, access := range matrixAccess {
		c := clients[email]
		t.Run(email, func(t *testing.T) {
			var list ticket.RecordPage
			c.get("/api/v1/records?kind=asset&q=MATRIX&limit=500").decode(t, &list)
			listed := map[int64]bool{}
			for _, rv := range list.Records {
				listed[rv.ID] = true
			}
			for _, a := range accounts {
				tg := targets[a]
				level := access[a]
				visible := level != ""
				if listed[tg.rec.ID] != visible {
					t.Errorf("list: record of %s listed %v, want %v", a, listed[tg.rec.ID], visible)
				}
				if r := c.get(recordPath(tg.rec.ID)); (r.status == 200) != visible || (!visible && r.status != 404) {
					t.Errorf("get record of %s: %d, want visible=%v", a, r.status, visible)
				}
				want := map[string]int{"": 404, "read": 403, "write": 201}[level]
				if r := c.send("POST", path(tg.ticket.Number, "/links"), ticket.LinkRequest{RecordID: tg.rec.ID}); r.status != want {
					t.Errorf("link in %s: %d, want %d (%s)", a, r.status, want, r.body)
				}
				draft := map[string]any{"organizationId": tg.org.ID, "type": "login_problem", "category": "password",
					"subject": "Get Help " + email, "description": "x", "links": []int64{tg.rec.ID}}
				wantHelp := want
				if email == seed.SamEmail {
					wantHelp = 404 // agents answer tickets; they file none
				}
				if r := c.send("POST", "/api/v1/tickets", draft); r.status != wantHelp {
					t.Errorf("Get Help in %s: %d, want %d (%s)", a, r.status, wantHelp, r.body)
				}
				var found listPage
				c.get("/api/v1/tickets?record=asset:MATRIX-"+a).decode(t, &found)
				if !visible && len(found.Tickets) > 0 {
					t.Errorf("filter by the record of %s lists %d tickets", a, len(found.Tickets))
				}
				c.get("/api/v1/tickets?q=MATRIX-"+a).decode(t, &found)
				if !visible && len(found.Tickets) > 0 {
					t.Errorf("search for the record of %s finds %d tickets", a, len(found.Tickets))
				}
				if level == "write" {
					if len(found.Tickets) == 0 {
						t.Errorf("search for the record of %s finds nothing", a)
					}
					if r := c.send("DELETE", path(tg.ticket.Number, "/links/"+strconv.FormatInt(tg.rec.ID, 10)), nil); r.status != 200 {
						t.Errorf("unlink own link in %s: %d", a, r.status)
					}
				}
			}
		})
	}
	// Events of the links: only of what each user sees.
	for email, ws := range sockets {
		for _, ev := range ws.collect(time.Second) {
			for a, tg := range targets {
				if ev.Ticket == tg.ticket.Number && matrixAccess[email][a] == "" {
					t.Errorf("%s received %s of the ticket of %s", email, ev.Type, a)
				}
			}
		}
	}
}

func jsonBytes(v any) ([]byte, error) { return json.Marshal(v) }

// TestMissingRemittanceTicket: the seed's missing-ERA ticket through the
// API — a UHC remittance is refused without an EOB or DDAR id and accepted
// with an EOB; provider and payer are records of the account, linked.
func TestMissingRemittanceTicket(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	ic := mustIntegration(t, srv, db, "pvs", "100200")
	provider := ic.put("provider", "NPI-1234567890", map[string]any{"organization": "100200", "title": "Dr. Weber"})
	payer := ic.put("payer", "UHC", map[string]any{"organization": "100200", "title": "UnitedHealthcare"})
	anna := newClient(t, srv)
	anna.login(seed.AnnaEmail)
	org, _ := db.OrganizationByAccount(context.Background(), "100200")
	draft := map[string]any{"organizationId": org.ID, "type": "missing_remittance", "category": "missing_era",
		"subject": "ERA von UHC fehlt", "description": "Seit Oktober keine ERAs mehr.",
		"fields": map[string]string{"provider": "NPI-1234567890", "payer": "UHC",
			"checks": `[{"checkNumber":"CHK-88213","checkAmount":"1250.00","checkDate":"2026-10-30"}]`}}

	r := anna.send("POST", "/api/v1/tickets", draft)
	mustError(t, r, 422, ticket.CodeUnprocessable)
	var refused struct{ Error ticket.ErrorAnswer }
	r.decode(t, &refused)
	named := map[string]bool{}
	for _, f := range refused.Error.Fields {
		named[f.Field] = f.MessageID == "ErrEvidenceRequired" && f.Message != "" && f.Message != f.MessageID
	}
	if !named["attachments"] || !named["fields.ddarTransactionId"] {
		t.Fatalf("refusal names %+v, want attachments and fields.ddarTransactionId", refused.Error.Fields)
	}

	fields := draft["fields"].(map[string]string)
	fields["provider"] = "NPI-0000000000"
	r = anna.send("POST", "/api/v1/tickets", map[string]any{"organizationId": org.ID, "type": "missing_remittance", "category": "missing_era",
		"subject": "x", "description": "y", "fields": fields, "attachments": []string{anna.mustUpload(confirmed("eob.pdf", pdf, orgField(org.ID))).ID}})
	if e := mustError(t, r, 422, ticket.CodeUnprocessable); e.Error.Field != "fields.provider" {
		t.Fatalf("unknown provider: field %q", e.Error.Field)
	}
	fields["provider"] = "NPI-1234567890"

	eob := anna.mustUpload(confirmed("eob.pdf", pdf, orgField(org.ID)))
	draft["attachments"] = []string{eob.ID}
	r = anna.send("POST", "/api/v1/tickets", draft)
	if r.status != 201 {
		t.Fatalf("with an EOB: %d %s", r.status, r.body)
	}
	var created struct{ Ticket ticket.TicketView }
	r.decode(t, &created)
	linked := map[int64]bool{}
	for _, l := range created.Ticket.Links {
		linked[l.Record.ID] = true
	}
	if !linked[provider.ID] || !linked[payer.ID] || len(created.Ticket.Links) != 2 {
		t.Fatalf("links = %+v, want the provider and the payer", created.Ticket.Links)
	}
}

// TestMeRecordKinds: /me names the kinds of records of each account the
// user sees (the navigation offers those), nothing of other accounts.
func TestMeRecordKinds(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	lumiere, _ := db.OrganizationByAccount(context.Background(), "200300")
	claire, carla := newClient(t, srv), newClient(t, srv)
	claire.login(seed.ClaireEmail)
	carla.login(seed.CarlaEmail)
	var me ticket.Me
	claire.get("/api/v1/me").decode(t, &me)
	if len(me.RecordKinds) != 1 || !slices.Contains(me.RecordKinds[lumiere.ID], ticket.RecordAsset) || slices.Contains(me.RecordKinds[lumiere.ID], ticket.RecordClaim) {
		t.Fatalf("Claire's record kinds = %v, want Cabinet Lumière's assets (and no claims)", me.RecordKinds)
	}
	var none ticket.Me
	carla.get("/api/v1/me").decode(t, &none)
	if len(none.RecordKinds) != 0 {
		t.Fatalf("Carla (revoked) has record kinds %v", none.RecordKinds)
	}
}

// TestRecordLimits: what the attacker tried — a ticket takes at most
// ticket.MaxLinks links; a retried create answers the first ticket even
// after its record was archived; a key for one account needs no
// organization; the example is written in the requester's language.
func TestRecordLimits(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	sol := mustIntegration(t, srv, db, "sol", "300400")
	// One account: organization may be left out; the scheme's case does not matter.
	r := sol.do("PUT", "/api/v1/integration/records/claim/LIM-0", "application/json", []byte(`{"title":"Sin cuenta"}`), "Authorization", "bearer "+sol.key)
	if r.status != 201 {
		t.Fatalf("PUT without organization by a one-account key: %d %s", r.status, r.body)
	}
	var claims []ticket.Record
	for i := 1; i <= ticket.MaxLinks+1; i++ {
		claims = append(claims, sol.put("claim", "LIM-"+strconv.Itoa(i), map[string]any{"title": "Reclamación " + strconv.Itoa(i)}))
	}
	diego, sam := newClient(t, srv), newClient(t, srv)
	diego.login(seed.DiegoEmail)
	sam.login(seed.SamEmail)
	tk := firstTicket(t, db, "300400", 0, ticket.StatusNew, ticket.StatusOpen, ticket.StatusWaitingInternal)
	full, _ := db.Ticket(context.Background(), tk.Number) // the list reads no links
	linked := len(full.Links)
	for _, c := range claims {
		r := diego.send("POST", path(tk.Number, "/links"), ticket.LinkRequest{RecordID: c.ID})
		if r.status == 201 {
			linked++
			continue
		}
		if e := mustError(t, r, 409, ticket.CodeConflict); e.Error.MessageID != "ErrTooManyLinks" || linked != ticket.MaxLinks {
			t.Fatalf("refused after %d links: %+v, want ErrTooManyLinks after %d", linked, e, ticket.MaxLinks)
		}
		break
	}
	if linked != ticket.MaxLinks {
		t.Fatalf("%d links made, want the cap of %d", linked, ticket.MaxLinks)
	}

	// Sam's example on Diego's ticket speaks Spanish.
	other := sol.put("remittance", "LIM-ERA", map[string]any{"title": "ERA de prueba"})
	solOrg, _ := db.OrganizationByAccount(context.Background(), "300400")
	open, _, _ := db.ListTickets(context.Background(), store.ListQuery{Scope: ticket.Scope{OrganizationIDs: []int64{solOrg.ID}},
		Statuses: []ticket.Status{ticket.StatusNew, ticket.StatusOpen, ticket.StatusWaitingExternal, ticket.StatusWaitingInternal}})
	var tk2 ticket.Ticket
	for _, o := range open {
		if o.Number != tk.Number {
			tk2 = o
		}
	}
	if tk2.Number == 0 {
		t.Fatal("the demo needs two open tickets of 300400")
	}
	r = sam.send("POST", path(tk2.Number, "/links"), ticket.LinkRequest{RecordID: other.ID, Example: true})
	var example ticket.TicketAnswer
	if r.decode(t, &example); r.status != 201 || example.Message == nil || !strings.HasPrefix(example.Message.Body, "Ejemplo añadido") {
		t.Fatalf("Sam's example: %d %s", r.status, r.body)
	}

	// A retried create answers the first ticket after its record was archived.
	rec := sol.put("claim", "LIM-IDEM", map[string]any{"title": "Idempotente"})
	body, _ := json.Marshal(map[string]any{"organizationId": solOrg.ID, "type": ticket.RecordHelpType, "category": "general", "subject": "Reintento", "links": []int64{rec.ID}})
	first := diego.do("POST", "/api/v1/tickets", "application/json", body, "Idempotency-Key", "lim-1")
	if first.status != 201 {
		t.Fatalf("create: %d %s", first.status, first.body)
	}
	if r := sol.send("DELETE", "/api/v1/integration/records/claim/LIM-IDEM", nil); r.status != 200 {
		t.Fatalf("archive: %d", r.status)
	}
	again := diego.do("POST", "/api/v1/tickets", "application/json", body, "Idempotency-Key", "lim-1")
	var a, b struct{ Ticket ticket.TicketView }
	first.decode(t, &a)
	if again.decode(t, &b); again.status != 201 || a.Ticket.Number != b.Ticket.Number {
		t.Fatalf("retry after archiving: %d %s, want 201 with #%d", again.status, again.body, a.Ticket.Number)
	}
	mustError(t, diego.send("POST", "/api/v1/tickets", map[string]any{"organizationId": solOrg.ID, "type": ticket.RecordHelpType, "category": "general",
		"subject": "Nuevo", "links": []int64{rec.ID}}), 409, ticket.CodeConflict)
}
