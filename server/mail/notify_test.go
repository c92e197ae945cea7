package mail_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/mail"
	"github.com/supportal/supportal/server/mail/mailtest"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
)

// demo is a store with the demo data, its clock, and the tickets and users
// the tests write on.
type demo struct {
	db                   *store.DB
	c                    *clock
	anna, sam, bernd     ticket.User
	annasTicket, berndsT ticket.Ticket
}

func mustDemo(t *testing.T) *demo {
	t.Helper()
	ctx := context.Background()
	d := &demo{db: mustStore(t), c: newClock()}
	if _, err := seed.Load(ctx, d.db, "!", d.c.Now()); err != nil {
		t.Fatal(err)
	}
	if n, err := d.db.PendingNotifications(ctx); err != nil || n != 0 {
		t.Fatalf("the demo data left %d notifications (%v): it must tell nobody", n, err)
	}
	for email, u := range map[string]*ticket.User{seed.AnnaEmail: &d.anna, seed.SamEmail: &d.sam, seed.BerndEmail: &d.bernd} {
		got, _, err := d.db.UserByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		*u = got
	}
	ts, _, err := d.db.ListTickets(ctx, store.ListQuery{Scope: ticket.Scope{All: true}, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range ts {
		if tk.Status.Closed() {
			continue
		}
		if tk.Requester.ID == d.anna.ID && d.annasTicket.Number == 0 {
			d.annasTicket = tk
		}
		if tk.Requester.ID == d.bernd.ID && d.berndsT.Number == 0 {
			d.berndsT = tk
		}
	}
	if d.annasTicket.Number == 0 || d.berndsT.Number == 0 {
		t.Fatal("the demo data needs open tickets of Anna and Bernd")
	}
	return d
}

func (d *demo) reply(t *testing.T, by ticket.User, number int64, body string, internal bool) {
	t.Helper()
	if _, err := d.db.AddMessage(context.Background(), ticket.Message{TicketNumber: number, Author: by.Ref(), Body: body, Internal: internal, CreatedAt: d.c.Now()}); err != nil {
		t.Fatal(err)
	}
}

func (d *demo) notifier() *mail.Notifier {
	return mail.NewNotifier(d.db, mail.NotifierConfig{Log: quietLog(), Now: d.c.Now, LinkBase: "https://support.example.com/"})
}

func (d *demo) compose(t *testing.T, n *mail.Notifier) int {
	t.Helper()
	k, err := n.ComposeDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Sam answers Anna's ticket (and writes an internal note): Anna gets
// exactly one mail, through a real mail server, in German, linking to the
// ticket, with Sam's reply and without the note. Sam hears nothing of his
// own reply.
func TestReplyNotifiesRequesterOnce(t *testing.T) {
	d := mustDemo(t)
	sink := mailtest.Start(t)
	w := newWorker(d.db, mustSender(t, mail.SMTPConfig{Addr: sink.Addr}), d.c)
	n := d.notifier()

	d.reply(t, d.sam, d.annasTicket.Number, "INTERN: Rechnung im ERP prüfen", true)
	d.reply(t, d.sam, d.annasTicket.Number, "Guten Tag, die Gutschrift ist unterwegs.", false)
	if k := d.compose(t, n); k != 0 {
		t.Fatalf("%d mails before the bundling window ended", k)
	}
	d.c.Add(3 * time.Minute)
	if k := d.compose(t, n); k != 1 {
		t.Fatalf("%d mails composed, want 1", k)
	}
	if k := d.compose(t, n); k != 0 {
		t.Fatalf("composing again made %d more mails", k)
	}
	if _, err := w.SendDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := sink.Wait(t, 1, wait)
	m := got[0]
	text, _ := m.Text()
	link := "https://support.example.com/tickets/" + itoa(d.annasTicket.Number)
	if len(m.To) != 1 || m.To[0] != seed.AnnaEmail || !strings.Contains(m.Subject(), "Neue Antwort") ||
		!strings.Contains(text, "Hallo Anna,") || !strings.Contains(text, "Sam Agent (Support-Team) schrieb:") ||
		!strings.Contains(text, "die Gutschrift ist unterwegs") || !strings.Contains(text, link) {
		t.Errorf("the mail to Anna: to %v, subject %q:\n%s", m.To, m.Subject(), text)
	}
	html, _ := m.HTML()
	for _, part := range []string{text, html, m.Subject()} {
		if strings.Contains(part, "INTERN") {
			t.Errorf("the internal note is in the mail:\n%s", part)
		}
	}
	if !strings.Contains(html, `href="`+link+`"`) {
		t.Errorf("the HTML part does not link to the ticket")
	}
	time.Sleep(100 * time.Millisecond)
	if all := sink.Messages(); len(all) != 1 {
		t.Errorf("%d mails delivered, want 1 (Sam is not told of his own reply)", len(all))
	}
}

// Three quick replies make one mail; a reply after the window another.
func TestQuickRepliesBundled(t *testing.T) {
	d := mustDemo(t)
	n := d.notifier()
	for _, body := range []string{"Erstens: die Rechnung ist storniert.", "Zweitens: die Gutschrift folgt.", "Drittens: bitte prüfen Sie den Eingang."} {
		d.reply(t, d.sam, d.annasTicket.Number, body, false)
		d.c.Add(20 * time.Second)
	}
	d.c.Add(2 * time.Minute)
	if k := d.compose(t, n); k != 1 {
		t.Fatalf("%d mails for three quick replies, want 1", k)
	}
	mails := mailsFor(t, d.db, seed.AnnaEmail)
	if len(mails) != 1 {
		t.Fatalf("%d mails to Anna", len(mails))
	}
	for _, body := range []string{"Erstens", "Zweitens", "Drittens"} {
		if !strings.Contains(mails[0].Text, body) {
			t.Errorf("the bundled mail lacks %q:\n%s", body, mails[0].Text)
		}
	}
	if i, j := strings.Index(mails[0].Text, "Erstens"), strings.Index(mails[0].Text, "Drittens"); i > j {
		t.Error("the replies are not in the order they were written")
	}
	d.reply(t, d.sam, d.annasTicket.Number, "Viertens: alles erledigt.", false)
	d.c.Add(3 * time.Minute)
	if k := d.compose(t, n); k != 1 {
		t.Fatalf("a later reply: %d mails, want 1", k)
	}
}

// What each user chose, and the policy, decide: "replies" hears of no
// status change, "none" of nothing; a member whose ticket access was
// taken away hears nothing of the account's tickets; agents hear of a new
// ticket in the queue and its requester gets a confirmation.
func TestNotificationChoicesAndPolicy(t *testing.T) {
	d := mustDemo(t)
	ctx := context.Background()
	n := d.notifier()
	onlyReplies := ticket.NotifyReplies
	if err := d.db.UpdateProfile(ctx, d.anna.ID, ticket.ProfileChange{Notifications: &onlyReplies}); err != nil {
		t.Fatal(err)
	}
	if err := d.db.UpdateTicket(ctx, d.annasTicket.Number, store.Update{From: d.annasTicket.Status, To: ticket.StatusWaitingExternal, At: d.c.Now(), By: d.sam.ID}); err != nil {
		t.Fatal(err)
	}
	// Bernd loses his ticket access before Sam's reply is mailed.
	if err := d.db.SetMembership(ctx, d.bernd.ID, d.berndsT.Organization.ID, ticket.RoleMember, false); err != nil {
		t.Fatal(err)
	}
	d.reply(t, d.sam, d.berndsT.Number, "Hallo Herr Becker, erledigt.", false)
	created, err := d.db.CreateTicket(ctx, ticket.Ticket{Organization: d.annasTicket.Organization, Requester: d.anna.Ref(), Type: "question", Category: "other",
		Subject: "Neue Frage zur Abrechnung", Description: "Wie rechne ich ab?", Status: ticket.StatusNew, CreatedAt: d.c.Now(), UpdatedAt: d.c.Now()})
	if err != nil {
		t.Fatal(err)
	}
	d.c.Add(3 * time.Minute)
	d.compose(t, n)
	if m := mailsFor(t, d.db, seed.AnnaEmail); len(m) != 0 {
		t.Errorf("Anna (only replies) got %d mails: %q", len(m), m[0].Subject)
	}
	if m := mailsFor(t, d.db, seed.BerndEmail); len(m) != 0 {
		t.Errorf("Bernd without ticket access got a mail: %q", m[0].Subject)
	}
	sam := mailsFor(t, d.db, seed.SamEmail)
	if len(sam) != 1 || !strings.Contains(sam[0].Subject, "#"+itoa(created.Number)) || !strings.Contains(sam[0].Text, "Anna Admin") {
		t.Errorf("Sam's queue mail: %+v", sam)
	}

	all := ticket.NotifyAll
	if err := d.db.UpdateProfile(ctx, d.anna.ID, ticket.ProfileChange{Notifications: &all}); err != nil {
		t.Fatal(err)
	}
	again, err := d.db.CreateTicket(ctx, ticket.Ticket{Organization: d.annasTicket.Organization, Requester: d.anna.Ref(), Type: "question", Category: "other",
		Subject: "Noch eine Frage", Description: "Und das?", Status: ticket.StatusNew, CreatedAt: d.c.Now(), UpdatedAt: d.c.Now()})
	if err != nil {
		t.Fatal(err)
	}
	d.c.Add(3 * time.Minute)
	d.compose(t, n)
	anna := mailsFor(t, d.db, seed.AnnaEmail)
	if len(anna) != 1 || anna[0].Subject != "[#"+itoa(again.Number)+"] Wir haben Ihr Ticket erhalten: Noch eine Frage" {
		t.Errorf("Anna's confirmation: %+v", anna)
	}
	none := ticket.NotifyNone
	d.db.UpdateProfile(ctx, d.anna.ID, ticket.ProfileChange{Notifications: &none})
	d.reply(t, d.sam, again.Number, "Antwort, die keine Mail wird", false)
	d.c.Add(3 * time.Minute)
	d.compose(t, n)
	if len(mailsFor(t, d.db, seed.AnnaEmail)) != 1 {
		t.Error("Anna chose no mails and got one")
	}
}

// The notifications are written with the change: when the server stops
// before they were mailed (a crash after the commit), the next start
// mails them, once.
func TestNotificationsSurviveACrash(t *testing.T) {
	d := mustDemo(t)
	sink := mailtest.Start(t)
	d.reply(t, d.sam, d.annasTicket.Number, "Antwort vor dem Absturz", false)
	// The server is gone before any notifier ran; a new one starts later.
	d.c.Add(10 * time.Minute)
	for range 2 { // two nodes (or a restart racing the old process)
		d.compose(t, d.notifier())
	}
	w := newWorker(d.db, mustSender(t, mail.SMTPConfig{Addr: sink.Addr}), d.c)
	if _, err := w.SendDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	sink.Wait(t, 1, wait)
	time.Sleep(100 * time.Millisecond)
	if n := len(sink.Messages()); n != 1 {
		t.Errorf("%d mails delivered after the restart, want 1", n)
	}
}

func mailsFor(t *testing.T, db *store.DB, to string) []store.Mail {
	t.Helper()
	all, err := db.Mails(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Mail
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].To == to {
			out = append(out, all[i])
		}
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
