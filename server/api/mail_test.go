package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
)

func TestMailLog(t *testing.T) {
	srv, db := mustDemo(t, api.Config{MailLog: true})
	ctx := context.Background()
	anna, _, err := db.UserByEmail(ctx, seed.AnnaEmail)
	if err != nil {
		t.Fatal(err)
	}
	queued := store.Mail{To: seed.AnnaEmail, ToName: anna.Name, Subject: "Passwort zurücksetzen",
		Text: "Ihr Link: https://support.example.com/reset/abc", HTML: "<p>Ihr Link</p>", Kind: ticket.MailPasswordReset, UserID: anna.ID}
	id, err := db.QueueMail(ctx, queued, time.Now())
	if err != nil {
		t.Fatal(err)
	}

	sam := newClient(t, srv)
	sam.login(seed.SamEmail)
	r := sam.get("/api/v1/admin/mail")
	if r.status != 200 {
		t.Fatalf("agent: status %d %s, want 200", r.status, r.body)
	}
	var log ticket.MailLog
	r.decode(t, &log)
	if len(log.Mails) != 1 {
		t.Fatalf("agent: %d mails, want 1", len(log.Mails))
	}
	m := log.Mails[0]
	if m.ID != id || m.To != queued.To || m.ToName != queued.ToName || m.Subject != queued.Subject || m.Text != queued.Text ||
		m.HTML != queued.HTML || m.Kind != ticket.MailPasswordReset || m.SentAt != nil || m.Failed || m.MessageID == "" {
		t.Fatalf("agent: got %+v, want the queued mail, not sent", m)
	}

	// Customers, and anybody without a session, find nothing there.
	for _, email := range []string{seed.AnnaEmail, seed.VeraEmail} {
		c := newClient(t, srv)
		c.login(email)
		mustError(t, c.get("/api/v1/admin/mail"), 404, ticket.CodeNotFound)
	}
	mustError(t, newClient(t, srv).get("/api/v1/admin/mail"), 401, ticket.CodeUnauthorized)

	// Where mails really go out, the view is off for agents too.
	off, _ := mustDemo(t, api.Config{})
	sam = newClient(t, off)
	sam.login(seed.SamEmail)
	mustError(t, sam.get("/api/v1/admin/mail"), 404, ticket.CodeNotFound)
}
