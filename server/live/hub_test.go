package live

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
)

// memSource is an event log in memory.
type memSource struct {
	mu     sync.Mutex
	events []ticket.Event
}

func (m *memSource) add(n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := 0; i < n; i++ {
		m.events = append(m.events, ticket.Event{ID: int64(len(m.events) + 1), Type: ticket.EventTicketUpdated})
	}
}

func (m *memSource) EventsAfter(ctx context.Context, after int64, limit int) ([]ticket.Event, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []ticket.Event
	for _, e := range m.events {
		if e.ID > after && len(out) < limit {
			out = append(out, e)
		}
	}
	return out, nil
}

func (m *memSource) EventsFor(ctx context.Context, after, upTo int64, limit int, f ticket.EventFilter) ([]ticket.Event, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []ticket.Event
	for _, e := range m.events {
		if e.ID > after && e.ID <= upTo && f.Admits(e) && len(out) < limit {
			out = append(out, e)
		}
	}
	return out, nil
}

func (m *memSource) EventTime(ctx context.Context, after int64) (time.Time, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.events {
		if e.ID > after {
			return e.At, true, nil
		}
	}
	return time.Time{}, false, nil
}

func (m *memSource) LastEventID(ctx context.Context) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return int64(len(m.events)), nil
}

func startHub(t *testing.T, src Source, maxPerUser int) *Hub {
	ctx, cancel := context.WithCancel(context.Background())
	h := NewHub(src, nil, maxPerUser)
	done := make(chan struct{})
	go func() { h.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return h
}

// sub is a subscriber and the signal of its ready calls.
type sub struct {
	*Subscriber
	ready chan struct{}
}

func subscribe(t *testing.T, h *Hub, userID int64) (sub, error) {
	ready := make(chan struct{}, 1)
	s, err := h.Subscribe(context.Background(), userID, "", func() {
		select {
		case ready <- struct{}{}:
		default:
		}
	})
	return sub{s, ready}, err
}

// receive collects ids from s until it has n or two seconds pass.
func receive(s sub, n int) []int64 {
	var ids []int64
	timeout := time.After(2 * time.Second)
	for len(ids) < n {
		for _, batch := range s.Take() {
			for _, e := range batch.Events {
				ids = append(ids, e.ID)
			}
		}
		if len(ids) >= n {
			break
		}
		select {
		case <-s.ready:
		case <-timeout:
			return ids
		}
	}
	return ids
}

func TestHubFanOutInOrder(t *testing.T) {
	src := &memSource{}
	src.add(3) // before anyone subscribed
	h := startHub(t, src, 0)
	a, err := subscribe(t, h, 1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := subscribe(t, h, 2)
	if a.Start != 3 || b.Start != 3 {
		t.Fatalf("start = %d, %d; want 3", a.Start, b.Start)
	}
	for i := 0; i < 10; i++ {
		src.add(7)
		h.Notify()
	}
	for name, s := range map[string]sub{"a": a, "b": b} {
		ids := receive(s, 70)
		if len(ids) != 70 {
			t.Fatalf("%s received %d events, want 70", name, len(ids))
		}
		for i, id := range ids {
			if id != int64(4+i) {
				t.Fatalf("%s: event %d has id %d, want %d (gap, duplicate or disorder)", name, i, id, 4+i)
			}
		}
	}
	if n := h.Subscribers(); n != 2 {
		t.Errorf("subscribers = %d", n)
	}
	h.Unsubscribe(a.Subscriber)
	h.Unsubscribe(a.Subscriber) // twice is fine
	if n := h.Subscribers(); n != 1 {
		t.Errorf("subscribers after unsubscribe = %d", n)
	}
}

func TestHubDropsSlowSubscriber(t *testing.T) {
	src := &memSource{}
	h := startHub(t, src, 0)
	slow, _ := subscribe(t, h, 1)
	fast, _ := subscribe(t, h, 2)
	got := make(chan []int64)
	go func() { got <- receive(fast, 200) }()
	for i := 0; i < subscriberBuffer+10; i++ {
		src.add(2)
		h.Notify()
		time.Sleep(time.Millisecond) // separate batches
	}
	select {
	case <-slow.Dropped:
	case <-time.After(2 * time.Second):
		t.Fatal("the slow subscriber was not dropped")
	}
	if ids := <-got; len(ids) != 2*(subscriberBuffer+10) && len(ids) != 200 {
		t.Fatalf("the fast subscriber got %d events", len(ids))
	}
	if n := h.Subscribers(); n != 1 {
		t.Errorf("subscribers = %d, want 1", n)
	}
}

func TestHubLimitsConnectionsPerUser(t *testing.T) {
	h := startHub(t, &memSource{}, 2)
	for i := 0; i < 2; i++ {
		if _, err := subscribe(t, h, 7); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := subscribe(t, h, 7); err != ErrTooManyConnections {
		t.Fatalf("third connection: %v, want ErrTooManyConnections", err)
	}
	if _, err := subscribe(t, h, 8); err != nil {
		t.Fatalf("another user: %v", err)
	}
}

// blockingSource is an event log whose reads of new events wait until
// released.
type blockingSource struct {
	memSource
	reading chan struct{} // a read started
	release chan struct{}
}

func (b *blockingSource) EventsAfter(ctx context.Context, after int64, limit int) ([]ticket.Event, error) {
	select {
	case b.reading <- struct{}{}:
	default:
	}
	select {
	case <-b.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return b.memSource.EventsAfter(ctx, after, limit)
}

// The hub's loop does no I/O: while the store is slow to give the new
// events, subscribers still join and leave and the hub answers at once;
// the events arrive when the read ends.
func TestHubServesWhileTheStoreIsSlow(t *testing.T) {
	src := &blockingSource{reading: make(chan struct{}, 1), release: make(chan struct{})}
	h := startHub(t, src, 10)
	a, err := subscribe(t, h, 1)
	if err != nil {
		t.Fatal(err)
	}
	src.add(2)
	h.Notify()
	select {
	case <-src.reading:
	case <-time.After(2 * time.Second):
		t.Fatal("the hub never read the new events")
	}
	answered := make(chan int, 1)
	go func() {
		b, err := subscribe(t, h, 2)
		if err != nil {
			t.Error(err)
		}
		h.Unsubscribe(b.Subscriber)
		answered <- h.Subscribers()
	}()
	select {
	case n := <-answered:
		if n != 1 {
			t.Errorf("subscribers = %d, want 1", n)
		}
	case <-time.After(2 * time.Second):
		close(src.release)
		t.Fatal("the hub waits for the store: a subscriber could not join")
	}
	close(src.release)
	if got := receive(a, 2); len(got) != 2 || got[0] != 1 || got[1] != 2 {
		t.Fatalf("received %v after the slow read, want [1 2]", got)
	}
}
