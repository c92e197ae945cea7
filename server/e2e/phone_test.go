package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/supportal/supportal/server/seed"
)

// onPhone makes the browser a 390 × 844 touch screen.
func (b *browser) onPhone() {
	b.t.Helper()
	b.do("becoming a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateTouch, chromedp.EmulateMobile))
}

// fits fails the test when the page scrolls sideways.
func (b *browser) fits(where string) {
	b.t.Helper()
	if wide := b.overflow(); wide != "" {
		b.t.Errorf("%s scrolls sideways at %d px: %s", where, eval[int](b, `innerWidth`), wide)
	}
}

// tap touches the middle of the element sel with a finger.
func (b *browser) tap(sel string) {
	b.t.Helper()
	b.waitTrue(sel+" on screen", `(() => { const el = document.querySelector(`+strconv.Quote(sel)+`); return !!el && el.getClientRects().length > 0; })()`)
	var box []float64
	box = eval[[]float64](b, `(() => {
		const el = document.querySelector(`+strconv.Quote(sel)+`);
		el.scrollIntoView({block: "center"});
		const r = el.getBoundingClientRect();
		return [r.left + r.width / 2, r.top + r.height / 2];
	})()`)
	ctx, cancel := context.WithTimeout(b.ctx, waitTimeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: input.DispatchTouchEventTypeTouchStart, TouchPoints: []*input.TouchPoint{{X: box[0], Y: box[1]}}}); err != nil {
		b.t.Fatalf("touching %s: %v", sel, err)
	}
	if _, err := chromedp.Call(ctx, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: input.DispatchTouchEventTypeTouchEnd, TouchPoints: []*input.TouchPoint{}}); err != nil {
		b.t.Fatalf("lifting the finger from %s: %v", sel, err)
	}
}

const jsNavShown = `getComputedStyle(document.getElementById("sidenav")).display !== "none"`

// Anna on her phone (390 × 844): the navigation opens and closes by
// keyboard and by touch, the focus lands on each new page's heading, she
// files a ticket through the Support Assistant and reads support's reply —
// and no page scrolls sideways.
func TestPhoneAnnaFilesAndReads(t *testing.T) {
	p := startPortal(t)
	b := loginTo(t, p, "de-DE", seed.AnnaEmail)
	b.onPhone()
	b.fits("the dashboard")
	if eval[bool](b, jsNavShown) {
		t.Fatal("the navigation takes the screen before it is asked for")
	}
	b.waitContains("the unread count on the Menu button", qText("#nav-toggle"), "2")

	// Keyboard: Enter opens, the focus goes in; Escape closes and returns.
	b.do("focusing the Menu button", chromedp.Focus(chromedp.CSS("#nav-toggle")))
	b.do("pressing Enter", chromedp.KeyEvent(kb.Enter))
	b.waitTrue("the navigation open", jsNavShown)
	b.waitText("aria-expanded", `document.getElementById("nav-toggle").getAttribute("aria-expanded")`, "true")
	b.waitText("the focus on the first link", `document.activeElement.getAttribute("href") ?? ""`, "/")
	b.fits("the open navigation")
	b.do("pressing Escape", chromedp.KeyEvent(kb.Escape))
	b.waitFalse("the navigation closed", jsNavShown)
	b.waitText("the focus back on the Menu button", `document.activeElement.id`, "nav-toggle")

	// Touch: a tap opens it, a tap on Tickets goes there and closes it.
	b.tap("#nav-toggle")
	b.waitTrue("the navigation open after a tap", jsNavShown)
	b.tap(`#sidenav a[href="/tickets"]`)
	b.waitText("the ticket list", jsPath, "/tickets")
	b.waitFalse("the navigation closed after choosing", jsNavShown)
	b.waitText("the focus on the new page's heading", `document.activeElement.id`, "page-title")
	b.waitTrue("the tickets as cards", qExists("table.tickets tbody tr"))
	if display := eval[string](b, `getComputedStyle(document.querySelector("table.tickets tbody tr")).display`); display != "grid" {
		t.Errorf("a ticket row is shown as %q on the phone, want a card (grid)", display)
	}
	b.fits("the ticket list")

	// The Support Assistant, step by step.
	b.tap("#nav-toggle")
	b.tap(`#sidenav a[href="/"]`)
	b.waitText("the dashboard", jsPath, "/")
	b.tap("a#start-assistant")
	b.waitText("the type step", jsPath, "/assistant/type")
	b.waitText("the focus on the heading after the link", `document.activeElement.id`, "page-title")
	b.fits("the type step")
	if n := eval[int](b, `[...document.querySelectorAll("input[name=type]")].filter(i => i.closest("label").getBoundingClientRect().bottom <= innerHeight).length`); n < 4 {
		t.Errorf("only %d types of ticket on the first screen of the assistant, want at least 4", n)
	}
	b.tap("#f-type-web_interface_problem")
	b.waitTrue("the type chosen", qChecked("#f-type-web_interface_problem"))
	b.tap("button#step-next")
	b.waitFalse("past the type step", jsPath+` === "/assistant/type"`)
	if eval[string](b, jsPath) == "/assistant/account" {
		b.fits("the account step")
		b.tap("button#step-next")
	}
	b.waitText("the category step", jsPath, "/assistant/category")
	b.fits("the category step")
	b.tap("#f-category-display")
	b.waitTrue("the category chosen", qChecked("#f-category-display"))
	b.tap("button#step-next")
	b.waitText("the details step", jsPath, "/assistant/details")
	const subject = "Tabelle auf dem Handy abgeschnitten"
	b.typeIn("input#f-subject", subject)
	b.typeIn("textarea#f-description", "Auf dem Telefon ist die rechte Spalte der Rechnungstabelle abgeschnitten.")
	b.fits("the details step")
	b.tap("button#step-next")
	b.waitText("the files step", jsPath, "/assistant/files")
	b.fits("the files step")
	b.tap("button#step-next")
	b.waitText("the preview step", jsPath, "/assistant/preview")
	b.fits("the preview")
	b.tap("button#send")
	sent := b.waitSent()
	n, _ := strconv.ParseInt(sent.Get("ticket"), 10, 64)
	b.fits("the success page")

	// Support answers; Anna opens the ticket and reads it.
	const answer = "Danke für den Hinweis – die Tabelle bricht auf schmalen Bildschirmen jetzt um."
	sam := apiAs(t, p, seed.SamEmail)
	res, err := sam.Post(p.URL+"/api/v1/tickets/"+strconv.FormatInt(n, 10)+"/messages", "application/json", strings.NewReader(`{"body":`+strconv.Quote(answer)+`}`))
	if err != nil || res.StatusCode != 201 {
		t.Fatalf("Sam's reply: %v %v", err, res)
	}
	res.Body.Close()
	b.tap("a#sent-ticket")
	b.waitText("the ticket", jsPath, "/tickets/"+strconv.FormatInt(n, 10))
	b.waitContains("support's reply", qText("#messages"), answer)
	b.fits("the ticket page")
}
