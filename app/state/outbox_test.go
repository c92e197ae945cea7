//go:build !(js && wasm)

package state

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
)

var t0 = time.Date(2026, 12, 2, 10, 42, 0, 0, time.UTC)

func queuedTicket() OutboxItem {
	return OutboxItem{ID: "k1", Kind: OutboxTicket, Draft: &Draft{Draft: ticket.Draft{Subject: "Drucker"}}, Status: OutboxQueued, Created: t0}
}

// Every answer to a send moves the item where the outbox's diagram says.
func TestOutboxTransitions(t *testing.T) {
	fields := []ticket.FieldError{{Field: "subject", MessageID: "ErrRequired"}}
	for _, tt := range []struct {
		name      string
		o         sendOutcome
		want      OutboxStatus
		attempts  int
		wantRetry bool // NextTry set in the future
	}{
		{"created", sendOutcome{Status: 201, Ticket: 10005}, OutboxSent, 0, false},
		{"replayed", sendOutcome{Status: 200, Ticket: 10005}, OutboxSent, 0, false},
		{"no network", sendOutcome{Status: 0, Err: errOffline}, OutboxQueued, 1, true},
		{"server error", sendOutcome{Status: 500, Err: ticket.ErrInternal}, OutboxQueued, 1, true},
		{"bad gateway", sendOutcome{Status: 502, Err: ticket.ErrInternal}, OutboxQueued, 1, true},
		{"timeout", sendOutcome{Status: 408, Err: ticket.ErrInternal}, OutboxQueued, 1, true},
		{"in progress", sendOutcome{Status: 409, Err: ticket.ErrInternal, RetryAfter: 1}, OutboxQueued, 1, true},
		{"too many", sendOutcome{Status: 429, Err: ticket.ErrInternal, RetryAfter: 30}, OutboxQueued, 1, true},
		{"logged out", sendOutcome{Status: 401, Err: ticket.Errorf(ticket.CodeUnauthorized, "ErrUnauthorized", "")}, OutboxLogin, 0, false},
		{"invalid", sendOutcome{Status: 422, Err: ticket.ErrInternal, Fields: fields}, OutboxAttention, 0, false},
		{"forbidden", sendOutcome{Status: 403, Err: ticket.ErrForbidden}, OutboxAttention, 0, false},
		{"gone", sendOutcome{Status: 404, Err: ticket.ErrNotFound}, OutboxAttention, 0, false},
		{"too large", sendOutcome{Status: 413, Err: ticket.ErrInternal}, OutboxAttention, 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			now := t0.Add(time.Minute)
			it := queuedTicket().sending(now).after(tt.o, now, 0.5)
			if got := it.Status; got != tt.want {
				t.Fatalf("status %s, want %s", got, tt.want)
			}
			if got := it.Attempts; got != tt.attempts {
				t.Errorf("attempts %d, want %d", got, tt.attempts)
			}
			if got := it.NextTry.After(now); got != tt.wantRetry {
				t.Errorf("next try %v after now: %v, want %v", it.NextTry, got, tt.wantRetry)
			}
			if tt.o.RetryAfter > 0 && it.NextTry.Before(now.Add(time.Duration(tt.o.RetryAfter)*time.Second)) {
				t.Errorf("next try %v, before the server's Retry-After %ds", it.NextTry, tt.o.RetryAfter)
			}
			switch tt.want {
			case OutboxSent:
				if it.Ticket != tt.o.Ticket || it.Err != nil {
					t.Errorf("sent: ticket %d err %v, want %d and no error", it.Ticket, it.Err, tt.o.Ticket)
				}
			case OutboxAttention:
				if it.Err == nil || len(it.Fields) != len(tt.o.Fields) {
					t.Errorf("attention: err %v fields %v, want the server's %v", it.Err, it.Fields, tt.o.Fields)
				}
				if it.Due(now.Add(time.Hour)) {
					t.Error("an item that needs attention is sent again without a fix")
				}
			case OutboxLogin:
				if !it.Due(now) {
					t.Error("an item waiting for the login is not due once logged in")
				}
			}
			if it.ID != "k1" {
				t.Errorf("the key changed to %q: a resend could duplicate", it.ID)
			}
		})
	}
}

// A 2xx whose body could not be read still means the server has it.
func TestOutcomeOfStoredButUnreadable(t *testing.T) {
	o := outcomeOf(201, ticket.ErrorAnswer{}, ticket.ErrInternal)
	if it := queuedTicket().after(o, t0, 0); it.Status != OutboxSent {
		t.Errorf("status %s, want sent", it.Status)
	}
}

