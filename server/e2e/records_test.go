package e2e

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/seed"
)

// Records in the browser: a record's page with its life record and Get
// Help (seed 002's claims, seed 004's assets), the ticket page's right
// column with its links.

// record stores a record of the account for the test (the demo's own
// records may change; these are the test's).
func (p *portal) record(t *testing.T, account string, kind ticket.RecordKind, externalID, title string, fields ...ticket.RecordField) ticket.Record {
	t.Helper()
	now := time.Now()
	o := p.org(t, account)
	r, _, err := p.DB.UpsertRecord(context.Background(), ticket.Record{
		Organization: o, Kind: kind, ExternalID: externalID, Title: title, Fields: fields,
		URL: "https://records.example/" + externalID, CreatedAt: now, UpdatedAt: now,
	})
	if err != nil {
		t.Fatalf("UpsertRecord(%s %s): %v", kind, externalID, err)
	}
	return r
}

// apiAs returns an HTTP client logged in as the user with email.
func apiAs(t *testing.T, p *portal, email string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, err := c.Post(p.URL+"/api/v1/login", "application/json", strings.NewReader(`{"email":"`+email+`","password":"`+seed.Password+`"}`))
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("login %s: %v %v", email, err, res)
	}
	res.Body.Close()
	return c
}

// apiPost posts the JSON body to path with c and fails the test unless
// the answer is want.
func apiPost(t *testing.T, c *http.Client, p *portal, path, body string, want int) {
	t.Helper()
	res, err := c.Post(p.URL+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != want {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("POST %s: %d %s, want %d", path, res.StatusCode, b, want)
	}
}

// shot saves a screenshot of the page as name.png into the directory
// SUPPORTAL_SHOTS names (nothing without it): to look at what was built.
func (b *browser) shot(name string) {
	dir := os.Getenv("SUPPORTAL_SHOTS")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, waitTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	}
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
	}
}

// newestTicket returns the number of the newest ticket of the account
// with subject (0 if none).
func newestTicket(t *testing.T, p *portal, o ticket.OrgRef, subject string) int64 {
	t.Helper()
	var n int64
	for _, tk := range p.tickets(t, o.ID) {
		if tk.Subject == subject && tk.Number > n {
			n = tk.Number
		}
	}
	return n
}

// Diego (es) opens a claim, asks for help from it with only a subject;
// the ticket is in the claim's life record. Sam answers by the API: the
// Get Help button shows the red marker live, and reading the answer in the
// panel clears it.
func TestGetHelpDiegoClaim(t *testing.T) {
	p := startPortal(t)
	sol := p.org(t, "300400")
	claim := p.record(t, "300400", ticket.RecordClaim, "E2E-CLM-0042", "Paciente M. López – consulta",
		ticket.RecordField{Label: "billedAmount", Value: "1234.50", Kind: ticket.KindMoney, Currency: "USD"},
		ticket.RecordField{Label: "dateOfService", Value: "2026-11-12", Kind: ticket.KindDate})
	const subject = "Reclamación rechazada con CO-97"
	id := strconv.FormatInt(claim.ID, 10)

	b := loginTo(t, p, "es-ES", seed.DiegoEmail)
	b.open("/records?kind=claim")
	b.waitTrue("the claim in the records list", qExists("#record-row-"+id))
	b.shot("es-records")
	b.click("a#get-help-" + id)
	b.waitText("address after the row's Get Help", `location.pathname + location.search`, "/records/"+id+"?help=1")
	b.waitTrue("Get Help panel", qExists("section#get-help[role=dialog]"))
	b.waitContains("money per locale", qText("#record-data"), "1234,50\u00a0US$")
	b.waitText("focus on the panel's heading", `document.activeElement?.id ?? ''`, "get-help-title")
	b.waitContains("the contact is Diego", qText("#help-contact"), seed.DiegoEmail)

	b.typeIn("#help-subject", subject)
	b.click("#help-send")
	b.waitTrue("ticket created", qExists("#help-created"))
	n := newestTicket(t, p, sol, subject)
	if n == 0 {
		t.Fatalf("no ticket %q of Clínica Sol in the store", subject)
	}
	if tk := storedTicket(t, p, n); tk.Type != ticket.RecordHelpType || tk.Description != "" {
		t.Errorf("ticket #%d: type %q, description %q; want %s with no description", n, tk.Type, tk.Description, ticket.RecordHelpType)
	}
	num := strconv.FormatInt(n, 10)
	b.waitTrue("the new ticket in the life record", qExists("#life-record #ticket-row-"+num))
	b.waitTrue("the new ticket among the panel's tickets", qExists("#help-ticket-"+num))
	b.waitFalse("no unread marker yet", qExists("#get-help-unread"))
	b.shot("es-get-help")

	// Sam answers; Diego's Get Help button turns red, live.
	sam := apiAs(t, p, seed.SamEmail)
	apiPost(t, sam, p, "/api/v1/tickets/"+num+"/messages", `{"body":"Hola Diego, revisamos la reclamación: falta el modificador 25."}`, 201)
	b.waitTrue("red marker on Get Help", qExists("#get-help-button #get-help-unread"))
	b.waitContains("the marker says what it means", qText("#get-help-unread .visually-hidden"), "respuesta nueva")
	b.shot("es-get-help-unread")

	// Reading the answer in the panel clears it.
	b.click("#help-show-" + num)
	b.waitContains("the answer in the panel", qText("#help-conversation-"+num), "modificador 25")
	b.waitFalse("marker cleared after reading", qExists("#get-help-unread"))
	b.waitTrue("the reply box in the panel", qExists("#help-conversation-"+num+" textarea#reply-body"))

	// The claim as an example to another open ticket of the account
	// (seed 002: "Adición de un ejemplo"): linked, announced in its
	// conversation, and in the claim's life record.
	other := p.numbers(t, sol, true)[0]
	on := strconv.FormatInt(other, 10)
	b.jsClick("#help-example-" + on)
	b.click("#help-example-add")
	b.waitContains("example added", qText("#help-example-added"), on)
	b.waitTrue("the other ticket in the life record", qExists("#life-record #ticket-row-"+on))
	b.open("/tickets/" + on)
	b.waitContains("the example message in the conversation", qText("#messages"), "E2E-CLM-0042")
	b.waitTrue("the claim in the right column", qExists("#linked-record-"+id))
}

