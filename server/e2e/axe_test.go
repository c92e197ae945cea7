package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/seed"
)

// The accessibility sweep: axe-core (pinned in .ci/axe/package.json,
// installed by `make axe`) checks every page and state a user meets, in
// the four languages, at a desktop and a phone width; any violation of the
// WCAG 2.2 A/AA rules or axe's best practices fails the test.

// axeTags are the rules run: WCAG 2.0–2.2 A and AA, and best practices.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"}

// axeWidths are the widths every state is checked at: a desktop and a phone.
var axeWidths = []struct{ w, h int64 }{{1280, 900}, {390, 844}}

var axeLangs = []string{"de", "fr", "es", "en"}

var (
	axeOnce   sync.Once
	axeScript string
	axeErr    error
)

// axeSource returns axe-core's script; a test that needs it fails when it
// is not installed.
func axeSource(t *testing.T) string {
	t.Helper()
	axeOnce.Do(func() {
		var b []byte
		b, axeErr = os.ReadFile(filepath.Join("..", "..", ".ci", "axe", "node_modules", "axe-core", "axe.min.js"))
		axeScript = string(b)
	})
	if axeErr != nil {
		t.Fatalf("axe-core is not installed (run `make axe`, which runs npm ci in .ci/axe): %v", axeErr)
	}
	return axeScript
}

// axeViolation is what the test reports of one violated rule.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// nav follows an in-app link to path, as a user clicking one (no reload).
func (b *browser) nav(path string) {
	b.t.Helper()
	b.do("following a link to "+path, chromedp.Evaluate[chromedp.Void](`(() => {
		const a = document.createElement("a");
		a.href = `+strconv.Quote(path)+`;
		document.body.appendChild(a);
		a.click();
		a.remove();
	})()`))
	b.waitText("address after following a link to "+path, jsPath+` + location.search`, path)
}

// axeCheck runs axe-core on the page as it is, at each of axeWidths, and
// reports every violation as an error of the test.
func (b *browser) axeCheck(state string) {
	b.t.Helper()
	for _, v := range b.axeFindings(state) {
		b.t.Error(v)
	}
}

// axeFindings runs axe-core on the page as it is, at each of axeWidths,
// and returns the violations found, one line each.
func (b *browser) axeFindings(state string) []string {
	b.t.Helper()
	if !eval[bool](b, `typeof axe !== "undefined"`) {
		b.do("loading axe-core", chromedp.Evaluate[chromedp.Void](axeSource(b.t)))
	}
	defer b.do("restoring the window size", chromedp.EmulateViewport(1280, 900))
	var out []string
	for _, size := range axeWidths {
		b.do(fmt.Sprintf("resizing to %d px", size.w), chromedp.EmulateViewport(size.w, size.h))
		tags, _ := json.Marshal(axeTags)
		raw := evalAwait[string](b, `axe.run(document, {runOnly: {type: "tag", values: `+string(tags)+`}, resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`)
		var found []axeViolation
		if err := json.Unmarshal([]byte(raw), &found); err != nil {
			b.t.Fatalf("axe's answer on %s: %v", state, err)
		}
		for _, v := range found {
			var where []string
			for i, n := range v.Nodes {
				if i == 3 {
					where = append(where, fmt.Sprintf("and %d more", len(v.Nodes)-3))
					break
				}
				where = append(where, fmt.Sprintf("%v (%s)", n.Target, strings.ReplaceAll(strings.TrimSpace(n.Summary), "\n", " ")))
			}
			out = append(out, fmt.Sprintf("%s at %d px: %s %s — %s: %s", state, size.w, v.Impact, v.ID, v.Help, strings.Join(where, "; ")))
		}
		if size.w < 1000 {
			if wide := b.overflow(); wide != "" {
				out = append(out, fmt.Sprintf("%s at %d px: scrolls sideways: %s", state, size.w, wide))
			}
		}
	}
	// The narrowest a side panel gets.
	b.do("resizing to 360 px", chromedp.EmulateViewport(360, 740))
	if wide := b.overflow(); wide != "" {
		out = append(out, fmt.Sprintf("%s at 360 px: scrolls sideways: %s", state, wide))
	}
	return out
}

