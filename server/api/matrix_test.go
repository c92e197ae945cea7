package api_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
)

// matrixAccess is the test's own statement of what each demo user may do
// in each account, written from the rules (members with ticket access
// write; MedSoft's users: their vendor's own account, Praxis Sonnenschein
// full since MedSoft pays for it, Cabinet Lumière read, Clínica Sol
// nothing), not from the policy code. Sam is an agent: everything.
var matrixAccess = map[string]map[string]string{
	seed.AnnaEmail:   {"100200": "write", "100201": "write"},
	seed.BerndEmail:  {"100200": "write"},
	seed.CarlaEmail:  {},
	seed.ClaireEmail: {"200300": "write"},
	seed.DiegoEmail:  {"300400": "write"},
	seed.VeraEmail:   {"900100": "write", "100200": "write", "200300": "read"},
	seed.SamEmail:    {"100200": "write", "100201": "write", "200300": "write", "300400": "write", "900100": "write"},
}

// The matrix: every demo user × every demo ticket × list, detail, search,
// saved-view results, reply, status change, attachment download and
// websocket event, plus guessed numbers and ids. Every answer is the one
// the rules give: zero leaks, zero wrong denials.
func TestAccessMatrix(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	ctx := context.Background()
	all, _, err := db.ListTickets(ctx, store.ListQuery{Scope: ticket.Scope{All: true}, Limit: 500})
	if err != nil || len(all) < 30 {
		t.Fatalf("demo tickets = %d, %v", len(all), err)
	}
	clients := map[string]*client{}
	for email := range matrixAccess {
		clients[email] = newClient(t, srv)
		clients[email].login(email)
	}
	sam := clients[seed.SamEmail]

	// A public and an internal file on the newest open ticket of each
	// account, by Sam.
	publicFile, internalFile := map[int64]string{}, map[int64]string{}
	seen := map[string]bool{}
	for _, tk := range all {
		if tk.Status.Closed() || seen[tk.Organization.AccountNumber] {
			continue
		}
		seen[tk.Organization.AccountNumber] = true
		for _, internal := range []bool{false, true} {
			a := sam.mustUpload(confirmed("matrix.pdf", pdf, orgField(tk.Organization.ID)))
			body := "Datei"
			if internal {
				body = "MATRIX-INTERNE-NOTIZ"
			}
			if r := sam.send("POST", path(tk.Number, "/messages"), map[string]any{"body": body, "internal": internal, "attachments": []string{a.ID}}); r.status != 201 {
				t.Fatalf("Sam's file on %d: %d %s", tk.Number, r.status, r.body)
			}
			if internal {
				internalFile[tk.Number] = a.ID
			} else {
				publicFile[tk.Number] = a.ID
			}
		}
	}

	// Everyone listens; the replies below are the events.
	sockets := map[string]*socket{}
	for email, c := range clients {
		if email == seed.CarlaEmail {
			continue // no ticket access: her socket would carry nothing anyway
		}
		sockets[email] = c.mustDial(t, "")
		sockets[email].next(func(ev ticket.EventView) bool { return ev.Type == ticket.EventSync })
	}

	for email, access := range matrixAccess {
		c := clients[email]
		agent := email == seed.SamEmail
		t.Run(email, func(t *testing.T) {
			var list listPage
			c.get("/api/v1/tickets?limit=500").decode(t, &list)
			listed := map[int64]bool{}
			for _, tv := range list.Tickets {
				listed[tv.Number] = true
			}
			for _, tk := range all {
				level := access[tk.Organization.AccountNumber]
				visible := level != ""
				n := strconv.FormatInt(tk.Number, 10)
				if listed[tk.Number] != visible {
					t.Errorf("list: ticket %s listed %v, want %v", n, listed[tk.Number], visible)
				}
				// Detail.
				if r := c.get(path(tk.Number, "")); visible != (r.status == 200) || (!visible && r.status != 404) {
					t.Errorf("detail of %s: %d, want visible=%v", n, r.status, visible)
				}
				// Search by number, as typed and as a saved view's query.
				var found listPage
				c.get("/api/v1/tickets?q="+url.QueryEscape("#"+n)).decode(t, &found)
				if got := len(found.Tickets) > 0 && found.Tickets[0].Number == tk.Number; got != visible {
					t.Errorf("search #%s found it %v, want %v", n, got, visible)
				}
				// Status change: an empty change is a probe of the permission.
				want := map[string]int{"": 404, "read": 403, "write": 200}[level]
				if r := c.send("PATCH", path(tk.Number, ""), map[string]any{}); r.status != want {
					t.Errorf("status change of %s: %d, want %d (%s)", n, r.status, want, r.body)
				}
				// Reply (open tickets; a closed one is read-only for everyone).
				if !tk.Status.Closed() {
					want := map[string]int{"": 404, "read": 403, "write": 201}[level]
					if r := c.send("POST", path(tk.Number, "/messages"), map[string]any{"body": "matrix " + email}); r.status != want {
						t.Errorf("reply on %s: %d, want %d (%s)", n, r.status, want, r.body)
					}
				}
				// Files.
				if id, ok := publicFile[tk.Number]; ok {
					if r := c.get("/api/v1/attachments/" + id); (r.status == 200) != visible || (!visible && r.status != 404) {
						t.Errorf("public file of %s: %d, want visible=%v", n, r.status, visible)
					}
				}
				if r := c.get(path(tk.Number, "")); r.status == 200 && !agent && strings.Contains(string(r.body), "MATRIX-INTERNE") {
					t.Errorf("detail of %s shows an internal note", n)
				}
				if id, ok := internalFile[tk.Number]; ok {
					if r := c.get("/api/v1/attachments/" + id); (r.status == 200) != agent || (!agent && r.status != 404) {
						t.Errorf("internal file of %s: %d, want it for agents only", n, r.status)
					}
				}
			}
			// A saved view's results: its query, asked as the view says.
			r := c.send("POST", "/api/v1/views", map[string]any{"name": "Matrix", "query": map[string]any{"open": "true", "sort": "number"}})
			if r.status != 201 {
				t.Fatalf("saving a view: %d %s", r.status, r.body)
			}
			var saved struct{ View ticket.View }
			r.decode(t, &saved)
			q := saved.View.Query.Values()
			q.Set("limit", "500")
			var results listPage
			c.get("/api/v1/tickets?"+q.Encode()).decode(t, &results)
			inView := map[int64]bool{}
			for _, tv := range results.Tickets {
				inView[tv.Number] = true
			}
			for _, tk := range all {
				if want := access[tk.Organization.AccountNumber] != "" && !tk.Status.Closed(); inView[tk.Number] != want {
					t.Errorf("view results: ticket %d listed %v, want %v", tk.Number, inView[tk.Number], want)
				}
			}
			// Guesses.
			for _, guess := range []string{"99999", "0", "-1", "abc", "%2310001x"} {
				if r := c.get("/api/v1/tickets/" + guess); r.status != 404 && r.status != 401 {
					t.Errorf("guessed ticket %s: %d", guess, r.status)
				}
			}
			for _, guess := range []string{"AAAAAAAAAAAAAAAAAAAAAA", "..%2F..%2Fetc%2Fpasswd", "1"} {
				if r := c.get("/api/v1/attachments/" + guess); r.status != 404 {
					t.Errorf("guessed attachment %s: %d", guess, r.status)
				}
			}
		})
	}

	// The websocket events of the replies: each user received events of
	// the tickets they see only, never an internal note, and one for every
	// visible ticket someone else replied on.
	byNumber := map[int64]ticket.Ticket{}
	for _, tk := range all {
		byNumber[tk.Number] = tk
	}
	for email, ws := range sockets {
		access := matrixAccess[email]
		got := map[int64]bool{}
		for _, ev := range ws.collect(1500 * time.Millisecond) {
			tk, ok := byNumber[ev.Ticket]
			if !ok {
				continue
			}
			if access[tk.Organization.AccountNumber] == "" {
				t.Errorf("%s received event %s of ticket %d (%s)", email, ev.Type, ev.Ticket, tk.Organization.AccountNumber)
			}
			if m := ev.Data.Message; m != nil && email != seed.SamEmail && (m.Internal != nil || strings.Contains(m.Body, "MATRIX-INTERNE")) {
				t.Errorf("%s received an internal message: %+v", email, m)
			}
			if ev.Type == ticket.EventMessageCreated {
				got[ev.Ticket] = true
			}
		}
		for _, tk := range all {
			if access[tk.Organization.AccountNumber] != "" && !tk.Status.Closed() && !got[tk.Number] {
				t.Errorf("%s received no event of the replies on ticket %d", email, tk.Number)
			}
		}
	}
}

