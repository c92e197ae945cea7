package live

import (
	"context"
	"net/http"
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
var upgrader = websocket.Upgrader{ReadBufferSize: 512, WriteBufferSize: 4096}

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
// authenticated the request and subscribed sub.
func Serve(w http.ResponseWriter, r *http.Request, h *Hub, sub *Subscriber, c Client, after int64) error {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return err // the upgrader has answered
	}
	defer ws.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go readPump(ws, cancel)
	return writePump(ctx, ws, h, sub, c, after)
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
	send := func(events []ticket.Event) error {
		for _, e := range events {
			if e.ID <= last {
				continue // sent already (caught up from the store)
			}
			ev, ok, err := f.view(ctx, e)
			if err != nil {
				return err
			}
			last = e.ID
			if !ok {
				continue
			}
			ws.SetWriteDeadline(time.Now().Add(writeWait))
			if err := ws.WriteJSON(ev); err != nil {
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
		if err := send(events); err != nil {
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
	version int64
	loaded  bool
}

func (f *filter) view(ctx context.Context, e ticket.Event) (ticket.EventView, bool, error) {
	if v := f.client.AccessVersion(); !f.loaded || v != f.version {
		viewer, err := f.client.Viewer(ctx)
		if err != nil {
			return ticket.EventView{}, false, err
		}
		f.viewer, f.version, f.loaded = viewer, v, true
	}
	ev, ok := f.viewer.ViewEvent(e)
	return ev, ok, nil
}
