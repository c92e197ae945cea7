package pages

import (
	html_ "html"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
)

// Missing remittance (seed 002): record choices, the check rows, the
// evidence rule's hint and errors, the type's questions, previews and the
// ticket page.

func remittanceCatalog() state.Catalog {
	ct, _ := ticket.DefaultCatalog.Type("missing_remittance")
	return state.Catalog{Status: state.Loaded, Types: []state.CatalogType{{Type: ct, OrganizationIDs: []int64{praxis.ID}}},
		Attachments: state.AttachmentLimits{MaxFiles: 5, MaxFileBytes: 10 << 20}}
}

func record(kind ticket.RecordKind, id, title string, fields ...ticket.RecordField) ticket.RecordView {
	return ticket.RecordView{Record: ticket.Record{ID: int64(len(id) * 7), Organization: praxis.Ref(), Kind: kind, ExternalID: id, Title: title, Fields: fields}}
}

func loadedChoices(kind ticket.RecordKind, rs ...ticket.RecordView) *state.RecordList {
	return &state.RecordList{Status: state.Loaded, Query: state.RecordQuery{Kind: kind, OrganizationID: praxis.ID, Limit: state.RecordChoicesLimit}, Records: rs}
}

// remittanceForm is Anna's one-page form with a missing-ERA draft.
func remittanceForm(lang string, fields map[string]string) *intake {
	c := newIntake(state.FlowForm)
	c.session = annaSession(lang)
	c.catalog = remittanceCatalog()
	c.draftFor = 1
	c.touched = map[string]bool{}
	c.draft = state.Draft{Flow: state.FlowForm, Draft: ticket.Draft{OrganizationID: praxis.ID, Type: "missing_remittance", Category: "missing_era",
		Subject: "ERA fehlt", Description: "Seit Oktober keine ERAs mehr.", Fields: fields}}
	c.choices[ticket.RecordProvider] = loadedChoices(ticket.RecordProvider,
		record(ticket.RecordProvider, "1346829751", "Dr. med. Miriam Weber", ticket.RecordField{Label: "npi", Value: "1346829751"}),
		record(ticket.RecordProvider, "1245789031", "Dr. med. Katrin Sonnenschein", ticket.RecordField{Label: "npi", Value: "1245789031"}))
	c.choices[ticket.RecordPayer] = loadedChoices(ticket.RecordPayer,
		record(ticket.RecordPayer, "UHC", "UnitedHealthcare (UHC)"), record(ticket.RecordPayer, "AETNA", "Aetna"))
	return c
}

// invalid reports whether the opening tag is marked aria-invalid (go-app
// writes a true attribute bare).
func invalid(tag string) bool {
	return strings.Contains(tag, "aria-invalid") && !strings.Contains(tag, `aria-invalid="false"`)
}

const oneCheck = `[{"checkNumber":"882977310","checkAmount":"2318.75","checkDate":"2026-10-28"}]`

