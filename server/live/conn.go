package live

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/supportal/supportal/app/ticket"
)

// Connection timing, after gorilla/websocket's chat example.
const (
	writeWait      = 10 * time.Second    // time allowed to write one frame
	pongWait       = 60 * time.Second    // time allowed between pongs
	pingPeriod     = (pongWait * 9) / 10 // pings go out before pongWait ends
	maxMessageSize = 512                 // the browser sends nothing but pongs
)

// CloseAccessChanged is the close code of a socket whose user's access
// changed (4000–4999 are the application's own codes).
const CloseAccessChanged = 4001

// upgrader refuses a foreign Origin: CheckOrigin is nil, so gorilla
// accepts only an Origin whose host is the request's Host.
// Write buffers come from a pool: an idle socket holds none.
var upgrader = websocket.Upgrader{ReadBufferSize: 512, WriteBufferSize: 4096, WriteBufferPool: &sync.Pool{}}

// Client is what a connection needs to know about its user: the viewer as
// it is now (memberships change while a socket is open) and a version that
// changes whenever any access changes.
type Client struct {
	UserID int64
	// Viewer returns the user's current viewer.
	Viewer func(ctx context.Context) (ticket.Viewer, error)
	// AccessVersion changes whenever a membership or access level changes.
	AccessVersion func() int64
	// Session names the login session the socket was opened in: the hub
	// closes the sockets of a session that is logged out (Hub.EndSession).
	Session string
	// SessionLive tells whether the session still holds (an idle session
	// expires); asked with every ping, the socket closes when it does not.
	// Nil: always.
	SessionLive func(ctx context.Context) bool
	// CatchUp bounds what is read from the store for a browser that comes
	// back; further behind, it is told to reload ("reset").
	CatchUp CatchUp
	// Refuse answers a request that cannot be upgraded (not a websocket
	// handshake: 400; a foreign Origin: 403). Nil: gorilla's plain text.
	Refuse func(w http.ResponseWriter, r *http.Request, status int)
}

// CatchUp bounds the catch-up of a returning browser: a browser more than
// Events events behind, or whose first missed event is older than Since,
// reloads what it shows instead of being sent what it missed. Zero
// fields: no bound.
type CatchUp struct {
	Events int64
	Since  time.Time
}

// Serve upgrades r to a websocket and sends c's user every event after
// after that they may see, then live events, in id order. The caller has
// authenticated the request. An error (too many connections of the user) means nothing
// was answered yet; a failed upgrade has been answered. Serve returns once the connection is handed over: the request's
// goroutine (and the stack it grew) ends. An open connection then keeps one
// goroutine, its reader; a writer runs only while there is something to
// write (the catch-up, a batch, a ping), so idle sockets cost little.
func Serve(w http.ResponseWriter, r *http.Request, h *Hub, c Client, after int64) error {
	// The first writer, started below, catches up: until it runs, the hub
	// only queues.
	cn := &conn{h: h, f: filter{client: c, viewers: &h.viewers}, after: after, writing: true}
	sub, err := h.Subscribe(r.Context(), c.UserID, c.Session, cn.kick)
	if err != nil {
		return err
	}
	cn.sub = sub
	u := &upgrader
	if c.Refuse != nil {
		withRefuse := upgrader
		withRefuse.Error = func(w http.ResponseWriter, r *http.Request, status int, _ error) { c.Refuse(w, r, status) }
		u = &withRefuse
	}
	ws, err := u.Upgrade(w, r, nil)
	if err != nil {
		h.Unsubscribe(sub)
		return nil // the upgrader has answered
	}
	cn.ws = ws
	cn.ping = time.AfterFunc(h.pingEvery, cn.pingDue)
	go cn.read()
	go cn.write(true)
	return nil
}

// conn is one open websocket.
type conn struct {
	h     *Hub
	sub   *Subscriber
	ws    *websocket.Conn
	f     filter
	after int64 // the browser's position, then the last event id handled
	ended atomic.Bool
	ping  *time.Timer
	once  sync.Once

	// deadline is the write deadline set last; only the writer running
	// touches it.
	deadline time.Time

	mu       sync.Mutex
	writing  bool // a writer goroutine is running
	pingWant bool
}

// kick starts a writer unless one runs: the hub calls it after queueing.
func (c *conn) kick() {
	c.mu.Lock()
	if c.writing {
		c.mu.Unlock()
		return
	}
	c.writing = true
	c.mu.Unlock()
	go c.write(false)
}

