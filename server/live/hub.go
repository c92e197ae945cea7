// Package live sends ticket events to browsers over websockets: one hub
// goroutine owns the subscribers and fans out each batch of new events;
// every connection has its own writer that filters the events through the
// visibility policy for its user and resumes after the last event id the
// browser saw. Events are rows of the store, numbered in commit order, so
// nothing is lost across a dropped connection or a restart.
package live

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/supportal/supportal/app/ticket"
)

// Source is where events come from: the store.
type Source interface {
	// EventsAfter returns up to limit events with ids above after, in id order.
	EventsAfter(ctx context.Context, after int64, limit int) ([]ticket.Event, error)
	// LastEventID returns the id of the newest event (0 if none).
	LastEventID(ctx context.Context) (int64, error)
	// EventsFor returns up to limit events with ids in (after, upTo] that
	// f admits, in id order: the catch-up of one connection, filtered by
	// the store (a filter that admits nothing reads nothing).
	EventsFor(ctx context.Context, after, upTo int64, limit int, f ticket.EventFilter) ([]ticket.Event, error)
	// EventTime returns when the first event with an id above after was
	// appended (ok false: there is none).
	EventTime(ctx context.Context, after int64) (at time.Time, ok bool, err error)
}

// Hub fans out new events to subscribers. Its Run goroutine owns the
// subscriber map; nothing else touches it. It never reads the store nor
// sleeps: a reader goroutine (feed) reads new events and hands them over. A subscriber whose buffer is
// full is dropped (its connection closes, the browser resumes): the hub
// never waits for a slow client.
type Hub struct {
	src        Source
	log        *slog.Logger
	maxPerUser int
	pingEvery  time.Duration // pingPeriod; tests shorten it

	notify     chan struct{}
	register   chan registration
	unregister chan *Subscriber
	ends       chan string  // sessions that ended
	renew      chan []int64 // users whose access changed
	resync     chan struct{}
	stats      chan chan int
	done       chan struct{} // closed when Run returns

	last atomic.Int64 // newest event id fanned out

	viewers viewers // the access of users with open connections
}

// Subscriber receives batches of events, in id order, after Start. The
// hub never waits for it: it queues each batch and calls ready; the
// subscriber takes what is queued when it can. No goroutine has to wait
// on an idle subscriber.
type Subscriber struct {
	UserID int64
	// Session names the login session the subscriber belongs to; when it
	// ends (EndSession), the subscriber is dropped.
	Session string
	// Start is the newest event id when the subscriber joined: events up to
	// it are read from the store, later ones are queued.
	Start   int64
	Dropped chan struct{} // closed when the hub drops the subscriber
	// SessionEnded is true when it was dropped because its session ended
	// (not for being slow): set before Dropped is closed.
	SessionEnded atomic.Bool
	// AccessChanged is true when it was dropped because its user's access
	// changed: the browser reconnects and reloads what it shows.
	AccessChanged atomic.Bool
	// Reconnect is true when it was dropped for the browser to connect
	// again (the node stops, or may have missed the other nodes' news): a
	// load balancer sends it to a node that serves.
	Reconnect atomic.Bool

	ready func() // called after every batch queued, and on drop; must not block

	mu      sync.Mutex
	pending []*Batch
}

// Take returns the batches queued since the last Take, oldest first.
func (s *Subscriber) Take() []*Batch {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.pending
	s.pending = nil
	return out
}

// queue adds b; it reports false when the subscriber is too far behind.
func (s *Subscriber) queue(b *Batch) bool {
	s.mu.Lock()
	ok := len(s.pending) < subscriberBuffer
	if ok {
		s.pending = append(s.pending, b)
	}
	s.mu.Unlock()
	if ok {
		s.ready()
	}
	return ok
}

