package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/seed"
)

// Missing remittance (seed 002, "Boletos de ERA faltantes"): provider and
// payer chosen among the account's records, the missing checks as rows,
// and for UHC and Cigna an EOB or the DDAR id.

// setValue sets the value of the input sel as a user's edit does (date
// inputs take no typed keys reliably) and fires the input event.
func (b *browser) setValue(sel, value string) {
	b.t.Helper()
	js := fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e) return false;
		e.focus(); e.value = %q; e.dispatchEvent(new Event('input', {bubbles: true})); return true; })()`, sel, value)
	if _, ok, err := poll(b, js, func(v bool) bool { return v }); !ok {
		b.t.Fatalf("setting %s: no such element%s", sel, errNote(err))
	}
}

// chooseRecord waits until the select id offers value (the records load
// after the category is chosen) and chooses it.
func (b *browser) chooseRecord(id, value string) {
	b.t.Helper()
	got, ok, err := poll(b, qOptions("select#"+id), func(v []string) bool { return slices.Contains(v, value) })
	if !ok {
		b.t.Fatalf("options of #%s: got %q, want %q among them%s", id, got, value, errNote(err))
	}
	b.choose(id, value)
}

// storedLinks returns the records ticket n links, as kind:externalId.
func storedLinks(t *testing.T, p *portal, n int64) []string {
	t.Helper()
	links, err := p.DB.Links(context.Background(), n)
	if err != nil {
		t.Fatalf("Links(%d): %v", n, err)
	}
	var out []string
	for _, l := range links {
		out = append(out, string(l.Record.Kind)+":"+l.Record.ExternalID)
	}
	slices.Sort(out)
	return out
}

// Anna (de) reports a missing ERA of UHC on the one-page form: refused in
// the browser without an EOB, accepted with one; the ticket page shows
// the provider, the payer and the check in German.
func TestFormAnnaMissingRemittanceUHC(t *testing.T) {
	p := startPortal(t)
	praxis := p.org(t, "100200")
	const (
		subject     = "ERA von UHC fehlt seit Oktober"
		description = "Bis September kamen die ERAs von UHC regelmäßig, seitdem keine mehr. Auch für andere Schecks fehlt das ERA."
	)
	b := loginTo(t, p, "de-DE", seed.AnnaEmail)
	b.open("/tickets/new")
	b.waitTrue("form#ticket-form", qExists("form#ticket-form"))
	b.choose("f-type", "missing_remittance")
	b.waitOpenTicketChoices(p.numbers(t, praxis, true))
	b.choose("f-category", "missing_era")

	// Provider and payer: the account's records, by title (and NPI).
	b.chooseRecord("f-fields-provider", "1245789031")
	b.waitContains("provider option text", `document.querySelector('#f-fields-provider')?.selectedOptions[0]?.textContent ?? ''`, "Dr. med. Katrin Sonnenschein – NPI 1245789031")
	b.chooseRecord("f-fields-payer", "UHC")

	// The check: the amount with the German decimal comma.
	b.waitText("label of the amount", qText(`label[for="f-fields-checks-0-checkAmount"]`), msg(t, "de", "Field_checkAmount")+" (USD) ("+msg(t, "de", "Required")+")")
	b.typeIn("#f-fields-checks-0-checkNumber", "882977310")
	b.typeIn("#f-fields-checks-0-checkAmount", "2.318,75")
	b.setValue("#f-fields-checks-0-checkDate", "2026-10-28")
	// "Add check" adds a row and goes there; its remove button takes it
	// away again and the focus back to the first row.
	b.click("#f-fields-checks-add")
	b.waitText("focus on the new row", `document.activeElement?.id ?? ''`, "f-fields-checks-1-checkNumber")
	b.waitText("legend of the new row", qText("#f-fields-checks-row-1 legend"), "Scheck 2")
	b.click("#f-fields-checks-row-1-remove")
	b.waitFalse("second row removed", qExists("#f-fields-checks-row-1"))
	b.waitText("focus back on the first row", `document.activeElement?.id ?? ''`, "f-fields-checks-0-checkNumber")
	b.waitFalse("no remove button on the only row", qExists("#f-fields-checks-row-0-remove"))

	b.typeIn("input#f-subject", subject)
	b.typeIn("textarea#f-description", description)
	b.waitContains("the type's questions with the description", qText("#guide-type"), msg(t, "de", "Guide_missing_remittance_1"))
	b.waitContains("the evidence hint names the payer", qText("#evidence-hint"), "UnitedHealthcare (UHC)")
	b.waitContains("only the transaction id", qText("#evidence-hint"), "Nur die Transaktions-ID")
	b.shot("remittance-form-de")

	// No EOB, no DDAR: refused in the browser, at the files and the DDAR.
	b.click("button#preview")
	b.waitText("evidence error at the files", qText("#err-attachments"), msg(t, "de", "ErrEvidenceRequired"))
	b.waitText("evidence error at the DDAR", qText("#err-f-fields-ddarTransactionId"), msg(t, "de", "ErrEvidenceRequired"))
	if eval[bool](b, qExists("div#ticket-form-preview")) {
		t.Fatal("the preview opened without an EOB or the DDAR for UHC")
	}
	for _, e := range []string{"f-fields-checks-0-checkNumber", "f-fields-checks-0-checkAmount", "f-fields-checks-0-checkDate", "f-fields-provider", "f-fields-payer"} {
		if got := eval[string](b, qText("#err-"+e)); got != "" {
			t.Errorf("error at %s: %q, want none", e, got)
		}
	}
	b.shot("remittance-form-de-refused")

	// The EOB as a PDF: the privacy confirmation, then accepted.
	b.upload("#files-input", writeFile(t, "EOB UHC 882977310.pdf", pdfBytes))
	b.waitTrue("privacy dialog open", `document.querySelector('#files-privacy')?.open === true`)
	b.click("#files-privacy-confirm")
	b.waitContains("the EOB uploaded", qText("#files-list"), msg(t, "de", "FileUploaded"))
	b.waitText("no evidence error at the files", qText("#err-attachments"), "")
	b.waitText("no evidence error at the DDAR", qText("#err-f-fields-ddarTransactionId"), "")

	b.click("button#preview")
	b.waitTrue("div#ticket-form-preview", qExists("div#ticket-form-preview"))
	b.waitText("preview provider", qText("dd#preview-provider"), "Dr. med. Katrin Sonnenschein – NPI 1245789031")
	b.waitText("preview payer", qText("dd#preview-payer"), "UnitedHealthcare (UHC)")
	b.waitText("preview check", qText("#preview-checks-table-0"), "882977310"+"2.318,75\u00a0$"+"28.10.2026")
	b.click("div#ticket-form-preview button#send")
	q := b.waitSent()
	n, err := strconv.ParseInt(q.Get("ticket"), 10, 64)
	if err != nil {
		t.Fatalf("success page query %q", q.Encode())
	}

	tk := storedTicket(t, p, n)
	rows, err := ticket.Rows(tk.Fields["checks"])
	if err != nil || len(rows) != 1 || rows[0]["checkAmount"] != "2318.75" || rows[0]["checkDate"] != "2026-10-28" || rows[0]["checkNumber"] != "882977310" {
		t.Errorf("stored checks %q: want the one check, amount 2318.75", tk.Fields["checks"])
	}
	if tk.Fields["provider"] != "1245789031" || tk.Fields["payer"] != "UHC" || len(tk.Attachments) != 1 || tk.Type != "missing_remittance" {
		t.Errorf("stored ticket #%d: fields %v, %d attachments", n, tk.Fields, len(tk.Attachments))
	}
	if got, want := storedLinks(t, p, n), []string{"payer:UHC", "provider:1245789031"}; !slices.Equal(got, want) {
		t.Errorf("links of #%d: %v, want %v", n, got, want)
	}

	// The ticket page: the records by title, linked; the check in German.
	b.open("/tickets/" + strconv.FormatInt(n, 10))
	b.waitText("provider on the ticket page", qText("#ticket-field-provider a"), "Dr. med. Katrin Sonnenschein")
	if href := eval[string](b, `document.querySelector('#ticket-field-provider a')?.getAttribute('href') ?? ''`); !strings.HasPrefix(href, "/records/") {
		t.Errorf("provider link %q, want /records/{id}", href)
	}
	b.waitText("payer on the ticket page", qText("#ticket-field-payer a"), "UnitedHealthcare (UHC)")
	b.waitText("check table header", qText("#ticket-field-checks-table thead"), "SchecknummerBetragDatum")
	b.waitText("check row", qText("#ticket-field-checks-table-0"), "882977310"+"2.318,75\u00a0$"+"28.10.2026")
	b.shot("remittance-ticket-de")
}

// Diego (es) reports a missing ERA of Mutua Salud with the Support
// Assistant: no proof needed; the paper EOB is only suggested.
func TestAssistantDiegoMissingRemittanceMutua(t *testing.T) {
	p := startPortal(t)
	sol := p.org(t, "300400")
	const (
		subject     = "Falta la ERA de Mutua Salud"
		description = "La proveedora recibía ERA de Mutua Salud hasta octubre; desde entonces no llegan. No falta ninguna otra."
	)
	b := loginTo(t, p, "es-ES", seed.DiegoEmail)
	b.click("a#start-assistant")
	b.jsClick("#f-type-missing_remittance")
	b.waitTrue("type chosen", qChecked("#f-type-missing_remittance"))
	b.click("button#step-next")
	b.waitText("category step", jsPath, "/assistant/category")
	b.waitOpenTicketChoices(p.numbers(t, sol, true))
	b.jsClick("#f-category-missing_era")
	b.waitTrue("category chosen", qChecked("#f-category-missing_era"))
	b.click("button#step-next")

	b.waitText("details step", jsPath, "/assistant/details")
	b.chooseRecord("f-fields-provider", "1640273185")
	b.chooseRecord("f-fields-payer", "MUTUA")
	if eval[bool](b, qExists("#f-fields-ddarTransactionId")) {
		t.Error("the details step asks for the DDAR; it belongs with the files")
	}
	b.typeIn("#f-fields-checks-0-checkNumber", "44712290")
	b.typeIn("#f-fields-checks-0-checkAmount", "1234,5")
	b.setValue("#f-fields-checks-0-checkDate", "2026-10-15")
	b.waitText("add button", qText("#f-fields-checks-add"), msg(t, "es", "RowsAdd_checks"))
	b.typeIn("input#f-subject", subject)
	b.typeIn("textarea#f-description", description)
	b.waitContains("the type's questions", qText("#guide-type"), msg(t, "es", "Guide_missing_remittance_2"))
	b.shot("remittance-assistant-es")
	b.click("button#step-next")

	b.waitText("files step", jsPath, "/assistant/files")
	b.waitText("files step title", qText("#step-title"), msg(t, "es", "StepEvidence"))
	b.waitText("paper EOB suggested", qText("#evidence-optional"), msg(t, "es", "EvidenceOptional"))
	if eval[bool](b, qExists("#evidence-hint")) {
		t.Error("Mutua Salud shows the UHC/Cigna evidence hint")
	}
	b.waitTrue("the DDAR field with the files", qExists("#f-fields-ddarTransactionId"))
	b.click("button#step-next")

	b.waitText("preview step", jsPath, "/assistant/preview")
	b.waitText("preview payer", qText("dd#preview-payer"), "Mutua Salud")
	b.waitText("preview check", qText("#preview-checks-table-0"), "44712290"+"1234,50\u00a0US$"+"15/10/2026")
	b.click("button#send")
	q := b.waitSent()
	n, err := strconv.ParseInt(q.Get("ticket"), 10, 64)
	if err != nil {
		t.Fatalf("success page query %q", q.Encode())
	}
	tk := storedTicket(t, p, n)
	var rows []map[string]string
	if err := json.Unmarshal([]byte(tk.Fields["checks"]), &rows); err != nil || len(rows) != 1 || rows[0]["checkAmount"] != "1234.5" {
		t.Errorf("stored checks %q: want one check of 1234.5", tk.Fields["checks"])
	}
	if got, want := storedLinks(t, p, n), []string{"payer:MUTUA", "provider:1640273185"}; !slices.Equal(got, want) {
		t.Errorf("links of #%d: %v, want %v", n, got, want)
	}
}
