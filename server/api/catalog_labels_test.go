package api_test

import (
	"strings"
	"testing"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/seed"
)

// labelled is an operator's catalog: a new type named in every language,
// an admin-only new type, and a known type whose German label is
// overridden.
const labelled = `{"types":[
 {"id":"billing","labels":{"en":"Billing","de":"Abrechnung","fr":"Facturation","es":"Facturación"},"categories":[
  {"id":"claim","labels":{"en":"Claim","de":"Forderung","fr":"Créance","es":"Reclamación"},"fields":[
   {"id":"claimNumber","kind":"text","required":true,"labels":{"en":"Claim number","de":"Forderungsnummer","fr":"Numéro de créance","es":"Número de reclamación"},
    "helpTexts":{"en":"On the letter","de":"Im Schreiben","fr":"Sur la lettre","es":"En la carta"}}]}]},
 {"id":"contracts","adminOnly":true,"labels":{"en":"Contracts","de":"Verträge","fr":"Contrats","es":"Contratos"},"categories":[{"id":"general"}]},
 {"id":"login_problem","labels":{"de":"Anmeldung"},"categories":[{"id":"password"}]}]}`

// The API's catalog carries the catalog's labels and help texts; types
// the caller may not raise come as others, labels included.
func TestCatalogCarriesLabels(t *testing.T) {
	cat, err := ticket.ReadCatalog(strings.NewReader(labelled))
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := mustDemo(t, api.Config{Catalog: cat})
	answer := func(email string) ticket.CatalogAnswer {
		c := newClient(t, srv)
		c.login(email)
		var res ticket.CatalogAnswer
		c.get("/api/v1/catalog").decode(t, &res)
		return res
	}
	anna := answer(seed.AnnaEmail)
	if len(anna.Types) != 3 || len(anna.Others) != 0 {
		t.Fatalf("anna (admin): %d types, %d others, want 3 and 0", len(anna.Types), len(anna.Others))
	}
	billing := anna.Types[0]
	claim := billing.Categories[0]
	field := claim.Fields[0]
	wants := []struct {
		name   string
		labels ticket.Labels
		want   map[string]string
	}{
		{"type", billing.Labels, map[string]string{"en": "Billing", "de": "Abrechnung", "fr": "Facturation", "es": "Facturación"}},
		{"category", claim.Labels, map[string]string{"en": "Claim", "de": "Forderung", "fr": "Créance", "es": "Reclamación"}},
		{"field", field.Labels, map[string]string{"en": "Claim number", "de": "Forderungsnummer", "fr": "Numéro de créance", "es": "Número de reclamación"}},
		{"help", field.HelpTexts, map[string]string{"en": "On the letter", "de": "Im Schreiben", "fr": "Sur la lettre", "es": "En la carta"}},
	}
	for _, w := range wants {
		for _, lang := range locales.Supported {
			if got, want := w.labels[lang], w.want[lang]; got != want {
				t.Errorf("%s label in %s = %q, want %q", w.name, lang, got, want)
			}
		}
	}
	if got := anna.Types[2].Labels; got["de"] != "Anmeldung" || len(got) != 1 {
		t.Errorf("login_problem labels = %v, want only the German override", got)
	}

	// Diego may not raise admin-only types, but may see tickets of them.
	diego := answer(seed.DiegoEmail)
	if len(diego.Types) != 2 || len(diego.Others) != 1 || diego.Others[0].ID != "contracts" || diego.Others[0].Labels["fr"] != "Contrats" {
		t.Errorf("diego (member): types %v, others %+v; want billing and login_problem, and contracts with its labels as other", diego.Types, diego.Others)
	}
	// A user without accounts learns nothing of the catalog.
	if carla := answer(seed.CarlaEmail); len(carla.Types) != 0 || len(carla.Others) != 0 {
		t.Errorf("carla (revoked): %+v, want nothing", carla)
	}
}
