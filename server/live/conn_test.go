package live

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
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