func TestIntakeRecordChoiceStates(t *testing.T) {
	tests := []struct {
		name  string
		list  *state.RecordList
		wants []string
		not   []string
	}{
		{"loading", &state.RecordList{Status: state.Loading, Query: state.RecordQuery{Kind: ticket.RecordProvider, OrganizationID: praxis.ID}},
			[]string{"Wird geladen …"}, []string{`id="f-fields-provider-empty"`}},
		{"another account's list", &state.RecordList{Status: state.Loaded, Query: state.RecordQuery{Kind: ticket.RecordProvider, OrganizationID: potsdam.ID},
			Records: []ticket.RecordView{record(ticket.RecordProvider, "9", "Dr. Potsdam")}}, []string{"Wird geladen …"}, []string{"Dr. Potsdam"}},
		{"empty", loadedChoices(ticket.RecordProvider), []string{`id="f-fields-provider-empty"`, "In diesem Konto gibt es noch keine Leistungserbringer.", "Abrechnungssystem"}, nil},
		{"failed", &state.RecordList{Status: state.Failed, Query: state.RecordQuery{Kind: ticket.RecordProvider, OrganizationID: praxis.ID}, Err: &state.Error{Code: "internal"}},
			[]string{`id="f-fields-provider-retry"`, "Erneut versuchen", "Die Liste konnte nicht geladen werden"}, nil},
		{"loaded", nil, []string{"Dr. med. Katrin Sonnenschein – NPI 1245789031", `value="1245789031"`}, []string{`id="f-fields-provider-filter"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := remittanceForm("de", map[string]string{"provider": "1245789031", "payer": "UHC", "checks": oneCheck})
			if tt.list != nil {
				c.choices[ticket.RecordProvider] = tt.list
			}
			html := render(t, c)
			mustContain(t, html, tt.wants...)
			for _, n := range tt.not {
				if strings.Contains(html, n) {
					t.Errorf("HTML has %q", n)
				}
			}
		})
	}

	// Loaded: a select sorted by title, the draft's record chosen.
	html := render(t, remittanceForm("de", map[string]string{"provider": "1245789031"}))
	if tag := openingTag(html, `id="f-fields-provider"`); !strings.HasPrefix(tag, "<select") || !strings.Contains(tag, `aria-describedby="err-f-fields-provider"`) {
		t.Errorf("provider control = %q, want a select described by its error", tag)
	}
	if tag := openingTag(html, `value="1245789031"`); !strings.Contains(tag, "selected") {
		t.Errorf("chosen provider option = %q, want it selected", tag)
	}
	if i, j := strings.Index(html, "Katrin Sonnenschein"), strings.Index(html, "Miriam Weber"); i < 0 || j < 0 || i > j {
		t.Errorf("providers at %d and %d: want them sorted by title", i, j)
	}

	// Many records: a search box narrows the list; the chosen one stays.
	c := remittanceForm("en", map[string]string{"provider": "1245789031"})
	var many []ticket.RecordView
	for _, n := range []string{"Ada", "Ben", "Cleo", "Dora", "Emil", "Fay", "Gus", "Hal", "Ida", "Jon", "Kim", "Lou"} {
		many = append(many, record(ticket.RecordProvider, "P-"+n, "Dr. "+n))
	}
	c.choices[ticket.RecordProvider] = loadedChoices(ticket.RecordProvider, append(many, c.choices[ticket.RecordProvider].Records...)...)
	c.recordFilter["fields.provider"] = "emi"
	html = render(t, c)
	mustContain(t, html, `id="f-fields-provider-filter"`, "Search the list", "Dr. Emil", "Katrin Sonnenschein")
	if strings.Contains(html, "Dr. Ada") {
		t.Error("the filter emi leaves Dr. Ada in the list")
	}
}

func TestIntakeRowsWithErrors(t *testing.T) {
	c := remittanceForm("de", map[string]string{"provider": "1245789031", "payer": "AETNA",
		"checks": `[{"checkNumber":"882977310","checkAmount":"2318.75","checkDate":"2026-10-28"},{},{"checkNumber":"x","checkAmount":"12,345","checkDate":""}]`})
	c.attempted = true
	html := render(t, c)
	// Three rows, each with labelled inputs and a remove button.
	for _, id := range []string{"f-fields-checks-0-checkNumber", "f-fields-checks-1-checkAmount", "f-fields-checks-2-checkDate", "f-fields-checks-row-2-remove"} {
		mustContain(t, html, `id="`+id+`"`)
	}
	mustContain(t, html, `for="f-fields-checks-0-checkAmount"`, "Betrag (USD)", "Scheck 3", "Scheck hinzufügen",
		`aria-label="Scheck 2 entfernen"`, "ein Beispiel genügt", `id="help-f-fields-checks"`)
	// The amount shows with the German decimal comma.
	if tag := openingTag(html, `id="f-fields-checks-0-checkAmount"`); !strings.Contains(tag, `value="2318,75"`) || !strings.Contains(tag, `inputmode="decimal"`) {
		t.Errorf("amount input = %q, want value 2318,75 and a decimal keyboard", tag)
	}
	if tag := openingTag(html, `id="f-fields-checks-0-checkDate"`); !strings.Contains(tag, `type="date"`) {
		t.Errorf("date input = %q, want type date", tag)
	}
	// The third row is the second checked (the blank one is not counted):
	// its errors show under its cells.
	for cell, want := range map[string]string{
		"2-checkNumber": "ErrFieldPattern", "2-checkAmount": "ErrFieldMoney", "2-checkDate": "ErrFieldRequired",
	} {
		id := "f-fields-checks-" + cell
		if tag := openingTag(html, `id="`+id+`"`); !invalid(tag) || !strings.Contains(tag, `aria-describedby="err-`+id+`"`) {
			t.Errorf("%s = %q, want aria-invalid and described by its error", id, tag)
		}
		mustContain(t, html, `id="err-`+id+`"`, t_("de", want))
	}
	if tag := openingTag(html, `id="f-fields-checks-0-checkNumber"`); invalid(tag) {
		t.Errorf("a valid cell is marked invalid: %q", tag)
	}

	// One row: no remove button. Nothing entered: the field's error marks
	// the first row.
	c = remittanceForm("en", map[string]string{"provider": "1245789031", "payer": "AETNA"})
	c.attempted = true
	html = render(t, c)
	if strings.Contains(html, "f-fields-checks-row-0-remove") {
		t.Error("the only row has a remove button")
	}
	mustContain(t, html, `id="err-f-fields-checks"`, t_("en", "ErrFieldRequired"), "Add check")
	if tag := openingTag(html, `id="f-fields-checks-0-checkNumber"`); !invalid(tag) || !strings.Contains(tag, "err-f-fields-checks\"") {
		t.Errorf("first cell with the field's error = %q", tag)
	}

	// At the limit no add button, a note instead.
	rows := make([]map[string]string, 10)
	for i := range rows {
		rows[i] = map[string]string{"checkNumber": "1234567", "checkAmount": "10", "checkDate": "2026-10-01"}
	}
	c = remittanceForm("es", map[string]string{"checks": rowsValue(rows)})
	html = render(t, c)
	if strings.Contains(html, `id="f-fields-checks-add"`) {
		t.Error("an add button at the limit of 10 checks")
	}
	mustContain(t, html, `id="f-fields-checks-max"`, "Como máximo 10 cheques")
}

func TestRowsAddRemove(t *testing.T) {
	one := editRows("")
	if len(one) != 1 || !blankRow(one[0]) {
		t.Fatalf("editRows(\"\") = %v, want one blank row", one)
	}
	rows, at, ok := addRow(editRows(oneCheck), 10)
	if !ok || at != 1 || len(rows) != 2 || !blankRow(rows[1]) {
		t.Fatalf("addRow = %v, %d, %v; want a blank second row", rows, at, ok)
	}
	if got, _ := ticket.Rows(rowsValue(rows)); len(got) != 1 {
		t.Errorf("ticket.Rows after adding a blank row: %d rows, want 1", len(got))
	}
	if _, _, ok := addRow(rows, 2); ok {
		t.Error("addRow beyond the limit")
	}
	rows, at, ok = removeRow(rows, 0)
	if !ok || at != 0 || len(rows) != 1 || !blankRow(rows[0]) {
		t.Errorf("removeRow(0) = %v, %d, %v; want the blank row left, focus on it", rows, at, ok)
	}
	if _, _, ok := removeRow(rows, 0); ok {
		t.Error("removeRow removed the only row")
	}
	three := []map[string]string{{"checkNumber": "a"}, {"checkNumber": "b"}, {"checkNumber": "c"}}
	if out, at, _ := removeRow(three, 2); at != 1 || len(out) != 2 || len(three) != 3 {
		t.Errorf("removeRow(last) = %v, focus %d; want focus on the row before, the input untouched", out, at)
	}
	if got := checkedIndex([]map[string]string{{}, {"a": "1"}, {}, {"a": "2"}}, 3); got != 1 {
		t.Errorf("checkedIndex = %d, want 1 (blank rows not counted)", got)
	}
}

func TestNormalizeMoney(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"2318.75", "2318.75"}, {"2318,75", "2318.75"}, {"1.234,50", "1234.50"}, {"1,234.50", "1234.50"},
		{"1 234,5", "1234.5"}, {"1\u202f234,50", "1234.50"}, {"$80", "80"}, {"1.234", "1234"}, {"1,234,567.89", "1234567.89"},
		{"12,", "12,"}, {"abc", "abc"}, {"1.2.3", "1.2.3"}, {"12,345", "12345"}, {"", ""},
	} {
		if got := normalizeMoney(tt.in); got != tt.want {
			t.Errorf("normalizeMoney(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := moneyInput("de", "2318.75"); got != "2318,75" {
		t.Errorf("moneyInput(de) = %q", got)
	}
	if got := moneyInput("en", "2318.75"); got != "2318.75" {
		t.Errorf("moneyInput(en) = %q", got)
	}
}

func TestIntakeEvidence(t *testing.T) {
	fields := func(payer string) map[string]string {
		return map[string]string{"provider": "1245789031", "payer": payer, "checks": oneCheck}
	}
	// UHC without a file or the DDAR: the hint names the payer; the
	// error shows at the files and at the DDAR field.
	c := remittanceForm("de", fields("UHC"))
	c.attempted = true
	html := render(t, c)
	mustContain(t, html, `id="evidence-hint"`, "Ein fehlendes ERA von UnitedHealthcare (UHC) kann ohne EOB", "Nur die Transaktions-ID",
		"Zahlungsnachweis (EOB oder DDAR)")
	mustContain(t, html, `id="err-attachments"`, `id="err-f-fields-ddarTransactionId"`)
	if n := strings.Count(html, t_("de", "ErrEvidenceRequired")); n != 2 {
		t.Errorf("evidence error shown %d times, want at the files and at the DDAR field", n)
	}
	if tag := openingTag(html, `id="files-input"`); !invalid(tag) || !strings.Contains(tag, "err-attachments") {
		t.Errorf("file input = %q, want invalid and described by the error", tag)
	}
	// The hint comes before the files, the DDAR field after them.
	if i, j, k := strings.Index(html, `id="evidence-hint"`), strings.Index(html, `id="files-input"`), strings.Index(html, `id="f-fields-ddarTransactionId"`); !(i < j && j < k) {
		t.Errorf("hint at %d, files at %d, DDAR at %d: want that order", i, j, k)
	}
	if got := c.stepProblems(stepDetails); got["fields.ddarTransactionId"] != "" {
		t.Errorf("the assistant's details step stops at the DDAR field: %v", got)
	}
	if got := c.stepProblems(stepFiles); got["attachments"] == "" || got["fields.ddarTransactionId"] == "" {
		t.Errorf("files step problems = %v, want the evidence at the files and the DDAR", got)
	}

	// A file uploaded: the browser's check sees it as the server will.
	c = remittanceForm("de", fields("UHC"))
	c.attempted = true
	c.files.restore([]ticket.Attachment{{ID: "up1", Name: "EOB.pdf", Size: 2048}}, nil, true)
	if p := c.problems(); p["attachments"] != "" || p["fields.ddarTransactionId"] != "" {
		t.Errorf("problems with an EOB attached = %v, want none about evidence", p)
	}
	// The DDAR id instead of a file.
	c = remittanceForm("de", fields("UHC"))
	c.draft.Fields["ddarTransactionId"] = "DDAR-882977310"
	if p := c.problems(); len(p) != 0 {
		t.Errorf("problems with the DDAR id = %v, want none", p)
	}
	// Aetna needs no proof: the optional hint only.
	html = render(t, remittanceForm("es", fields("AETNA")))
	mustContain(t, html, `id="evidence-optional"`, "Si recibió una EOB en papel")
	if strings.Contains(html, `id="evidence-hint"`) || strings.Contains(html, t_("es", "ErrEvidenceRequired")) {
		t.Error("Aetna shows the evidence hint or error")
	}
}

func TestIntakeRemittanceGuide(t *testing.T) {
	for _, lang := range []string{"en", "de", "fr", "es"} {
		html := render(t, remittanceForm(lang, nil))
		mustContain(t, html, `id="guide-type"`, html_.EscapeString(t_(lang, "Guide_missing_remittance_1")), html_.EscapeString(t_(lang, "Guide_missing_remittance_2")))
		if tag := openingTag(html, `id="f-description"`); !strings.Contains(tag, "guide-type") {
			t.Errorf("%s: description = %q, want it described by the questions", lang, tag)
		}
	}
	// Other types keep the general guidance only.
	c := followUpForm("en")
	c.draft.FollowUpOf = 0
	if html := render(t, c); strings.Contains(html, `id="guide-type"`) {
		t.Error("a login problem shows the remittance questions")
	}
}

func TestRemittancePreviewAndTicketPage(t *testing.T) {
	fields := map[string]string{"provider": "1245789031", "payer": "UHC", "ddarTransactionId": "DDAR-77",
		"checks": `[{"checkNumber":"882977310","checkAmount":"2318.75","checkDate":"2026-10-28"},{},{"checkNumber":"883104552","checkAmount":"410","checkDate":"2026-11-02"}]`}
	c := remittanceForm("de", fields)
	c.previewing = true
	html := render(t, c)
	mustContain(t, html, `id="preview-checks-table"`, "<th", "Schecknummer", "2.318,75\u00a0$", "410,00\u00a0$", "28.10.2026", "02.11.2026",
		"Dr. med. Katrin Sonnenschein – NPI 1245789031", "UnitedHealthcare (UHC)", "DDAR-77")
	if n := strings.Count(html, `id="preview-checks-table-`); n != 2 {
		t.Errorf("preview table rows: %d, want 2 (the blank row left out)", n)
	}

	// The ticket page: French formats, records linked to their pages.
	p := newTicketPage()
	p.session = annaSession("fr")
	p.number = 10042
	tk := tv(10042, "ERA manquant", ticket.StatusOpen, time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC))
	tk.Type, tk.Category, tk.Fields = "missing_remittance", "missing_era", fields
	tk.Links = []ticket.Link{
		{Record: ticket.RecordRef{ID: 501, Kind: ticket.RecordProvider, ExternalID: "1245789031", Title: "Dr. med. Katrin Sonnenschein"}},
		{Record: ticket.RecordRef{ID: 502, Kind: ticket.RecordPayer, ExternalID: "UHC", Title: "UnitedHealthcare (UHC)"}},
	}
	p.detail = state.TicketDetail{Status: state.Loaded, Number: 10042, Ticket: tk}
	html = render(t, p)
	mustContain(t, html, `href="/records/501"`, `href="/records/502"`, `id="ticket-field-checks-table"`,
		"2\u202f318,75\u00a0$US", "28/10/2026", "Numéro de chèque", "DDAR-77")
	if strings.Contains(html, `[{&#34;`) || strings.Contains(html, `"checkNumber"`) {
		t.Error("the ticket page shows the rows as JSON")
	}
	// In the catalog's order: provider, payer, checks, DDAR.
	order := []int{strings.Index(html, "ticket-field-provider"), strings.Index(html, "ticket-field-payer"),
		strings.Index(html, "ticket-field-checks"), strings.Index(html, "ticket-field-ddarTransactionId")}
	if !slices.IsSorted(order) || order[0] < 0 {
		t.Errorf("field positions %v: want the catalog's order", order)
	}
}