// The backoff doubles from 2 s up to 5 min; jitter takes away at most half.
func TestOutboxBackoffBounds(t *testing.T) {
	for _, jitter := range []float64{0, 0.25, 0.5, 0.999} {
		prev := time.Duration(0)
		for n := 1; n <= 30; n++ {
			d := outboxBackoff(n, jitter)
			if d < backoffFirst/2 || d > backoffMax {
				t.Fatalf("backoff(%d, %v) = %v, outside [%v, %v]", n, jitter, d, backoffFirst/2, backoffMax)
			}
			if d < prev {
				t.Fatalf("backoff(%d, %v) = %v, shorter than after %d failures (%v)", n, jitter, d, n-1, prev)
			}
			prev = d
		}
		if got, want := outboxBackoff(30, jitter), backoffMax-time.Duration(float64(backoffMax/2)*jitter); got != want {
			t.Errorf("backoff(30, %v) = %v, want the cap %v", jitter, got, want)
		}
	}
	if got, want := outboxBackoff(1, 0), backoffFirst; got != want {
		t.Errorf("first backoff %v, want %v", got, want)
	}
	if got, want := outboxBackoff(3, 0), 4*backoffFirst; got != want {
		t.Errorf("third backoff %v, want %v", got, want)
	}
	// Failures in a row wait longer each time.
	it := queuedTicket()
	for i := 1; i <= 3; i++ {
		it = it.sending(t0).after(sendOutcome{Status: 503}, t0, 0)
		if got, want := it.NextTry.Sub(t0), outboxBackoff(i, 0); got != want {
			t.Errorf("after %d failures: wait %v, want %v", i, got, want)
		}
	}
}

func TestOutboxRetryAndRecovery(t *testing.T) {
	now := t0.Add(time.Hour)
	attention := queuedTicket().after(sendOutcome{Status: 422, Err: ticket.ErrInternal, Fields: []ticket.FieldError{{Field: "subject", MessageID: "ErrRequired"}}}, t0, 0)
	if it := attention.retried(now); it.Status != OutboxQueued || it.Err != nil || it.Fields != nil || !it.Due(now) || it.ID != "k1" {
		t.Errorf("retried attention: %+v, want queued now, without the old errors, same key", it)
	}
	backing := queuedTicket().after(sendOutcome{Status: 0}, t0, 0)
	if backing.Due(t0) {
		t.Error("an item in backoff is due at once")
	}
	if it := backing.retried(t0); !it.Due(t0) || it.Attempts != 0 {
		t.Errorf("Retry: due %v attempts %d, want due now with the backoff reset", it.Due(t0), it.Attempts)
	}
	sent := queuedTicket().after(sendOutcome{Status: 201, Ticket: 7}, t0, 0)
	if it := sent.retried(now); it.Status != OutboxSent {
		t.Errorf("a sent item retried: %s, want it to stay sent", it.Status)
	}
	damaged := OutboxItem{ID: "x", Status: OutboxAttention, Damaged: true}
	if it := damaged.retried(now); it.Due(now) {
		t.Error("a damaged item became due")
	}
	// A tab that ended while sending: the item goes out again (same key).
	if it := queuedTicket().sending(t0).recovered(); it.Status != OutboxQueued || !it.Due(t0) {
		t.Errorf("recovered: %s due %v, want queued and due", it.Status, it.Due(t0))
	}
	if it := sent.recovered(); it.Status != OutboxSent {
		t.Errorf("recovered sent: %s", it.Status)
	}
}

// Stored items come back oldest first; one that cannot be read is kept
// as damaged, not dropped.
func TestDecodeOutbox(t *testing.T) {
	prefix := outboxPrefix("store-a", 5)
	older, newer := queuedTicket(), queuedTicket()
	newer.ID, newer.Created = "k2", t0.Add(time.Minute)
	reply := OutboxItem{ID: "k3", Kind: OutboxReply, Reply: &ReplyInput{Number: 10005, ReplyRequest: ticket.ReplyRequest{Body: "Danke\nzweite Zeile"}}, Status: OutboxQueued, Created: t0.Add(2 * time.Minute)}
	enc := func(it OutboxItem) string { b, _ := json.Marshal(it); return string(b) }
	entries := []dbEntry{
		{Key: prefix + "k2", Value: enc(newer)},
		{Key: prefix + "k3", Value: enc(reply)},
		{Key: prefix + "k1", Value: enc(older)},
		{Key: prefix + "bad", Value: "{not json"},
		{Key: prefix + "moved", Value: enc(older)}, // its id is not its key
	}
	items := decodeOutbox(entries, prefix)
	if len(items) != 5 {
		t.Fatalf("%d items, want 5 (nothing dropped)", len(items))
	}
	var damaged []string
	var order []string
	for _, it := range items {
		if it.Damaged {
			damaged = append(damaged, it.ID)
			if it.Status != OutboxAttention || it.Due(t0.Add(time.Hour)) {
				t.Errorf("damaged %s: status %s, due %v; want attention, never sent", it.ID, it.Status, it.Due(t0))
			}
			continue
		}
		order = append(order, it.ID)
	}
	if got, want := order, []string{"k1", "k2", "k3"}; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("order %v, want %v", got, want)
	}
	if len(damaged) != 2 {
		t.Errorf("damaged %v, want bad and moved", damaged)
	}
	o := Outbox{Items: items}
	if got := o.Waiting(); got != 5 {
		t.Errorf("waiting %d, want 5", got)
	}
	if got := o.RepliesTo(10005); len(got) != 1 || got[0].Subject() != "Danke" {
		t.Errorf("replies to 10005: %+v, want the one reply, shown by its first line", got)
	}
}

