package e2e

// Small things users stumbled over (issue 16): a bad list address, Preview of
// an empty form, the reconnecting notice over a send button, a failed
// request logged on the login page, a read mark for a ticket not found.

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
)

// A bad list address names its parameter, in the user's language, and
// shows no list: not the default list, and not the rows shown before
// (Back from a good list to the bad address).
func TestBadListAddressNamesItsParameter(t *testing.T) {
	p := startPortal(t)
	b := loginTo(t, p, "de-DE", seed.AnnaEmail)
	named := func(label, param string) string {
		return strings.NewReplacer("{{.Label}}", msg(t, "de", label), "{{.Param}}", param).Replace(msg(t, "de", "ErrBadParameterNamed"))
	}
	jsRowCount := `document.querySelectorAll('table.tickets tr[id^="ticket-row-"]').length`

	b.open("/tickets?sort=bogus")
	b.waitText("the error of a bad sort", qText("#query-error"), named("SortBy", "sort"))
	b.waitFalse("rows under the error", jsRowCount+` > 0`)

	// A good list, then Back to the bad address: its rows do not stay.
	b.click("a#tab-open")
	b.waitTrue("the open tickets listed", jsRowCount+` > 0`)
	b.waitFalse("the error gone with the good address", qExists("#query-error"))
	eval[bool](b, `(history.back(), true)`)
	b.waitText("the error again after Back", qText("#query-error"), named("SortBy", "sort"))
	time.Sleep(300 * time.Millisecond)
	if n := eval[int](b, jsRowCount); n != 0 {
		t.Fatalf("%d rows of the list shown before stay under the error", n)
	}

	b.open("/tickets?createdFrom=gestern")
	b.waitText("the error of a bad date", qText("#query-error"), named("CreatedFrom", "createdFrom"))
	b.waitFalse("rows under the error", jsRowCount+` > 0`)
}

// Preview of an empty one-page form flags every empty required field the
// form shows, the subject too, as Send does.
func TestPreviewOfEmptyFormFlagsEveryField(t *testing.T) {
	p := startPortal(t)
	b := loginTo(t, p, "de-DE", seed.AnnaEmail)
	b.open("/tickets/new")
	b.waitTrue("the form", qExists("form#ticket-form button#preview"))
	b.click("button#preview")
	b.waitText("the subject flagged", qText("#err-f-subject"), msg(t, "de", "ErrSubjectRequired"))
	for sel, id := range map[string]string{"#err-f-type": "ErrTypeRequired", "#err-f-description": "ErrDescriptionRequired"} {
		if got, want := eval[string](b, qText(sel)), msg(t, "de", id); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	if !eval[bool](b, qExists("form#ticket-form")) || eval[bool](b, qExists("#ticket-form-preview")) {
		t.Fatal("the preview opened on an empty form")
	}
}

// The "reconnecting" notice, fixed at the bottom, never covers the send
// button: brought into view as the browser does for the focus, and at the
// end of the page, the point at the button's centre is the button.
func TestReconnectingNoticeLeavesTheSendButtonFree(t *testing.T) {
	p := startPortal(t)
	sonnenschein := p.org(t, "100200")
	list, _, err := p.DB.ListTickets(context.Background(), store.ListQuery{Scope: ticket.Scope{All: true}, OrganizationID: sonnenschein.ID,
		Statuses: []ticket.Status{ticket.StatusOpen, ticket.StatusNew}, Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatalf("no open ticket of 100200: %v", err)
	}
	b := loginTo(t, p, "de-DE", seed.AnnaEmail)
	b.open("/tickets/" + strconv.FormatInt(list[0].Number, 10))
	b.waitTrue("the reply box", qExists("button#reply-send"))
	annaID := userID(t, p, seed.AnnaEmail)
	b.waitTrue("the live stream connected", jsLiveResumes(annaID))

	// The live hub stops: the sockets drop, the API still answers.
	p.stopHub()
	b.waitTrue("the reconnecting notice", qExists("#live-reconnecting"))
	free := func(sel, scroll string) string {
		return `(() => {
			const b = document.querySelector(` + strconv.Quote(sel) + `);
			if (!b) return 'no ' + ` + strconv.Quote(sel) + `;
			` + scroll + `;
			const r = b.getBoundingClientRect();
			const e = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
			if (!document.querySelector('#live-reconnecting')) return 'the notice is gone';
			return e === b || b.contains(e) ? 'free' : 'covered by ' + (e ? e.outerHTML.slice(0, 80) : 'nothing');
		})()`
	}
	for name, scroll := range map[string]string{
		"brought into view": `b.scrollIntoView({block: 'end'})`,
		"end of the page":   `window.scrollTo(0, document.documentElement.scrollHeight)`,
	} {
		if got := eval[string](b, free("button#reply-send", scroll)); got != "free" {
			t.Errorf("reply send button, %s: %s", name, got)
		}
	}

	// The one-page form's Send too.
	b.open("/tickets/new")
	b.waitTrue("the form", qExists("button#send"))
	b.waitTrue("the reconnecting notice on the form", qExists("#live-reconnecting"))
	if got := eval[string](b, free("button#send", `b.scrollIntoView({block: 'end'})`)); got != "free" {
		t.Errorf("the form's send button: %s", got)
	}
}

// A visitor on the login page logs nothing in the console: no failed
// request (GET /api/v1/me without a session is no error).
func TestLoginPageLogsNoFailedRequest(t *testing.T) {
	p := startPortal(t)
	b := newBrowser(t, p, "de-DE")
	b.open("/login")
	b.waitTrue("the login form", qExists("#login-email"))
	time.Sleep(time.Second) // what the app asks at start has come back
	failed := func(l string) bool {
		return strings.Contains(l, "401") || strings.Contains(l, "Failed to load resource") || strings.HasPrefix(l, "log.error")
	}
	b.mu.Lock()
	lines := slices.Clone(b.console)
	b.mu.Unlock()
	if i := slices.IndexFunc(lines, failed); i >= 0 {
		t.Errorf("the login page logged %q", lines[i])
	}
	// The browser's log is heard: a failed request shows up.
	eval[bool](b, `(fetch('/api/v1/catalog'), true)`)
	deadline := time.Now().Add(10 * time.Second)
	for !b.logged("Failed to load resource") {
		if time.Now().After(deadline) {
			t.Fatal("a failed request (401) was not logged: the test does not hear the browser's log")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// A ticket that is not found is not marked read: no POST …/read. One that
// is found is.
func TestNoReadMarkForTicketNotFound(t *testing.T) {
	p := startPortal(t)
	b := loginTo(t, p, "de-DE", seed.AnnaEmail)
	jsReadCalls := `performance.getEntriesByType('resource').filter(e => /\/api\/v1\/tickets\/[0-9]+\/read$/.test(new URL(e.name).pathname)).map(e => new URL(e.name).pathname)`

	b.open("/tickets/999999")
	b.waitTrue("the error", qExists(`main#main p.error[role="alert"]`))
	time.Sleep(time.Second)
	if got := eval[[]string](b, jsReadCalls); len(got) != 0 {
		t.Fatalf("read calls for a ticket not found: %v", got)
	}

	n := p.tickets(t, p.org(t, "100200").ID)[0].Number
	b.open("/tickets/" + strconv.FormatInt(n, 10))
	want := "/api/v1/tickets/" + strconv.FormatInt(n, 10) + "/read"
	b.waitTrue("the ticket found marked read", jsReadCalls+`.includes(`+strconv.Quote(want)+`)`)
}
