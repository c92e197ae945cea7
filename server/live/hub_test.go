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

// receive collects ids from s until it has n or a second passes.
func receive(s *Subscriber, n int) []int64 {
	var ids []int64
	timeout := time.After(2 * time.Second)
	for len(ids) < n {
		select {
		case batch := <-s.C:
			for _, e := range batch.Events {
				ids = append(ids, e.ID)
			}
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
	ctx := context.Background()
	a, err := h.Subscribe(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := h.Subscribe(ctx, 2)
	if a.Start != 3 || b.Start != 3 {
		t.Fatalf("start = %d, %d; want 3", a.Start, b.Start)
	}
	for i := 0; i < 10; i++ {
		src.add(7)
		h.Notify()
	}
	for name, s := range map[string]*Subscriber{"a": a, "b": b} {
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
	h.Unsubscribe(a)
	h.Unsubscribe(a) // twice is fine
	if n := h.Subscribers(); n != 1 {
		t.Errorf("subscribers after unsubscribe = %d", n)
	}
}

func TestHubDropsSlowSubscriber(t *testing.T) {
	src := &memSource{}
	h := startHub(t, src, 0)
	ctx := context.Background()
	slow, _ := h.Subscribe(ctx, 1)
	fast, _ := h.Subscribe(ctx, 2)
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
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if _, err := h.Subscribe(ctx, 7); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.Subscribe(ctx, 7); err != ErrTooManyConnections {
		t.Fatalf("third connection: %v, want ErrTooManyConnections", err)
	}
	if _, err := h.Subscribe(ctx, 8); err != nil {
		t.Fatalf("another user: %v", err)
	}
}
