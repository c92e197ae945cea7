package store_test

import (
	"context"
	"fmt"
	"net"
	neturl "net/url"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
	"github.com/supportal/supportal/server/store/pgtest"
)

// twoNodes opens two nodes on one new PostgreSQL database.
func twoNodes(t *testing.T) (a, b *store.DB, url string) {
	t.Helper()
	url = pgtest.URL(t)
	nodes := make([]*store.DB, 2)
	for i := range nodes {
		db, err := store.OpenPostgres(context.Background(), url, store.PostgresOptions{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		nodes[i] = db
	}
	return nodes[0], nodes[1], url
}

// eventually waits up to 10 s for ok.
func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); !ok(); {
		if time.Now().After(end) {
			t.Fatalf("%s: not within 10 s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A write acknowledged by one node moves the versions another node reads
// at once (its kept answers and sessions are not served any more), and
// the access version its hub filters with as soon as it hears of it.
func TestNodesShareVersions(t *testing.T) {
	a, b, _ := twoNodes(t)
	ctx := context.Background()
	versions := func(db *store.DB) store.Versions {
		t.Helper()
		v, err := db.Versions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	f := mustFixture(t, a)
	before := versions(b)
	mustTicket(t, a, f.orgA, f.user, ticket.StatusNew, time.Now())
	after := versions(b)
	if after.Store <= before.Store || after.Identity != before.Identity || after.Access != before.Access {
		t.Errorf("a ticket created on node A: node B's versions went %+v → %+v; want the store's moved, identity and access not", before, after)
	}
	if got := versions(a); got != after {
		t.Errorf("node A at %+v, node B at %+v: want one store's versions", got, after)
	}

	// Who is who: a session made on A.
	before = after
	if err := a.CreateSession(ctx, []byte("token-hash"), store.Session{UserID: f.user.ID}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if after = versions(b); after.Identity <= before.Identity || after.Access != before.Access {
		t.Errorf("a session made on node A: node B's versions went %+v → %+v; want identity moved, access not", before, after)
	}

	// Who may see what: a member's ticket access revoked on B.
	before, accessA := after, a.AccessVersion()
	if err := b.SetTicketAccess(ctx, f.orgA.ID, f.user.ID, false); err != nil {
		t.Fatal(err)
	}
	if after = versions(a); after.Access <= before.Access {
		t.Errorf("access changed on node B: node A's versions went %+v → %+v; want access moved", before, after)
	}
	eventually(t, "node A's hub hears of the access changed on node B", func() bool { return a.AccessVersion() > accessA })
	if b.AccessVersion() != after.Access {
		t.Errorf("node B's hub at access version %d after its own write, want %d", b.AccessVersion(), after.Access)
	}
}

// A node's hub is woken by another node's commits and reads their events;
// it never reads past the newest event whose commit it has heard of.
func TestNodesWakeEachOthersHubs(t *testing.T) {
	a, b, _ := twoNodes(t)
	ctx := context.Background()
	var woken atomic.Int64
	b.OnEvents(func() { woken.Add(1) })
	f := mustFixture(t, a)
	tk := mustTicket(t, a, f.orgA, f.user, ticket.StatusNew, time.Now())
	eventually(t, "node B woken by node A's commit", func() bool { return woken.Load() > 0 })
	last, err := b.LastEventID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	events, err := b.EventsAfter(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 || events[0].Ticket.Number != tk.Number || events[0].ID != last {
		t.Fatalf("node B reads %d events (last %d), want the one of ticket %d", len(events), last, tk.Number)
	}
	// A reply on B: A's hub hears of it too.
	var wokenA atomic.Int64
	a.OnEvents(func() { wokenA.Add(1) })
	m, err := b.AddMessage(ctx, ticket.Message{TicketNumber: tk.Number, Author: f.sam.Ref(), Body: "Antwort", CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "node A woken by node B's reply", func() bool { return wokenA.Load() > 0 })
	events, err = a.EventsAfter(ctx, last, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 || events[0].Message == nil || events[0].Message.ID != m.ID {
		t.Fatalf("node A reads %+v after %d, want the reply %d", events, last, m.ID)
	}
}

// A node's hub hears what another node's hub announces (a session ended,
// users whose access changed), and not its own announcements.
func TestNodesSignalEachOther(t *testing.T) {
	a, b, _ := twoNodes(t)
	ctx := context.Background()
	var mu sync.Mutex
	var atA, atB []store.Signal
	a.OnSignal(func(s store.Signal) { mu.Lock(); atA = append(atA, s); mu.Unlock() })
	b.OnSignal(func(s store.Signal) { mu.Lock(); atB = append(atB, s); mu.Unlock() })
	hash := "\x00\xffsession hash \x01"
	if err := a.Announce(ctx, store.Signal{EndSession: hash}); err != nil {
		t.Fatal(err)
	}
	many := make([]int64, 700) // more than one notification holds
	for i := range many {
		many[i] = int64(1e12 + i)
	}
	if err := a.Announce(ctx, store.Signal{AccessChanged: many}); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	eventually(t, "node B hears node A's signals", func() bool {
		mu.Lock()
		defer mu.Unlock()
		ids = ids[:0]
		for _, s := range atB[min(1, len(atB)):] {
			ids = append(ids, s.AccessChanged...)
		}
		return len(ids) == len(many)
	})
	mu.Lock()
	defer mu.Unlock()
	if atB[0].EndSession != hash {
		t.Errorf("node B heard %+v first, want the session %q ended", atB[0], hash)
	}
	if !slices.Equal(ids, many) {
		t.Errorf("node B heard access changes of %d users, want the %d announced in order", len(ids), len(many))
	}
	if len(atA) != 0 {
		t.Errorf("node A heard its own signals: %+v", atA)
	}
}

// A node that loses its notification connection listens again, tells its
// hub it may have missed signals (Resync), and catches up on what was
// committed meanwhile.
func TestNodeListensAgainAfterLoss(t *testing.T) {
	a, b, url := twoNodes(t)
	ctx := context.Background()
	var resync atomic.Int64
	b.OnSignal(func(s store.Signal) {
		if s.Resync {
			resync.Add(1)
		}
	})
	var woken atomic.Int64
	b.OnEvents(func() { woken.Add(1) })
	f := mustFixture(t, a)
	admin, err := store.OpenPostgres(ctx, url, store.PostgresOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	n, err := admin.Terminate(ctx, b.ListenerName())
	if err != nil || n != 1 {
		t.Fatalf("cutting node B's notifications: %d connections (%v), want 1", n, err)
	}
	tk := mustTicket(t, a, f.orgA, f.user, ticket.StatusNew, time.Now()) // while B may not listen
	eventually(t, "node B listens again and resyncs", func() bool { return resync.Load() == 1 && b.Listening() })
	eventually(t, "node B's hub woken for the ticket", func() bool {
		events, err := b.EventsAfter(ctx, 0, 10)
		return err == nil && len(events) == 1 && events[0].Ticket.Number == tk.Number && woken.Load() > 0
	})
}

// The ordering trap: eight writers on two nodes append events while a
// reader on one of them follows the log the way the live hub does (after
// the last id it has seen, woken by commits). It sees every acknowledged
// event exactly once, in id order: no event becomes visible below an id
// the reader has already passed.
func TestEventsVisibleInCommitOrderAcrossNodes(t *testing.T) {
	a, b, _ := twoNodes(t)
	ctx := context.Background()
	f := mustFixture(t, a)
	wake := make(chan struct{}, 1)
	b.OnEvents(func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	})
	stop := make(chan struct{})
	var mu sync.Mutex
	acked := map[int64]bool{} // ticket numbers created
	var wg sync.WaitGroup
	for w := range 8 {
		node := []*store.DB{a, b}[w%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				tk, err := node.CreateTicket(ctx, ticket.Ticket{
					Organization: f.orgA.Ref(), Requester: f.user.Ref(), Type: "login_problem", Category: "password",
					Subject: fmt.Sprintf("writer %d ticket %d", w, i), Description: "d", Fields: map[string]string{"referenceNumber": "R-1"},
					Status: ticket.StatusNew, CreatedAt: time.Now(),
				})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				acked[tk.Number] = true
				mu.Unlock()
			}
		}()
	}
	seen := map[int64]int{}
	var last int64
	follow := func() {
		for {
			events, err := b.EventsAfter(ctx, last, 500)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range events {
				if e.ID <= last {
					t.Fatalf("event %d after %d", e.ID, last)
				}
				last = e.ID
				seen[e.Ticket.Number]++
			}
			if len(events) < 500 {
				return
			}
		}
	}
	end := time.After(3 * time.Second)
	for running := true; running; {
		select {
		case <-wake:
			follow()
		case <-end:
			running = false
		}
	}
	close(stop)
	wg.Wait()
	// Node B hears of the last commits (or never sees some).
	for end := time.Now().Add(5 * time.Second); len(seen) < len(acked) && time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		follow()
	}
	if len(acked) < 50 {
		t.Fatalf("only %d tickets written in 3 s", len(acked))
	}
	missed := 0
	for n := range acked {
		if seen[n] != 1 {
			missed++
			if missed <= 5 {
				t.Errorf("ticket %d: its event seen %d times, want once", n, seen[n])
			}
		}
	}
	if missed > 0 {
		t.Errorf("%d of %d acknowledged events not seen exactly once", missed, len(acked))
	}
	// Every id the store holds was seen: nothing appeared below the
	// reader's place after it passed.
	all, err := a.EventsAfter(ctx, 0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(acked) {
		t.Errorf("the log holds %d events, the reader saw %d tickets' events", len(all), len(seen))
	}
}

// Login attempts on two nodes at once: the throttle's decision and count
// are one write, so no more attempts are admitted than the rule allows.
func TestLoginFailuresCountedOnceAcrossNodes(t *testing.T) {
	a, b, _ := twoNodes(t)
	ctx := context.Background()
	now := time.Now()
	keys := []string{"p 192.0.2.1 x", "c 192.0.2.1", "a x"}
	var admitted atomic.Int64
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := []*store.DB{a, b}[i%2].CountLoginFailure(ctx, keys, now, time.Minute, func(c []store.Failures) bool { return c[0].N < 3 })
			if err != nil {
				t.Error(err)
			}
			if ok {
				admitted.Add(1)
			}
		}()
	}
	wg.Wait()
	if admitted.Load() != 3 {
		t.Errorf("%d of 20 attempts on two nodes admitted, want 3", admitted.Load())
	}
	c, err := b.LoginFailures(ctx, keys, now, time.Minute)
	if err != nil || c[0].N != 3 || c[1].N != 3 || c[2].N != 3 {
		t.Errorf("counts %+v (%v), want 3 each", c, err)
	}
	if err := a.TakeBackLoginFailure(ctx, keys, now); err != nil {
		t.Fatal(err)
	}
	if c, _ = b.LoginFailures(ctx, keys, now, time.Minute); c[0].N != 2 {
		t.Errorf("after one taken back on the other node: %d, want 2", c[0].N)
	}
}

// A node that froze in the middle of a write (holding the write lock, its
// transaction idle) stops the other nodes' writes only until PostgreSQL
// ends its transaction (idle_in_transaction_session_timeout). A write
// waits for the lock at most lock_timeout, then fails instead of hanging;
// the waiting node stays ready meanwhile (every node waits for the one
// lock: all of them unready would leave a load balancer none for reads).
func TestFrozenNodeDoesNotStopTheOthers(t *testing.T) {
	store.SetSessionParam(t, "idle_in_transaction_session_timeout", "1s")
	store.SetSessionParam(t, "lock_timeout", "500ms")
	a, b, _ := twoNodes(t)
	ctx := context.Background()
	f := mustFixture(t, a)

	// Frozen: the lock held, nothing more happens.
	release, err := a.HoldWriteLock(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	var tk ticket.Ticket
	for tries := 0; ; tries++ { // refused after lock_timeout until the frozen one is ended
		if tk, err = b.CreateTicket(ctx, ticket.Ticket{Organization: f.orgA.Ref(), Requester: f.user.Ref(), Type: "login_problem", Category: "password",
			Subject: "S", Description: "D", Fields: map[string]string{"referenceNumber": "R-1"}, Status: ticket.StatusNew, CreatedAt: time.Now()}); err == nil || tries > 20 {
			break
		}
	}
	if err != nil || tk.Number == 0 {
		t.Fatalf("node B's write behind a frozen node: %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("node B's write waited %v behind a frozen node", d)
	}
	if err := release(); err == nil {
		t.Error("the frozen node's transaction survived: want it ended by the server")
	}

	// Busy: the lock held by a long statement. B's write gives up after
	// lock_timeout with an error; B stays ready.
	release, err = a.HoldWriteLock(ctx, "SELECT pg_sleep(2)")
	if err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	if _, err := b.CreateOrganization(ctx, ticket.Organization{Name: "Wartend", AccountNumber: "300", Kind: ticket.KindCustomer}); err == nil {
		t.Error("a write behind a held lock succeeded: want it refused after lock_timeout")
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("a write waited %v for the lock, want it refused after about 500 ms", d)
	}
	if err := b.Ready(ctx); err != nil {
		t.Errorf("node B while waiting for the lock: %v, want ready", err)
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
}

// freezer is a TCP proxy to PostgreSQL whose connections can be frozen:
// they stay open and carry nothing more, as a connection cut off without
// a word does. Connections made after the freeze work.
type freezer struct {
	addr   string
	mu     sync.Mutex
	frozen []chan struct{} // one per connection; closed: frozen
	ln     net.Listener
}

func newFreezer(t *testing.T, to string) *freezer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &freezer{addr: ln.Addr().String(), ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", to)
			if err != nil {
				c.Close()
				continue
			}
			frozen := make(chan struct{})
			f.mu.Lock()
			f.frozen = append(f.frozen, frozen)
			f.mu.Unlock()
			pipe := func(dst, src net.Conn) {
				buf := make([]byte, 32<<10)
				for {
					n, err := src.Read(buf)
					select {
					case <-frozen:
						<-make(chan struct{}) // carries nothing, ever
					default:
					}
					if n > 0 {
						dst.Write(buf[:n])
					}
					if err != nil {
						dst.Close()
						return
					}
				}
			}
			go pipe(s, c)
			go pipe(c, s)
		}
	}()
	return f
}

// freezeLast freezes the connection made last.
func (f *freezer) freezeLast() {
	f.mu.Lock()
	defer f.mu.Unlock()
	close(f.frozen[len(f.frozen)-1])
	f.frozen = f.frozen[:len(f.frozen)-1]
}

// freeze freezes every connection made so far.
func (f *freezer) freeze() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.frozen {
		close(c)
	}
	f.frozen = nil
}

// A node whose notification connection hangs (cut off without a word)
// finds out by its heartbeat, listens anew and catches up; and its own
// commits wake its hub for the other nodes' events they find, without
// waiting for their notification.
func TestNodeHearsThroughAHungConnection(t *testing.T) {
	store.SetHeartbeat(t, 300*time.Millisecond)
	url := pgtest.URL(t)
	ctx := context.Background()
	a, err := store.OpenPostgres(ctx, url, store.PostgresOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	u, _ := neturl.Parse(url)
	fz := newFreezer(t, u.Host)
	u.Host = fz.addr
	b, err := store.OpenPostgres(ctx, u.String(), store.PostgresOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var resync atomic.Int64
	b.OnSignal(func(s store.Signal) {
		if s.Resync {
			resync.Add(1)
		}
	})
	var woken atomic.Int64
	b.OnEvents(func() { woken.Add(1) })
	f := mustFixture(t, a)

	// Quiet spells longer than the heartbeat: still listening.
	time.Sleep(time.Second)
	if resync.Load() != 0 || b.Ready(ctx) != nil {
		t.Fatalf("after quiet heartbeats: %d resyncs, ready %v; want none and ready", resync.Load(), b.Ready(ctx))
	}
	tk := mustTicket(t, a, f.orgA, f.user, ticket.StatusNew, time.Now())
	eventually(t, "node B hears a commit after quiet heartbeats", func() bool {
		last, _ := b.LastEventID(ctx)
		return woken.Load() > 0 && last > 0
	})

	// Every connection B has now hangs (the pool's too: B's next reads
	// and writes open new ones).
	fz.freeze()
	before := woken.Load()
	m, err := a.AddMessage(ctx, ticket.Message{TicketNumber: tk.Number, Author: f.sam.Ref(), Body: "während B nichts hört", CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := a.LastEventID(ctx) // the reply's event
	eventually(t, "node B listens anew, resyncs and is woken for the reply", func() bool {
		last, _ := b.LastEventID(ctx) // no query: what B has heard of
		return resync.Load() >= 1 && woken.Load() > before && last >= want && b.Listening()
	})
	_ = m
}

// A node's own commit that finds other nodes' events it has not heard of
// yet (its notification connection is slow) wakes its hub for them.
func TestOwnCommitWakesForOthersEvents(t *testing.T) {
	store.SetHeartbeat(t, time.Minute)
	url := pgtest.URL(t)
	ctx := context.Background()
	a, err := store.OpenPostgres(ctx, url, store.PostgresOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	u, _ := neturl.Parse(url)
	fz := newFreezer(t, u.Host)
	u.Host = fz.addr
	b, err := store.OpenPostgres(ctx, u.String(), store.PostgresOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	fz.freezeLast() // B's notification connection: the last B opened
	var woken atomic.Int64
	b.OnEvents(func() { woken.Add(1) })
	f := mustFixture(t, a)
	mustTicket(t, a, f.orgA, f.user, ticket.StatusNew, time.Now())
	want, _ := a.LastEventID(ctx)
	time.Sleep(200 * time.Millisecond)
	if woken.Load() != 0 {
		t.Fatal("node B woken with its notifications frozen: the test does not freeze what it should")
	}
	// B writes something that appends no event.
	if err := b.CreateSession(ctx, []byte("b's session"), store.Session{UserID: f.user.ID}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if last, _ := b.LastEventID(ctx); woken.Load() == 0 || last < want {
		t.Errorf("after its own commit: node B woken %d times, at event %d; want woken for A's event %d", woken.Load(), last, want)
	}
}
