package e2e

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/seed"
)

// count returns how many of calls are want.
func count(calls []string, want string) int {
	n := 0
	for _, c := range calls {
		if c == want {
			n++
		}
	}
	return n
}

// The page asks the API for what the app needs first while app.wasm still
// loads (server/site/preload.go), and the app takes those answers instead
// of asking again: one request of each per page load, not two. Logged out,
// after a login, after a logout and another user's login, the app shows
// what it showed without them.
func TestStartUsesThePreloadedAnswers(t *testing.T) {
	p := startPortal(t)
	main, potsdam, clinica := p.org(t, "100200"), p.org(t, "100201"), p.org(t, "300400")
	b := newBrowser(t, p, "en-US")

	// Logged out: the page's GET /api/v1/me (204) tells the app so.
	p.apiCalls()
	b.open("/")
	b.waitText("path after opening / logged out", jsPath, "/login")
	b.waitTrue("the login form", qExists("input#login-email"))
	if calls := p.apiCalls(); count(calls, "GET /api/v1/me") != 1 {
		t.Fatalf("logged-out start: GET /api/v1/me asked %d times, want 1 (requests: %v)", count(calls, "GET /api/v1/me"), calls)
	}

	// Anna logs in, and works in her second account; the app keeps that.
	b.login(seed.AnnaEmail, seed.Password)
	b.waitText("path after login", jsPath, "/")
	b.waitNumbers("dashboard rows of 100200", jsRows, p.numbers(t, main, true))
	b.waitTrue("live stream connected", jsLiveResumes(userID(t, p, seed.AnnaEmail)))
	b.choose("account-select", idString(potsdam))
	b.waitNumbers("dashboard rows of 100201", jsRows, p.numbers(t, potsdam, true))

	// She comes back to the dashboard: everything the app asks first was
	// asked once, by the page, before the Go program ran.
	p.apiCalls()
	b.do("reloading the dashboard", chromedp.Reload())
	b.waitApp()
	b.waitNumbers("dashboard rows of 100201 after the reload", jsRows, p.numbers(t, potsdam, true))
	b.waitNumbers("open tickets in the navigation after the reload", jsNav, p.numbers(t, potsdam, true))
	b.waitCounts("dashboard status counts of 100201 after the reload", p.counts(t, potsdam))
	// Until the live stream opens: the start's requests were all sent.
	var calls []string
	for deadline := time.Now().Add(waitTimeout); !slices.ContainsFunc(calls, func(c string) bool { return strings.HasPrefix(c, "GET /api/v1/events?") }); {
		if time.Now().After(deadline) {
			t.Fatalf("the live stream did not open after the reload (requests: %v)", calls)
		}
		time.Sleep(50 * time.Millisecond)
		calls = append(calls, p.apiCalls()...)
	}
	org := "organizationId=" + idString(potsdam)
	for _, want := range []string{"GET /api/v1/me", "GET /api/v1/tickets?open=true&" + org, "GET /api/v1/tickets/counts?" + org} {
		if got := count(calls, want); got != 1 {
			t.Errorf("dashboard start: %s asked %d times, want 1 (requests: %v)", want, got, calls)
		}
	}
	if got := count(calls, "GET /api/v1/tickets?open=true&organizationId="+idString(main)); got != 0 {
		t.Errorf("dashboard start: the open tickets of the account not shown were asked %d times (requests: %v)", got, calls)
	}
	// Asked by the page: before the Go program started.
	for _, path := range []string{"/api/v1/me", "/api/v1/tickets?open=true&" + org, "/api/v1/tickets/counts?" + org} {
		early := eval[bool](b, `(() => {
			const r = performance.getEntriesByType("resource").find((e) => e.name === location.origin + `+strconv.Quote(path)+`);
			const main = performance.getEntriesByName("supportal-main")[0];
			return !!r && !!main && r.startTime < main.startTime;
		})()`)
		if !early {
			t.Errorf("GET %s was not asked before app.wasm's main ran", path)
		}
	}

	// Anna logs out, Sam logs in on the same page: what the page asked for
	// Anna is not his.
	b.click("button#user-menu-button")
	b.click("button#logout") // no drafts: no question
	b.waitText("on the login page", jsPath, "/login")
	b.login(seed.SamEmail, seed.Password)
	b.waitText("path after Sam's login", jsPath, "/")
	b.waitText("the agent's dashboard", `(document.querySelector("main#main section.panel h2")?.textContent ?? "").trim()`, msg(t, "en", "DashboardOpenHeadingAgent"))
	want := strconv.FormatInt(p.numbers(t, clinica, true)[0], 10)
	b.waitTrue("the agent sees every account's tickets", `(`+jsRows+`).includes(`+strconv.Quote(want)+`)`)
}

