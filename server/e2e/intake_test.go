package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/seed"
)

// Ticket intake: the Support Assistant (/assistant/{step}), the one-page
// form (/tickets/new), their entry points, drafts kept in the browser and
// adding to an open ticket.

// qText is JS reading the trimmed text of the element sel ("" if missing).
func qText(sel string) string {
	return fmt.Sprintf(`(document.querySelector(%q)?.textContent ?? '').trim()`, sel)
}

// qValue is JS reading the value of the input, textarea or select sel.
func qValue(sel string) string {
	return fmt.Sprintf(`document.querySelector(%q)?.value ?? ''`, sel)
}

// qExists is JS telling whether an element matches sel.
func qExists(sel string) string {
	return fmt.Sprintf(`document.querySelector(%q) !== null`, sel)
}

// qChecked is JS telling whether the radio button sel is checked.
func qChecked(sel string) string {
	return fmt.Sprintf(`document.querySelector(%q)?.checked === true`, sel)
}

// qIDs is JS listing the ids of the elements matching sel.
func qIDs(sel string) string {
	return fmt.Sprintf(`Array.from(document.querySelectorAll(%q), e => e.id)`, sel)
}

// qOptions is JS listing the value attributes of the options of the select
// sel ("" for an option without one).
func qOptions(sel string) string {
	return fmt.Sprintf(`Array.from(document.querySelector(%q)?.options ?? [], o => o.getAttribute('value') ?? '')`, sel)
}

// fill fills a message template's {{.Name}} placeholders: kv are name,
// value pairs.
func fill(tmpl string, kv ...string) string {
	for i := 0; i+1 < len(kv); i += 2 {
		tmpl = strings.ReplaceAll(tmpl, "{{."+kv[i]+"}}", kv[i+1])
	}
	return tmpl
}

// waitTrue waits until js gives true.
func (b *browser) waitTrue(what, js string) {
	b.t.Helper()
	got, ok, err := poll(b, js, func(v bool) bool { return v })
	if !ok {
		b.t.Fatalf("%s: got %v, want true%s", what, got, errNote(err))
	}
}

// waitFalse waits until js gives false.
func (b *browser) waitFalse(what, js string) {
	b.t.Helper()
	got, ok, err := poll(b, js, func(v bool) bool { return !v })
	if !ok {
		b.t.Fatalf("%s: got %v, want false%s", what, got, errNote(err))
	}
}

