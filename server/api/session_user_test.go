package api_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/seed"
)

// A tab shows Anna; Bernd then logs in in another window of the same
// browser (the cookie is his now). Every request the tab makes names Anna
// and is refused, so it never acts as Bernd: not a reply, not the live
// events. A request naming Bernd, or none, is his.
func TestRequestNamingAnotherUserIsRefused(t *testing.T) {
	srv, _ := mustDemo(t, api.Config{})
	c := newClient(t, srv)
	c.login(seed.AnnaEmail)
	var me ticket.Me
	json.Unmarshal(c.get("/api/v1/me").body, &me)
	anna := strconv.FormatInt(me.User.ID, 10)
	c.login(seed.BerndEmail) // the other window
	json.Unmarshal(c.get("/api/v1/me").body, &me)
	bernd := strconv.FormatInt(me.User.ID, 10)

	e := mustError(t, c.do("GET", "/api/v1/me", "", nil, ticket.UserHeader, anna), 401, ticket.CodeUnauthorized)
	if e.Error.MessageID != ticket.ErrSessionChanged.MessageID {
		t.Errorf("message %s, want %s", e.Error.MessageID, ticket.ErrSessionChanged.MessageID)
	}
	list := c.get("/api/v1/tickets?open=true")
	if list.status != 200 {
		t.Fatalf("Bernd's list: %d", list.status)
	}
	var page struct {
		Tickets []ticket.TicketView `json:"tickets"`
	}
	json.Unmarshal(list.body, &page)
	if len(page.Tickets) == 0 {
		t.Fatal("Bernd sees no open ticket")
	}
	n := strconv.FormatInt(page.Tickets[0].Number, 10)
	body := []byte(`{"body":"Antwort aus Annas altem Fenster"}`)
	mustError(t, c.do("POST", "/api/v1/tickets/"+n+"/messages", "application/json", body, ticket.UserHeader, anna), 401, ticket.CodeUnauthorized)
	if r := c.do("POST", "/api/v1/tickets/"+n+"/messages", "application/json", []byte(`{"body":"Bernds Antwort"}`), ticket.UserHeader, bernd, "Idempotency-Key", "k-bernd-1"); r.status != 201 {
		t.Errorf("Bernd's own reply naming him: %d %s", r.status, r.body)
	}
	if r := c.get("/api/v1/me"); r.status != 200 {
		t.Errorf("a request naming nobody: %d", r.status)
	}

	// The live events: the socket naming Anna is refused.
	u := "ws" + strings.TrimPrefix(srv.URL, "http") + "/api/v1/events?" + ticket.UserParam + "=" + anna
	header := http.Header{"Origin": {srv.URL}}
	for _, ck := range c.http.Jar.Cookies(mustURL(t, srv.URL)) {
		header.Add("Cookie", ck.Name+"="+ck.Value)
	}
	if _, res, err := websocket.DefaultDialer.Dial(u, header); err == nil || res == nil || res.StatusCode != 401 {
		t.Errorf("the events naming Anna with Bernd's cookie: err %v, response %v", err, res)
	}
}
