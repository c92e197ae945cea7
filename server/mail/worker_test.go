package mail_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/mail"
	"github.com/supportal/supportal/server/mail/mailtest"
	"github.com/supportal/supportal/server/store"
)

// wait bounds how long a test waits for something that should happen at
// once: a bound for a stuck test, no timing assertion.
const wait = 20 * time.Second

// clock is a fake clock the tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func mustStore(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.OpenMemory()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func mustSender(tb testing.TB, cfg mail.SMTPConfig) *mail.SMTP {
	tb.Helper()
	if cfg.From == "" {
		cfg.From = "Supportal <support@example.com>"
	}
	if cfg.TLS == "" {
		cfg.TLS = mail.NoTLS
	}
	s, err := mail.NewSMTP(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newWorker(db *store.DB, s mail.Sender, c *clock) *mail.Worker {
	return mail.NewWorker(db, s, mail.WorkerConfig{Log: quietLog(), Now: c.Now, Poll: time.Hour})
}

func queue(tb testing.TB, db *store.DB, c *clock) store.Mail {
	tb.Helper()
	id, err := db.QueueMail(context.Background(), store.Mail{
		To: "anna.admin@praxis-sonnenschein.example", ToName: "Anna Admin", ReplyTo: "reply+t123@support.example.com",
		Subject: "Neue Antwort zu Ticket 10042 – Rechnung doppelt", Text: "Guten Tag,\nSam hat geantwortet: Grüße.\n",
		HTML: "<p>Guten Tag,</p><p>Sam hat geantwortet: <b>Grüße</b>.</p>", Kind: ticket.MailTicketUpdate, TicketNumber: 0,
	}, c.Now())
	if err != nil {
		tb.Fatal(err)
	}
	m, err := db.Mail(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func sendDue(tb testing.TB, w *mail.Worker) int {
	tb.Helper()
	n, err := w.SendDue(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// checkMessage checks that msg is m as it should go on the wire.
func checkMessage(t *testing.T, msg mailtest.Message, m store.Mail) {
	t.Helper()
	if got := msg.MessageID(); got != m.MessageID {
		t.Errorf("Message-ID = %q, want %q", got, m.MessageID)
	}
	if msg.From != "support@example.com" || len(msg.To) != 1 || msg.To[0] != m.To {
		t.Errorf("envelope from %q to %q, want support@example.com to %q", msg.From, msg.To, m.To)
	}
	if got := msg.Subject(); got != m.Subject {
		t.Errorf("Subject = %q, want %q", got, m.Subject)
	}
	if to, err := msg.Header.AddressList("To"); err != nil || len(to) != 1 || to[0].Name != m.ToName || to[0].Address != m.To {
		t.Errorf("To = %v (%v), want %s <%s>", to, err, m.ToName, m.To)
	}
	if rt, err := msg.Header.AddressList("Reply-To"); err != nil || len(rt) != 1 || rt[0].Address != m.ReplyTo {
		t.Errorf("Reply-To = %v (%v), want %s", rt, err, m.ReplyTo)
	}
	if from, err := msg.Header.AddressList("From"); err != nil || len(from) != 1 || from[0].Name != "Supportal" {
		t.Errorf("From = %v (%v), want Supportal <support@example.com>", from, err)
	}
	if d, err := msg.Header.Date(); err != nil || !d.Equal(m.CreatedAt.Truncate(time.Second)) {
		t.Errorf("Date = %v (%v), want %v", d, err, m.CreatedAt)
	}
	if got := msg.Header.Get("Auto-Submitted"); got != "auto-generated" {
		t.Errorf("Auto-Submitted = %q, want auto-generated", got)
	}
	text, err := msg.Text()
	if err != nil || strings.ReplaceAll(text, "\r\n", "\n") != m.Text {
		t.Errorf("text part = %q (%v), want %q", text, err, m.Text)
	}
	html, err := msg.HTML()
	if err != nil || html != m.HTML {
		t.Errorf("HTML part = %q (%v), want %q", html, err, m.HTML)
	}
}

func TestQueuedMailArrivesOnce(t *testing.T) {
	sink := mailtest.Start(t)
	db := mustStore(t)
	c := newClock()
	m := queue(t, db, c)
	w := newWorker(db, mustSender(t, mail.SMTPConfig{Addr: sink.Addr}), c)

	if n := sendDue(t, w); n != 1 {
		t.Fatalf("sent %d, want 1", n)
	}
	msgs := sink.Messages()
	if len(msgs) != 1 {
		t.Fatalf("the sink has %d messages, want 1", len(msgs))
	}
	checkMessage(t, msgs[0], m)
	if got, _ := db.Mail(context.Background(), m.ID); !got.Sent() || got.Attempts != 1 {
		t.Fatalf("stored mail %+v, want sent after 1 attempt", got)
	}

	// Never again, however late.
	c.Add(365 * 24 * time.Hour)
	if n := sendDue(t, w); n != 0 || len(sink.Messages()) != 1 {
		t.Fatalf("a year later: sent %d, the sink has %d; want 0 and 1", n, len(sink.Messages()))
	}
}

// Run sends what is queued while it runs: the store's commit wakes it (it
// would poll only after an hour).
func TestWorkerWakesWhenAMailIsQueued(t *testing.T) {
	sink := mailtest.Start(t)
	db := mustStore(t)
	c := newClock()
	w := newWorker(db, mustSender(t, mail.SMTPConfig{Addr: sink.Addr}), c)
	db.OnMail(w.Notify)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	first := queue(t, db, c)
	sink.Wait(t, 1, wait)
	second := queue(t, db, c)
	msgs := sink.Wait(t, 2, wait)
	if msgs[0].MessageID() != first.MessageID || msgs[1].MessageID() != second.MessageID {
		t.Fatalf("received %s and %s, want %s and %s", msgs[0].MessageID(), msgs[1].MessageID(), first.MessageID, second.MessageID)
	}
}

func TestRefusedMailIsRetried(t *testing.T) {
	ctx := context.Background()
	sink := mailtest.Start(t)
	db := mustStore(t)
	c := newClock()
	w := newWorker(db, mustSender(t, mail.SMTPConfig{Addr: sink.Addr}), c)
	m := queue(t, db, c)
	t0 := c.Now()

	// 451: tried again after about 30 s.
	sink.Refuse(mailtest.TempFailure)
	if n := sendDue(t, w); n != 0 || sink.Refused() != 1 || len(sink.Messages()) != 0 {
		t.Fatalf("refused: sent %d, refusals %d, messages %d; want 0, 1, 0", n, sink.Refused(), len(sink.Messages()))
	}
	got, _ := db.Mail(ctx, m.ID)
	if got.Sent() || got.Attempts != 1 || !strings.Contains(got.LastError, "451") ||
		got.NextAttemptAt.Before(t0.Add(24*time.Second)) || got.NextAttemptAt.After(t0.Add(36*time.Second)) {
		t.Fatalf("after a 451: %+v; want 1 attempt, the error, due again 30 s ± 20 %% later", got)
	}
	if n := sendDue(t, w); n != 0 || sink.Refused() != 1 {
		t.Fatalf("before its retry: sent %d, refusals %d; want no attempt", n, sink.Refused())
	}

	// Accepted at the retry: delivered once, with its Message-ID.
	c.Add(time.Minute)
	if n := sendDue(t, w); n != 1 {
		t.Fatalf("at the retry: sent %d, want 1", n)
	}
	c.Add(24 * time.Hour)
	sendDue(t, w)
	msgs := sink.Messages()
	if len(msgs) != 1 || msgs[0].MessageID() != m.MessageID {
		t.Fatalf("the sink has %d messages, want 1 with %s", len(msgs), m.MessageID)
	}
	if got, _ := db.Mail(ctx, m.ID); !got.Sent() || got.Attempts != 2 {
		t.Fatalf("stored %+v, want sent after 2 attempts", got)
	}
}

func TestPermanentRefusalBacksOffThenGivesUp(t *testing.T) {
	ctx := context.Background()
	sink := mailtest.Start(t)
	db := mustStore(t)
	c := newClock()
	w := newWorker(db, mustSender(t, mail.SMTPConfig{Addr: sink.Addr}), c)
	m := queue(t, db, c)

	// 550: tried again, but only after the longest backoff (1 h ± 20 %).
	sink.Refuse(mailtest.PermFailure)
	sendDue(t, w)
	got, _ := db.Mail(ctx, m.ID)
	if got.Sent() || got.GaveUp() || got.NextAttemptAt.Before(c.Now().Add(48*time.Minute)) || !strings.Contains(got.LastError, "550") {
		t.Fatalf("after a 550: %+v; want due again in about an hour", got)
	}

	// Refused again, and again due three days after it was queued: given
	// up, without another attempt.
	c.Add(2 * time.Hour)
	sink.Refuse(mailtest.PermFailure)
	sendDue(t, w)
	c.Add(72 * time.Hour)
	sendDue(t, w)
	got, _ = db.Mail(ctx, m.ID)
	if got.Sent() || !got.GaveUp() || got.Attempts != 2 || sink.Refused() != 2 || !strings.Contains(got.LastError, "550") {
		t.Fatalf("after three days: %+v (%d refusals); want given up after 2 attempts, with the last error", got, sink.Refused())
	}
	c.Add(72 * time.Hour)
	if n := sendDue(t, w); n != 0 || sink.Refused() != 2 || len(sink.Messages()) != 0 {
		t.Fatalf("a given-up mail was tried again (sent %d, refusals %d)", n, sink.Refused())
	}
}

// A mail kept while no mail server was configured goes out if it is
// younger than three days, else is given up untried.
func TestOldMailIsNotSent(t *testing.T) {
	ctx := context.Background()
	sink := mailtest.Start(t)
	db := mustStore(t)
	c := newClock()
	old := queue(t, db, c)
	c.Add(71 * time.Hour)
	young := queue(t, db, c)
	c.Add(time.Hour)
	w := newWorker(db, mustSender(t, mail.SMTPConfig{Addr: sink.Addr}), c)
	if n := sendDue(t, w); n != 1 {
		t.Fatalf("sent %d, want 1", n)
	}
	if msgs := sink.Messages(); len(msgs) != 1 || msgs[0].MessageID() != young.MessageID {
		t.Fatalf("the sink has %d messages, want the young mail only", len(msgs))
	}
	if got, _ := db.Mail(ctx, old.ID); !got.GaveUp() || got.Attempts != 0 || got.LastError == "" {
		t.Fatalf("old mail: %+v, want given up untried, saying why", got)
	}
}

// A crash after the mail server accepted a mail, before it was marked
// sent: the next worker sends it again once its lease is over, with the
// same Message-ID, and then never again.
func TestCrashBetweenSendAndMarkResendsOnce(t *testing.T) {
	ctx := context.Background()
	sink := mailtest.Start(t)
	db := mustStore(t)
	c := newClock()
	sender := mustSender(t, mail.SMTPConfig{Addr: sink.Addr})
	m := queue(t, db, c)

	crashing := newWorker(db, sender, c)
	crashing.CrashAfterSend(func(store.Mail) bool { return true })
	done := make(chan struct{})
	go func() { crashing.Run(ctx); close(done) }()
	select {
	case <-done:
	case <-time.After(wait):
		t.Fatal("the crashing worker did not stop")
	}
	if len(sink.Messages()) != 1 {
		t.Fatalf("before the crash: %d messages, want 1", len(sink.Messages()))
	}
	if got, _ := db.Mail(ctx, m.ID); got.Sent() {
		t.Fatal("the mail was marked sent before the crash")
	}

	// The restarted worker waits for the lease, then sends it again.
	restarted := newWorker(db, sender, c)
	if n := sendDue(t, restarted); n != 0 {
		t.Fatalf("within the lease: sent %d, want 0", n)
	}
	c.Add(5 * time.Minute)
	if n := sendDue(t, restarted); n != 1 {
		t.Fatalf("after the lease: sent %d, want 1", n)
	}
	c.Add(365 * 24 * time.Hour)
	sendDue(t, restarted)
	msgs := sink.Messages()
	if len(msgs) != 2 {
		t.Fatalf("the sink has %d messages, want 2 (one resent after the crash)", len(msgs))
	}
	for _, msg := range msgs {
		checkMessage(t, msg, m)
	}
	if got, _ := db.Mail(ctx, m.ID); !got.Sent() {
		t.Fatalf("stored %+v, want sent", got)
	}
}

func TestSenderTLSAndAuth(t *testing.T) {
	serverTLS, clientTLS := mailtest.SelfSigned(t)
	for _, tc := range []struct {
		name     string
		sink     []mailtest.Option
		cfg      mail.SMTPConfig
		ok       bool
		tls      bool
		user     string
		permFail bool
	}{
		{name: "STARTTLS and AUTH", sink: []mailtest.Option{mailtest.WithTLS(serverTLS), mailtest.WithAuth("supportal", "s3cret")},
			cfg: mail.SMTPConfig{TLS: mail.StartTLS, TLSConfig: clientTLS, Username: "supportal", Password: "s3cret"}, ok: true, tls: true, user: "supportal"},
		{name: "implicit TLS and AUTH", sink: []mailtest.Option{mailtest.WithImplicitTLS(serverTLS), mailtest.WithAuth("supportal", "s3cret")},
			cfg: mail.SMTPConfig{TLS: mail.ImplicitTLS, TLSConfig: clientTLS, Username: "supportal", Password: "s3cret"}, ok: true, tls: true, user: "supportal"},
		{name: "STARTTLS without AUTH", sink: []mailtest.Option{mailtest.WithTLS(serverTLS)},
			cfg: mail.SMTPConfig{TLS: mail.StartTLS, TLSConfig: clientTLS}, ok: true, tls: true},
		{name: "wrong password", sink: []mailtest.Option{mailtest.WithTLS(serverTLS), mailtest.WithAuth("supportal", "s3cret")},
			cfg: mail.SMTPConfig{TLS: mail.StartTLS, TLSConfig: clientTLS, Username: "supportal", Password: "guess"}, permFail: true},
		{name: "STARTTLS required, not offered", cfg: mail.SMTPConfig{TLS: mail.StartTLS, TLSConfig: clientTLS}},
		{name: "certificate not trusted", sink: []mailtest.Option{mailtest.WithTLS(serverTLS)}, cfg: mail.SMTPConfig{TLS: mail.StartTLS}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sink := mailtest.Start(t, tc.sink...)
			tc.cfg.Addr = sink.Addr
			sender := mustSender(t, tc.cfg)
			db := mustStore(t)
			m := queue(t, db, newClock())
			err := sender.Send(context.Background(), m)
			if tc.ok != (err == nil) {
				t.Fatalf("Send = %v, want success %v", err, tc.ok)
			}
			if tc.permFail != mail.Permanent(err) {
				t.Fatalf("Permanent(%v) = %v, want %v", err, mail.Permanent(err), tc.permFail)
			}
			if !tc.ok {
				if len(sink.Messages()) != 0 {
					t.Fatal("a failed send delivered a message")
				}
				if strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "guess") {
					t.Fatalf("the error tells the password: %v", err)
				}
				return
			}
			msgs := sink.Messages()
			if len(msgs) != 1 || msgs[0].TLS != tc.tls || msgs[0].User != tc.user {
				t.Fatalf("%d messages (TLS %v, user %q), want 1 (TLS %v, user %q)", len(msgs), msgs[0].TLS, msgs[0].User, tc.tls, tc.user)
			}
			checkMessage(t, msgs[0], m)
		})
	}
}

func TestSMTPConfig(t *testing.T) {
	for _, tc := range []struct {
		cfg  mail.SMTPConfig
		want string // String(); "" an error
	}{
		{mail.SMTPConfig{Addr: "mail.example.com:587", From: "Supportal <support@example.com>"}, "smtp://mail.example.com:587 (starttls)"},
		{mail.SMTPConfig{Addr: "mail.example.com", TLS: "tls", From: "support@example.com"}, "smtp://mail.example.com:465 (tls)"},
		{mail.SMTPConfig{Addr: "localhost", TLS: "NONE", From: "support@example.com"}, "smtp://localhost:25 (none)"},
		{mail.SMTPConfig{Addr: "[::1]:2525", TLS: "none", From: "support@example.com"}, "smtp://[::1]:2525 (none)"},
		{mail.SMTPConfig{Addr: "mail.example.com:587", TLS: "ssl", From: "support@example.com"}, ""},
		{mail.SMTPConfig{Addr: "mail.example.com:0", From: "support@example.com"}, ""},
		{mail.SMTPConfig{Addr: ":587", From: "support@example.com"}, ""},
		{mail.SMTPConfig{Addr: "mail.example.com:587", From: "Supportal"}, ""},
		{mail.SMTPConfig{Addr: "mail.example.com:587", From: "support@example.com", Username: "u"}, ""},
	} {
		s, err := mail.NewSMTP(tc.cfg)
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("NewSMTP(%+v) = %v, want an error", tc.cfg, s)
		case tc.want != "" && err != nil:
			t.Errorf("NewSMTP(%+v): %v", tc.cfg, err)
		case tc.want != "" && s.String() != tc.want:
			t.Errorf("NewSMTP(%+v) = %v, want %v", tc.cfg, s, tc.want)
		}
	}
}
