package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
)

// socket is a websocket of a logged-in client; a goroutine reads its
// frames (a read deadline would break a gorilla connection).
type socket struct {
	t      testing.TB
	ws     *websocket.Conn
	frames chan ticket.EventView
}

// dial opens the event stream of c (after: the last event id seen, "" for
// none), as the browser does: same origin, with the session cookie.
func (c *client) dial(t testing.TB, after string) (*socket, *http.Response, error) {
	t.Helper()
	u, _ := url.Parse(c.base)
	header := http.Header{"Origin": {c.base}}
	for _, ck := range c.http.Jar.Cookies(u) {
		header.Add("Cookie", ck.Name+"="+ck.Value)
	}
	target := "ws" + strings.TrimPrefix(c.base, "http") + "/api/v1/events"
	if after != "" {
		target += "?after=" + after
	}
	ws, res, err := websocket.DefaultDialer.Dial(target, header)
	if err != nil {
		return nil, res, err
	}
	t.Cleanup(func() { ws.Close() })
	s := &socket{t: t, ws: ws, frames: make(chan ticket.EventView, 1000)}
	go func() {
		defer close(s.frames)
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				return
			}
			var ev ticket.EventView
			if json.Unmarshal(data, &ev) != nil {
				ev.Type = "malformed: " + ticket.EventType(data)
			}
			s.frames <- ev
		}
	}()
	return s, res, nil
}

func (c *client) mustDial(t *testing.T, after string) *socket {
	t.Helper()
	s, res, err := c.dial(t, after)
	if err != nil {
		status := 0
		if res != nil {
			status = res.StatusCode
		}
		t.Fatalf("dial: %v (status %d)", err, status)
	}
	return s
}

// next reads frames until one matches, or fails after a timeout.
func (s *socket) next(match func(ticket.EventView) bool) ticket.EventView {
	s.t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case ev, ok := <-s.frames:
			if !ok {
				s.t.Fatal("the event stream closed")
			}
			if match(ev) {
				return ev
			}
		case <-timeout:
			s.t.Fatal("no matching event within 5 s")
		}
	}
}

// collect returns every frame that arrives within d.
func (s *socket) collect(d time.Duration) []ticket.EventView {
	var out []ticket.EventView
	timeout := time.After(d)
	for {
		select {
		case ev, ok := <-s.frames:
			if !ok {
				return out
			}
			out = append(out, ev)
		case <-timeout:
			return out
		}
	}
}

func TestEventsNeedSessionAndOrigin(t *testing.T) {
	srv, _ := mustDemo(t, api.Config{})
	anon := newClient(t, srv)
	if _, res, err := anon.dial(t, ""); err == nil || res == nil || res.StatusCode != 401 {
		t.Fatalf("without a session: %v, %v", err, res)
	}
	c := newClient(t, srv)
	c.login(seed.AnnaEmail)
	u, _ := url.Parse(c.base)
	header := http.Header{"Origin": {"https://evil.example"}}
	for _, ck := range c.http.Jar.Cookies(u) {
		header.Add("Cookie", ck.Name+"="+ck.Value)
	}
	_, res, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(c.base, "http")+"/api/v1/events", header)
	if err == nil || res == nil || res.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign origin: %v, %+v", err, res)
	}
	// Refusals of the upgrade are the API's structured errors too.
	var refused apiError
	if err := json.NewDecoder(res.Body).Decode(&refused); err != nil || refused.Error.Code != string(ticket.CodeForbidden) || refused.Error.Message == "" {
		t.Errorf("foreign origin's body: %+v, %v; want the JSON error, code forbidden", refused, err)
	}
	mustError(t, c.get("/api/v1/events?after=x"), 400, ticket.CodeInvalid)
	if e := mustError(t, c.get("/api/v1/events"), 400, ticket.CodeInvalid); e.Error.MessageID != "ErrBadRequest" {
		t.Errorf("a plain GET of the stream: messageId %q, want ErrBadRequest", e.Error.MessageID)
	}
}