// Anna (de) opens an asset, files a ticket about it with only a subject,
// sees it in the asset's life record ("Lebenslaufakte") and the asset in
// the ticket's right column, then links a second asset by hand.
func TestGetHelpAnnaAsset(t *testing.T) {
	p := startPortal(t)
	praxis := p.org(t, "100200")
	asset := p.record(t, "100200", ticket.RecordAsset, "E2E-SN-4711", "Ultraschallgerät Behandlungsraum 2",
		ticket.RecordField{Label: "serialNumber", Value: "E2E-SN-4711"},
		ticket.RecordField{Label: "installedOn", Value: "2024-03-18", Kind: ticket.KindDate})
	second := p.record(t, "100200", ticket.RecordAsset, "E2E-SN-4712", "EKG-Gerät Empfang")
	const subject = "Ultraschall startet nicht"
	id := strconv.FormatInt(asset.ID, 10)

	b := loginTo(t, p, "de-DE", seed.AnnaEmail)
	b.click("a#nav-records-asset")
	b.waitText("address of the assets", `location.pathname + location.search`, "/records?kind=asset")
	b.waitTrue("the asset in the list", qExists("#record-row-"+id))
	b.click("#record-row-" + id + " td.record-title a")
	b.waitText("address of the asset", jsPath, "/records/"+id)
	b.waitContains("installation date per locale", qText("#record-data"), "18.03.2024")
	b.waitContains("no tickets yet", qText("#life-record"), msg(t, "de", "NoLifeRecord"))
	b.click("#get-help-button")
	b.waitTrue("Get Help panel", qExists("section#get-help"))
	b.typeIn("#help-subject", subject)
	b.click("#help-send")
	b.waitTrue("ticket created", qExists("#help-created"))
	n := newestTicket(t, p, praxis, subject)
	num := strconv.FormatInt(n, 10)
	b.waitTrue("the ticket in the life record", qExists("#life-record #ticket-row-"+num))
	b.shot("de-asset")

	// Escape closes the panel; the focus goes back to Get Help.
	b.do("pressing Escape in the panel", chromedp.Focus(chromedp.CSS("#help-subject")), chromedp.KeyEvent("\u001b"))
	b.waitFalse("panel closed", qExists("section#get-help"))
	b.waitText("focus back on Get Help", `document.activeElement?.id ?? ''`, "get-help-button")

	b.click("#life-record #ticket-row-" + num + " a")
	b.waitText("address of the ticket", jsPath, "/tickets/"+num)
	b.waitContains("the asset in the right column", qText("#linked-assets"), "E2E-SN-4711")
	b.waitTrue("the asset is a link to its page", qExists(`#linked-assets a[href="/records/`+id+`"]`))

	// A second asset, linked by hand.
	b.typeIn("#link-search", "E2E-SN-4712")
	b.click("#link-search-button")
	sid := strconv.FormatInt(second.ID, 10)
	b.click("#link-" + sid)
	b.waitTrue("the second asset in the right column", qExists("#linked-record-"+sid))
	b.shot("de-ticket-links")
	if body := string(apiGet(t, p, seed.AnnaEmail, "/api/v1/tickets/"+num)); strings.Count(body, `"recordId"`)+strings.Count(body, `"externalId":"E2E-SN-471`) < 2 {
		t.Errorf("ticket #%d as the API has it: %s; want both assets linked", n, body)
	}
	// Anna linked it: she may remove it again.
	b.click("#unlink-" + sid)
	b.waitFalse("the second asset unlinked", qExists("#linked-record-"+sid))
}

