package mailin_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/smtp"
	"net/textproto"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/files"
	"github.com/supportal/supportal/server/mail"
	"github.com/supportal/supportal/server/mailin"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
)

const (
	replyDomain = "reply.support.example"
	linkBase    = "https://support.example"
)

// listener is a running reply listener on a demo store.
type listener struct {
	addr  string
	db    *store.DB
	blobs *files.Memory
	logs  *bytes.Buffer
}

func mustListener(tb testing.TB, maxBytes int64) *listener {
	tb.Helper()
	db, err := store.OpenMemory()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := seed.Load(context.Background(), db, "not a hash", time.Now()); err != nil {
		tb.Fatal(err)
	}
	l := &listener{db: db, blobs: files.NewMemory(), logs: &bytes.Buffer{}}
	srv, err := mailin.New(db, mailin.Config{Domain: replyDomain, LinkBase: linkBase, MaxMessageBytes: maxBytes,
		Blobs: l.blobs, Log: slog.New(slog.NewTextHandler(l.logs, nil))})
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	l.addr = ln.Addr().String()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	tb.Cleanup(func() {
		srv.Close()
		if err := <-done; err != nil {
			tb.Errorf("Serve: %v", err)
		}
	})
	return l
}

// user is a demo user.
func (l *listener) user(tb testing.TB, email string) ticket.User {
	tb.Helper()
	u, _, err := l.db.UserByEmail(context.Background(), email)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// ticketOf returns a ticket requested by u in one of the statuses.
func (l *listener) ticketOf(tb testing.TB, u ticket.User, statuses ...ticket.Status) ticket.Ticket {
	tb.Helper()
	ts, _, err := l.db.ListTickets(context.Background(), store.ListQuery{Scope: ticket.Scope{All: true}, RequesterID: u.ID, Statuses: statuses, Limit: 1})
	if err != nil || len(ts) == 0 {
		tb.Fatalf("no ticket of %s in %v: %v", u.Email, statuses, err)
	}
	return ts[0]
}

func (l *listener) replyAddress(tb testing.TB, u ticket.User, number int64) string {
	tb.Helper()
	tok, err := l.db.ReplyToken(context.Background(), u.ID, number, time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	return mail.ReplyAddress(tok, replyDomain)
}

func (l *listener) messages(tb testing.TB, number int64) []ticket.Message {
	tb.Helper()
	ms, err := l.db.Messages(context.Background(), number)
	if err != nil {
		tb.Fatal(err)
	}
	return ms
}

func (l *listener) mails(tb testing.TB) []store.Mail {
	tb.Helper()
	ms, err := l.db.Mails(context.Background(), 100)
	if err != nil {
		tb.Fatal(err)
	}
	return ms
}

// send sends msg from the envelope sender from to to with net/smtp.
func (l *listener) send(from, to string, msg []byte) error {
	c, err := smtp.Dial(l.addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Hello("mta.example"); err != nil {
		return err
	}
	if err := c.Mail(from); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

func smtpCode(err error) int {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

// pdf is a small file that sniffs as a PDF.
var pdf = []byte("%PDF-1.4\n%\xe4\xfc\xf6\xdf\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// reply is a reply with a quoted history and, if file is not nil, one
// attachment.
func reply(from, to, messageID, text string, fileName string, file []byte, extra ...string) []byte {
	var b strings.Builder
	w := func(s string) { b.WriteString(strings.ReplaceAll(s, "\n", "\r\n")) }
	w("From: " + from + "\nTo: " + to + "\nSubject: Re: Ihr Ticket\nMessage-ID: " + messageID + "\nMIME-Version: 1.0\n")
	for _, h := range extra {
		w(h + "\n")
	}
	w("Content-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n")
	w(text + "\n\nAm Mo., 3. Nov. 2026 um 10:12 Uhr schrieb Supportal <" + to + ">:\n> Bitte senden Sie uns den Befund.\n> \n> Sam\n")
	if file != nil {
		w("--b1\nContent-Type: application/octet-stream; name=\"" + fileName + "\"\nContent-Disposition: attachment; filename=\"" + fileName + "\"\nContent-Transfer-Encoding: base64\n\n")
		enc := base64.StdEncoding.EncodeToString(file)
		for len(enc) > 76 {
			w(enc[:76] + "\n")
			enc = enc[76:]
		}
		w(enc + "\n")
	}
	w("--b1--\n")
	return []byte(b.String())
}

func TestReplyByEmailBecomesAMessage(t *testing.T) {
	l := mustListener(t, 0)
	ctx := context.Background()
	anna := l.user(t, seed.AnnaEmail)
	tk := l.ticketOf(t, anna, ticket.StatusOpen, ticket.StatusWaitingExternal, ticket.StatusNew)
	to := l.replyAddress(t, anna, tk.Number)
	before := l.messages(t, tk.Number)

	msg := reply("Anna Admin <"+strings.ToUpper(seed.AnnaEmail)+">", to, "<r1@praxis.example>", "Anbei der Befund.\nViele Grüße", "befund.pdf", pdf)
	if err := l.send(seed.AnnaEmail, to, msg); err != nil {
		t.Fatalf("sending the reply: %v\nlog:\n%s", err, l.logs)
	}
	after := l.messages(t, tk.Number)
	if got, want := len(after), len(before)+1; got != want {
		t.Fatalf("%d messages, want %d\nlog:\n%s", got, want, l.logs)
	}
	m := after[len(after)-1]
	if m.Author.ID != anna.ID || m.Internal {
		t.Errorf("message by %+v, internal %v; want Anna's public reply", m.Author, m.Internal)
	}
	if got, want := m.Body, "Anbei der Befund.\nViele Grüße"; got != want {
		t.Errorf("body = %q, want %q (the quoted history stripped)", got, want)
	}
	if len(m.Attachments) != 1 {
		t.Fatalf("attachments = %+v, want the PDF", m.Attachments)
	}
	a := m.Attachments[0]
	if a.Name != "befund.pdf" || a.ContentType != "application/pdf" || a.Size != int64(len(pdf)) {
		t.Errorf("attachment = %+v", a)
	}
	up, err := l.db.Upload(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if up.UploaderID != anna.ID || up.TicketNumber != tk.Number || up.MessageID != m.ID || up.Wording != mailin.MailedWording || up.OrganizationID != tk.Organization.ID {
		t.Errorf("upload = %+v", up)
	}
	f, err := l.blobs.Open(up.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(got, pdf) {
		t.Errorf("stored file = %q, want the PDF sent", got)
	}
	if ms := l.mails(t); len(ms) != 0 {
		t.Errorf("mails queued: %+v; want none", ms)
	}

	// The mail server delivers the same message again (our 250 was lost):
	// nothing is added twice.
	if err := l.send(seed.AnnaEmail, to, msg); err != nil {
		t.Fatal(err)
	}
	if got, want := len(l.messages(t, tk.Number)), len(after); got != want {
		t.Errorf("after a second delivery: %d messages, want %d", got, want)
	}
	if strings.Contains(l.logs.String(), "Anbei der Befund") {
		t.Error("the log holds the reply's text")
	}
}

func TestForgedSenderIsRefused(t *testing.T) {
	l := mustListener(t, 0)
	anna := l.user(t, seed.AnnaEmail)
	tk := l.ticketOf(t, anna, ticket.StatusOpen, ticket.StatusWaitingExternal, ticket.StatusNew)
	to := l.replyAddress(t, anna, tk.Number)
	before := l.messages(t, tk.Number)

	for i, c := range []struct{ envelope, from string }{
		{"mallory@evil.example", "Anna Admin <" + seed.AnnaEmail + ">"}, // the From header forged
		{"mallory@evil.example", "mallory@evil.example"},                // someone else entirely
	} {
		msg := reply(c.from, to, "<f"+strconv.Itoa(i)+"@evil.example>", "Bitte überweisen Sie an IBAN XY.", "", nil)
		if err := l.send(c.envelope, to, msg); err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
	}
	if got, want := len(l.messages(t, tk.Number)), len(before); got != want {
		t.Fatalf("%d messages, want %d: a forged reply was added", got, want)
	}
	ms := l.mails(t)
	if len(ms) != 2 {
		t.Fatalf("%d mails queued, want 2 bounces", len(ms))
	}
	for _, m := range ms {
		if m.To != "mallory@evil.example" || m.Kind != ticket.MailReplyRefused {
			t.Errorf("bounce to %s (%s), want to the envelope sender", m.To, m.Kind)
		}
		if m.TicketNumber != 0 || m.UserID != 0 {
			t.Errorf("bounce recorded for ticket %d, user %d; want none", m.TicketNumber, m.UserID)
		}
		for _, secret := range []string{strconv.FormatInt(tk.Number, 10), tk.Subject, anna.Name, seed.AnnaEmail, "/tickets/"} {
			if strings.Contains(m.Subject+m.Text+m.HTML, secret) {
				t.Errorf("the bounce to the forger gives away %q:\n%s", secret, m.Text)
			}
		}
	}
	if !strings.Contains(l.logs.String(), "level=WARN") || !strings.Contains(l.logs.String(), "reason=wrong-sender") {
		t.Errorf("the forged reply was not logged as a warning:\n%s", l.logs)
	}
}

func TestReplyToAClosedTicketIsBounced(t *testing.T) {
	l := mustListener(t, 0)
	anna := l.user(t, seed.AnnaEmail)
	tk := l.ticketOf(t, anna, ticket.StatusClosed)
	to := l.replyAddress(t, anna, tk.Number)
	before := l.messages(t, tk.Number)

	if err := l.send(seed.AnnaEmail, to, reply(seed.AnnaEmail, to, "<c1@praxis.example>", "Es geht doch nicht.", "", nil)); err != nil {
		t.Fatal(err)
	}
	if got, want := len(l.messages(t, tk.Number)), len(before); got != want {
		t.Fatalf("%d messages, want %d: a reply was added to a closed ticket", got, want)
	}
	ms := l.mails(t)
	if len(ms) != 1 {
		t.Fatalf("%d mails queued, want 1 bounce", len(ms))
	}
	m := ms[0]
	n := strconv.FormatInt(tk.Number, 10)
	if m.To != seed.AnnaEmail || m.TicketNumber != tk.Number || m.UserID != anna.ID {
		t.Errorf("bounce to %s about ticket %d (user %d)", m.To, m.TicketNumber, m.UserID)
	}
	// In Anna's language: the ticket is closed, open a follow-up; the link.
	for _, want := range []string{"Ticket #" + n + " ist geschlossen", "Folgeticket", linkBase + "/tickets/" + n} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the bounce does not say %q:\n%s", want, m.Text)
		}
	}
	if got, want := m.Subject, "Ihre Antwort auf Ticket #"+n+" wurde nicht übernommen"; got != want {
		t.Errorf("subject = %q, want %q", got, want)
	}
}

func TestFileOfAForbiddenTypeIsBounced(t *testing.T) {
	l := mustListener(t, 0)
	diego := l.user(t, seed.DiegoEmail)
	tk := l.ticketOf(t, diego, ticket.StatusOpen, ticket.StatusWaitingExternal, ticket.StatusNew, ticket.StatusWaitingInternal)
	to := l.replyAddress(t, diego, tk.Number)
	before := l.messages(t, tk.Number)

	exe := append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{0}, 100)...)
	if err := l.send(seed.DiegoEmail, to, reply(seed.DiegoEmail, to, "<e1@clinica.example>", "Aquí está el programa.", "herramienta.exe", exe)); err != nil {
		t.Fatal(err)
	}
	if got, want := len(l.messages(t, tk.Number)), len(before); got != want {
		t.Fatalf("%d messages, want %d", got, want)
	}
	ms := l.mails(t)
	if len(ms) != 1 {
		t.Fatalf("%d mails queued, want 1 bounce", len(ms))
	}
	for _, want := range []string{"«herramienta.exe»", "ticket #" + strconv.FormatInt(tk.Number, 10), ".pdf"} {
		if !strings.Contains(ms[0].Text, want) {
			t.Errorf("the bounce does not say %q:\n%s", want, ms[0].Text)
		}
	}
}

func TestUnknownAddressIsRefusedAtRCPT(t *testing.T) {
	l := mustListener(t, 0)
	for _, to := range []string{
		mail.ReplyAddress("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", replyDomain), // no such token
		"support@" + replyDomain,      // no reply address
		"reply+abc@elsewhere.example", // another domain
	} {
		err := l.send("someone@example.com", to, []byte("Subject: x\r\n\r\nHello\r\n"))
		if got, want := smtpCode(err), 550; got != want {
			t.Errorf("RCPT %s: %v (code %d), want %d", to, err, got, want)
		}
	}
	if ms := l.mails(t); len(ms) != 0 {
		t.Errorf("mails queued: %d; want none (the sending server bounces)", len(ms))
	}
}

func TestTooLargeMessageIsRefused(t *testing.T) {
	l := mustListener(t, 64<<10)
	anna := l.user(t, seed.AnnaEmail)
	tk := l.ticketOf(t, anna, ticket.StatusOpen, ticket.StatusWaitingExternal, ticket.StatusNew)
	to := l.replyAddress(t, anna, tk.Number)
	before := l.messages(t, tk.Number)

	big := append(append([]byte{}, pdf...), bytes.Repeat([]byte("0123456789abcdef"), 8<<10)...) // 128 KB
	err := l.send(seed.AnnaEmail, to, reply(seed.AnnaEmail, to, "<big@praxis.example>", "Groß.", "gross.pdf", big))
	if got, want := smtpCode(err), 552; got != want {
		t.Fatalf("sending %d bytes: %v (code %d), want %d", len(big), err, got, want)
	}
	if got, want := len(l.messages(t, tk.Number)), len(before); got != want {
		t.Errorf("%d messages, want %d", got, want)
	}
}

func TestAutomaticMailIsNotAnswered(t *testing.T) {
	l := mustListener(t, 0)
	anna := l.user(t, seed.AnnaEmail)
	tk := l.ticketOf(t, anna, ticket.StatusClosed)
	to := l.replyAddress(t, anna, tk.Number)
	open := l.ticketOf(t, anna, ticket.StatusOpen, ticket.StatusWaitingExternal, ticket.StatusNew)
	toOpen := l.replyAddress(t, anna, open.Number)
	beforeOpen := len(l.messages(t, open.Number))

	// A delivery report (empty envelope sender) to a closed ticket's
	// address, and an out-of-office reply from Anna herself: neither is
	// added nor answered.
	dsn := []byte(strings.ReplaceAll("From: MAILER-DAEMON@mx.example\nTo: "+to+"\nSubject: Undelivered Mail Returned to Sender\nAuto-Submitted: auto-replied\nContent-Type: multipart/report; report-type=delivery-status; boundary=r\n\n--r\nContent-Type: text/plain\n\nYour message could not be delivered.\n--r--\n", "\n", "\r\n"))
	if err := l.send("", to, dsn); err != nil {
		t.Fatal(err)
	}
	ooo := reply(seed.AnnaEmail, toOpen, "<ooo@praxis.example>", "Ich bin bis Montag nicht im Büro.", "", nil, "Auto-Submitted: auto-replied")
	if err := l.send(seed.AnnaEmail, toOpen, ooo); err != nil {
		t.Fatal(err)
	}
	if ms := l.mails(t); len(ms) != 0 {
		t.Errorf("%d mails queued, want none: automatic mail must not be answered", len(ms))
	}
	if got := len(l.messages(t, open.Number)); got != beforeOpen {
		t.Errorf("an auto-reply was added to ticket %d", open.Number)
	}
}