func TestEventsFilteredPerRecipient(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	anna, claire, sam := newClient(t, srv), newClient(t, srv), newClient(t, srv)
	anna.login(seed.AnnaEmail)
	claire.login(seed.ClaireEmail)
	sam.login(seed.SamEmail)
	annaWS, claireWS, samWS := anna.mustDial(t, ""), claire.mustDial(t, ""), sam.mustDial(t, "")
	for _, s := range []*socket{annaWS, claireWS, samWS} {
		s.next(func(ev ticket.EventView) bool { return ev.Type == ticket.EventSync })
	}
	tk := firstTicket(t, db, "100200", 0, ticket.StatusNew, ticket.StatusOpen)

	// An internal note, then an assignment, then a public reply.
	note := "NOTE-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if r := sam.send("POST", path(tk.Number, "/messages"), map[string]any{"body": note, "internal": true}); r.status != 201 {
		t.Fatalf("note: %d %s", r.status, r.body)
	}
	var me struct{ User ticket.User }
	sam.get("/api/v1/me").decode(t, &me)
	sam.send("PATCH", path(tk.Number, ""), map[string]any{"assigneeId": me.User.ID})
	r := sam.send("POST", path(tk.Number, "/messages"), map[string]any{"body": "Wir kümmern uns darum."})
	if r.status != 201 {
		t.Fatalf("reply: %d %s", r.status, r.body)
	}

	// The agent gets all three, in order, with internal data.
	got := []ticket.EventType{}
	for len(got) < 3 {
		ev := samWS.next(func(ev ticket.EventView) bool { return ev.Ticket == tk.Number })
		got = append(got, ev.Type)
		if ev.Data.Ticket == nil || ev.Data.Ticket.InternalStatus == "" {
			t.Fatalf("agent event without internal status: %+v", ev)
		}
	}
	if got[0] != ticket.EventMessageCreated || got[1] != ticket.EventTicketUpdated || got[2] != ticket.EventMessageCreated {
		t.Errorf("agent events = %v", got)
	}
	// Anna gets the public reply only; Claire nothing of it.
	frames := annaWS.collect(time.Second)
	var public int
	for _, ev := range frames {
		b, _ := json.Marshal(ev)
		if strings.Contains(string(b), note) || strings.Contains(string(b), "internal") || strings.Contains(string(b), "assignee") {
			t.Fatalf("the customer received internal data: %s", b)
		}
		if ev.Type == ticket.EventMessageCreated && ev.Data.Message != nil && ev.Data.Message.Body == "Wir kümmern uns darum." {
			public++
		}
		if ev.Type == ticket.EventTicketUpdated {
			t.Errorf("the customer learned of the assignment: %s", b)
		}
	}
	if public != 1 {
		t.Errorf("Anna received the public reply %d times: %+v", public, frames)
	}
	for _, ev := range claireWS.collect(500 * time.Millisecond) {
		if ev.Ticket == tk.Number {
			t.Fatalf("Claire received an event of another organization: %+v", ev)
		}
	}

	// Reading on one device clears the badge on the others.
	var list listPage
	anna.get("/api/v1/tickets?limit=500&organizationId="+strconv.FormatInt(tk.Organization.ID, 10)).decode(t, &list)
	unread := -1
	for _, row := range list.Tickets {
		if row.Number == tk.Number {
			unread = row.Unread
		}
	}
	if unread < 1 {
		t.Fatalf("unread after Sam's reply = %d", unread)
	}
	var totals struct {
		Unread        map[string]int
		Organizations map[string]int64
		Total         int
	}
	anna.get("/api/v1/tickets/unread").decode(t, &totals)
	key := strconv.FormatInt(tk.Number, 10)
	if totals.Unread[key] != unread || totals.Total < unread {
		t.Fatalf("unread totals = %+v", totals)
	}
	// Each ticket names its account: a badge per account (Anna has two).
	if totals.Organizations[key] != tk.Organization.ID || len(totals.Organizations) != len(totals.Unread) {
		t.Fatalf("organizations of the unread tickets = %v, want %d for %s", totals.Organizations, tk.Organization.ID, key)
	}
	if r := anna.send("POST", path(tk.Number, "/read"), nil); r.status != 204 {
		t.Fatalf("read: %d %s", r.status, r.body)
	}
	annaWS.next(func(ev ticket.EventView) bool { return ev.Type == ticket.EventTicketRead && ev.Ticket == tk.Number })
	var after struct{ Ticket ticket.TicketView }
	anna.get(path(tk.Number, "")).decode(t, &after)
	if after.Ticket.Unread != 0 {
		t.Fatalf("unread after reading = %d", after.Ticket.Unread)
	}
	for _, ev := range samWS.collect(300 * time.Millisecond) {
		if ev.Type == ticket.EventTicketRead {
			t.Fatalf("Sam received Anna's read marker: %+v", ev)
		}
	}
	// A foreign ticket cannot be marked read.
	other := firstTicket(t, db, "200300", 0, ticket.Statuses()...)
	mustError(t, anna.send("POST", path(other.Number, "/read"), nil), 404, ticket.CodeNotFound)
}