// Batch is events fanned out together. Recipients who may see the same
// (same organizations, or agents) get the same frames: each frame is
// encoded once per batch and kind of recipient, not once per socket, and
// prepared once as a websocket frame that every connection writes as it
// is.
type Batch struct {
	Events []ticket.Event
	frames sync.Map // frameKey -> *websocket.PreparedMessage (nil: not for them)
}

type frameKey struct {
	event  int64
	viewer string
}

// frame returns event i prepared for viewers of kind key, encoding it with
// encode the first time (nil: not for them).
func (b *Batch) frame(i int, key string, encode func() ([]byte, error)) (*websocket.PreparedMessage, error) {
	k := frameKey{b.Events[i].ID, key}
	if f, ok := b.frames.Load(k); ok {
		return f.(*websocket.PreparedMessage), nil
	}
	data, err := encode()
	if err != nil {
		return nil, err
	}
	if data == nil {
		b.frames.Store(k, (*websocket.PreparedMessage)(nil))
		return nil, nil
	}
	pm, err := websocket.NewPreparedMessage(websocket.TextMessage, data)
	if err != nil {
		return nil, err
	}
	f, _ := b.frames.LoadOrStore(k, pm)
	return f.(*websocket.PreparedMessage), nil
}

type registration struct {
	sub   *Subscriber
	reply chan error
}

// ErrTooManyConnections is returned when a user has the most connections
// allowed already.
var ErrTooManyConnections = ticket.Errorf(ticket.CodeTooMany, "ErrTooManyConnections", "")

// errHubStopped: the node is stopping; the browser tries again (through a
// load balancer, on another node).
var errHubStopped = ticket.Errorf(ticket.CodeTooMany, "ErrServerBusy", "")

// subscriberBuffer is how many batches a subscriber may lag behind.
const subscriberBuffer = 64

// NewHub returns a hub reading from src; maxPerUser limits the connections
// of one user (0: 20).
func NewHub(src Source, log *slog.Logger, maxPerUser int) *Hub {
	if maxPerUser <= 0 {
		maxPerUser = 20
	}
	if log == nil {
		log = slog.Default()
	}
	return &Hub{
		src: src, log: log, maxPerUser: maxPerUser, pingEvery: pingPeriod,
		notify:     make(chan struct{}, 1),
		register:   make(chan registration),
		unregister: make(chan *Subscriber),
		ends:       make(chan string),
		renew:      make(chan []int64),
		resync:     make(chan struct{}),
		stats:      make(chan chan int),
		done:       make(chan struct{}),
	}
}

// Notify tells the hub new events were committed. It never blocks; many
// notifications while the hub is busy count as one.
func (h *Hub) Notify() {
	select {
	case h.notify <- struct{}{}:
	default:
	}
}