// Claire (fr) never sees Praxis Sonnenschein's records: not in the list,
// not by searching, not by address, not through an event while Anna
// links one, and not in the ticket search; her own équipements she sees.
func TestClaireNeverSeesPraxisRecords(t *testing.T) {
	p := startPortal(t)
	praxis := p.record(t, "100200", ticket.RecordAsset, "E2E-PRAXIS-77", "Röntgengerät Praxis Sonnenschein")
	own := p.record(t, "200300", ticket.RecordAsset, "E2E-LUM-01", "Autoclave du cabinet")
	pid, oid := strconv.FormatInt(praxis.ID, 10), strconv.FormatInt(own.ID, 10)

	b := loginTo(t, p, "fr-FR", seed.ClaireEmail)
	b.open("/records?kind=asset")
	b.waitTrue("her own équipement", qExists("#record-row-"+oid))
	if b.qExistsNow("#record-row-" + pid) {
		t.Fatal("Claire's list shows Praxis Sonnenschein's asset")
	}
	b.typeIn("#record-search", "E2E-PRAXIS")
	b.click("#record-search-button")
	b.waitTrue("no match", qExists("#no-records"))

	// Anna links the Praxis asset to a Praxis ticket while Claire's pages
	// are open: nothing reaches her.
	b.open("/records/" + oid)
	b.waitTrue("her record's page", qExists("#record-data"))
	anna := apiAs(t, p, seed.AnnaEmail)
	n := p.numbers(t, p.org(t, "100200"), true)[0]
	apiPost(t, anna, p, "/api/v1/tickets/"+strconv.FormatInt(n, 10)+"/links", `{"recordId":`+pid+`}`, 201)
	b.open("/tickets?q=E2E-PRAXIS-77")
	b.waitTrue("the ticket search finds nothing", qExists("#no-tickets"))
	if b.qExistsNow("#ticket-row-" + strconv.FormatInt(n, 10)) {
		t.Fatalf("Claire's search lists Praxis ticket #%d", n)
	}

	// By address: the record page says it does not exist.
	b.open("/records/" + pid)
	b.waitContains("not found", qText("main .error"), msg(t, "fr", "ErrRecordNotFound"))
	if strings.Contains(b.html(), "Röntgengerät") || strings.Contains(b.html(), "E2E-PRAXIS-77") {
		t.Fatal("the page shows the Praxis record")
	}
	// The API says the same, and the event log never carried it to her.
	claire := apiAs(t, p, seed.ClaireEmail)
	for path, want := range map[string]int{"/api/v1/records/" + pid: 404, "/api/v1/records?q=E2E-PRAXIS": 200, "/api/v1/tickets?q=E2E-PRAXIS-77": 200} {
		res, err := claire.Get(p.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != want || strings.Contains(string(body), "Röntgengerät") || (want == 200 && strings.Contains(string(body), "E2E-PRAXIS")) {
			t.Fatalf("GET %s as Claire: %d %s", path, res.StatusCode, body)
		}
	}
	if got := eval[string](b, `JSON.stringify(Object.entries(localStorage))`) + evalAwait[string](b, jsDrafts); strings.Contains(got, "E2E-PRAXIS") || strings.Contains(got, "Röntgengerät") {
		t.Fatalf("Claire's browser storage holds the Praxis record: %s", got)
	}
}

// qExistsNow tells whether an element matches sel now.
func (b *browser) qExistsNow(sel string) bool { return eval[bool](b, qExists(sel)) }

// Diego (es) adds an ERA as an example to an open ticket from the ERA's
// Get Help (seed 002: "seleccionar cualquier ticket con el que se pueda
// asociar esta ERA"): the ticket's conversation says so, in Spanish, and
// the ERA is in its right column and the ticket in the ERA's life record.
func TestGetHelpDiegoAddsERAExample(t *testing.T) {
	p := startPortal(t)
	sol := p.org(t, "300400")
	era := p.record(t, "300400", ticket.RecordRemittance, "E2E-ERA-0311", "Sanitas – transferencia 30/11",
		ticket.RecordField{Label: "paidAmount", Value: "980.00", Kind: ticket.KindMoney, Currency: "EUR"})
	id := strconv.FormatInt(era.ID, 10)
	on := strconv.FormatInt(p.numbers(t, sol, true)[0], 10)

	b := loginTo(t, p, "es-ES", seed.DiegoEmail)
	b.open("/records/" + id + "?help=1")
	b.waitTrue("Get Help panel", qExists("section#get-help"))
	b.waitTrue("the open ticket to choose", qExists("#help-example-"+on))
	b.jsClick("#help-example-" + on)
	b.click("#help-example-add")
	b.waitContains("example added", qText("#help-example-added"), on)
	b.waitTrue("the ticket in the ERA's life record", qExists("#life-record #ticket-row-"+on))
	b.open("/tickets/" + on)
	b.waitContains("the example message, in Spanish", qText("#messages"), "Ejemplo añadido: ERA (remesa) E2E-ERA-0311")
	b.waitTrue("the ERA in the right column", qExists("#linked-record-"+id))
}