// Events missed while the browser was away, even across a restart of the
// server, arrive when it comes back with the last id it saw: in order, no
// gap, no duplicate.
func TestEventsResumeAcrossRestart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "supportal.db")
	db, err := store.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := api.HashPassword(seed.Password)
	if _, err := seed.Load(context.Background(), db, hash, time.Now()); err != nil {
		t.Fatal(err)
	}
	srv := serve(t, db)
	diego, sam := newClient(t, srv), newClient(t, srv)
	diego.login(seed.DiegoEmail)
	sam.login(seed.SamEmail)
	ws := diego.mustDial(t, "")
	sync := ws.next(func(ev ticket.EventView) bool { return ev.Type == ticket.EventSync })
	tk := firstTicket(t, db, "300400", 0, ticket.StatusNew, ticket.StatusOpen, ticket.StatusWaitingExternal)
	sam.send("POST", path(tk.Number, "/messages"), map[string]any{"body": "uno"})
	first := ws.next(func(ev ticket.EventView) bool { return ev.Type == ticket.EventMessageCreated })
	if first.ID <= sync.ID || first.Data.Message.Body != "uno" {
		t.Fatalf("first event = %+v after sync %d", first, sync.ID)
	}
	ws.ws.Close()

	// Away: two replies, one note; then the server restarts.
	sam.send("POST", path(tk.Number, "/messages"), map[string]any{"body": "dos"})
	sam.send("POST", path(tk.Number, "/messages"), map[string]any{"body": "nota", "internal": true})
	srv.Close()
	db.Close()
	db2, err := store.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	srv2 := serve(t, db2)
	diego2, sam2 := newClient(t, srv2), newClient(t, srv2)
	diego2.login(seed.DiegoEmail)
	sam2.login(seed.SamEmail)
	sam2.send("POST", path(tk.Number, "/messages"), map[string]any{"body": "tres"})

	ws2 := diego2.mustDial(t, strconv.FormatInt(first.ID, 10))
	var bodies []string
	var ids []int64
	for _, ev := range ws2.collect(time.Second) {
		if ev.Type == ticket.EventMessageCreated {
			bodies = append(bodies, ev.Data.Message.Body)
			ids = append(ids, ev.ID)
		}
	}
	if strings.Join(bodies, ",") != "dos,tres" {
		t.Fatalf("after the restart Diego got %v, want [dos tres]", bodies)
	}
	if ids[0] >= ids[1] || ids[0] <= first.ID {
		t.Fatalf("ids out of order: %v after %d", ids, first.ID)
	}
	// A live reply after the catch-up arrives too.
	sam2.send("POST", path(tk.Number, "/messages"), map[string]any{"body": "cuatro"})
	if ev := ws2.next(func(ev ticket.EventView) bool { return ev.Type == ticket.EventMessageCreated }); ev.Data.Message.Body != "cuatro" {
		t.Fatalf("live after catch-up: %+v", ev)
	}
	// A position the server never gave means: reload.
	ws3 := diego2.mustDial(t, "999999999")
	if ev := ws3.next(func(ticket.EventView) bool { return true }); ev.Type != ticket.EventReset {
		t.Fatalf("unknown position: first frame %+v, want reset", ev)
	}
}

