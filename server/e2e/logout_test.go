package e2e

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/supportal/supportal/server/seed"
)

// jsStoredOfUser lists what the app keeps in localStorage and in its
// database's drafts ("supportal." keys) and any stored value that holds %q.
const jsStoredOfUser = `(async () => {
	const out = [];
	for (let i = 0; i < localStorage.length; i++) {
		const k = localStorage.key(i), v = localStorage.getItem(k) || "";
		if (k.startsWith("supportal.") || v.includes(%[1]q)) out.push(k);
	}
	for (const [k, v] of await supportalStore.entries("drafts", "")) {
		if (k.startsWith("supportal.") || v.includes(%[1]q)) out.push(k);
	}
	return out.sort().join(" ");
})()`

// Bernd writes a reply and a ticket in the form, then logs out: he is
// asked first, with his drafts listed; "Keep writing" keeps everything;
// logging out then leaves nothing of him in the browser's storage.
func TestLogoutLeavesNothingBehind(t *testing.T) {
	p := startPortal(t)
	sonnenschein := p.org(t, "100200")
	b := loginTo(t, p, "de-DE", seed.BerndEmail)
	const (
		reply   = "Patientin Erika Mustermann, geb. 12.03.1961"
		subject = "Befund von Erika Mustermann fehlt"
	)
	n := p.numbers(t, sonnenschein, true)[0]
	b.open("/tickets/" + strconv.FormatInt(n, 10))
	b.waitTrue("reply box", qExists("textarea#reply-body"))
	b.typeIn("textarea#reply-body", reply)
	b.waitText("reply as typed", qValue("textarea#reply-body"), reply)
	b.open("/tickets/new")
	b.choose("f-type", "login_problem")
	b.typeIn("input#f-subject", subject)
	b.waitText("subject as typed", qValue("input#f-subject"), subject)
	b.waitContains("drafts in the browser", fmt.Sprintf(jsStoredOfUser, "Mustermann"), "supportal.draft.")

	b.click("button#user-menu-button")
	b.click("button#logout")
	b.waitTrue("the question before logout", `document.querySelector("dialog#logout-dialog").open`)
	b.waitText("the question's title, for two drafts", qText("#logout-dialog-title"), "Nicht gesendete Entwürfe")
	b.waitContains("the form's draft listed", qText("#logout-drafts")+`.replace(/[\u2068\u2069]/g, "")`, msg(t, "de", "LogoutDraftForm")+": "+subject)
	b.waitContains("the reply listed", qText("#logout-drafts"), "#"+strconv.FormatInt(n, 10))
	b.waitText("the safe choice has the focus", `document.activeElement.id`, "logout-keep")

	b.click("button#logout-keep")
	b.waitFalse("the question closed", `document.querySelector("dialog#logout-dialog").open`)
	b.waitText("still logged in, on the form", jsPath, "/tickets/new")
	b.waitText("the subject is still there", qValue("input#f-subject"), subject)

	b.click("button#user-menu-button")
	b.click("button#logout")
	b.waitTrue("asked again", `document.querySelector("dialog#logout-dialog").open`)
	b.click("button#logout-confirm")
	b.waitText("on the login page", jsPath, "/login")
	b.waitText("nothing of Bernd in localStorage", fmt.Sprintf(jsStoredOfUser, "Mustermann"), "")
	b.do("reloading the login page", chromedp.Reload())
	b.waitApp()
	b.waitText("nothing after a reload either", fmt.Sprintf(jsStoredOfUser, "Mustermann"), "")
}

// A session that ends while the app is closed (logged out elsewhere,
// expired): the next start of the app removes the drafts it left.
func TestEndedSessionLeavesNothingBehind(t *testing.T) {
	p := startPortal(t)
	b := loginTo(t, p, "en-US", seed.DiegoEmail)
	const subject = "Paciente Juan Pérez: factura duplicada"
	b.open("/tickets/new")
	b.choose("f-type", "login_problem")
	b.typeIn("input#f-subject", subject)
	b.waitText("subject as typed", qValue("input#f-subject"), subject)
	// The session ends behind the app's back.
	if got := evalAwait[float64](b, `fetch("/api/v1/logout", {method: "POST"}).then(r => r.status)`); got != 204 {
		t.Fatalf("logout behind the app's back: %v, want 204", got)
	}
	b.open("/tickets/new")
	b.waitText("sent to login", jsPath, "/login")
	b.waitText("nothing of Diego in localStorage", fmt.Sprintf(jsStoredOfUser, "Pérez"), "")
}

// Diego has two tabs open; he logs out in one: the other goes to the login
// page, which says he logged out in another window (not that his session
// expired: there is nothing to come back to).
func TestLogoutInAnotherTab(t *testing.T) {
	p := startPortal(t)
	b := loginTo(t, p, "es-ES", seed.DiegoEmail)
	tab := b.newTab()
	tab.open("/tickets")
	tab.waitTrue("the list in the second tab", qExists("#ticket-search-form"))

	b.front()
	b.click("button#user-menu-button")
	b.click("button#logout") // no drafts: no question
	b.waitText("the first tab on the login page", jsPath, "/login")
	tab.front()
	tab.waitText("the second tab on the login page", jsPath, "/login")
	tab.waitText("which says why", qText("#logged-out-elsewhere"), msg(t, "es", "LoggedOutElsewhere"))
	tab.waitFalse("and promises no way back", qExists("#session-expired"))
}

// Two login pages in one browser: Anna logs in in the first, Bernd then in
// the second (the browser's session cookie is his now). The first tab does
// not go on as Anna with Bernd's session: it starts again as Bernd, and a
// reply it had been writing never goes out under his name.
func TestAnotherLoginInAnotherTab(t *testing.T) {
	p := startPortal(t)
	b := newBrowser(t, p, "de-DE")
	b.open("/login")
	b2 := b.newTab()
	b2.open("/login")
	b2.waitTrue("the second login page", qExists("form#login-form"))

	b.front()
	b.login(seed.AnnaEmail, seed.Password)
	b.waitText("Anna in the first tab", qText("#user-menu-button"), "Anna Admin")
	n := p.numbers(t, p.org(t, "100200"), true)[0]
	b.open("/tickets/" + strconv.FormatInt(n, 10))
	b.waitTrue("Anna's reply box", qExists("textarea#reply-body"))
	before, err := p.DB.Messages(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}

	b2.front()
	b2.login(seed.BerndEmail, seed.Password)
	b2.waitText("Bernd in the second tab", qText("#user-menu-button"), "Bernd Becker")

	b.front()
	b.waitText("the first tab starts again as Bernd", qText("#user-menu-button"), "Bernd Becker")
	// A request the old page had made would name Anna and be refused.
	anna, _, err := p.DB.UserByEmail(context.Background(), seed.AnnaEmail)
	if err != nil {
		t.Fatal(err)
	}
	if got := evalAwait[int](b, `fetch("/api/v1/tickets/`+strconv.FormatInt(n, 10)+`/messages", {method: "POST", headers: {"Content-Type": "application/json", "Supportal-User": "`+strconv.FormatInt(anna.ID, 10)+`"}, body: JSON.stringify({body: "aus Annas altem Fenster"})}).then(r => r.status)`); got != 401 {
		t.Errorf("a reply naming Anna with Bernd's session: %d, want 401", got)
	}
	after, err := p.DB.Messages(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Errorf("ticket #%d got %d messages while the sessions changed", n, len(after)-len(before))
	}
}
