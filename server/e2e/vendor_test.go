package e2e

import (
	"strconv"
	"testing"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/seed"
)

// Vera (MedSoft Solutions) works in Praxis Sonnenschein's account: the top
// bar warns with "100200"; she files a ticket there and Anna sees it was
// created by MedSoft on her account's behalf. In Cabinet Lumière she may
// only read. Claire withdraws MedSoft's access: Vera's switcher no longer
// offers Cabinet Lumière and the ticket she had open is not found. Anna
// cannot lower the access of MedSoft, which pays for her account, and is
// told why.
func TestVendorVera(t *testing.T) {
	p := startPortal(t)
	sonnenschein, lumiere := p.org(t, "100200"), p.org(t, "200300")
	var lumiereTicket ticket.Ticket
	for _, tk := range p.tickets(t, lumiere.ID) {
		if !tk.Status.Closed() {
			lumiereTicket = tk
			break
		}
	}
	const subject = "Praxis Sonnenschein: KV-Abrechnung bricht ab"

	vera := loginTo(t, p, "en-US", seed.VeraEmail)
	vera.waitFalse("no warning in MedSoft's own account", qExists("#on-behalf"))
	vera.click("a#nav-vendor-support")
	vera.waitText("her vendor's tickets", jsPath, "/tickets")
	vera.waitText("marked as Vendor support, not Tickets", `[...document.querySelectorAll('nav.sidenav [aria-current="page"]')].map(a => a.id || a.textContent).join()`, "nav-vendor-support")
	vera.choose("account-select", idString(sonnenschein))
	vera.waitContains("the warning bar names the customer's account", qText("#on-behalf"), "100200")
	vera.waitTrue("in the warning colour", qExists(".account.account-vendor"))

	vera.open("/tickets/new")
	vera.waitTrue("form#ticket-form", qExists("form#ticket-form"))
	offersLumiere := `[...document.querySelectorAll('#f-organizationId option')].some(o => o.value === '` + idString(lumiere) + `')`
	// The account she works in is chosen; one she may only read is never
	// offered, not even before a type is chosen.
	vera.waitText("the form starts in the account of the top bar", qValue("select#f-organizationId"), idString(sonnenschein))
	if eval[bool](vera, offersLumiere) {
		t.Errorf("before a type is chosen the form offers Cabinet Lumière, where MedSoft may only read")
	}
	vera.choose("f-type", "web_interface_problem")
	vera.waitText("still in Praxis Sonnenschein after choosing a type", qValue("select#f-organizationId"), idString(sonnenschein))
	if eval[bool](vera, offersLumiere) {
		t.Errorf("the form offers Cabinet Lumière, where MedSoft may only read")
	}
	vera.waitTrue("category choices", qExists("select#f-category"))
	vera.choose("f-category", "error_message")
	vera.typeIn("input#f-subject", subject)
	vera.typeIn("textarea#f-description", "The KV export stops at 80 % for this practice since this morning.")
	vera.click("button#preview")
	vera.waitTrue("preview", qExists("div#ticket-form-preview"))
	vera.click("div#ticket-form-preview button#send")
	q := vera.waitSent()
	n, err := strconv.ParseInt(q.Get("ticket"), 10, 64)
	if err != nil {
		t.Fatalf("success page: %v", q)
	}
	if tk := storedTicket(t, p, n); tk.Organization.ID != sonnenschein.ID || tk.OnBehalfOf == nil || tk.OnBehalfOf.AccountNumber != "900100" {
		t.Fatalf("stored ticket: org %d, on behalf of %+v", tk.Organization.ID, tk.OnBehalfOf)
	}

	anna := loginTo(t, p, "de-DE", seed.AnnaEmail)
	anna.open("/tickets/" + strconv.FormatInt(n, 10))
	anna.waitContains("created by MedSoft on the account's behalf", qText("#ticket-created-by"),
		fill(msg(t, "de", "CreatedOnBehalf"), "Vendor", "MedSoft Solutions", "Name", "Vera Vendor", "Customer", sonnenschein.Name))

	// On the ticket she filed, she switches to Cabinet Lumière: she goes
	// on from that account's tickets, not from a page of another account.
	vera.open("/tickets/" + strconv.FormatInt(n, 10))
	vera.waitTrue("her ticket's reply box", qExists("textarea#reply-body"))
	vera.choose("account-select", idString(lumiere))
	vera.waitText("the list of the account switched to", jsPath, "/tickets")
	vera.waitContains("the read-only warning", qText("#on-behalf"), "200300")

	// Cabinet Lumière: read only.
	lumierePage := "/tickets/" + strconv.FormatInt(lumiereTicket.Number, 10)
	vera.open(lumierePage)
	vera.waitContains("a ticket of Cabinet Lumière", qText("#ticket-subject"), lumiereTicket.Subject)
	vera.waitText("no reply box, but why", qText("#reply-read-only"), msg(t, "en", "ErrReadOnlyAccess"))
	vera.waitFalse("nothing to create where she may only read", qExists("button#plus-menu-button")+" || "+qExists("button#support-menu-button"))

	// Claire withdraws MedSoft's access.
	claire := loginTo(t, p, "fr-FR", seed.ClaireEmail)
	claire.open("/settings/account")
	vendorSelect := "vendor-access-" + idString(p.org(t, "900100"))
	claire.waitTrue("MedSoft's access", qExists("select#"+vendorSelect))
	claire.choose(vendorSelect, "none")
	claire.waitText("saved", qText("#settings-status"), msg(t, "fr", "Saved"))

	// The page she has open learns of it without a reload.
	vera.waitText("the ticket she has open is not found, at once", qText("p.error"), msg(t, "en", "ErrNotFound"))
	vera.waitFalse("the switcher no longer offers Cabinet Lumière",
		`[...document.querySelectorAll('#account-select option')].some(o => o.value === '`+idString(lumiere)+`')`)
	vera.open(lumierePage)
	vera.waitText("and after opening it again", qText("p.error"), msg(t, "en", "ErrNotFound"))

	// Anna cannot lower MedSoft's access, and is told why. Her settings are
	// in the user menu.
	anna.click("button#user-menu-button")
	anna.click("a#settings-link")
	anna.waitText("the account settings", jsPath, "/settings/account")
	anna.waitTrue("MedSoft's access, not changeable", `document.querySelector('select#`+vendorSelect+`')?.disabled === true`)
	anna.waitText("why", qText("#vendor-note-"+idString(p.org(t, "900100"))), fill(msg(t, "de", "VendorPaidNote"), "Vendor", "MedSoft Solutions"))
}