// overflow says what makes the page wider than the window ("" when it
// fits): the page must not scroll sideways.
func (b *browser) overflow() string {
	b.t.Helper()
	return eval[string](b, `(() => {
		const w = document.documentElement.clientWidth;
		if (document.documentElement.scrollWidth <= w) return "";
		const wide = [];
		for (const el of document.querySelectorAll("body *")) {
			const r = el.getBoundingClientRect();
			if (r.right > w + 1 && r.width > 0 && !el.closest(".visually-hidden, .table-wrap, .rows-scroll")) {
				wide.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : "") + " (" + Math.round(r.right) + " px)");
			}
			if (wide.length === 5) break;
		}
		return "scrollWidth " + document.documentElement.scrollWidth + " > " + w + ": " + wide.join(", ");
	})()`)
}

// setLang switches the app's language with its language menu.
func (b *browser) setLang(lang string) {
	b.t.Helper()
	b.choose("lang-select", lang)
	b.waitText("the page's language", `document.documentElement.lang`, lang)
}

// Every page and state a customer meets, in four languages, at desktop
// and phone width: zero axe-core violations.
func TestAccessibilityCustomer(t *testing.T) {
	axeSource(t)
	for _, lang := range axeLangs {
		t.Run(lang, func(t *testing.T) { axeCustomer(t, lang) })
	}
}