// The outbox of one store is not another's, nor another user's.
func TestOutboxKeyedByStoreAndUser(t *testing.T) {
	memoryDBMu.Lock()
	memoryDB = map[string]string{}
	memoryDBMu.Unlock()
	a := Session{LoggedIn: true, Store: "store-a", User: ticket.User{ID: 5}}
	b := Session{LoggedIn: true, Store: "store-b", User: ticket.User{ID: 5}}
	other := Session{LoggedIn: true, Store: "store-a", User: ticket.User{ID: 6}}
	it := queuedTicket()
	if err := writeOutboxItem(a, it); err != nil {
		t.Fatal(err)
	}
	for _, s := range []Session{b, other} {
		if items, err := readOutbox(s); err != nil || len(items) != 0 {
			t.Errorf("store %s user %d sees %d items (err %v), want none", s.Store, s.User.ID, len(items), err)
		}
	}
	if items, _ := readOutbox(a); len(items) != 1 || items[0].ID != "k1" {
		t.Errorf("owner sees %+v, want the item", items)
	}
	// Logout erases the user's outbox, not the other user's.
	writeOutboxItem(other, it)
	forgetKeptData(a, false)
	if items, _ := readOutbox(a); len(items) != 0 {
		t.Errorf("after logout %d items left", len(items))
	}
	if items, _ := readOutbox(other); len(items) != 1 {
		t.Errorf("the other user's outbox: %d items, want 1", len(items))
	}
	// Keep for the next login: the outbox stays, the rest goes.
	keepCatalog(other, keptCatalog{Types: []CatalogType{{Type: ticket.Type{ID: "x"}}}})
	forgetKeptData(other, true)
	if items, _ := readOutbox(other); len(items) != 1 {
		t.Errorf("kept outbox: %d items, want 1", len(items))
	}
	if _, ok := keptCatalogOf(other); ok {
		t.Error("the catalog was kept after logout")
	}
}

// Without a browser database, a failed send is not queued (the caller
// tells the user) — nothing is dropped silently.
func TestNoBrowserDatabase(t *testing.T) {
	memoryDBMu.Lock()
	memoryDBOff = true
	memoryDBMu.Unlock()
	defer func() {
		memoryDBMu.Lock()
		memoryDBOff = false
		memoryDBMu.Unlock()
	}()
	if err := writeOutboxItem(Session{Store: "s", User: ticket.User{ID: 1}}, queuedTicket()); err == nil {
		t.Error("writing to an unavailable database did not fail")
	}
}

// One tab at a time sends.
func TestOutboxLockIsExclusive(t *testing.T) {
	inner := true
	ran, err := dbExclusive(outboxLock, func() {
		ok, _ := dbExclusive(outboxLock, func() {})
		inner = ok
	})
	if !ran || err != nil || inner {
		t.Errorf("outer ran %v (err %v), inner ran %v; want only the outer", ran, err, inner)
	}
}

// The tickets opened last are kept for offline reading, at most
// keptTickets of them, the oldest forgotten first; logout forgets them.
func TestKeptTicketsBounded(t *testing.T) {
	memoryDBMu.Lock()
	memoryDB = map[string]string{}
	memoryDBMu.Unlock()
	s := Session{LoggedIn: true, Store: "store-a", User: ticket.User{ID: 5}}
	for n := int64(1); n <= keptTickets+2; n++ {
		keepTicket(s, n, ticketAnswer{Ticket: ticket.TicketView{Number: n, Subject: "T"}})
		time.Sleep(time.Millisecond)
	}
	entries, _ := dbEntries(dbCache, s.outboxPrefix()+"ticket/")
	if len(entries) != keptTickets {
		t.Fatalf("%d tickets kept, want %d", len(entries), keptTickets)
	}
	for _, n := range []int64{1, 2} {
		if _, _, ok := keptValue[ticketAnswer](s.ticketKey(n)); ok {
			t.Errorf("ticket %d, opened first, is still kept", n)
		}
	}
	if got, at, ok := keptValue[ticketAnswer](s.ticketKey(keptTickets + 2)); !ok || got.Ticket.Number != keptTickets+2 || at.IsZero() {
		t.Errorf("the last ticket: %+v at %v (%v)", got.Ticket, at, ok)
	}
	// Another user's tickets, left by a session that ended while the app
	// was closed, and a store that is gone: the logout takes them too; the
	// outbox stays when asked to.
	other := Session{LoggedIn: true, Store: "store-gone", User: ticket.User{ID: 9}}
	keepTicket(other, 7, ticketAnswer{Ticket: ticket.TicketView{Number: 7, Subject: "Patient"}})
	dbPut(dbOutbox, s.outboxPrefix()+"item", `{"id":"item"}`)
	forgetKeptData(s, true) // keep the outbox, not the rest
	if entries, _ := dbEntries(dbCache, ""); len(entries) != 0 {
		t.Errorf("%d kept answers after logout: %v", len(entries), entries)
	}
	if entries, _ := dbEntries(dbOutbox, s.outboxPrefix()); len(entries) != 1 {
		t.Errorf("the outbox kept for the next login holds %d items, want 1", len(entries))
	}
}
