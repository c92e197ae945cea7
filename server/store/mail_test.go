package store_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

func mustOpenMemory(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.OpenMemory()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func testMail(i int) store.Mail {
	return store.Mail{To: fmt.Sprintf("user%d@example.com", i), ToName: "Ünal Üster", Subject: fmt.Sprintf("Mail %d", i),
		Text: "Hello", HTML: "<p>Hello</p>", Kind: ticket.MailTicketUpdate}
}

var messageIDPattern = regexp.MustCompile(`^<[0-9a-f]{32}@[a-z.]+>$`)

func TestQueueMailInTheTransactionOfItsCause(t *testing.T) {
	onEngines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		woken := make(chan struct{}, 10)
		db.OnMail(func() { woken <- struct{}{} })
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

		// The cause fails: its mail is gone with it.
		boom := errors.New("boom")
		if _, err := db.QueueMailIn(ctx, testMail(1), now, boom); !errors.Is(err, boom) {
			t.Fatalf("QueueMailIn = %v, want %v", err, boom)
		}
		if ms, err := db.Mails(ctx, 10); err != nil || len(ms) != 0 {
			t.Fatalf("after a rollback: %d mails (%v), want none", len(ms), err)
		}

		// The cause commits: its mail is there, due at once, and the sender
		// is woken.
		for len(woken) > 0 {
			<-woken // a rolled-back mail may wake the sender for nothing
		}
		id, err := db.QueueMailIn(ctx, testMail(2), now, nil)
		if err != nil {
			t.Fatal(err)
		}
		select {
		case <-woken:
		case <-time.After(10 * time.Second):
			t.Fatal("OnMail was not called after the commit")
		}
		m, err := db.Mail(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want := testMail(2)
		if m.To != want.To || m.ToName != want.ToName || m.Subject != want.Subject || m.Text != want.Text || m.HTML != want.HTML ||
			m.Kind != want.Kind || !m.CreatedAt.Equal(now) || !m.NextAttemptAt.Equal(now) || m.Sent() || m.GaveUp() || m.Attempts != 0 {
			t.Fatalf("stored %+v, want %+v queued at %v", m, want, now)
		}
		if !messageIDPattern.MatchString(m.MessageID) || m.MessageID[len(m.MessageID)-len("@supportal>"):] != "@supportal>" {
			t.Fatalf("Message-ID = %q, want <32 hex digits@supportal>", m.MessageID)
		}

		// Message-IDs are unique and end with the mail domain.
		if err := db.SetMailDomain("support.example.com"); err != nil {
			t.Fatal(err)
		}
		id2, err := db.QueueMail(ctx, testMail(3), now)
		if err != nil {
			t.Fatal(err)
		}
		m2, _ := db.Mail(ctx, id2)
		if m2.MessageID == m.MessageID || !regexp.MustCompile(`^<[0-9a-f]{32}@support\.example\.com>$`).MatchString(m2.MessageID) {
			t.Fatalf("second Message-ID = %q (first %q), want another at support.example.com", m2.MessageID, m.MessageID)
		}
		if err := db.SetMailDomain("bad domain>"); err == nil {
			t.Fatal("SetMailDomain accepted a bad domain")
		}
	})
}

func TestQueueMailRefusesWhatCannotBeSent(t *testing.T) {
	onEngines(t, func(t *testing.T, db *store.DB) {
		for name, change := range map[string]func(*store.Mail){
			"no recipient":          func(m *store.Mail) { m.To = "" },
			"recipient with a name": func(m *store.Mail) { m.To = "Anna <anna@example.com>" },
			"bad reply-to":          func(m *store.Mail) { m.ReplyTo = "nobody" },
			"header injection":      func(m *store.Mail) { m.Subject = "Hi\r\nBcc: all@example.com" },
			"no subject":            func(m *store.Mail) { m.Subject = " " },
			"no text":               func(m *store.Mail) { m.Text = "" },
			"no kind":               func(m *store.Mail) { m.Kind = "" },
			"bad Message-ID":        func(m *store.Mail) { m.MessageID = "abc" },
		} {
			t.Run(name, func(t *testing.T) {
				m := testMail(1)
				change(&m)
				if _, err := db.QueueMail(context.Background(), m, time.Now()); err == nil {
					t.Fatalf("QueueMail(%+v) succeeded, want an error", m)
				}
			})
		}
		ms, _ := db.Mails(context.Background(), 10)
		if len(ms) != 0 {
			t.Fatalf("%d mails queued, want none", len(ms))
		}
	})
}

