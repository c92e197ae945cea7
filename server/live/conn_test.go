package live

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/supportal/supportal/app/ticket"
)

// An idle connection keeps one goroutine (its reader); a writer runs only
// while something is sent. Every socket receives every event, and the
// user's access is read once for all of their sockets.
func TestIdleConnectionsKeepOneGoroutine(t *testing.T) {
	src := &memSource{}
	h := startHub(t, src, 100)
	var viewerReads atomic.Int64
	agent := ticket.Viewer{User: ticket.User{ID: 1, Agent: true}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := Serve(w, r, h, Client{
			UserID: 1,
			Viewer: func(context.Context) (ticket.Viewer, error) {
				viewerReads.Add(1)
				return agent, nil
			},
			AccessVersion: func() int64 { return 1 },
		}, 0)
		if err != nil {
			http.Error(w, err.Error(), http.StatusTooManyRequests)
		}
	}))
	defer srv.Close()

	settle := func() int {
		// Goroutines that are ending get a moment to end.
		n := runtime.NumGoroutine()
		for i := 0; i < 50; i++ {
			time.Sleep(20 * time.Millisecond)
			n = runtime.NumGoroutine()
		}
		return n
	}
	before := settle()
	const sockets = 40
	url := "ws" + strings.TrimPrefix(srv.URL, "http")
	var conns []*websocket.Conn
	for i := 0; i < sockets; i++ {
		ws, _, err := websocket.DefaultDialer.Dial(url, http.Header{"Origin": {srv.URL}})
		if err != nil {
			t.Fatal(err)
		}
		defer ws.Close()
		var mark ticket.EventView
		if err := ws.ReadJSON(&mark); err != nil || mark.Type != ticket.EventSync {
			t.Fatalf("socket %d: first frame %+v, %v", i, mark, err)
		}
		conns = append(conns, ws)
	}
	if n := settle() - before; n > sockets+5 {
		t.Fatalf("%d idle sockets hold %d goroutines, want about one each", sockets, n)
	}
	src.add(3)
	h.Notify()
	for i, ws := range conns {
		for want := int64(1); want <= 3; want++ {
			ws.SetReadDeadline(time.Now().Add(5 * time.Second))
			var ev ticket.EventView
			if err := ws.ReadJSON(&ev); err != nil || ev.ID != want {
				t.Fatalf("socket %d: event %+v (%v), want id %d", i, ev, err, want)
			}
		}
	}
	if n := settle() - before; n > sockets+5 {
		t.Fatalf("after sending, %d sockets hold %d goroutines: the writers did not end", sockets, n)
	}
	if n := viewerReads.Load(); n != 1 {
		t.Fatalf("the access of one user was read %d times for %d sockets", n, sockets)
	}
}

// A socket closes as soon as its session ends: at once when the session is
// logged out (Hub.EndSession), at the next ping when it expired. Sockets of
// the user's other sessions stay open and keep receiving.
func TestSocketsEndWithTheirSession(t *testing.T) {
	src := &memSource{}
	h := startHub(t, src, 100)
	h.pingEvery = 100 * time.Millisecond
	var expired atomic.Bool
	agent := ticket.Viewer{User: ticket.User{ID: 1, Agent: true}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session := r.URL.Query().Get("session")
		err := Serve(w, r, h, Client{
			UserID:        1,
			Viewer:        func(context.Context) (ticket.Viewer, error) { return agent, nil },
			AccessVersion: func() int64 { return 1 },
			Session:       session,
			SessionLive: func(context.Context) bool {
				return session != "expiring" || !expired.Load()
			},
		}, 0)
		if err != nil {
			http.Error(w, err.Error(), http.StatusTooManyRequests)
		}
	}))
	defer srv.Close()
	dial := func(session string) *websocket.Conn { return dialSynced(t, srv, "?session="+session) }
	phone, laptop, tablet := dial("phone"), dial("laptop"), dial("expiring")

	h.EndSession("phone")
	if code := closeCode(t, phone); code != websocket.ClosePolicyViolation {
		t.Fatalf("logged-out session's socket closed with %d, want %d", code, websocket.ClosePolicyViolation)
	}
	expired.Store(true)
	if code := closeCode(t, tablet); code != websocket.ClosePolicyViolation {
		t.Fatalf("expired session's socket closed with %d, want %d", code, websocket.ClosePolicyViolation)
	}
	src.add(1)
	h.Notify()
	laptop.SetReadDeadline(time.Now().Add(5 * time.Second))
	var ev ticket.EventView
	if err := laptop.ReadJSON(&ev); err != nil || ev.ID != 1 {
		t.Fatalf("the other session's socket: %+v, %v; want event 1", ev, err)
	}
	// A socket writes its close frame, then leaves the hub: give the
	// ended ones a moment.
	n := h.Subscribers()
	for deadline := time.Now().Add(2 * time.Second); n != 1 && time.Now().Before(deadline); n = h.Subscribers() {
		time.Sleep(5 * time.Millisecond)
	}
	if n != 1 {
		t.Fatalf("hub has %d subscribers, want 1 (the laptop)", n)
	}
}