// axeCustomer is the customer's sweep in lang: its own portal and browser,
// so the languages run side by side.
func axeCustomer(t *testing.T, lang string) {
	p := startPortal(t)
	praxis := p.org(t, "100200")
	open := p.numbers(t, praxis, true)
	record := p.record(t, "100200", ticket.RecordClaim, "CLM-AXE-1", "Abrechnung Quartal 3", ticket.RecordField{Label: "dateOfService", Value: "2026-11-12", Kind: ticket.KindDate}).ID
	b := loginTo(t, p, "de-DE", seed.AnnaEmail)
	{
		b.setLang(lang)
		state := func(s string) string { return lang + ": " + s }

		b.nav("/")
		b.waitTrue("the dashboard", qExists("a#start-assistant"))
		b.axeCheck(state("dashboard"))

		b.nav("/tickets")
		b.waitTrue("the list", qExists("table tbody tr"))
		b.axeCheck(state("ticket list, open tab"))
		b.click("#filters-summary")
		b.waitTrue("the filters open", `document.getElementById("filters").open`)
		b.axeCheck(state("ticket list, filters open"))
		b.click("a#tab-closed")
		b.waitTrue("the closed tab", qExists("a#tab-closed[aria-current=page]"))
		b.axeCheck(state("ticket list, closed tab"))
		b.nav("/tickets?q=zzzqqxx")
		b.waitTrue("no match", qExists("#no-tickets"))
		b.axeCheck(state("ticket list, search without a match"))

		b.nav("/tickets/" + strconv.FormatInt(open[0], 10))
		b.waitTrue("the ticket", qExists("textarea#reply-body"))
		b.axeCheck(state("ticket page"))
		b.upload("#reply-files-input", writeFile(t, "scan.pdf", pdfBytes))
		b.waitTrue("the privacy dialog", `document.querySelector("#reply-files-privacy")?.open === true`)
		b.axeCheck(state("privacy dialog"))
		b.click("#reply-files-privacy-cancel")

		b.nav("/tickets/new")
		b.waitTrue("the form", qExists("form#ticket-form"))
		b.jsClick("button#send")
		b.waitTrue("the form's errors", qExists("#f-type[aria-invalid=true]"))
		b.axeCheck(state("form with errors"))
		b.choose("f-type", "web_interface_problem")
		b.waitTrue("the categories", qExists("select#f-category"))
		b.click("#f-existingTicket-0")
		b.choose("f-category", "error_message")
		b.typeIn("input#f-subject", "Fehler 0x2A "+lang)
		b.typeIn("textarea#f-description", "Seit heute früh erscheint beim Öffnen der Rechnungen Fehler 0x2A.")
		b.jsClick("button#preview")
		b.waitTrue("the form's preview", qExists("#draft-preview"))
		b.axeCheck(state("form preview"))
		b.jsClick("button#send")
		b.waitText("the success page", jsPath, "/tickets/sent")
		b.axeCheck(state("success page"))

		b.nav("/assistant/type")
		b.waitTrue("the type step", qExists("#f-type-web_interface_problem"))
		b.jsClick("button#step-next")
		b.waitTrue("the type step's error", qExists(".field-error:not(:empty)"))
		b.axeCheck(state("assistant, type with an error"))
		b.jsClick("#f-type-web_interface_problem")
		b.waitTrue("the type chosen", qChecked("#f-type-web_interface_problem"))
		b.jsClick("button#step-next")
		b.waitFalse("past the type step", jsPath+` === "/assistant/type"`)
		if eval[string](b, jsPath) == "/assistant/account" {
			b.axeCheck(state("assistant, account"))
			b.jsClick("button#step-next")
			b.waitFalse("past the account step", jsPath+` === "/assistant/account"`)
		}
		b.waitText("the category step", jsPath, "/assistant/category")
		b.waitTrue("the categories", qExists("#f-category-error_message"))
		b.axeCheck(state("assistant, category"))
		b.jsClick("button#step-next")
		b.waitTrue("the category step's error", qExists("#err-f-category:not(:empty)"))
		b.axeCheck(state("assistant, category with an error"))
		b.jsClick("#f-category-error_message")
		b.waitTrue("the category chosen", qChecked("#f-category-error_message"))
		b.jsClick("button#step-next")
		b.waitText("the details step", jsPath, "/assistant/details")
		b.axeCheck(state("assistant, details"))
		b.jsClick("button#step-next")
		b.waitTrue("the details step's errors", qExists("#f-subject[aria-invalid=true]"))
		b.axeCheck(state("assistant, details with errors"))
		b.typeIn("input#f-subject", "Anzeige fehlerhaft "+lang)
		b.typeIn("textarea#f-description", "Die Tabelle der Rechnungen wird abgeschnitten dargestellt.")
		b.jsClick("button#step-next")
		b.waitText("the files step", jsPath, "/assistant/files")
		b.axeCheck(state("assistant, files"))
		b.jsClick("button#step-next")
		b.waitText("the preview step", jsPath, "/assistant/preview")
		b.axeCheck(state("assistant, preview"))
		b.jsClick("button#send")
		b.waitText("the success page after the assistant", jsPath, "/tickets/sent")

		b.nav("/settings/account")
		b.waitTrue("the settings", qExists("main h1"))
		b.axeCheck(state("account settings"))
		b.nav("/settings/profile")
		b.waitTrue("Your information", qExists("form#profile-form"))
		b.axeCheck(state("your information"))
		b.setValue("#profile-firstname", "A1")
		b.setValue("#profile-phone", "abc")
		b.jsClick("#profile-save")
		b.typeIn("#password-new", "kurz")
		b.jsClick("#password-submit")
		b.waitTrue("the profile's errors", qExists("#profile-firstname[aria-invalid=true]")+" && "+qExists("#password-new[aria-invalid=true]"))
		b.axeCheck(state("your information with errors"))
		b.nav("/records")
		b.waitTrue("the records", qExists("main h1"))
		b.axeCheck(state("records"))
		b.nav("/records/" + strconv.FormatInt(record, 10))
		b.waitTrue("the record", qExists("main h1"))
		b.axeCheck(state("record page"))
		b.nav("/outbox")
		b.waitTrue("the outbox", qExists("main h1"))
		b.axeCheck(state("outbox"))
		b.nav("/no-such-page")
		b.waitTrue("the 404 page", qExists("main h1"))
		b.axeCheck(state("page not found"))
	}
}