func (c *conn) pingDue() {
	c.mu.Lock()
	c.pingWant = true
	c.mu.Unlock()
	c.kick()
	c.ping.Reset(c.h.pingEvery)
}

// end closes the connection once and lets the hub know.
func (c *conn) end() {
	c.once.Do(func() {
		c.ended.Store(true)
		c.ping.Stop()
		c.ws.Close()
		c.h.Unsubscribe(c.sub)
	})
}

// read reads (and ignores) what the browser sends, so pongs and the close
// frame are handled; the connection ends with it.
func (c *conn) read() {
	defer c.end()
	c.ws.SetReadLimit(maxMessageSize)
	c.ws.SetReadDeadline(time.Now().Add(pongWait))
	c.ws.SetPongHandler(func(string) error { return c.ws.SetReadDeadline(time.Now().Add(pongWait)) })
	for {
		if _, _, err := c.ws.NextReader(); err != nil {
			return
		}
	}
}

// write is the connection's only writer while it runs: it writes what is
// due and returns when nothing is left. The first one catches up first.
func (c *conn) write(first bool) {
	if first {
		if err := c.catchUp(); err != nil {
			c.end()
			return
		}
	}
	for {
		if c.ended.Load() { // ended meanwhile
			return
		}
		batches := c.sub.Take()
		c.mu.Lock()
		ping := c.pingWant
		c.pingWant = false
		dropped := isClosed(c.sub.Dropped)
		if len(batches) == 0 && !ping && !dropped {
			c.writing = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		for _, b := range batches {
			if err := c.send(b); err != nil {
				c.end()
				return
			}
		}
		if dropped {
			c.armWrite()
			switch {
			case c.sub.SessionEnded.Load():
				c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.ClosePolicyViolation, "session ended"))
			case c.sub.AccessChanged.Load():
				// The browser reconnects and reloads what it shows.
				c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(CloseAccessChanged, "access changed"))
			case c.sub.Reconnect.Load():
				// The node stops (or resyncs): the browser connects again,
				// to whichever node serves, and resumes.
				c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseServiceRestart, "reconnect"))
			default:
				// Too far behind: the browser resumes from its last event.
				c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseTryAgainLater, "slow"))
			}
			c.end()
			return
		}
		if ping {
			if live := c.f.client.SessionLive; live != nil && !live(context.Background()) {
				// The session expired: the browser finds out and logs in again.
				c.armWrite()
				c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.ClosePolicyViolation, "session ended"))
				c.end()
				return
			}
			c.armWrite()
			if err := c.ws.WriteMessage(websocket.PingMessage, nil); err != nil {
				c.end()
				return
			}
		}
	}
}

// armWrite makes sure the next write has at least writeWait/2 to finish.
// Setting a deadline costs a timer update; 10,000 sockets written at once
// would pay it 10,000 times, so it is moved only when half used.
func (c *conn) armWrite() {
	now := time.Now()
	if c.deadline.Sub(now) < writeWait/2 {
		c.deadline = now.Add(writeWait)
		c.ws.SetWriteDeadline(c.deadline)
	}
}

func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// catchUp sends what happened after the browser's position up to the
// moment of subscribing, from the store (later events are queued by the
// hub), then tells the browser where it stands: up to date ("sync"), or
// to reload what it shows ("reset").
func (c *conn) catchUp() error {
	// The viewer is read now, not with the first event that 10,000
	// sockets receive at once.
	if err := c.f.refresh(context.Background()); err != nil {
		return err
	}
	start := c.sub.Start
	reset := false
	switch {
	case c.after <= 0:
		c.after = start // a browser without a position starts now
	case c.after > start:
		// Past what this node's hub has read: the browser was on another
		// node that heard of newer events first (several nodes), and
		// they are in the store — the hub hands them over soon, and send
		// skips those up to c.after. Or a position no node gave (the
		// store was replaced): reload.
		_, ok, err := c.h.src.EventTime(context.Background(), c.after-1)
		if err != nil {
			return err
		}
		if !ok {
			c.after, reset = start, true
		}
	case c.after < start:
		far, err := c.tooFarBehind(start)
		if err != nil {
			return err
		}
		if far {
			// Reloading costs the browser a few requests; sending what it
			// missed would cost the server a read of the log.
			c.after, reset = start, true
		}
	}
	// The store filters by what the user may see: a user who may see
	// nothing reads nothing; send applies the policy to each event still.
	f := c.f.access.viewer.EventFilter()
	for c.after < start {
		events, err := c.h.src.EventsFor(context.Background(), c.after, start, catchUpBatch, f)
		if err != nil {
			return err
		}
		if len(events) == 0 {
			break
		}
		if err := c.send(&Batch{Events: events}); err != nil {
			return err
		}
		if len(events) < catchUpBatch {
			break
		}
	}
	c.after = max(c.after, start) // events up to Start the user may not see were skipped
	mark := ticket.EventView{ID: c.after, Type: ticket.EventSync}
	if reset {
		mark.Type = ticket.EventReset
	}
	c.armWrite()
	return c.ws.WriteJSON(mark)
}