func TestClaimMailsIsExclusive(t *testing.T) {
	onEngines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		const n = 20
		for i := range n {
			if _, err := db.QueueMail(ctx, testMail(i), now); err != nil {
				t.Fatal(err)
			}
		}
		const lease = time.Minute
		var wg sync.WaitGroup
		claims := make([][]store.Mail, 4)
		for i := range claims {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ms, err := db.ClaimMails(ctx, now, lease, 6)
				if err != nil {
					t.Error(err)
				}
				claims[i] = ms
			}()
		}
		wg.Wait()
		seen := map[int64]int{}
		for i, ms := range claims {
			for _, m := range ms {
				if prev, dup := seen[m.ID]; dup {
					t.Fatalf("mail %d claimed by claims %d and %d", m.ID, prev, i)
				}
				seen[m.ID] = i
				if !m.NextAttemptAt.Equal(now.Add(lease)) {
					t.Fatalf("claimed mail due at %v, want %v (end of the lease)", m.NextAttemptAt, now.Add(lease))
				}
			}
		}
		if len(seen) != n {
			t.Fatalf("%d mails claimed, want all %d", len(seen), n)
		}
		// Within the lease nobody gets them; after it, they are due again.
		if ms, err := db.ClaimMails(ctx, now.Add(lease-time.Millisecond), lease, n); err != nil || len(ms) != 0 {
			t.Fatalf("claim within the lease: %d mails (%v), want none", len(ms), err)
		}
		if ms, err := db.ClaimMails(ctx, now.Add(lease), lease, n); err != nil || len(ms) != n {
			t.Fatalf("claim after the lease: %d mails (%v), want %d", len(ms), err, n)
		}
	})
}

func TestMailOutcomes(t *testing.T) {
	onEngines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		var ids []int64
		for i := range 3 {
			id, err := db.QueueMail(ctx, testMail(i), now.Add(time.Duration(i)*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		at := now.Add(time.Minute)
		claimed, err := db.ClaimMails(ctx, at, time.Minute, 10)
		if err != nil || len(claimed) != 3 {
			t.Fatalf("claimed %d (%v), want 3", len(claimed), err)
		}
		failed, sent, gaveUp := ids[0], ids[1], ids[2]
		retryAt := at.Add(10 * time.Minute)
		if err := db.MailFailed(ctx, failed, "451 4.7.1 try again later", retryAt); err != nil {
			t.Fatal(err)
		}
		if err := db.MailSent(ctx, sent, at); err != nil {
			t.Fatal(err)
		}
		if err := db.MailGaveUp(ctx, gaveUp, "550 5.1.1 no such user", at); err != nil {
			t.Fatal(err)
		}

		// The failed mail is due at its retry, not before; the sent and the
		// given-up ones never again.
		if ms, _ := db.ClaimMails(ctx, retryAt.Add(-time.Millisecond), time.Minute, 10); len(ms) != 0 {
			t.Fatalf("claimed %d mails before the retry, want none", len(ms))
		}
		ms, err := db.ClaimMails(ctx, retryAt, time.Minute, 10)
		if err != nil || len(ms) != 1 || ms[0].ID != failed {
			t.Fatalf("claim at the retry: %+v (%v), want mail %d only", ms, err, failed)
		}
		if ms[0].Attempts != 1 || ms[0].LastError != "451 4.7.1 try again later" {
			t.Fatalf("retried mail: attempts %d, last error %q; want 1 and the error", ms[0].Attempts, ms[0].LastError)
		}
		if ms, _ := db.ClaimMails(ctx, at.Add(365*24*time.Hour), time.Minute, 10); len(ms) != 1 || ms[0].ID != failed {
			t.Fatalf("claim a year later: %+v, want the failed mail only", ms)
		}
		m, err := db.Mail(ctx, sent)
		if err != nil || !m.Sent() || !m.SentAt.Equal(at) || m.Attempts != 1 {
			t.Fatalf("sent mail: %+v (%v), want sent at %v after 1 attempt", m, err, at)
		}
		if err := db.MailFailed(ctx, sent, "late", at); !errors.Is(err, ticket.ErrNotFound) {
			t.Fatalf("MailFailed on a sent mail = %v, want ErrNotFound", err)
		}
		if m, _ := db.Mail(ctx, gaveUp); !m.GaveUp() || m.Sent() || m.LastError == "" || m.Attempts != 0 {
			t.Fatalf("given-up mail: %+v", m)
		}
		if _, err := db.Mail(ctx, 999); !errors.Is(err, ticket.ErrNotFound) {
			t.Fatalf("Mail(999) = %v, want ErrNotFound", err)
		}

		// The mail view: newest first, limited.
		all, err := db.Mails(ctx, 2)
		if err != nil || len(all) != 2 || all[0].ID != ids[2] || all[1].ID != ids[1] {
			t.Fatalf("Mails(2) = %+v (%v), want mails %d and %d", all, err, ids[2], ids[1])
		}
	})
}
