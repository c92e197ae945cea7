package live

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
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
	cn := &conn{h: h, f: filter{client: c}, after: after, writing: true}
	sub, err := h.Subscribe(r.Context(), c.UserID, cn.kick)
	if err != nil {
		return err
	}
	cn.sub = sub
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		h.Unsubscribe(sub)
		return nil // the upgrader has answered
	}
	cn.ws = ws
	cn.ctx, cn.cancel = context.WithCancel(context.Background())
	cn.ping = time.AfterFunc(pingPeriod, cn.pingDue)
	go cn.read()
	go cn.write(true)
	return nil
}

// conn is one open websocket.
type conn struct {
	h      *Hub
	sub    *Subscriber
	ws     *websocket.Conn
	f      filter
	after  int64 // the browser's position, then the last event id handled
	ctx    context.Context // ends with the connection
	cancel context.CancelFunc
	ping   *time.Timer
	once   sync.Once

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
	c.ping.Reset(pingPeriod)
}

// end closes the connection once and lets the hub know.
func (c *conn) end() {
	c.once.Do(func() {
		c.cancel()
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
		if c.ctx.Err() != nil { // ended meanwhile
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
			// Too far behind: the browser resumes from its last event.
			c.ws.SetWriteDeadline(time.Now().Add(writeWait))
			c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseTryAgainLater, "slow"))
			c.end()
			return
		}
		if ping {
			c.ws.SetWriteDeadline(time.Now().Add(writeWait))
			if err := c.ws.WriteMessage(websocket.PingMessage, nil); err != nil {
				c.end()
				return
			}
		}
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
	start := c.sub.Start
	reset := false
	switch {
	case c.after <= 0:
		c.after = start // a browser without a position starts now
	case c.after > start:
		// A position this server never gave (its store was replaced).
		c.after, reset = start, true
	}
	for c.after < start {
		events, err := c.h.src.EventsAfter(c.ctx, c.after, 500)
		if err != nil {
			return err
		}
		cut := 0
		for cut < len(events) && events[cut].ID <= start {
			cut++
		}
		if cut == 0 {
			break
		}
		if err := c.send(&Batch{Events: events[:cut]}); err != nil {
			return err
		}
	}
	c.after = max(c.after, start) // events up to Start the user may not see were skipped
	mark := ticket.EventView{ID: c.after, Type: ticket.EventSync}
	if reset {
		mark.Type = ticket.EventReset
	}
	c.ws.SetWriteDeadline(time.Now().Add(writeWait))
	return c.ws.WriteJSON(mark)
}

// send writes the events of b the client may see and has not had yet.
func (c *conn) send(b *Batch) error {
	for i, e := range b.Events {
		if e.ID <= c.after {
			continue // sent already (caught up from the store)
		}
		frame, err := c.f.frame(c.ctx, b, i)
		if err != nil {
			return err
		}
		c.after = e.ID
		if frame == nil {
			continue
		}
		c.ws.SetWriteDeadline(time.Now().Add(writeWait))
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
	viewer  ticket.Viewer
	key     string
	version int64
	loaded  bool
}

func (f *filter) refresh(ctx context.Context) error {
	if v := f.client.AccessVersion(); !f.loaded || v != f.version {
		viewer, err := f.client.Viewer(ctx)
		if err != nil {
			return err
		}
		f.viewer, f.version, f.loaded = viewer, v, true
		f.key = viewerKey(viewer)
	}
	return nil
}

// frame returns event i of b prepared for this client, nil when the client
// may not see it. Frames are shared with every client of the same kind.
func (f *filter) frame(ctx context.Context, b *Batch, i int) (*websocket.PreparedMessage, error) {
	if err := f.refresh(ctx); err != nil {
		return nil, err
	}
	key := f.key
	if b.Events[i].UserID != 0 {
		key = "u" + strconv.FormatInt(f.client.UserID, 10) // a user's own event
	}
	return b.frame(i, key, func() ([]byte, error) {
		ev, ok := f.viewer.ViewEvent(b.Events[i])
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
