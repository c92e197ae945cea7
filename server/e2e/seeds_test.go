package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/supportal/supportal/server/seed"
)

// Details of the real portals' help articles (shared/seeds) that a user of
// them would miss.

// Seed 000/001: the Support Assistant offers the preview before sending,
// as the form does, but does not require it: Bernd sends from the last
// step. Seed 004: the ticket overview has its own New ticket button. Seed
// 002: the reply box is the green message box.
func TestSeedAssistantOverviewReplyBox(t *testing.T) {
	p := startPortal(t)
	b := loginTo(t, p, "de-DE", seed.BerndEmail)

	b.click("a#nav-tickets, nav.sidenav a[href='/tickets']")
	b.waitText("the overview", jsPath, "/tickets")
	b.waitText("the overview's New ticket button", qText("a#tickets-new"), msg(t, "de", "NewTicketMenu"))
	b.click("a#tickets-assistant")
	b.waitText("the assistant from the overview", jsPath, "/assistant/type")
	b.jsClick("#f-type-web_interface_problem")
	b.waitTrue("the type chosen", qChecked("#f-type-web_interface_problem"))
	b.click("button#step-next")
	b.waitText("the category step", jsPath, "/assistant/category")
	b.jsClick("#f-category-display")
	b.waitTrue("the category chosen", qChecked("#f-category-display"))
	b.click("button#step-next")
	b.waitText("the details step", jsPath, "/assistant/details")
	const subject = "Spalten in der Terminübersicht verrutscht"
	b.typeIn("input#f-subject", subject)
	b.typeIn("textarea#f-description", "Seit dem Update sind die Spalten der Terminübersicht verschoben.")
	b.click("button#step-next")
	b.waitText("the files step", jsPath, "/assistant/files")
	b.waitText("the preview offered", qText("button#step-next"), msg(t, "de", "PreviewButton"))
	b.waitText("and sending at once", qText("button#send"), msg(t, "de", "Send"))
	b.click("button#send")
	q := b.waitSent()
	n := q.Get("ticket")
	if got := withSubject(t, p, p.org(t, "100200"), subject); len(got) != 1 {
		t.Fatalf("%d tickets %q after sending from the files step, want 1", len(got), subject)
	}

	b.click("a#sent-ticket")
	b.waitText("the ticket", jsPath, "/tickets/"+n)
	b.waitTrue("the reply box", qExists("form#reply"))
	if bg := eval[string](b, `getComputedStyle(document.getElementById("reply")).backgroundColor`); !greenish(bg) {
		t.Errorf("the reply box's background is %s, want the seed's green", bg)
	}
}

// greenish reports whether a CSS rgb() colour is green-tinted.
func greenish(rgb string) bool {
	var r, g, b int
	if _, err := fmt.Sscanf(rgb, "rgb(%d, %d, %d)", &r, &g, &b); err != nil {
		return false
	}
	return g > r && g > b
}

// Seed 003: a vendor's own tickets are "Vendor support tickets", and
// Manage accounts lets Vera search and select an account. Vera's browser
// asks for Spanish while her language is English: she is asked once.
func TestSeedVendorVera(t *testing.T) {
	p := startPortal(t)
	vera := newBrowser(t, p, "es-ES")
	vera.open("/login")
	vera.login(seed.VeraEmail, seed.Password)
	vera.waitText("after login", jsPath, "/")

	// Asked once, in Spanish; "Keep English" keeps it.
	vera.waitText("the offer, in Spanish", qText("#lang-offer-text"), msg(t, "es", "LangOfferText"))
	vera.waitText("keeping, in English", qText("#lang-offer-keep"), msg(t, "en", "LangOfferKeep"))
	vera.click("#lang-offer-keep")
	vera.waitFalse("the offer gone", qExists("#lang-offer"))
	vera.waitText("still English", `document.documentElement.lang`, "en")
	vera.do("reloading", chromedp.Reload())
	vera.waitApp()
	vera.waitTrue("the dashboard again", qExists("main h1"))
	if vera.qExistsNow("#lang-offer") {
		t.Error("asked again after answering")
	}

	vera.click("a#nav-vendor-support")
	vera.waitText("her vendor's tickets", jsPath, "/tickets")
	vera.waitText("their own heading", jsH1, msg(t, "en", "VendorSupportTickets"))

	vera.nav("/vendor/accounts")
	vera.waitTrue("the search field", qExists("input#vendor-accounts-search"))
	vera.typeIn("input#vendor-accounts-search", "lumie")
	vera.waitText("only Cabinet Lumière", `[...document.querySelectorAll("#vendor-accounts tbody tr")].map(r => r.cells[0].textContent).join("|")`, "Cabinet Lumière (200300)")
	vera.typeIn("input#vendor-accounts-search", "zz")
	vera.waitContains("no account matches", qText("#no-vendor-accounts"), "lumiezz")

	// Anna (de) in a Spanish browser switches: the portal and her saved
	// language become Spanish.
	anna := newBrowser(t, p, "es-ES")
	anna.open("/login")
	anna.login(seed.AnnaEmail, seed.Password)
	anna.waitText("after login", jsPath, "/")
	anna.waitText("the offer", qText("#lang-offer-switch"), msg(t, "es", "LangOfferSwitch"))
	anna.click("#lang-offer-switch")
	anna.waitText("Spanish now", `document.documentElement.lang`, "es")
	anna.waitFalse("the offer gone", qExists("#lang-offer"))
	anna.waitText("focus on the page's heading, not lost with the bar", `document.activeElement?.id ?? ''`, "page-title")
	if l := p.userLocale(t, seed.AnnaEmail); l != "es" {
		t.Errorf("Anna's saved language is %q after switching, want es", l)
	}
	if strings.TrimSpace(eval[string](anna, jsH1)) != msg(t, "es", "Dashboard") {
		t.Errorf("the dashboard's heading after switching: %q", eval[string](anna, jsH1))
	}
}
