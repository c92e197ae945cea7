package e2e

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/seed"
)

// Anna filters her tickets on the category "invoice", saves the list as
// the view "Rechnungen", finds it in the navigation after a reload, opens
// it, renames it and deletes it.
func TestSavedViewAnna(t *testing.T) {
	p := startPortal(t)
	sonnenschein := p.org(t, "100200")
	// The invoice tickets of the account, in the tab that has some.
	tab, want := "true", []int64{}
	for _, open := range []bool{true, false} {
		var got []int64
		for _, tk := range p.tickets(t, sonnenschein.ID) {
			if tk.Category == "invoice" && tk.Status.Closed() != open {
				got = append(got, tk.Number)
			}
		}
		if len(got) > 0 {
			slices.Sort(got)
			tab, want = strconv.FormatBool(open), got
			break
		}
	}
	if len(want) == 0 {
		t.Fatal("the demo data has no invoice ticket of 100200")
	}

	b := loginTo(t, p, "de-DE", seed.AnnaEmail)
	b.click(`nav.sidenav a[href="/tickets"]`)
	if tab == "false" {
		b.click("a#tab-closed")
	}
	b.waitTrue("filters", qExists("select#filter-category"))
	b.waitTrue("categories from the catalog", qExists(`select#filter-category option[value="invoice"]`))
	b.choose("filter-category", "invoice")
	b.waitContains("address with the filter", "location.search", "category=invoice")
	b.waitNumbers("invoice tickets", qNumbers("table.tickets td.ticket-number"), want)

	// Save: an empty name is refused, in German.
	b.click("button#view-save")
	b.click("button#view-name-save")
	b.waitText("empty name refused", qText("#err-view-name"), msg(t, "de", "ErrViewNameRequired"))
	b.typeIn("input#view-name", "Rechnungen")
	b.click("button#view-name-save")
	b.waitText("heading of the saved view", qText("main h1"), "Rechnungen")
	b.waitContains("address of the view", "location.search", "view=")
	b.waitText("the view in the navigation", qText("nav.sidenav .nav-views a"), "Rechnungen")

	// After a reload the view is still there: it is stored on the server.
	b.do("reloading", chromedp.Reload())
	b.waitApp()
	b.waitText("the view in the navigation after a reload", qText("nav.sidenav .nav-views a"), "Rechnungen")
	b.click(`nav.sidenav a[href="/"]`)
	b.waitText("on the dashboard", jsPath, "/")
	b.click("nav.sidenav .nav-views a")
	b.waitText("heading of the view", qText("main h1"), "Rechnungen")
	b.waitText("the view marked current", `document.querySelector("nav.sidenav .nav-views a")?.getAttribute("aria-current") ?? ""`, "page")
	b.waitNumbers("the view's tickets", qNumbers("table.tickets td.ticket-number"), want)

	views, err := p.DB.Views(context.Background(), userID(t, p, seed.AnnaEmail))
	if err != nil || len(views) != 1 || views[0].Query.Category != "invoice" {
		t.Fatalf("stored views = %+v, %v", views, err)
	}

	// Change the view: a new sort order stays in the view and is saved
	// into it.
	b.waitFalse("unchanged: nothing to save", qExists("button#view-update"))
	b.choose("filter-sort", string(ticket.SortNumber))
	b.waitContains("address with the sort", "location.search", "sort=number")
	b.waitContains("still in the view", "location.search", "view=")
	b.waitText("still the view's heading", qText("main h1"), "Rechnungen")
	b.click("button#view-update")
	b.waitFalse("saved: nothing left to save", qExists("button#view-update"))
	views, err = p.DB.Views(context.Background(), userID(t, p, seed.AnnaEmail))
	if err != nil || len(views) != 1 || views[0].Query.Sort != ticket.SortNumber || views[0].Query.Category != "invoice" {
		t.Fatalf("stored views after saving the change = %+v, %v", views, err)
	}

	// Rename, then delete.
	b.click("button#view-rename")
	b.waitText("the name to change", qValue("input#view-name"), "Rechnungen")
	b.waitText("the focus in the name", `document.activeElement?.id ?? ''`, "view-name")
	b.typeIn("input#view-name", strings.Repeat("\b", len("Rechnungen"))+"Offene Rechnungen")
	b.click("button#view-name-save")
	b.waitText("renamed in the heading", qText("main h1"), "Offene Rechnungen")
	b.waitText("renamed in the navigation", qText("nav.sidenav .nav-views a"), "Offene Rechnungen")
	b.click("button#view-delete")
	b.waitContains("delete asks first", qText("#view-delete-question"), "Offene Rechnungen")
	b.click("button#view-delete-confirm")
	b.waitFalse("the view left the navigation", qExists("nav.sidenav .nav-views a"))
	b.waitText("back to the plain list", qText("main h1"), msg(t, "de", "Tickets"))
	if views, _ := p.DB.Views(context.Background(), userID(t, p, seed.AnnaEmail)); len(views) != 0 {
		t.Fatalf("views after delete = %+v", views)
	}
}