// dialSynced opens a websocket to srv (query: the request's) and reads its
// first frame, the sync mark.
func dialSynced(t *testing.T, srv *httptest.Server, query string) *websocket.Conn {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+query, http.Header{"Origin": {srv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	var mark ticket.EventView
	if err := ws.ReadJSON(&mark); err != nil || mark.Type != ticket.EventSync {
		t.Fatalf("%s: first frame %+v, %v", query, mark, err)
	}
	return ws
}

// closeCode reads until ws closes and returns its close code.
func closeCode(t *testing.T, ws *websocket.Conn) int {
	t.Helper()
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, _, err := ws.ReadMessage()
		if ce, ok := err.(*websocket.CloseError); ok {
			return ce.Code
		}
		if err != nil {
			t.Fatalf("socket did not close with a close frame: %v", err)
		}
	}
}

// When a user's access changes, their sockets close with
// CloseAccessChanged (the browser reconnects and reloads its pages);
// other users' sockets stay.
func TestAccessChangeClosesTheUsersSockets(t *testing.T) {
	src := &memSource{}
	h := startHub(t, src, 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.ParseInt(r.URL.Query().Get("user"), 10, 64)
		viewer := ticket.Viewer{User: ticket.User{ID: id, Agent: true}}
		err := Serve(w, r, h, Client{
			UserID:        id,
			Viewer:        func(context.Context) (ticket.Viewer, error) { return viewer, nil },
			AccessVersion: func() int64 { return 1 },
		}, 0)
		if err != nil {
			http.Error(w, err.Error(), http.StatusTooManyRequests)
		}
	}))
	defer srv.Close()
	vera1, vera2, anna := dialSynced(t, srv, "?user=7"), dialSynced(t, srv, "?user=7"), dialSynced(t, srv, "?user=8")
	h.AccessChanged(7)
	for i, ws := range []*websocket.Conn{vera1, vera2} {
		if code := closeCode(t, ws); code != CloseAccessChanged {
			t.Fatalf("socket %d of the user whose access changed closed with %d, want %d", i+1, code, CloseAccessChanged)
		}
	}
	src.add(1)
	h.Notify()
	anna.SetReadDeadline(time.Now().Add(5 * time.Second))
	var ev ticket.EventView
	if err := anna.ReadJSON(&ev); err != nil || ev.ID != 1 {
		t.Fatalf("another user's socket: %+v, %v; want event 1", ev, err)
	}
}

// lagging is a store as one node of several sees it: its hub reads the
// log only up to the newest event it has heard of (known), while the log
// already holds more.
type lagging struct {
	*memSource
	known atomic.Int64
}

func (l *lagging) EventsAfter(ctx context.Context, after int64, limit int) ([]ticket.Event, error) {
	events, err := l.memSource.EventsAfter(ctx, after, limit)
	for i, e := range events {
		if e.ID > l.known.Load() {
			return events[:i], err
		}
	}
	return events, err
}

func (l *lagging) LastEventID(ctx context.Context) (int64, error) { return l.known.Load(), nil }

// A browser that saw events on another node resumes here past what this
// node's hub has read: it is told "sync" at its own place (not to reload),
// is not sent again what it saw, and gets what comes after. A place no
// event ever had is a replaced store: "reset". A node that stops (or
// resyncs) closes every socket with 1012, reconnect.
func TestResumePastTheHubsPlace(t *testing.T) {
	src := &lagging{memSource: &memSource{}}
	src.add(5)
	src.known.Store(3)
	h := startHub(t, src, 100)
	agent := ticket.Viewer{User: ticket.User{ID: 1, Agent: true}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
		err := Serve(w, r, h, Client{
			UserID:        1,
			Viewer:        func(context.Context) (ticket.Viewer, error) { return agent, nil },
			AccessVersion: func() int64 { return 1 },
		}, after)
		if err != nil {
			http.Error(w, err.Error(), http.StatusTooManyRequests)
		}
	}))
	defer srv.Close()
	dial := func(after string) (*websocket.Conn, ticket.EventView) {
		ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"?after="+after, http.Header{"Origin": {srv.URL}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ws.Close() })
		var mark ticket.EventView
		ws.SetReadDeadline(time.Now().Add(5 * time.Second))
		if err := ws.ReadJSON(&mark); err != nil {
			t.Fatal(err)
		}
		return ws, mark
	}
	ws, mark := dial("5")
	if mark.Type != ticket.EventSync || mark.ID != 5 {
		t.Fatalf("resumed after 5 where the hub read up to 3: %+v, want sync at 5", mark)
	}
	if _, gone := dial("9"); gone.Type != ticket.EventReset {
		t.Errorf("resumed after 9, an id no event had: %+v, want reset", gone)
	}
	// The hub hears of 4, 5 and a new 6: only 6 is sent.
	src.add(1)
	src.known.Store(6)
	h.Notify()
	var ev ticket.EventView
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	if err := ws.ReadJSON(&ev); err != nil || ev.ID != 6 {
		t.Fatalf("next frame %+v, %v; want event 6 (4 and 5 were seen on the other node)", ev, err)
	}
	h.DropAll()
	if code := closeCode(t, ws); code != websocket.CloseServiceRestart {
		t.Errorf("dropped for a resync: closed with %d, want %d", code, websocket.CloseServiceRestart)
	}
}