// catchUpBatch is how many events the catch-up reads at a time.
const catchUpBatch = 500

// tooFarBehind reports whether a browser at c.after is further behind
// start than its catch-up bound.
func (c *conn) tooFarBehind(start int64) (bool, error) {
	b := c.f.client.CatchUp
	if b.Events > 0 && start-c.after > b.Events {
		return true, nil // ids are never reused: at most that many events
	}
	if b.Since.IsZero() {
		return false, nil
	}
	at, ok, err := c.h.src.EventTime(context.Background(), c.after)
	return ok && at.Before(b.Since), err
}

// send writes the events of b the client may see and has not had yet.
func (c *conn) send(b *Batch) error {
	for i, e := range b.Events {
		if e.ID <= c.after {
			continue // sent already (caught up from the store)
		}
		frame, err := c.f.frame(context.Background(), b, i)
		if err != nil {
			return err
		}
		c.after = e.ID
		if frame == nil {
			continue
		}
		c.armWrite()
		if err := c.ws.WritePreparedMessage(frame); err != nil {
			return err
		}
	}
	return nil
}

// filter applies the visibility policy of one client, reloading the
// viewer whenever access changed anywhere.
type filter struct {
	client  Client
	viewers *viewers
	access  *access // nil: not read yet
}

func (f *filter) refresh(ctx context.Context) error {
	if v := f.client.AccessVersion(); f.access == nil || v != f.access.version {
		a, err := f.viewers.get(ctx, f.client, v)
		if err != nil {
			return err
		}
		f.access = a
	}
	return nil
}

// access is what a user may see, as of an access version. A user's
// connections share it: it is read once, not once per socket.
type access struct {
	version int64
	viewer  ticket.Viewer
	key     string // viewerKey(viewer)
}

// viewers keeps the access of every user with an open connection.
type viewers struct {
	mu sync.Mutex
	m  map[int64]*access
}

// get returns c's user's access as of version, reading it when the kept
// one is older.
func (vs *viewers) get(ctx context.Context, c Client, version int64) (*access, error) {
	vs.mu.Lock()
	a := vs.m[c.UserID]
	vs.mu.Unlock()
	if a != nil && a.version == version {
		return a, nil
	}
	// Read after the version: the viewer is at least that new.
	viewer, err := c.Viewer(ctx)
	if err != nil {
		return nil, err
	}
	a = &access{version: version, viewer: viewer, key: viewerKey(viewer)}
	vs.mu.Lock()
	if vs.m == nil {
		vs.m = map[int64]*access{}
	}
	if old := vs.m[c.UserID]; old == nil || old.version <= version {
		vs.m[c.UserID] = a
	}
	vs.mu.Unlock()
	return a, nil
}

// forget drops what is kept of user userID (their last connection ended).
func (vs *viewers) forget(userID int64) {
	vs.mu.Lock()
	delete(vs.m, userID)
	vs.mu.Unlock()
}

// frame returns event i of b prepared for this client, nil when the client
// may not see it. Frames are shared with every client of the same kind.
func (f *filter) frame(ctx context.Context, b *Batch, i int) (*websocket.PreparedMessage, error) {
	if err := f.refresh(ctx); err != nil {
		return nil, err
	}
	key := f.access.key
	if b.Events[i].UserID != 0 {
		key = "u" + strconv.FormatInt(f.client.UserID, 10) // a user's own event
	}
	return b.frame(i, key, func() ([]byte, error) {
		ev, ok := f.access.viewer.ViewEvent(b.Events[i])
		if !ok {
			return nil, nil
		}
		return json.Marshal(ev)
	})
}

// viewerKey names the kind of viewer v is: viewers of the same kind see
// exactly the same of every event (agents; or portal users of the same
// organizations).
func viewerKey(v ticket.Viewer) string {
	if v.Agent() {
		return "agent"
	}
	ids := append([]int64(nil), v.Scope().OrganizationIDs...)
	slices.Sort(ids)
	var b strings.Builder
	b.WriteString("orgs")
	for _, id := range ids {
		b.WriteString(":" + strconv.FormatInt(id, 10))
	}
	return b.String()
}
