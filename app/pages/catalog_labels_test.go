package pages

import (
	"html"
	"strings"
	"testing"
	"time"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
)

// labelledCatalog is an operator's catalog (read as -catalog reads it):
// new entries named in every language, a known type renamed in German.
func labelledCatalog(t *testing.T) state.Catalog {
	t.Helper()
	cat, err := ticket.ReadCatalog(strings.NewReader(`{"types":[
 {"id":"billing","labels":{"en":"Billing","de":"Abrechnung","fr":"Facturation","es":"Facturación"},"categories":[
  {"id":"claim","labels":{"en":"Disputed claim","de":"Strittige Forderung","fr":"Créance contestée","es":"Reclamación disputada"},"fields":[
   {"id":"claimNumber","kind":"text","required":true,
    "labels":{"en":"Claim number","de":"Forderungsnummer","fr":"Numéro de créance","es":"Número de reclamación"},
    "helpTexts":{"en":"It is on the letter.","de":"Sie steht im Schreiben.","fr":"Il figure sur le courrier.","es":"Está en la carta."}},
   {"id":"lines","kind":"rows","labels":{"en":"Billed lines","de":"Gebuchte Positionen","fr":"Lignes facturées","es":"Líneas facturadas"},"columns":[
    {"id":"code","kind":"text","labels":{"en":"Line code","de":"Positionsschlüssel","fr":"Code de ligne","es":"Código de línea"}}]}]}]},
 {"id":"contracts","adminOnly":true,"labels":{"en":"Contracts","de":"Verträge","fr":"Contrats","es":"Contratos"},"categories":[
  {"id":"renewal","labels":{"en":"Renewal","de":"Verlängerung","fr":"Renouvellement","es":"Renovación"}}]},
 {"id":"login_problem","labels":{"de":"Anmeldung klemmt"},"categories":[{"id":"password"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	c := state.Catalog{Status: state.Loaded, Others: []ticket.Type{cat.Types[1]}}
	for _, typ := range []ticket.Type{cat.Types[0], cat.Types[2]} {
		c.Types = append(c.Types, state.CatalogType{Type: typ, OrganizationIDs: []int64{praxis.ID}})
	}
	return c
}

// customLabels are the labels of labelledCatalog's new entries by language.
var customLabels = map[string][]string{
	"en": {"Billing", "Disputed claim", "Claim number", "It is on the letter.", "Line code", "Billed lines"},
	"de": {"Abrechnung", "Strittige Forderung", "Forderungsnummer", "Sie steht im Schreiben.", "Positionsschlüssel", "Gebuchte Positionen"},
	"fr": {"Facturation", "Créance contestée", "Numéro de créance", "Il figure sur le courrier.", "Code de ligne", "Lignes facturées"},
	"es": {"Facturación", "Reclamación disputada", "Número de reclamación", "Está en la carta.", "Código de línea", "Líneas facturadas"},
}

// noRawIDs fails when an id of labelledCatalog shows as text.
func noRawIDs(t *testing.T, where, html string) {
	t.Helper()
	for _, id := range []string{"billing", "claim", "claimNumber", "lines", "code", "contracts", "renewal"} {
		if strings.Contains(html, ">"+id+"<") {
			t.Errorf("%s shows the raw id %q", where, id)
		}
	}
}

func labelledIntake(t *testing.T, lang, flow string) *intake {
	c := newIntake(flow)
	c.session = annaSession(lang)
	c.catalog = labelledCatalog(t)
	c.draftFor = 1
	c.touched = map[string]bool{}
	c.draft = state.Draft{Flow: flow, Draft: ticket.Draft{OrganizationID: praxis.ID, Type: "billing", Category: "claim",
		Subject: "Doppelt", Description: "Zweimal gebucht",
		Fields: map[string]string{"claimNumber": "F-2026-17", "lines": `[{"code":"A1"}]`}}}
	return c
}

// A custom catalog's labels and help texts show in the user's language in
// the one-page form, each step of the Support Assistant and the preview.
func TestCustomCatalogLabelsInIntake(t *testing.T) {
	for lang, want := range customLabels {
		esc := make([]string, len(want))
		for i, w := range want {
			esc[i] = html.EscapeString(w)
		}
		typ, cat, field, help, column, rows := esc[0], esc[1], esc[2], esc[3], esc[4], esc[5]

		form := render(t, labelledIntake(t, lang, state.FlowForm))
		mustContain(t, form, ">"+typ+"<", ">"+cat+"<", field, `id="help-f-fields-claimNumber"`, help, column, rows)
		noRawIDs(t, lang+" form", form)

		for step, wants := range map[string][]string{
			stepType:     {">" + typ + "<"},
			stepCategory: {">" + cat + "<"},
			stepDetails:  {field, help, column, rows},
		} {
			c := labelledIntake(t, lang, state.FlowAssistant)
			c.step = step
			got := render(t, c)
			mustContain(t, got, wants...)
			noRawIDs(t, lang+" assistant step "+step, got)
		}

		c := labelledIntake(t, lang, state.FlowForm)
		c.previewing = true
		preview := render(t, c)
		mustContain(t, preview, ">"+typ+"</dd>", ">"+cat+"</dd>", ">"+field+"</dt>", ">"+rows+"</dt>", ">"+column+"</th>")
		noRawIDs(t, lang+" preview", preview)
	}
}

// A catalog's label overrides the locale's in its language only.
func TestCatalogLabelOverridesLocale(t *testing.T) {
	for _, lang := range []string{"en", "de", "fr", "es"} {
		c := labelledIntake(t, lang, state.FlowForm)
		c.draft.Type, c.draft.Category = "login_problem", "password"
		want := t_(lang, ticket.TypeMessageID("login_problem"))
		if lang == "de" {
			want = "Anmeldung klemmt"
		}
		mustContain(t, render(t, c), ">"+html.EscapeString(want)+"<")
	}
}

// The ticket page names a ticket's type, category and fields by the
// catalog's labels, also of a type the user may not raise; the list's
// filters offer the types by their labels.
func TestCustomCatalogLabelsOnTicketPages(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	for lang, want := range customLabels {
		page := func(tk ticket.TicketView) string {
			p := newTicketPage()
			p.session = annaSession(lang)
			p.catalog = labelledCatalog(t)
			p.number = tk.Number
			p.detail = state.TicketDetail{Status: state.Loaded, Number: tk.Number, Ticket: tk}
			return render(t, p)
		}
		tk := tv(10020, "Doppelt", ticket.StatusOpen, now)
		tk.Type, tk.Category = "billing", "claim"
		tk.Fields = map[string]string{"claimNumber": "F-2026-17", "lines": `[{"code":"A1"}]`}
		got := page(tk)
		mustContain(t, got, ">"+html.EscapeString(want[0])+"</dd>", ">"+html.EscapeString(want[1])+"</dd>",
			">"+html.EscapeString(want[2])+"</dt>", ">"+html.EscapeString(want[5])+"</dt>", ">"+html.EscapeString(want[4])+"</th>")
		noRawIDs(t, lang+" ticket page", got)

		tk.Type, tk.Category, tk.Fields = "contracts", "renewal", nil
		got = page(tk)
		others := map[string][]string{"en": {"Contracts", "Renewal"}, "de": {"Verträge", "Verlängerung"}, "fr": {"Contrats", "Renouvellement"}, "es": {"Contratos", "Renovación"}}[lang]
		mustContain(t, got, ">"+html.EscapeString(others[0])+"</dd>", ">"+html.EscapeString(others[1])+"</dd>")
		noRawIDs(t, lang+" ticket page of another type", got)

		list := newTicketsPage()
		list.session = annaSession(lang)
		list.catalog = labelledCatalog(t)
		list.views = state.Views{Status: state.Loaded}
		got = render(t, list)
		mustContain(t, got, ">"+html.EscapeString(want[0])+"<", ">"+html.EscapeString(want[1])+"<")
		noRawIDs(t, lang+" ticket list", got)
	}
}
