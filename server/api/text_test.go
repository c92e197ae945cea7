package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/seed"
)

// Text that would display as something it is not loses its bidirectional
// overrides, unpaired controls and control characters before it is stored: in a new ticket's
// subject, description and data fields, in a reply, and in a view's name.
func TestBidiControlsDroppedOnInput(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	ctx := context.Background()
	anna := newClient(t, srv)
	anna.login(seed.AnnaEmail)
	draft := ticket.Draft{OrganizationID: anna.accounts()["100200"], Type: "admin_request", Category: "invoice",
		Subject: "Rechnung \u202E0021\u202C doppelt", Description: "Betrag \u202E05,84\u2069 EUR\n\u2067\u05E9\u05DC\u05D5\u05DD\u2069",
		Fields: map[string]string{"invoiceNumber": "RE-\u202E2026-12001"}}
	r := anna.post("/api/v1/tickets", draft, "bidi-1")
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var created struct{ Ticket ticket.TicketView }
	r.decode(t, &created)
	stored, err := db.Ticket(ctx, created.Ticket.Number)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := stored.Subject, "Rechnung 0021 doppelt"; got != want {
		t.Errorf("subject = %+q, want %+q", got, want)
	}
	if got, want := stored.Description, "Betrag 05,84 EUR\n\u2067\u05E9\u05DC\u05D5\u05DD\u2069"; got != want {
		t.Errorf("description = %+q, want %+q (the paired isolate stays)", got, want)
	}
	if got, want := stored.Fields["invoiceNumber"], "RE-2026-12001"; got != want {
		t.Errorf("invoice number = %+q, want %+q", got, want)
	}
	// A retry of the same draft is the same request.
	if r := anna.post("/api/v1/tickets", draft, "bidi-1"); r.status != 201 || r.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry: %d %s, want 201 replayed", r.status, r.body)
	}

	r = anna.send("POST", path(created.Ticket.Number, "/messages"), map[string]any{"body": "Datei \u202Efdp.exe"})
	var reply struct{ Message ticket.MessageView }
	r.decode(t, &reply)
	if r.status != 201 || reply.Message.Body != "Datei fdp.exe" {
		t.Errorf("reply: %d %+q, want 201 %+q", r.status, reply.Message.Body, "Datei fdp.exe")
	}

	r = anna.send("POST", "/api/v1/views", map[string]any{"name": "\u202ERechnungen\r\n  offen\u0085\x00", "query": map[string]any{"open": "true"}})
	if r.status != 201 || !strings.Contains(string(r.body), `"name":"Rechnungen offen"`) {
		t.Errorf("view: %d %s, want 201 named %q", r.status, r.body, "Rechnungen offen")
	}
	// Control characters go from every text; lines stay in messages.
	r = anna.send("POST", path(created.Ticket.Number, "/messages"), map[string]any{"body": "Zeile\x00 eins\r\nZeile\x1b zwei"})
	r.decode(t, &reply)
	if r.status != 201 || reply.Message.Body != "Zeile eins\r\nZeile zwei" {
		t.Errorf("reply with controls: %d %+q", r.status, reply.Message.Body)
	}
}