// Access revoked while the socket is open: the next event is filtered
// with the new access.
func TestEventsFollowRevokedAccess(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	ctx := context.Background()
	bernd, sam := newClient(t, srv), newClient(t, srv)
	bernd.login(seed.BerndEmail)
	sam.login(seed.SamEmail)
	ws := bernd.mustDial(t, "")
	ws.next(func(ev ticket.EventView) bool { return ev.Type == ticket.EventSync })
	tk := firstTicket(t, db, "100200", 0, ticket.StatusNew, ticket.StatusOpen, ticket.StatusWaitingExternal)
	sam.send("POST", path(tk.Number, "/messages"), map[string]any{"body": "vorher"})
	ws.next(func(ev ticket.EventView) bool {
		return ev.Type == ticket.EventMessageCreated && ev.Data.Message.Body == "vorher"
	})

	u, _, err := db.UserByEmail(ctx, seed.BerndEmail)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetMembership(ctx, u.ID, tk.Organization.ID, ticket.RoleMember, false); err != nil {
		t.Fatal(err)
	}
	sam.send("POST", path(tk.Number, "/messages"), map[string]any{"body": "nachher"})
	for _, ev := range ws.collect(time.Second) {
		if ev.Ticket == tk.Number {
			t.Fatalf("revoked user received %+v", ev)
		}
	}
}

// Logging out closes the session's event stream at once: a cookie that was
// logged out (or stolen and logged out) streams nothing more. The user's
// other session keeps its stream.
func TestLogoutClosesTheSessionsStream(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	phone, laptop, sam := newClient(t, srv), newClient(t, srv), newClient(t, srv)
	phone.login(seed.BerndEmail)
	laptop.login(seed.BerndEmail)
	sam.login(seed.SamEmail)
	onPhone, onLaptop := phone.mustDial(t, ""), laptop.mustDial(t, "")
	for _, s := range []*socket{onPhone, onLaptop} {
		s.next(func(ev ticket.EventView) bool { return ev.Type == ticket.EventSync })
	}
	if r := phone.send("POST", "/api/v1/logout", nil); r.status != 204 {
		t.Fatalf("logout: %d %s", r.status, r.body)
	}
	if got := onPhone.collect(5 * time.Second); len(got) != 0 {
		t.Fatalf("the logged-out stream sent %+v before it closed", got)
	}
	select {
	case _, open := <-onPhone.frames:
		if open {
			t.Fatal("the logged-out session's stream sent a frame after collect")
		}
	default:
		t.Fatal("the logged-out session's stream is still open after 5 s")
	}
	tk := firstTicket(t, db, "100200", 0, ticket.StatusNew, ticket.StatusOpen, ticket.StatusWaitingExternal)
	if r := sam.send("POST", path(tk.Number, "/messages"), map[string]any{"body": "Nach der Abmeldung am Telefon"}); r.status != 201 {
		t.Fatalf("Sam's reply: %d %s", r.status, r.body)
	}
	onLaptop.next(func(ev ticket.EventView) bool {
		return ev.Type == ticket.EventMessageCreated && ev.Data.Message != nil && ev.Data.Message.Body == "Nach der Abmeldung am Telefon"
	})
}