// A first visit (the browser keeps no place in the user's live stream) is
// preloaded too: the page's /me answer names the newest event, the page
// keeps it as the stream's place and asks for the lists. A ticket created
// after the page read its lists, before the app runs, still reaches the
// dashboard: the app's stream starts after that event, not at its own
// start.
func TestFirstVisitPreloadsAndMissesNothing(t *testing.T) {
	p := startPortal(t)
	main := p.org(t, "100200")
	anna := userID(t, p, seed.AnnaEmail)
	b := loginTo(t, p, "en-US", seed.AnnaEmail)
	b.waitNumbers("dashboard rows of 100200", jsRows, p.numbers(t, main, true))
	b.waitTrue("live stream connected", jsLiveResumes(anna))
	last, err := p.DB.LastEventID(context.Background())
	if err != nil {
		t.Fatal(err)
	}

	// The browser forgets its place, as one that never ran the app.
	eval[bool](b, `(() => { for (const k of Object.keys(localStorage)) { if (k.startsWith("supportal.events.")) { localStorage.removeItem(k); } } return true; })()`)
	p.apiCalls()
	eval[bool](b, `(() => { setTimeout(() => location.reload(), 0); return true; })()`)
	list := "GET /api/v1/tickets?open=true&organizationId=" + idString(main)
	var calls []string
	for deadline := time.Now().Add(waitTimeout); count(calls, list) == 0; {
		if time.Now().After(deadline) {
			t.Fatalf("the page did not ask for the open tickets (requests: %v)", calls)
		}
		time.Sleep(5 * time.Millisecond)
		calls = append(calls, p.apiCalls()...)
	}
	now := time.Now()
	tk, err := p.DB.CreateTicket(context.Background(), ticket.Ticket{Organization: ticket.OrgRef{ID: main.ID}, Requester: ticket.UserRef{ID: anna},
		Type: "web_interface_problem", Category: "display", Subject: "Created while the app was loading", Description: "Made between the page's read and the app's start.",
		Status: ticket.StatusOpen, CreatedAt: now, UpdatedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	b.waitApp()
	want := strconv.FormatInt(tk.Number, 10)
	b.waitTrue("the ticket created meanwhile on the dashboard", `(`+jsRows+`).includes(`+strconv.Quote(want)+`)`)

	for deadline := time.Now().Add(waitTimeout); !slices.ContainsFunc(calls, func(c string) bool { return strings.HasPrefix(c, "GET /api/v1/events?") }); {
		if time.Now().After(deadline) {
			t.Fatalf("the live stream did not open after the reload (requests: %v)", calls)
		}
		time.Sleep(20 * time.Millisecond)
		calls = append(calls, p.apiCalls()...)
	}
	// Before the stream opened, once (by the page); the ticket's event
	// then has the app read the list again.
	i := slices.IndexFunc(calls, func(c string) bool { return strings.HasPrefix(c, "GET /api/v1/events?") })
	if got := count(calls[:i], list); got != 1 {
		t.Errorf("first visit: %s asked %d times before the live stream opened, want 1, by the page (requests: %v)", list, got, calls)
	}
	if !strings.HasSuffix(calls[i], "&after="+strconv.FormatInt(last, 10)) {
		t.Errorf("the live stream opened as %q, want it to start after event %d, the newest when the page asked", calls[i], last)
	}
}

// uncached makes b's page loads reach the server: no service worker, no
// HTTP cache (a page held at its start by holdWasm must ask for app.wasm).
func uncached(b *browser) {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, network.Enable, network.EnableParams{}); err != nil {
		b.t.Fatal(err)
	}
	if _, err := chromedp.Call(b.ctx, network.SetBypassServiceWorker, network.SetBypassServiceWorkerParams{Bypass: true}); err != nil {
		b.t.Fatal(err)
	}
	if _, err := chromedp.Call(b.ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		b.t.Fatal(err)
	}
}

// waitCalls waits until an API request starting with prefix reached the
// portal, and returns the requests seen.
func waitCalls(t *testing.T, p *portal, prefix string, seen []string) []string {
	t.Helper()
	for deadline := time.Now().Add(waitTimeout); ; {
		seen = append(seen, p.apiCalls()...)
		if slices.ContainsFunc(seen, func(c string) bool { return strings.HasPrefix(c, prefix) }) {
			return seen
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s reached the portal (requests: %v)", prefix, seen)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Two tabs of one user share the place in the live stream (localStorage).
// Tab A's page has read its lists and its app is still loading when a
// ticket is created; tab B's running stream moves the shared place past
// that ticket's event. Tab A's stream starts from the place its lists were
// read at, and its dashboard shows the ticket.
func TestTabsStartFromTheirListsPlace(t *testing.T) {
	p := startPortal(t)
	main := p.org(t, "100200")
	anna := userID(t, p, seed.AnnaEmail)
	b := loginTo(t, p, "en-US", seed.AnnaEmail)
	b.waitTrue("live stream connected", jsLiveResumes(anna))
	placeJS := `Number(Object.entries(localStorage).find(([k]) => k.startsWith("supportal.events.") && k.endsWith(".` + strconv.FormatInt(anna, 10) + `"))?.[1] ?? 0)`

	tab := b.newTab()
	uncached(tab)
	p.apiCalls()
	release := p.holdWasm(t)
	go chromedp.Run(tab.ctx, chromedp.Navigate(p.URL+"/"))
	seen := waitCalls(t, p, "GET /api/v1/tickets?open=true", nil)
	seen = waitCalls(t, p, "GET /api/v1/tickets/counts", seen)

	now := time.Now()
	tk, err := p.DB.CreateTicket(context.Background(), ticket.Ticket{Organization: ticket.OrgRef{ID: main.ID}, Requester: ticket.UserRef{ID: anna},
		Type: "web_interface_problem", Category: "display", Subject: "Created while tab A was loading", Description: "Tab B's stream moves the place past it.",
		Status: ticket.StatusOpen, CreatedAt: now, UpdatedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	last, err := p.DB.LastEventID(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b.waitTrue("tab B's stream moved the place past the new ticket", fmt.Sprintf(`%s >= %d`, placeJS, last))
	release()
	tab.waitApp()
	want := strconv.FormatInt(tk.Number, 10)
	tab.waitTrue("tab A's dashboard shows the ticket", `(`+jsRows+`).includes(`+strconv.Quote(want)+`)`)
}

// A tab still loading for one user while another tab logs that user out
// and another in: the loading tab shows nothing of the first user (the
// page's preloaded answers are dropped on the tabs' logout message).
func TestLoadingTabDropsAnswersOfAnEndedSession(t *testing.T) {
	p := startPortal(t)
	b := loginTo(t, p, "en-US", seed.AnnaEmail)

	tab := b.newTab()
	uncached(tab)
	p.apiCalls()
	release := p.holdWasm(t)
	go chromedp.Run(tab.ctx, chromedp.Navigate(p.URL+"/"))
	waitCalls(t, p, "GET /api/v1/tickets/counts", nil)

	b.front()
	b.click("button#user-menu-button")
	b.click("button#logout")
	b.waitText("on the login page", jsPath, "/login")
	b.login(seed.DiegoEmail, seed.Password)
	b.waitText("path after Diego's login", jsPath, "/")
	tab.front()
	release()
	tab.waitApp()
	// Until Diego's dashboard is there, Anna's name never shows.
	for deadline := time.Now().Add(waitTimeout); ; {
		top := eval[string](tab, `(document.querySelector('header.topbar')?.innerText ?? '')`)
		if strings.Contains(top, "Anna") {
			t.Fatalf("the loading tab showed the logged-out user: %q", top)
		}
		if strings.Contains(top, "Diego") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the loading tab never showed Diego's session: %q", top)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
