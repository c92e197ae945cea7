package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/seed"
)

// The list and the counts are kept until the next write: every write, by
// anyone, must show in the very next answer to the very same request, and
// one user's answer is never another's.
func TestListAnswersFollowEveryWrite(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	ctx := context.Background()
	anna, bernd, sam := newClient(t, srv), newClient(t, srv), newClient(t, srv)
	anna.login(seed.AnnaEmail)
	bernd.login(seed.BerndEmail)
	sam.login(seed.SamEmail)
	tk := firstTicket(t, db, "100200", 0, ticket.StatusNew, ticket.StatusOpen)

	const listPath = "/api/v1/tickets?sort=updated&limit=500"
	row := func(c *client) (ticket.TicketView, int) {
		t.Helper()
		var page listPage
		c.get(listPath).decode(t, &page)
		for i, tv := range page.Tickets {
			if tv.Number == tk.Number {
				return tv, i
			}
		}
		return ticket.TicketView{}, -1
	}
	counts := func(c *client) map[ticket.PortalStatus]int {
		var resp struct{ Counts map[ticket.PortalStatus]int }
		c.get("/api/v1/tickets/counts").decode(t, &resp)
		return resp.Counts
	}
	for _, c := range []*client{anna, bernd} { // read twice: the second answer may come from memory
		row(c)
		row(c)
	}
	before := counts(anna)
	counts(anna)

	// Anna reads her ticket, Sam answers: her unread count and the order
	// change for the same request.
	if r := anna.send("POST", path(tk.Number, "/read"), nil); r.status != 204 {
		t.Fatalf("read: %d %s", r.status, r.body)
	}
	if tv, _ := row(anna); tv.Unread != 0 {
		t.Fatalf("after reading: unread %d", tv.Unread)
	}
	if r := sam.send("POST", path(tk.Number, "/messages"), map[string]any{"body": "Wir sehen uns das an."}); r.status != 201 {
		t.Fatalf("reply: %d %s", r.status, r.body)
	}
	tv, i := row(anna)
	if tv.Unread != 1 || i != 0 {
		t.Fatalf("after Sam's reply: unread %d at row %d, want 1 at row 0", tv.Unread, i)
	}
	// Bernd asks exactly the same: his own unread count, not Anna's.
	annaUnread := tv.Unread
	if r := bernd.send("POST", path(tk.Number, "/read"), nil); r.status != 204 {
		t.Fatalf("read: %d %s", r.status, r.body)
	}
	if tv, _ := row(bernd); tv.Unread != 0 {
		t.Fatalf("bernd's unread %d after reading (anna's is %d)", tv.Unread, annaUnread)
	}
	if tv, _ := row(anna); tv.Unread != annaUnread {
		t.Fatalf("anna's unread %d after bernd read, want %d", tv.Unread, annaUnread)
	}

	// A status change moves the counts.
	if r := sam.send("PATCH", path(tk.Number, ""), map[string]any{"status": "waiting_external"}); r.status != 200 {
		t.Fatalf("status: %d %s", r.status, r.body)
	}
	after := counts(anna)
	if after[ticket.PortalResponseExpected] != before[ticket.PortalResponseExpected]+1 {
		t.Fatalf("response expected: %d before, %d after", before[ticket.PortalResponseExpected], after[ticket.PortalResponseExpected])
	}
	if tv, _ := row(anna); tv.Status != ticket.PortalResponseExpected {
		t.Fatalf("row status %q after the change", tv.Status)
	}

	// Access revoked: the same request lists none of the account's tickets.
	u, _, err := db.UserByEmail(ctx, seed.AnnaEmail)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetMembership(ctx, u.ID, tk.Organization.ID, ticket.RoleAdmin, false); err != nil {
		t.Fatal(err)
	}
	if _, i := row(anna); i != -1 {
		t.Fatalf("revoked: ticket %d still listed at row %d", tk.Number, i)
	}
}

// A session is remembered between requests, but never past its logout:
// the old cookie is refused at once.
func TestLoggedOutSessionRefusedAtOnce(t *testing.T) {
	srv, _ := mustDemo(t, api.Config{})
	c := newClient(t, srv)
	c.login(seed.DiegoEmail)
	u, _ := url.Parse(srv.URL)
	cookies := c.http.Jar.Cookies(u)
	get := func() int {
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/me", nil)
		for _, k := range cookies {
			req.AddCookie(k)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for i := 0; i < 3; i++ {
		if st := get(); st != 200 {
			t.Fatalf("request %d with the session: %d", i, st)
		}
	}
	if r := c.send("POST", "/api/v1/logout", nil); r.status != 204 {
		t.Fatalf("logout: %d", r.status)
	}
	if st := get(); st != 401 {
		t.Fatalf("the logged-out session's cookie: %d, want 401", st)
	}
}

// A logout with a cookie that opens no session writes nothing: it moves no
// version (every node's kept answers and sessions stay), and a real
// session stays kept while made-up cookies log out.
func TestLogoutOfNoSessionWritesNothing(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	c := newClient(t, srv)
	c.login(seed.DiegoEmail)
	ctx := context.Background()
	before, err := db.Versions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/logout", nil)
		req.AddCookie(&http.Cookie{Name: "supportal_session", Value: "made-up-" + strconv.Itoa(i)})
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 204 {
			t.Fatalf("logout with a made-up cookie: %d, want 204", res.StatusCode)
		}
	}
	if after, _ := db.Versions(ctx); after != before {
		t.Errorf("20 logouts of no session moved the versions %+v → %+v", before, after)
	}
}