// A vendor's life: Vera files in Praxis Sonnenschein on its behalf (Anna
// sees who); not in Cabinet Lumière (read) nor Clínica Sol (none). Claire
// withdraws MedSoft's access: at once Vera sees nothing of Cabinet Lumière,
// also on her open websocket. Anna cannot lower the access of a vendor who
// pays; Bernd, no admin, cannot change it at all.
func TestVendorAccess(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	anna, bernd, claire, vera, sam := newClient(t, srv), newClient(t, srv), newClient(t, srv), newClient(t, srv), newClient(t, srv)
	anna.login(seed.AnnaEmail)
	bernd.login(seed.BerndEmail)
	claire.login(seed.ClaireEmail)
	vera.login(seed.VeraEmail)
	sam.login(seed.SamEmail)
	sonnenschein := firstTicket(t, db, "100200", 0, ticket.Statuses()...).Organization
	lumiere := firstTicket(t, db, "200300", 0, ticket.StatusNew, ticket.StatusOpen)
	sol := firstTicket(t, db, "300400", 0, ticket.Statuses()...).Organization

	var me struct {
		VendorAccounts []ticket.VendorAccount
	}
	vera.get("/api/v1/me").decode(t, &me)
	levels := map[string]string{}
	for _, a := range me.VendorAccounts {
		levels[a.Organization.AccountNumber] = string(a.Access)
		if a.Organization.AccountNumber == "100200" && !a.VendorPaid {
			t.Errorf("100200 is not marked vendor-paid")
		}
	}
	if levels["100200"] != "full" || levels["200300"] != "read" || levels["300400"] != "none" {
		t.Fatalf("Vera's vendor accounts: %v", levels)
	}

	draft := map[string]any{"type": "login_problem", "category": "password", "subject": "Zugang für die Praxis", "description": "Bitte prüfen."}
	draft["organizationId"] = sonnenschein.ID
	r := vera.send("POST", "/api/v1/tickets", draft)
	if r.status != 201 {
		t.Fatalf("Vera in 100200: %d %s", r.status, r.body)
	}
	var created struct{ Ticket ticket.TicketView }
	r.decode(t, &created)
	var seen struct{ Ticket ticket.TicketView }
	anna.get(path(created.Ticket.Number, "")).decode(t, &seen)
	if cb := seen.Ticket.CreatedBy; cb == nil || cb.Organization.AccountNumber != "900100" || cb.Name != "Vera Vendor" {
		t.Fatalf("Anna sees createdBy %+v, want Vera of MedSoft (900100)", cb)
	}
	var own struct{ Tickets []ticket.TicketView }
	anna.get("/api/v1/tickets?limit=500").decode(t, &own)
	for _, tv := range own.Tickets {
		if tv.CreatedBy != nil && tv.Number != created.Ticket.Number {
			t.Errorf("ticket %d of a member shows createdBy %+v", tv.Number, tv.CreatedBy)
		}
	}
	draft["organizationId"] = lumiere.Organization.ID
	mustError(t, vera.send("POST", "/api/v1/tickets", draft), 403, ticket.CodeForbidden)
	draft["organizationId"] = sol.ID
	mustError(t, vera.send("POST", "/api/v1/tickets", draft), 404, ticket.CodeNotFound)
	mustError(t, vera.upload(confirmed("x.pdf", pdf, orgField(lumiere.Organization.ID))), 422, ticket.CodeUnprocessable)

	// Access is the customer admin's to set.
	vendorPath := func(org ticket.OrgRef) string {
		return "/api/v1/organizations/" + strconv.FormatInt(org.ID, 10) + "/vendors/" + strconv.FormatInt(myVendor(t, vera), 10)
	}
	mustError(t, anna.send("PUT", vendorPath(sonnenschein), map[string]string{"access": "read"}), 409, ticket.CodeConflict)
	mustError(t, bernd.send("PUT", vendorPath(sonnenschein), map[string]string{"access": "none"}), 403, ticket.CodeForbidden)
	mustError(t, anna.send("PUT", vendorPath(lumiere.Organization), map[string]string{"access": "none"}), 403, ticket.CodeForbidden)
	mustError(t, claire.send("PUT", vendorPath(lumiere.Organization), map[string]string{"access": "everything"}), 400, ticket.CodeInvalid)

	ws := vera.mustDial(t, "")
	ws.next(func(ev ticket.EventView) bool { return ev.Type == ticket.EventSync })
	if r := vera.get(path(lumiere.Number, "")); r.status != 200 {
		t.Fatalf("Vera reads a ticket of 200300 before: %d", r.status)
	}
	if r := claire.send("PUT", vendorPath(lumiere.Organization), map[string]string{"access": "none"}); r.status != 200 {
		t.Fatalf("Claire withdraws MedSoft's access: %d %s", r.status, r.body)
	}
	mustError(t, vera.get(path(lumiere.Number, "")), 404, ticket.CodeNotFound)
	if r := sam.send("POST", path(lumiere.Number, "/messages"), map[string]any{"body": "Nach dem Entzug"}); r.status != 201 {
		t.Fatalf("Sam's reply: %d", r.status)
	}
	for _, ev := range ws.collect(time.Second) {
		if ev.Ticket == lumiere.Number {
			t.Fatalf("Vera's socket received %+v after the access was withdrawn", ev)
		}
	}
	var after listPage
	vera.get("/api/v1/tickets?limit=500").decode(t, &after)
	for _, tv := range after.Tickets {
		if tv.Organization.AccountNumber == "200300" {
			t.Fatalf("Vera still lists %d of 200300", tv.Number)
		}
	}
}