// A browser coming back reads from the store only what its user may see:
// a user without ticket access reads not one row, however far back they
// ask to start; another reads their own events only.
func TestEventCatchUpReadsWhatTheUserMaySee(t *testing.T) {
	srv, db := mustDemo(t, api.Config{CatchUpAge: -1}) // the demo's events are days old
	ctx := context.Background()
	last, err := db.LastEventID(ctx)
	if err != nil || last < 10 {
		t.Fatalf("the demo log ends at %d (%v), want some events", last, err)
	}
	for _, c := range []struct {
		email string
		some  bool // receives some of the log
	}{
		{seed.CarlaEmail, false}, // member without ticket access
		{seed.DiegoEmail, true},
	} {
		t.Run(c.email, func(t *testing.T) {
			u, _, err := db.UserByEmail(ctx, c.email)
			if err != nil {
				t.Fatal(err)
			}
			v, err := db.Viewer(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			all, err := db.EventsAfter(ctx, 1, int(last))
			if err != nil {
				t.Fatal(err)
			}
			var visible int
			for _, e := range all {
				if _, ok := v.ViewEvent(e); ok {
					visible++
				}
			}
			cl := newClient(t, srv)
			cl.login(c.email)
			read := db.EventRowsRead()
			ws := cl.mustDial(t, "1")
			var got int
			ws.next(func(ev ticket.EventView) bool {
				if ev.Type != ticket.EventSync && ev.Type != ticket.EventReset {
					got++
				}
				return ev.Type == ticket.EventSync
			})
			if rows := db.EventRowsRead() - read; rows != int64(visible) {
				t.Errorf("the catch-up read %d rows of %d events, want %d (the user's own)", rows, len(all), visible)
			}
			if got != visible || (visible > 0) != c.some {
				t.Errorf("received %d events, want %d", got, visible)
			}
		})
	}
}

// A browser too far behind, in events or in time, is told to reload
// instead of being sent all it missed; one just behind catches up.
func TestEventCatchUpBounded(t *testing.T) {
	t.Run("events", func(t *testing.T) {
		srv, db := mustDemo(t, api.Config{CatchUpEvents: 5})
		last, _ := db.LastEventID(context.Background())
		c := newClient(t, srv)
		c.login(seed.SamEmail)
		if ev := c.mustDial(t, "1").next(func(ticket.EventView) bool { return true }); ev.Type != ticket.EventReset || ev.ID != last {
			t.Fatalf("%d events behind: first frame %+v, want reset at %d", last-1, ev, last)
		}
		near := c.mustDial(t, strconv.FormatInt(last-5, 10))
		var got int
		ev := near.next(func(ev ticket.EventView) bool {
			if ev.Type != ticket.EventSync {
				got++
			}
			return ev.Type == ticket.EventSync || ev.Type == ticket.EventReset
		})
		if ev.Type != ticket.EventSync || got != 5 {
			t.Fatalf("5 events behind: %d events then %+v, want 5 then sync", got, ev)
		}
	})
	t.Run("age", func(t *testing.T) {
		srv, db := mustDemo(t, api.Config{CatchUpAge: time.Hour})
		c, sam := newClient(t, srv), newClient(t, srv)
		c.login(seed.DiegoEmail)
		sam.login(seed.SamEmail)
		// The demo's events are days old.
		if ev := c.mustDial(t, "1").next(func(ticket.EventView) bool { return true }); ev.Type != ticket.EventReset {
			t.Fatalf("days behind: first frame %+v, want reset", ev)
		}
		last, _ := db.LastEventID(context.Background())
		tk := firstTicket(t, db, "300400", 0, ticket.StatusNew, ticket.StatusOpen, ticket.StatusWaitingExternal)
		if r := sam.send("POST", path(tk.Number, "/messages"), map[string]any{"body": "ahora"}); r.status != 201 {
			t.Fatalf("reply: %d %s", r.status, r.body)
		}
		ws := c.mustDial(t, strconv.FormatInt(last, 10))
		// The reply comes in the catch-up, or (when the hub had not read
		// it yet) right after the sync: never a reset.
		ev := ws.next(func(ev ticket.EventView) bool {
			return ev.Type == ticket.EventMessageCreated || ev.Type == ticket.EventReset
		})
		if ev.Type != ticket.EventMessageCreated || ev.Data.Message.Body != "ahora" {
			t.Fatalf("just behind: %+v, want the reply", ev)
		}
	})
}

// Opening the event stream is limited per user: past the limit the answer
// is 429 with Retry-After, before any upgrade; other users are not held
// up.
func TestEventStreamOpensLimited(t *testing.T) {
	srv, _ := mustDemo(t, api.Config{StreamOpens: 3, StreamWindow: time.Hour})
	anna, bernd := newClient(t, srv), newClient(t, srv)
	anna.login(seed.AnnaEmail)
	bernd.login(seed.BerndEmail)
	for i := 0; i < 3; i++ {
		ws := anna.mustDial(t, "")
		ws.next(func(ev ticket.EventView) bool { return ev.Type == ticket.EventSync })
		ws.ws.Close()
	}
	if _, res, err := anna.dial(t, ""); err == nil || res == nil || res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("the 4th stream within the window: %v, %+v; want 429", err, res)
	}
	r := anna.get("/api/v1/events")
	mustError(t, r, http.StatusTooManyRequests, ticket.CodeTooMany)
	if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 {
		t.Errorf("Retry-After = %q, want seconds", r.header.Get("Retry-After"))
	}
	bernd.mustDial(t, "").next(func(ev ticket.EventView) bool { return ev.Type == ticket.EventSync })
}