// The sweep can fail: an image without a text alternative and a button
// without a name, put into the login page, are found.
func TestAccessibilitySweepFindsViolations(t *testing.T) {
	axeSource(t)
	p := startPortal(t)
	b := newBrowser(t, p, "en-US")
	b.open("/login")
	b.waitTrue("the login form", qExists("form#login-form"))
	b.do("breaking the page", chromedp.Evaluate[chromedp.Void](`(() => {
		const main = document.getElementById("main");
		main.insertAdjacentHTML("beforeend", '<img src="/web/icon.svg"><button type="button"></button>');
	})()`))
	found := strings.Join(b.axeFindings("broken login page"), "\n")
	for _, rule := range []string{"image-alt", "button-name"} {
		if !strings.Contains(found, " "+rule+" ") {
			t.Errorf("axe did not report %s; found:\n%s", rule, found)
		}
	}
}

// The login page (empty, with an error) and the agent's and the vendor's
// pages, in four languages, at desktop and phone width.
func TestAccessibilityLoginAgentVendor(t *testing.T) {
	axeSource(t)
	p := startPortal(t)
	praxis, lumiere, medsoft := p.org(t, "100200"), p.org(t, "200300"), p.org(t, "900100")
	open := p.numbers(t, praxis, true)
	lumiereOpen := p.numbers(t, lumiere, true)[0]

	b := newBrowser(t, p, "de-DE")
	b.open("/login")
	for _, lang := range axeLangs {
		b.setLang(lang)
		b.waitTrue("the login form", qExists("form#login-form"))
		b.axeCheck(lang + ": login")
		b.click("button#login-submit")
		b.waitTrue("the login error", qExists("#login-email[aria-invalid=true]"))
		b.axeCheck(lang + ": login with an error")
		b.open("/forgot-password")
		b.waitTrue("the forgot page", qExists("#reset-email"))
		b.click("#reset-request")
		b.waitTrue("its error", qExists("#reset-email[aria-invalid=true]"))
		b.axeCheck(lang + ": forgot password with an error")
		b.setValue("#reset-email", "nobody@example.com")
		b.click("#reset-request")
		b.waitTrue("the link is on its way", qExists("#mail-link-done"))
		b.axeCheck(lang + ": forgot password, sent")
		b.open("/reset-password#unknown")
		b.waitTrue("the unknown link", qExists("#mail-link-error"))
		b.axeCheck(lang + ": reset link not valid")
		b.open("/login")
	}

	sam := newBrowser(t, p, "en-US")
	sam.open("/login")
	sam.login(seed.SamEmail, seed.Password)
	sam.waitText("after login", jsPath, "/")
	for _, lang := range axeLangs {
		sam.setLang(lang)
		state := func(s string) string { return lang + ": agent, " + s }
		sam.nav("/agent")
		sam.waitTrue("the queue", qExists("table tbody tr"))
		sam.axeCheck(state("queue"))
		sam.nav("/tickets/" + strconv.FormatInt(open[0], 10))
		sam.waitTrue("the ticket", qExists("textarea#reply-body"))
		sam.axeCheck(state("ticket page"))
		sam.nav("/admin/mail")
		sam.waitTrue("the mail view", qExists("#no-mails, #mail-log > li"))
		sam.axeCheck(state("outgoing mail"))
	}

	vera := newBrowser(t, p, "en-US")
	vera.open("/login")
	vera.login(seed.VeraEmail, seed.Password)
	vera.waitText("after login", jsPath, "/")
	for _, lang := range axeLangs {
		vera.setLang(lang)
		state := func(s string) string { return lang + ": vendor, " + s }
		vera.nav("/vendor/accounts")
		vera.waitTrue("the vendor's accounts", qExists("main h1"))
		vera.axeCheck(state("accounts"))
		vera.nav("/tickets")
		vera.waitTrue("the vendor's tickets", qExists("main h1"))
		vera.axeCheck(state("tickets"))
		// A customer's account she may only read, and one of its tickets.
		vera.choose("account-select", idString(lumiere))
		vera.waitTrue("the read-only warning", qExists("#on-behalf"))
		vera.nav("/tickets/" + strconv.FormatInt(lumiereOpen, 10))
		vera.waitTrue("the read-only ticket", qExists("#reply-read-only"))
		vera.axeCheck(state("read-only ticket page"))
		vera.choose("account-select", idString(medsoft))
		vera.waitFalse("her own account again", qExists("#on-behalf"))
	}
}