// myVendor is the id of the vendor organization c's user is a member of.
func myVendor(t *testing.T, c *client) int64 {
	t.Helper()
	var me struct{ Memberships []ticket.Membership }
	c.get("/api/v1/me").decode(t, &me)
	for _, m := range me.Memberships {
		if m.Organization.Kind == ticket.KindVendor {
			return m.Organization.ID
		}
	}
	t.Fatal("no vendor membership")
	return 0
}

// A customer admin grants and revokes their members' ticket access; not
// their own.
func TestMemberTicketAccess(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	anna, bernd := newClient(t, srv), newClient(t, srv)
	anna.login(seed.AnnaEmail)
	bernd.login(seed.BerndEmail)
	org := firstTicket(t, db, "100200", 0, ticket.Statuses()...).Organization
	base := "/api/v1/organizations/" + strconv.FormatInt(org.ID, 10) + "/members"
	var members struct{ Members []store.Member }
	anna.get(base).decode(t, &members)
	ids := map[string]int64{}
	for _, m := range members.Members {
		ids[m.Email] = m.User.ID
	}
	if ids[seed.BerndEmail] == 0 || ids[seed.CarlaEmail] == 0 {
		t.Fatalf("members: %+v", members.Members)
	}
	mustError(t, bernd.get(base), 403, ticket.CodeForbidden)
	member := func(email string) string { return base + "/" + strconv.FormatInt(ids[email], 10) }
	mustError(t, anna.send("PUT", member(seed.AnnaEmail), map[string]bool{"ticketAccess": false}), 409, ticket.CodeConflict)
	if r := anna.send("PUT", member(seed.BerndEmail), map[string]bool{"ticketAccess": false}); r.status != 200 {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	var list listPage
	bernd.get("/api/v1/tickets").decode(t, &list)
	if len(list.Tickets) != 0 {
		t.Fatalf("Bernd still lists %d tickets after the revocation", len(list.Tickets))
	}
	if r := anna.send("PUT", member(seed.BerndEmail), map[string]bool{"ticketAccess": true}); r.status != 200 {
		t.Fatalf("grant: %d %s", r.status, r.body)
	}
	bernd.get("/api/v1/tickets").decode(t, &list)
	if len(list.Tickets) == 0 {
		t.Fatal("Bernd lists nothing after the access was granted again")
	}
	mustError(t, anna.send("PUT", base+"/999999", map[string]bool{"ticketAccess": true}), 404, ticket.CodeNotFound)
}

// A member newly granted ticket access does not start with the account's
// whole history unread: their read marker starts at the grant, and only
// what is written after it is news.
func TestTicketAccessGrantStartsRead(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	anna, carla, sam := newClient(t, srv), newClient(t, srv), newClient(t, srv)
	anna.login(seed.AnnaEmail)
	sam.login(seed.SamEmail)
	tk := firstTicket(t, db, "100200", 0, ticket.StatusNew, ticket.StatusOpen)
	base := "/api/v1/organizations/" + strconv.FormatInt(tk.Organization.ID, 10) + "/members"
	var members struct{ Members []store.Member }
	anna.get(base).decode(t, &members)
	var carlaID int64
	for _, m := range members.Members {
		if m.Email == seed.CarlaEmail {
			if m.TicketAccess {
				t.Fatal("Carla has ticket access in the demo data already")
			}
			carlaID = m.User.ID
		}
	}
	if r := anna.send("PUT", base+"/"+strconv.FormatInt(carlaID, 10), map[string]bool{"ticketAccess": true}); r.status != 200 {
		t.Fatalf("grant: %d %s", r.status, r.body)
	}
	carla.login(seed.CarlaEmail)
	var totals struct {
		Unread map[string]int
		Total  int
	}
	var list listPage
	carla.get("/api/v1/tickets?limit=500").decode(t, &list)
	if len(list.Tickets) == 0 {
		t.Fatal("Carla lists no tickets after the grant")
	}
	carla.get("/api/v1/tickets/unread").decode(t, &totals)
	if got, want := totals.Total, 0; got != want {
		t.Fatalf("unread right after the grant: %d (%v), want %d", got, totals.Unread, want)
	}
	for _, row := range list.Tickets {
		if row.Unread != 0 {
			t.Fatalf("ticket %d shows %d unread right after the grant, want 0", row.Number, row.Unread)
		}
	}

	// What support writes after the grant is unread.
	if r := sam.send("POST", path(tk.Number, "/messages"), map[string]any{"body": "Neu nach der Freigabe."}); r.status != 201 {
		t.Fatalf("reply: %d %s", r.status, r.body)
	}
	carla.get("/api/v1/tickets/unread").decode(t, &totals)
	if got, want := totals.Unread[strconv.FormatInt(tk.Number, 10)], 1; got != want || totals.Total != 1 {
		t.Fatalf("unread after a reply: %d on %d (total %d), want %d", got, tk.Number, totals.Total, want)
	}
}

// A vendor a customer lets in again (from none) starts with the account's
// tickets read up to then: what was written meanwhile is history to its
// users; what comes after is news.
func TestVendorLetInStartsRead(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	claire, vera, sam := newClient(t, srv), newClient(t, srv), newClient(t, srv)
	claire.login(seed.ClaireEmail)
	vera.login(seed.VeraEmail)
	sam.login(seed.SamEmail)
	lumiere := firstTicket(t, db, "200300", 0, ticket.StatusNew, ticket.StatusOpen)
	vendorPath := "/api/v1/organizations/" + strconv.FormatInt(lumiere.Organization.ID, 10) + "/vendors/" + strconv.FormatInt(myVendor(t, vera), 10)
	unread := func() map[string]int {
		var totals struct{ Unread map[string]int }
		vera.get("/api/v1/tickets/unread").decode(t, &totals)
		return totals.Unread
	}
	key := strconv.FormatInt(lumiere.Number, 10)
	if r := claire.send("PUT", vendorPath, map[string]string{"access": "none"}); r.status != 200 {
		t.Fatalf("Claire withdraws MedSoft's access: %d %s", r.status, r.body)
	}
	if r := sam.send("POST", path(lumiere.Number, "/messages"), map[string]any{"body": "Während MedSoft draußen war"}); r.status != 201 {
		t.Fatalf("Sam's reply: %d %s", r.status, r.body)
	}
	if r := claire.send("PUT", vendorPath, map[string]string{"access": "read"}); r.status != 200 {
		t.Fatalf("Claire lets MedSoft read again: %d %s", r.status, r.body)
	}
	if got := unread()[key]; got != 0 {
		t.Fatalf("Vera's unread on %s right after the access came back: %d, want 0", key, got)
	}
	if r := sam.send("POST", path(lumiere.Number, "/messages"), map[string]any{"body": "Danach"}); r.status != 201 {
		t.Fatalf("Sam's reply: %d %s", r.status, r.body)
	}
	if got := unread()[key]; got != 1 {
		t.Fatalf("Vera's unread on %s after a new reply: %d, want 1", key, got)
	}
}