// Subscribe adds a subscriber for user userID in the login session named
// session; ready is called whenever batches are queued for it or it is
// dropped, from the hub's goroutine: it must return at once.
func (h *Hub) Subscribe(ctx context.Context, userID int64, session string, ready func()) (*Subscriber, error) {
	s := &Subscriber{UserID: userID, Session: session, Dropped: make(chan struct{}), ready: ready}
	reply := make(chan error, 1)
	select {
	case h.register <- registration{s, reply}:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-h.done:
		return nil, errHubStopped
	}
	select {
	case err := <-reply:
		return s, err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// EndSession drops the subscribers of the login session named session (a
// logout): their connections close at once.
func (h *Hub) EndSession(session string) {
	if session == "" {
		return
	}
	select {
	case h.ends <- session:
	case <-h.done:
	}
}

// AccessChanged drops the subscribers of the users whose access changed
// (a customer changed a vendor's access, an admin a member's): their
// browsers reconnect at once and reload what they show, as the new
// access allows. Events are filtered with the new access anyway; this is
// for the pages already on screen.
func (h *Hub) AccessChanged(userIDs ...int64) {
	if len(userIDs) == 0 {
		return
	}
	select {
	case h.renew <- userIDs:
	case <-h.done:
	}
}

// DropAll drops every subscriber: their browsers reconnect at once, and
// each connection's session is checked anew. For a node that may have
// missed the other nodes' EndSession and AccessChanged (store.Signal's
// Resync).
func (h *Hub) DropAll() {
	select {
	case h.resync <- struct{}{}:
	case <-h.done:
	}
}

// Unsubscribe removes s; it is safe to call after the hub dropped s.
func (h *Hub) Unsubscribe(s *Subscriber) {
	select {
	case h.unregister <- s:
	case <-h.done:
	}
}

// Subscribers returns how many subscribers the hub has.
func (h *Hub) Subscribers() int {
	reply := make(chan int, 1)
	select {
	case h.stats <- reply:
		return <-reply
	case <-h.done:
		return 0
	}
}

// Run runs the hub until ctx ends.
func (h *Hub) Run(ctx context.Context) {
	defer close(h.done)
	last, err := h.src.LastEventID(ctx)
	if err != nil && !errors.Is(err, context.Canceled) {
		h.log.Error("live: reading the last event", "err", err)
	}
	h.last.Store(last)
	feed := make(chan []ticket.Event)
	fed := make(chan struct{}) // closed when feed returns
	go func() {
		defer close(fed)
		h.feed(ctx, last, feed)
	}()
	subs := map[*Subscriber]bool{}
	perUser := map[int64]int{}
	drop := func(s *Subscriber) {
		if subs[s] {
			delete(subs, s)
			if perUser[s.UserID]--; perUser[s.UserID] == 0 {
				delete(perUser, s.UserID)
				h.viewers.forget(s.UserID)
			}
			close(s.Dropped)
			s.ready()
		}
	}
	for {
		select {
		case <-ctx.Done():
			for s := range subs {
				s.Reconnect.Store(true)
				drop(s)
			}
			<-fed // no read of the store outlives Run
			return
		case r := <-h.register:
			if perUser[r.sub.UserID] >= h.maxPerUser {
				r.reply <- ErrTooManyConnections
				continue
			}
			r.sub.Start = last
			subs[r.sub] = true
			perUser[r.sub.UserID]++
			r.reply <- nil
		case s := <-h.unregister:
			drop(s)
		case users := <-h.renew:
			for s := range subs {
				if slices.Contains(users, s.UserID) {
					s.AccessChanged.Store(true)
					drop(s)
				}
			}
		case <-h.resync:
			for s := range subs {
				s.Reconnect.Store(true)
				drop(s)
			}
		case session := <-h.ends:
			for s := range subs {
				if s.Session == session {
					s.SessionEnded.Store(true)
					drop(s)
				}
			}
		case reply := <-h.stats:
			reply <- len(subs)
		case batch := <-feed:
			last = batch[len(batch)-1].ID
			h.last.Store(last)
			shared := &Batch{Events: batch}
			for s := range subs {
				if !s.queue(shared) {
					h.log.Info("live: dropping a slow subscriber", "user", s.UserID)
					drop(s)
				}
			}
		}
	}
}

// feed reads the events committed after last whenever the hub is
// notified and hands them to the hub's loop in batches, in id order: the
// loop itself never reads the store nor waits for it. A failed read is
// tried again after a pause.
func (h *Hub) feed(ctx context.Context, last int64, out chan<- []ticket.Event) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-h.notify:
		}
		for {
			batch, err := h.src.EventsAfter(ctx, last, feedBatch)
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				h.log.Error("live: reading events", "err", err, "after", last)
				select {
				case <-ctx.Done():
					return
				case <-time.After(100 * time.Millisecond):
				}
				h.Notify() // try again
				break
			}
			if len(batch) == 0 {
				break
			}
			select {
			case out <- batch:
			case <-ctx.Done():
				return
			}
			last = batch[len(batch)-1].ID
			if len(batch) < feedBatch {
				break
			}
		}
	}
}

// feedBatch is how many events feed reads at a time.
const feedBatch = 500