// Sam assigns a ticket to himself from the agent queue and finds it under
// "assigned to me".
func TestAgentQueueAssign(t *testing.T) {
	p := startPortal(t)
	b := newBrowser(t, p, "en-US")
	b.open("/login")
	b.login(seed.SamEmail, seed.Password)
	b.waitText("path after login", jsPath, "/")
	b.click(`nav.sidenav a[href="/agent"]`)
	b.waitText("the queue", jsPath, "/agent")
	b.waitTrue("an assign button", qExists("table.tickets button[id^=assign-]"))
	id := eval[string](b, `document.querySelector("table.tickets button[id^=assign-]").id`)
	n, _ := strconv.ParseInt(id[len("assign-"):], 10, 64)
	b.click("button#" + id)
	b.waitText("the row shows the assignee", qText("tr#ticket-row-"+strconv.FormatInt(n, 10)+" td.assignee"), "Sam Agent")
	if got := storedTicket(t, p, n); got.Assignee == nil || got.Assignee.Name != "Sam Agent" {
		t.Fatalf("stored assignee = %+v", got.Assignee)
	}
	b.choose("filter-assignee", "me")
	b.waitContains("address with the filter", "location.search", "assignee=me")
	b.waitNumbers("my tickets", qNumbers("table.tickets td.ticket-number"), []int64{n})
	b.waitText("internal status label", qText("tr#ticket-row-"+strconv.FormatInt(n, 10)+" td.internal-status"),
		msg(t, "en", storedTicket(t, p, n).Status.MessageID()))
}

// qNumbers is JS listing the numbers shown in the cells sel ("#10005").
func qNumbers(sel string) string {
	return `Array.from(document.querySelectorAll("` + sel + `"), e => e.textContent.trim().replace("#", ""))`
}

func userID(t *testing.T, p *portal, email string) int64 {
	t.Helper()
	u, _, err := p.DB.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// Sam postpones a ticket from its page: the day is asked first, a past
// day is refused in his language; he assigns the ticket to himself.
func TestAgentPostponeAndAssign(t *testing.T) {
	p := startPortal(t)
	sonnenschein := p.org(t, "100200")
	var n int64
	for _, tk := range p.tickets(t, sonnenschein.ID) {
		if tk.Status == ticket.StatusOpen || tk.Status == ticket.StatusNew {
			n = tk.Number
			break
		}
	}
	b := newBrowser(t, p, "en-US")
	b.open("/login")
	b.login(seed.SamEmail, seed.Password)
	b.waitText("path after login", jsPath, "/")
	b.open("/tickets/" + strconv.FormatInt(n, 10))
	b.waitTrue("agent panel", qExists("section#agent-panel select#agent-status"))
	b.waitText("nobody assigned", qText("#ticket-assignee"), msg(t, "en", "Unassigned"))
	b.click("button#assign-me")
	b.waitText("assigned to Sam", qText("#ticket-assignee"), "Sam Agent")
	b.waitText("the focus on what replaced the pressed button", `document.activeElement?.id ?? ''`, "unassign")

	b.choose("agent-status", string(ticket.StatusPostponed))
	b.waitTrue("the day is asked", qExists("input#postpone-date"))
	if got := storedTicket(t, p, n).Status; got == ticket.StatusPostponed {
		t.Fatal("postponed before the day was given")
	}
	b.do("a past day", chromedp.SetValue(chromedp.ID("postpone-date"), "2020-01-01"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("postpone-date").dispatchEvent(new Event("change", {bubbles: true}))`))
	b.click("button#postpone-save")
	b.waitText("past day refused", qText("#err-postpone-date"), msg(t, "en", "ErrPostponePast"))
	b.waitText("the focus on the day to fix", `document.activeElement?.id ?? ''`, "postpone-date")
	day := time.Now().AddDate(0, 1, 0).Format("2006-01-02")
	b.do("a future day", chromedp.SetValue(chromedp.ID("postpone-date"), day),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("postpone-date").dispatchEvent(new Event("change", {bubbles: true}))`))
	b.click("button#postpone-save")
	b.waitText("internal status", qText("#ticket-internal-status"), msg(t, "en", "Status_postponed"))
	b.waitTrue("the day shown", qExists("#ticket-postponed-until"))
	got := storedTicket(t, p, n)
	if got.Status != ticket.StatusPostponed || got.PostponedUntil == nil || got.PostponedUntil.Before(time.Now()) || got.Assignee == nil {
		t.Fatalf("stored: status %s, until %v, assignee %+v", got.Status, got.PostponedUntil, got.Assignee)
	}
}