// jsClick clicks the element sel from JavaScript as soon as it is there
// (radio buttons may be styled away, so a mouse click could miss them).
func (b *browser) jsClick(sel string) {
	b.t.Helper()
	js := fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e) return false; e.click(); return true; })()`, sel)
	if _, ok, err := poll(b, js, func(v bool) bool { return v }); !ok {
		b.t.Fatalf("clicking %s: no such element%s", sel, errNote(err))
	}
}

// typeIn types text into the input or textarea sel key by key, as a user
// does.
func (b *browser) typeIn(sel, text string) {
	b.t.Helper()
	b.do("typing into "+sel,
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.CSS(sel), text),
	)
}

// waitStep waits until the assistant shows step (its address and "step i
// of n" in lang).
func (b *browser) waitStep(lang, step string, i, n int) {
	b.t.Helper()
	b.waitText("address of the assistant step "+step, jsPath, "/assistant/"+step)
	b.waitText("p#step-of on step "+step, qText("p#step-of"),
		fill(msg(b.t, lang, "StepOf"), "Current", strconv.Itoa(i), "Total", strconv.Itoa(n)))
}

// waitOpenTicketChoices waits until the flow offers "new problem" (0) and
// exactly the open tickets open as existing-ticket radios. The list comes
// after the rest of the page: clicking below it before it is there races
// with its arrival (see the report of TestAssistantAnnaInvoiceInPotsdam).
func (b *browser) waitOpenTicketChoices(open []int64) {
	b.t.Helper()
	want := append([]int64{0}, open...)
	slices.Sort(want)
	js := fmt.Sprintf(`Array.from(document.querySelectorAll('input[id^="f-existingTicket-"]'), e => e.id.slice(%d))`, len("f-existingTicket-"))
	got, ok, err := poll(b, js, func(v []string) bool { return slices.Equal(parseNumbers(v), want) })
	if !ok {
		b.t.Fatalf("existing-ticket choices: got %v, want new problem (0) and the open tickets %v%s", parseNumbers(got), open, errNote(err))
	}
}

// waitSent waits for the success page and returns its query.
func (b *browser) waitSent() url.Values {
	b.t.Helper()
	b.waitText("address after sending", jsPath, "/tickets/sent")
	b.waitTrue("div#sent on the success page", qExists("div#sent"))
	search := eval[string](b, `location.search`)
	q, err := url.ParseQuery(strings.TrimPrefix(search, "?"))
	if err != nil {
		b.t.Fatalf("query of the success page %q: %v", search, err)
	}
	return q
}

// loginTo opens a browser in lang, logs in as email and waits for the
// dashboard.
func loginTo(t *testing.T, p *portal, lang, email string) *browser {
	t.Helper()
	b := newBrowser(t, p, lang)
	b.open("/login")
	b.login(email, seed.Password)
	b.waitText("path after login", jsPath, "/")
	b.waitTrue("dashboard after login", qExists("a#start-assistant"))
	return b
}

// storedTicket returns ticket number n from the store.
func storedTicket(t *testing.T, p *portal, n int64) ticket.Ticket {
	t.Helper()
	tk, err := p.DB.Ticket(context.Background(), n)
	if err != nil {
		t.Fatalf("the store has no ticket #%d: %v", n, err)
	}
	return tk
}

// Anna files an invoice question for her Potsdam branch with the Support
// Assistant, in German, and finds it afterwards.
func TestAssistantAnnaInvoiceInPotsdam(t *testing.T) {
	p := startPortal(t)
	potsdam := p.org(t, "100201")
	const (
		subject     = "Rechnung für die Filiale Potsdam unklar"
		description = "Auf der Rechnung fehlt die Kostenstelle der Filiale. Bitte prüfen Sie die Positionen – danke!"
		invoice     = "RE-2026-12345"
	)
	b := loginTo(t, p, "de-DE", seed.AnnaEmail)
	b.click("a#start-assistant")
	b.waitStep("de", "type", 1, 6)
	b.jsClick("#f-type-admin_request")
	b.waitTrue("admin_request chosen", qChecked("#f-type-admin_request"))
	b.click("button#step-next")

	// Both of Anna's accounts may file administrative requests.
	b.waitStep("de", "account", 2, 6)
	// The step starts where she goes on: the account she works in, chosen.
	b.waitText("the focus on the chosen account", `document.activeElement?.id ?? ''`, "f-organizationId-"+idString(p.org(t, "100200")))
	accounts, ok, err := poll(b, qIDs(`input[id^="f-organizationId-"]`), func(v []string) bool { return len(v) >= 2 })
	if !ok {
		t.Fatalf("account radios on the account step: got %q, want both of Anna's accounts%s", accounts, errNote(err))
	}
	wantAccounts := []string{"f-organizationId-" + idString(p.org(t, "100200")), "f-organizationId-" + idString(potsdam)}
	if !slices.Equal(slices.Sorted(slices.Values(accounts)), slices.Sorted(slices.Values(wantAccounts))) {
		t.Errorf("account radios: got %q, want %q", accounts, wantAccounts)
	}
	b.jsClick("#f-organizationId-" + idString(potsdam))
	b.waitTrue("Potsdam chosen", qChecked("#f-organizationId-"+idString(potsdam)))
	b.click("button#step-next")

	b.waitStep("de", "category", 3, 6)
	b.waitOpenTicketChoices(p.numbers(t, potsdam, true))
	b.waitTrue("new problem chosen at first", qChecked("#f-existingTicket-0"))
	b.jsClick("#f-category-invoice")
	b.waitTrue("category invoice chosen", qChecked("#f-category-invoice"))
	b.click("button#step-next")

	b.waitStep("de", "details", 4, 6)
	b.typeIn("input#f-subject", subject)
	b.typeIn("textarea#f-description", description)
	b.waitText("subject as typed", qValue("input#f-subject"), subject)
	b.waitText("description as typed", qValue("textarea#f-description"), description)
	b.waitText("invoice number error before trying to go on", qText("#err-f-fields-invoiceNumber"), "")

	// Next without the invoice number: the German error, same step.
	b.click("button#step-next")
	b.waitText("error of the empty invoice number after Next", qText("#err-f-fields-invoiceNumber"), msg(t, "de", "ErrFieldRequired"))
	b.waitStep("de", "details", 4, 6)
	if got := eval[string](b, `document.querySelector('#f-fields-invoiceNumber')?.getAttribute('aria-invalid') ?? ''`); got != "true" {
		t.Errorf("aria-invalid of the empty invoice number after Next: got %q, want %q", got, "true")
	}

	// The browser's Back button returns to the category step with the
	// category still chosen; Next brings back the details as typed.
	b.do("going back in the browser's history", chromedp.Evaluate[chromedp.Void](`history.back()`))
	b.waitStep("de", "category", 3, 6)
	b.waitTrue("category invoice still chosen after Back", qChecked("#f-category-invoice"))
	b.click("button#step-next")
	b.waitStep("de", "details", 4, 6)
	b.waitText("subject after Back and Next", qValue("input#f-subject"), subject)
	b.waitText("description after Back and Next", qValue("textarea#f-description"), description)

	b.typeIn("input#f-fields-invoiceNumber", invoice)
	b.waitText("invoice number error once filled", qText("#err-f-fields-invoiceNumber"), "")
	b.click("button#step-next")

	// A PDF: the privacy dialog names HIPAA in German. Cancel and Escape
	// send nothing; after the confirmation it is uploaded.
	b.waitStep("de", "files", 5, 6)
	pdf := writeFile(t, "Rechnung RE-2026-12345.pdf", pdfBytes)
	b.upload("#files-input", pdf)
	b.waitTrue("privacy dialog open", `document.querySelector('#files-privacy')?.open === true`)
	b.waitText("privacy wording", qText("#files-privacy-text"), msg(t, "de", "PrivacyConfirm_hipaa"))
	if !strings.Contains(msg(t, "de", "PrivacyConfirm_hipaa"), "HIPAA") {
		t.Fatalf("the German HIPAA wording does not name HIPAA")
	}
	b.click("#files-privacy-cancel")
	b.waitFalse("privacy dialog closed by Cancel", `document.querySelector('#files-privacy')?.open === true`)
	b.upload("#files-input", pdf)
	b.waitTrue("privacy dialog open again", `document.querySelector('#files-privacy')?.open === true`)
	b.do("pressing Escape", chromedp.KeyEvent(kb.Escape))
	b.waitFalse("privacy dialog closed by Escape", `document.querySelector('#files-privacy')?.open === true`)
	if n := p.uploadRequests.Load(); n != 0 || eval[bool](b, qExists("#files-list li")) {
		t.Fatalf("after Cancel and Escape: %d upload requests reached the server, file listed %v; want none", n, eval[bool](b, qExists("#files-list li")))
	}
	b.upload("#files-input", pdf)
	b.waitTrue("privacy dialog open a third time", `document.querySelector('#files-privacy')?.open === true`)
	b.click("#files-privacy-confirm")
	b.waitContains("the PDF uploaded", qText("#files-list"), msg(t, "de", "FileUploaded"))
	b.waitContains("the PDF's name in the list", qText("#files-list"), "Rechnung RE-2026-12345.pdf")
	if n := p.uploadRequests.Load(); n != 1 {
		t.Errorf("upload requests after the confirmation: %d, want 1", n)
	}
	b.click("button#step-next")

	b.waitStep("de", "preview", 6, 6)
	b.waitContains("the file in the preview", qText("dd#preview-attachments"), "Rechnung RE-2026-12345.pdf")
	b.waitTrue("preview list", qExists("dl#draft-preview"))
	for _, c := range []struct{ sel, want string }{
		{"dd#preview-requester", "Anna Admin"},
		{"dd#preview-account", potsdam.Name + " (100201)"},
		{"dd#preview-type", msg(t, "de", "Type_admin_request")},
		{"dd#preview-category", msg(t, "de", "Category_invoice")},
		{"dd#preview-invoiceNumber", invoice},
		{"dd#preview-subject", subject},
		{"dd#preview-description", description},
	} {
		b.waitText("preview "+c.sel, qText(c.sel), c.want)
	}
	if got := eval[string](b, qText("dd#preview-category")); got != "Rechnung" {
		t.Errorf("preview category: got %q, want %q", got, "Rechnung")
	}

	b.click("button#send")
	q := b.waitSent()
	n, err := strconv.ParseInt(q.Get("ticket"), 10, 64)
	if err != nil || q.Get("added") != "" {
		t.Fatalf("success page query: got %q, want ticket=<number> without added", q.Encode())
	}
	b.waitText("success text", qText("p#sent-text"), fill(msg(t, "de", "SuccessCreated"), "Number", strconv.FormatInt(n, 10)))

	tk := storedTicket(t, p, n)
	// Sam downloads the very bytes Anna picked.
	if len(tk.Attachments) != 1 || tk.Attachments[0].Name != "Rechnung RE-2026-12345.pdf" {
		t.Fatalf("stored ticket's attachments: %+v", tk.Attachments)
	}
	if got := apiGet(t, p, seed.SamEmail, "/api/v1/attachments/"+tk.Attachments[0].ID); !bytes.Equal(got, pdfBytes) {
		t.Errorf("Sam downloaded %d bytes, want the %d bytes of the PDF", len(got), len(pdfBytes))
	}
	if tk.Organization.ID != potsdam.ID || tk.Type != "admin_request" || tk.Category != "invoice" ||
		tk.Fields["invoiceNumber"] != invoice || tk.Subject != subject || tk.Description != description || tk.Requester.Name != "Anna Admin" {
		t.Errorf("stored ticket #%d: got org %d, type %q, category %q, fields %v, subject %q, description %q, requester %q; want org %d (100201), admin_request, invoice, invoiceNumber %q, the typed subject and description, Anna Admin",
			n, tk.Organization.ID, tk.Type, tk.Category, tk.Fields, tk.Subject, tk.Description, tk.Requester.Name, potsdam.ID, invoice)
	}

	b.click("a#sent-ticket")
	b.waitText("address of the ticket page", jsPath, "/tickets/"+strconv.FormatInt(n, 10))
	b.waitText("subject on the ticket page", qText("#ticket-subject"), subject)

	// In the Potsdam account the dashboard and the navigation list it.
	b.choose("account-select", idString(potsdam))
	b.waitContains("account in the top bar after switching", jsAccount, "(100201)")
	b.click(`nav.sidenav a[href="/"]`)
	b.waitText("path after clicking Dashboard", jsPath, "/")
	rows := b.waitNumbers("dashboard rows of 100201 with the new ticket", jsRows, p.numbers(t, potsdam, true))
	if !slices.Contains(rows, n) {
		t.Errorf("dashboard rows of 100201: got %v, want the new ticket #%d among them", rows, n)
	}
	nav := b.waitNumbers("open tickets in the navigation of 100201", jsNav, p.numbers(t, potsdam, true))
	if !slices.Contains(nav, n) {
		t.Errorf("navigation of 100201: got %v, want the new ticket #%d among them", nav, n)
	}
}

// pdfBytes is a small PDF.
var pdfBytes = []byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n")

// writeFile writes content to a file named name in a temporary folder and
// returns its path.
func writeFile(t *testing.T, name string, content []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// apiGet gets path from the API as the user with email and returns the body
// (the test fails on any status but 200).
func apiGet(t *testing.T, p *portal, email, path string) []byte {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, err := c.Post(p.URL+"/api/v1/login", "application/json", strings.NewReader(`{"email":"`+email+`","password":"`+seed.Password+`"}`))
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("login %s: %v %v", email, err, res)
	}
	res.Body.Close()
	res, err = c.Get(p.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("GET %s as %s: %d %s", path, email, res.StatusCode, body)
	}
	return body
}

// Claire, in French, opens the form from the top bar's Support menu and
// files a contract question; the order number is required.
func TestFormClaireContract(t *testing.T) {
	p := startPortal(t)
	lumiere := p.org(t, "200300")
	const (
		subject     = "Résiliation du module de téléconsultation"
		description = "Nous souhaitons résilier le module de téléconsultation à la fin du trimestre. Merci de confirmer la date d'effet."
		order       = "AU-2026-4711"
	)
	b := loginTo(t, p, "fr-FR", seed.ClaireEmail)
	b.click("button#support-menu-button")
	b.waitText("assistant link in the Support menu", qText("a#support-assistant-link"), msg(t, "fr", "SolveWithAssistant"))
	b.click("a#support-form-link")
	b.waitText("address after the Support menu's form link", jsPath, "/tickets/new")
	b.waitTrue("form#ticket-form", qExists("form#ticket-form"))
	b.waitFalse("no existing-ticket choice before a type is chosen", qExists("#f-existingTicket-0"))

	b.choose("f-type", "admin_request")
	b.waitOpenTicketChoices(p.numbers(t, lumiere, true))
	b.choose("f-category", "contract")
	if eval[bool](b, qExists("select#f-organizationId")) {
		t.Errorf("the form offers select#f-organizationId to Claire, who has one account; want no account choice")
	}
	b.typeIn("input#f-subject", subject)
	b.typeIn("textarea#f-description", description)
	b.waitTrue("order number input", qExists("input#f-fields-orderNumber"))

	b.click("button#preview")
	b.waitText("error of the empty order number after Preview", qText("#err-f-fields-orderNumber"), msg(t, "fr", "ErrFieldRequired"))
	b.waitText("the focus goes to the field to fix", `document.activeElement?.id ?? ''`, "f-fields-orderNumber")
	if eval[bool](b, qExists("div#ticket-form-preview")) {
		t.Errorf("the preview opened with an empty order number; want the form with the error")
	}

	b.typeIn("input#f-fields-orderNumber", order)
	b.waitText("order number error once filled", qText("#err-f-fields-orderNumber"), "")
	// Cabinet Lumière's uploads are confirmed under the GDPR: RGPD.
	b.upload("#files-input", writeFile(t, "contrat.pdf", pdfBytes))
	b.waitTrue("privacy dialog open", `document.querySelector('#files-privacy')?.open === true`)
	b.waitText("privacy wording", qText("#files-privacy-text"), msg(t, "fr", "PrivacyConfirm_gdpr"))
	if w := msg(t, "fr", "PrivacyConfirm_gdpr"); !strings.Contains(w, "RGPD") {
		t.Fatalf("the French GDPR wording does not name the RGPD: %q", w)
	}
	b.click("#files-privacy-cancel")
	b.waitFalse("privacy dialog closed", `document.querySelector('#files-privacy')?.open === true`)
	b.click("button#preview")
	b.waitTrue("div#ticket-form-preview", qExists("div#ticket-form-preview"))
	b.waitText("the focus on the preview's heading", `document.activeElement?.id ?? ''`, "preview-title")
	for _, c := range []struct{ sel, want string }{
		{"dd#preview-requester", "Claire Admin"},
		{"dd#preview-account", lumiere.Name + " (200300)"},
		{"dd#preview-type", msg(t, "fr", "Type_admin_request")},
		{"dd#preview-category", msg(t, "fr", "Category_contract")},
		{"dd#preview-orderNumber", order},
		{"dd#preview-subject", subject},
		{"dd#preview-description", description},
	} {
		b.waitText("preview "+c.sel, qText(c.sel), c.want)
	}

	b.click("div#ticket-form-preview button#send")
	q := b.waitSent()
	n, err := strconv.ParseInt(q.Get("ticket"), 10, 64)
	if err != nil || q.Get("added") != "" {
		t.Fatalf("success page query: got %q, want ticket=<number> without added", q.Encode())
	}
	b.waitText("success text", qText("p#sent-text"), fill(msg(t, "fr", "SuccessCreated"), "Number", strconv.FormatInt(n, 10)))

	tk := storedTicket(t, p, n)
	if tk.Organization.ID != lumiere.ID || tk.Type != "admin_request" || tk.Category != "contract" ||
		tk.Fields["orderNumber"] != order || tk.Subject != subject || tk.Description != description {
		t.Errorf("stored ticket #%d: got org %d, type %q, category %q, fields %v, subject %q, description %q; want org %d (200300), admin_request, contract, orderNumber %q, the typed subject and description",
			n, tk.Organization.ID, tk.Type, tk.Category, tk.Fields, tk.Subject, tk.Description, lumiere.ID, order)
	}
}

// Diego is no admin: neither flow offers him administrative requests.
func TestIntakeDiegoNeverOfferedAdminRequest(t *testing.T) {
	p := startPortal(t)
	want := []string{"login_problem", "missing_remittance", "provider_enrollment", "user_management", "web_interface_problem"} // record_help only from a record
	b := loginTo(t, p, "es-ES", seed.DiegoEmail)

	b.open("/assistant")
	b.waitStep("es", "type", 1, 5)
	ids, ok, err := poll(b, qIDs(`input[type="radio"][id^="f-type-"]`), func(v []string) bool { return len(v) > 0 })
	if !ok {
		t.Fatalf("type radios of the assistant: got %q, want some%s", ids, errNote(err))
	}
	var types []string
	for _, id := range ids {
		types = append(types, strings.TrimPrefix(id, "f-type-"))
	}
	slices.Sort(types)
	if slices.Contains(types, "admin_request") || eval[bool](b, qExists("#f-type-admin_request")) {
		t.Errorf("the assistant offers Diego the type admin_request (types %q); want it never offered", types)
	}
	if !slices.Equal(types, want) {
		t.Errorf("types the assistant offers Diego: got %q, want %q", types, want)
	}

	b.open("/tickets/new")
	opts, ok, err := poll(b, qOptions("select#f-type"), func(v []string) bool { return len(v) > 1 })
	if !ok {
		t.Fatalf("options of select#f-type: got %q, want some types%s", opts, errNote(err))
	}
	if slices.Contains(opts, "admin_request") {
		t.Errorf("select#f-type offers Diego admin_request (options %q); want it never offered", opts)
	}
	opts = slices.DeleteFunc(slices.Clone(opts), func(s string) bool { return s == "" })
	slices.Sort(opts)
	if !slices.Equal(opts, want) {
		t.Errorf("types select#f-type offers Diego: got %q, want %q", opts, want)
	}
}

// Everything typed survives a reload, in the form and in the assistant.
func TestDraftSurvivesReload(t *testing.T) {
	p := startPortal(t)
	b := loginTo(t, p, "de-DE", seed.BerndEmail)

	const (
		subject     = "Drucker übernimmt keine Umlaute: äöü ÄÖÜ ß"
		description = "Grüße aus der Praxis!\nSeit dem Update druckt der Empfang „Gr??e“ statt Größe."
	)
	sonnenschein := p.org(t, "100200")
	b.click("a#start-form")
	b.waitText("address after the dashboard's form link", jsPath, "/tickets/new")
	b.choose("f-type", "login_problem")
	b.waitOpenTicketChoices(p.numbers(t, sonnenschein, true))
	b.typeIn("input#f-subject", subject)
	b.typeIn("textarea#f-description", description)
	b.waitText("subject as typed", qValue("input#f-subject"), subject)
	b.waitText("description as typed", qValue("textarea#f-description"), description)

	b.do("reloading /tickets/new", chromedp.Reload())
	b.waitApp()
	b.waitText("address after reloading", jsPath, "/tickets/new")
	b.waitText("subject after reloading the form", qValue("input#f-subject"), subject)
	b.waitText("description after reloading the form", qValue("textarea#f-description"), description)

	const (
		aSubject     = "Zwei-Faktor-Code wird nach Handywechsel abgelehnt"
		aDescription = "Die Authenticator-App zeigt Codes, aber das Portal lehnt sie ab.\nWiederherstellungscodes: leider verloren. Grüße, Bernd Becker"
	)
	b.open("/assistant")
	b.waitText("address after opening /assistant", jsPath, "/assistant/type")
	b.jsClick("#f-type-login_problem")
	b.waitTrue("login_problem chosen", qChecked("#f-type-login_problem"))
	b.click("button#step-next")
	b.waitText("address of the category step", jsPath, "/assistant/category")
	b.waitOpenTicketChoices(p.numbers(t, sonnenschein, true))
	b.jsClick("#f-category-two_factor")
	b.waitTrue("category two_factor chosen", qChecked("#f-category-two_factor"))
	b.click("button#step-next")
	b.waitText("address of the details step", jsPath, "/assistant/details")
	b.typeIn("input#f-subject", aSubject)
	b.typeIn("textarea#f-description", aDescription)
	b.waitText("assistant subject as typed", qValue("input#f-subject"), aSubject)
	b.waitText("assistant description as typed", qValue("textarea#f-description"), aDescription)

	b.open("/assistant")
	b.waitText("address after reopening /assistant", jsPath, "/assistant/details")
	b.waitText("assistant subject after reopening", qValue("input#f-subject"), aSubject)
	b.waitText("assistant description after reopening", qValue("textarea#f-description"), aDescription)

	// The form's draft is its own and still there.
	b.open("/tickets/new")
	b.waitText("form subject after using the assistant", qValue("input#f-subject"), subject)
	b.waitText("form description after using the assistant", qValue("textarea#f-description"), description)
}

// A key pressed between go-app's input handler and its next frame (the
// frame comes up to 33 ms after the handler) is kept: the frame used to
// write the value the handler had read over it, so fast typists lost
// letters ("Handwechsel" for "Handywechsel"). The script adds a letter
// right after an input event's handler ran, before that letter's own event
// (as a key press does when the browser is busy), three times: without the
// fix, a frame at any moment but the first millisecond loses the letter.
func TestFastTypingKeepsEveryKey(t *testing.T) {
	p := startPortal(t)
	b := loginTo(t, p, "de-DE", seed.BerndEmail)
	b.open("/tickets/new")
	b.choose("f-type", "login_problem")
	b.waitTrue("subject field", qExists("input#f-subject"))

	script := func(sel string) string {
		return fmt.Sprintf(`(async () => {
			const pause = ms => new Promise(r => setTimeout(r, ms));
			const el = document.querySelector(%q);
			el.focus();
			await pause(300);
			el.value = 'Zwei-Faktor-Code nach Handwec';
			el.dispatchEvent(new Event('input', {bubbles: true}));
			await pause(1);
			el.value += 'h';
			await pause(100);
			const shown = el.value;
			el.dispatchEvent(new Event('input', {bubbles: true}));
			return shown;
		})()`, sel)
	}
	const want = "Zwei-Faktor-Code nach Handwech"
	for i := 0; i < 3; i++ {
		if got := evalAwait[string](b, script("input#f-subject")); got != want {
			t.Fatalf("try %d: subject after a key pressed before its frame: got %q, want %q", i, got, want)
		}
	}
	b.do("reloading /tickets/new", chromedp.Reload())
	b.waitApp()
	b.waitText("subject in the draft after reloading", qValue("input#f-subject"), want)

	// The search box of the ticket list, likewise.
	b.open("/tickets")
	b.waitTrue("search box", qExists("input#ticket-search"))
	if got := evalAwait[string](b, script("input#ticket-search")); got != want {
		t.Fatalf("search box after a key pressed before its frame: got %q, want %q", got, want)
	}
}

// Each of the six entry points opens its flow.
func TestEntryPointsOpenTheirFlows(t *testing.T) {
	p := startPortal(t)
	b := loginTo(t, p, "de-DE", seed.AnnaEmail)
	for _, e := range []struct {
		name   string
		menu   string // button opening the menu, "" for none
		link   string
		flow   string // "assistant" or "form"
		textID string // translation id of the link's text
	}{
		{"dashboard assistant link", "", "a#start-assistant", "assistant", "SupportAssistant"},
		{"dashboard form link", "", "a#start-form", "form", "CreateTicket"},
		{"+ menu assistant link", "button#plus-menu-button", "a#plus-assistant-link", "assistant", "SupportAssistant"},
		{"+ menu form link", "button#plus-menu-button", "a#plus-form-link", "form", "CreateTicket"},
		{"Support menu assistant link", "button#support-menu-button", "a#support-assistant-link", "assistant", "SolveWithAssistant"},
		{"Support menu form link", "button#support-menu-button", "a#support-form-link", "form", "CreateTicket"},
	} {
		b.click(`nav.sidenav a[href="/"]`)
		b.waitText("path before the "+e.name, jsPath, "/")
		if e.menu != "" {
			b.click(e.menu)
		}
		b.waitText("text of the "+e.name, qText(e.link), msg(t, "de", e.textID))
		b.click(e.link)
		if e.flow == "assistant" {
			got, ok, err := poll(b, jsPath, func(s string) bool { return strings.HasPrefix(s, "/assistant/") })
			if !ok {
				t.Fatalf("path after the %s: got %q, want /assistant/…%s", e.name, got, errNote(err))
			}
			b.waitTrue("form#assistant after the "+e.name, qExists("form#assistant"))
		} else {
			b.waitText("path after the "+e.name, jsPath, "/tickets/new")
			b.waitTrue("form#ticket-form after the "+e.name, qExists("form#ticket-form"))
		}
	}
}

// A new ticket is for the account the user works in (the top bar) until
// they choose one in the form: then their choice stays, also when they
// switch the top bar and after a reload.
func TestIntakeFollowsTheTopBarAccount(t *testing.T) {
	p := startPortal(t)
	main, potsdam := idString(p.org(t, "100200")), idString(p.org(t, "100201"))
	b := loginTo(t, p, "de-DE", seed.AnnaEmail)
	b.open("/tickets/new")
	b.choose("f-type", "admin_request")
	b.waitText("the form starts in the top bar's account", qValue("select#f-organizationId"), main)
	b.typeIn("input#f-subject", "Neue Bankverbindung")
	b.choose("account-select", potsdam)
	b.waitText("not chosen yet: the form follows the top bar", qValue("select#f-organizationId"), potsdam)
	b.waitText("what was typed stays", qValue("input#f-subject"), "Neue Bankverbindung")

	b.choose("f-organizationId", main)
	b.choose("account-select", main)
	b.choose("account-select", potsdam)
	b.waitText("the top bar in Potsdam again", qValue("select#account-select"), potsdam)
	b.waitText("chosen: the form keeps the user's account", qValue("select#f-organizationId"), main)
	b.do("reloading", chromedp.Reload())
	b.waitApp()
	b.waitText("and after a reload", qValue("select#f-organizationId"), main)
}

// A menu closes when the user goes elsewhere: a click outside it, another
// menu's button (which opens that one), or Tab past its last item.
func TestMenusCloseWhenLeft(t *testing.T) {
	p := startPortal(t)
	b := loginTo(t, p, "de-DE", seed.AnnaEmail)
	b.click("button#user-menu-button")
	b.waitTrue("the user menu opens", qExists("#user-menu"))
	b.click("main h1")
	b.waitFalse("a click outside closes it", qExists("#user-menu"))

	b.click("button#support-menu-button")
	b.waitTrue("the Support menu opens", qExists("#support-menu"))
	b.click("button#plus-menu-button")
	b.waitTrue("the + menu opens", qExists("#plus-menu"))
	b.waitFalse("the Support menu closed", qExists("#support-menu"))

	b.waitText("the focus is on the + menu's first item", `document.activeElement?.id ?? ''`, "plus-assistant-link")
	b.do("tabbing past the + menu", chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Tab))
	b.waitFalse("leaving it by keyboard closes it", qExists("#plus-menu"))

	b.click("button#user-menu-button")
	b.waitTrue("the user menu opens again", qExists("#user-menu"))
	b.click("#lang-select")
	b.waitFalse("the language switch closes it", qExists("#user-menu"))
}

// Diego adds to one of his open tickets from the assistant: no new ticket,
// a new message.
func TestIntakeExistingTicketChoice(t *testing.T) {
	p := startPortal(t)
	sol := p.org(t, "300400")
	open := p.numbers(t, sol, true)
	target := open[len(open)-1]
	before := len(p.tickets(t, 0))
	const description = "Otro dato: el problema también ocurre desde el portátil de recepción."

	b := loginTo(t, p, "es-ES", seed.DiegoEmail)
	b.open("/assistant")
	b.waitStep("es", "type", 1, 5)
	b.jsClick("#f-type-web_interface_problem")
	b.waitTrue("web_interface_problem chosen", qChecked("#f-type-web_interface_problem"))
	b.click("button#step-next")

	b.waitStep("es", "category", 2, 5)
	sel := "#f-existingTicket-" + strconv.FormatInt(target, 10)
	b.waitOpenTicketChoices(open)
	b.waitTrue("new problem chosen at first", qChecked("#f-existingTicket-0"))
	b.jsClick(sel)
	b.waitTrue("ticket "+sel+" chosen", qChecked(sel))
	b.waitFalse("category radios once an open ticket is chosen", qExists(`input[id^="f-category-"]`))
	b.click("button#step-next")

	b.waitStep("es", "details", 3, 5)
	b.waitTrue("description on the details step", qExists("textarea#f-description"))
	if eval[bool](b, qExists("#f-subject")) {
		t.Errorf("the details step for an existing ticket shows #f-subject; want the description only")
	}
	b.typeIn("textarea#f-description", description)
	b.waitText("description as typed", qValue("textarea#f-description"), description)
	b.click("button#step-next")

	b.waitStep("es", "files", 4, 5)
	b.click("button#step-next")
	b.waitStep("es", "preview", 5, 5)
	b.waitText("preview of the existing ticket", qText("dd#preview-existing"), "#"+strconv.FormatInt(target, 10))
	b.waitText("preview description", qText("dd#preview-description"), description)
	if eval[bool](b, qExists("dd#preview-subject")) {
		t.Errorf("the preview for an existing ticket shows dd#preview-subject; want none")
	}

	b.click("button#send")
	q := b.waitSent()
	if got, want := q.Get("ticket"), strconv.FormatInt(target, 10); got != want || q.Get("added") != "1" {
		t.Errorf("success page query: got %q, want ticket=%s&added=1", q.Encode(), want)
	}
	b.waitText("success text", qText("p#sent-text"), fill(msg(t, "es", "SuccessAdded"), "Number", strconv.FormatInt(target, 10)))

	msgs, err := p.DB.Messages(context.Background(), target)
	if err != nil {
		t.Fatalf("Messages(%d): %v", target, err)
	}
	found := false
	for _, m := range msgs {
		if m.Body == description {
			found = true
			if m.Internal || m.Author.Name != "Diego Durán" {
				t.Errorf("message added to #%d: got internal %v, author %q; want a public message by Diego Durán", target, m.Internal, m.Author.Name)
			}
		}
	}
	if !found {
		bodies := make([]string, len(msgs))
		for i, m := range msgs {
			bodies[i] = m.Body
		}
		t.Errorf("messages of ticket #%d: got %q, want one with the description %q", target, bodies, description)
	}
	if after := len(p.tickets(t, 0)); after != before {
		t.Errorf("tickets in the store after adding to #%d: got %d, want %d (no new ticket)", target, after, before)
	}
}

// Going back to the form's "choose one" entry of a select means nothing is
// chosen: the type is then missing, not unknown.
func TestIntakeFormPlaceholderIsNoChoice(t *testing.T) {
	p := startPortal(t)
	b := loginTo(t, p, "de-DE", seed.BerndEmail)
	b.click("a#start-form")
	b.waitText("address after the dashboard's form link", jsPath, "/tickets/new")
	b.choose("f-type", "login_problem")
	b.waitTrue("select#f-category once a type is chosen", qExists("select#f-category"))
	b.waitText("text of the first option of select#f-type", `(document.querySelector('select#f-type')?.options[0]?.textContent ?? '').trim()`, msg(t, "de", "ChooseOne"))
	b.do("choosing the placeholder of select#f-type", chromedp.Evaluate[chromedp.Void](`(() => {
		const s = document.getElementById('f-type');
		s.selectedIndex = 0;
		s.dispatchEvent(new Event('change', {bubbles: true}));
	})()`))
	b.waitText("error of select#f-type after choosing the placeholder", qText("#err-f-type"), msg(t, "de", "ErrTypeRequired"))
	b.waitFalse("select#f-category once no type is chosen", qExists("select#f-category"))
	// The saved draft holds no type, not the placeholder's label.
	b.waitTrue("saved draft without a type", `supportalStore.entries("drafts", "supportal.draft.").then(e => {
		const form = e.find(([k]) => k.endsWith('.form'));
		if (!form) return false;
		const d = JSON.parse(form[1]);
		return d.type === '' || d.type === undefined;
	})`)
}
