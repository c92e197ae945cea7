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
// authenticated the request and subscribed sub; done runs when the
// connection has ended. Serve returns once the connection is handed to its
// own goroutines: the request's goroutine (and the stack it grew) ends.
func Serve(w http.ResponseWriter, r *http.Request, h *Hub, sub *Subscriber, c Client, after int64, done func()) error {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		done()
		return err // the upgrader has answered
	}
	ctx, cancel := context.WithCancel(context.Background())
	go readPump(ws, cancel)
	go func() {
		defer done()
		defer ws.Close()
		defer cancel()
		writePump(ctx, ws, h, sub, c, after)
	}()
	return nil
}

// readPump reads (and ignores) what the browser sends, so pongs and the
// close frame are handled; it cancels when the connection ends.
func readPump(ws *websocket.Conn, cancel context.CancelFunc) {
	defer cancel()
	ws.SetReadLimit(maxMessageSize)
	ws.SetReadDeadline(time.Now().Add(pongWait))
	ws.SetPongHandler(func(string) error { return ws.SetReadDeadline(time.Now().Add(pongWait)) })
	for {
		if _, _, err := ws.NextReader(); err != nil {
			return
		}
	}
}

// writePump is the connection's only writer.
func writePump(ctx context.Context, ws *websocket.Conn, h *Hub, sub *Subscriber, c Client, after int64) error {
	ticker := time.NewTicker(pingPeriod)
	defer ticker.Stop()
	f := filter{client: c}
	last := after
	reset := false
	switch {
	case after <= 0:
		last = sub.Start // a browser without a position starts now
	case after > sub.Start:
		// A position this server never gave (its store was replaced): the
		// browser must reload what it shows.
		last, reset = sub.Start, true
	}
	send := func(b *Batch) error {
		for i, e := range b.Events {
			if e.ID <= last {
				continue // sent already (caught up from the store)
			}
			frame, err := f.frame(ctx, b, i)
			if err != nil {
				return err
			}
			last = e.ID
			if frame == nil {
				continue
			}
			ws.SetWriteDeadline(time.Now().Add(writeWait))
			if err := ws.WriteMessage(websocket.TextMessage, frame); err != nil {
				return err
			}
		}
		return nil
	}
	// What happened since after, up to the moment of subscribing, comes
	// from the store; later events arrive from the hub.
	for last < sub.Start {
		events, err := h.src.EventsAfter(ctx, last, 500)
		if err != nil {
			return err
		}
		if len(events) == 0 {
			break
		}
		if events[len(events)-1].ID > sub.Start {
			cut := 0
			for cut < len(events) && events[cut].ID <= sub.Start {
				cut++
			}
			events = events[:cut]
		}
		if err := send(&Batch{Events: events}); err != nil {
			return err
		}
		if len(events) == 0 || last >= sub.Start {
			break
		}
	}
	last = max(last, sub.Start) // events up to Start the user may not see were skipped
	// Tell the browser where it stands: up to date ("sync"), or to reload
	// ("reset").
	mark := ticket.EventView{ID: last, Type: ticket.EventSync}
	if reset {
		mark.Type = ticket.EventReset
	}
	ws.SetWriteDeadline(time.Now().Add(writeWait))
	if err := ws.WriteJSON(mark); err != nil {
		return err
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-sub.Dropped:
			ws.SetWriteDeadline(time.Now().Add(writeWait))
			ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseTryAgainLater, "slow"))
			return nil
		case batch := <-sub.C:
			if err := send(batch); err != nil {
				return err
			}
		case <-ticker.C:
			ws.SetWriteDeadline(time.Now().Add(writeWait))
			if err := ws.WriteMessage(websocket.PingMessage, nil); err != nil {
				return err
			}
		}
	}
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

// frame returns event i of b encoded for this client, nil when the client
// may not see it. Frames are shared with every client of the same kind.
func (f *filter) frame(ctx context.Context, b *Batch, i int) ([]byte, error) {
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
