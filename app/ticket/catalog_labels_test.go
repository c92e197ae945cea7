package ticket_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// all4 is a labels object in every supported language: "<text> (<lang>)".
func all4(text string) string {
	return `{"en":"` + text + ` (en)","de":"` + text + ` (de)","fr":"` + text + ` (fr)","es":"` + text + ` (es)"}`
}

// An operator's catalog names its own entries in every language; an
// entry without a locale message and without a label in some language is
// refused, naming the entry and the languages.
func TestReadCatalogNeedsLabelsOfNewEntries(t *testing.T) {
	tests := []struct {
		name  string
		json  string
		wants []string // "" = accepted
	}{
		{"labels in every language", `{"types":[{"id":"billing","labels":` + all4("Billing") + `,"categories":[{"id":"claim","labels":` + all4("Claim") +
			`,"fields":[{"id":"amount","kind":"money","labels":` + all4("Amount") + `,"helpTexts":` + all4("As billed") + `}]}]}]}`, nil},
		{"type lacks de and fr", `{"types":[{"id":"billing","labels":{"en":"Billing","es":"Facturación"},"categories":[{"id":"password"}]}]}`,
			[]string{`type "billing": no label in de, fr`, `"labels"`, "Type_billing"}},
		{"type has no labels", `{"types":[{"id":"billing","categories":[{"id":"password"}]}]}`,
			[]string{`type "billing": no label in en, de, fr, es`}},
		{"blank label is none", `{"types":[{"id":"billing","labels":{"en":"Billing","de":" ","fr":"Facturation","es":"Facturación"},"categories":[{"id":"password"}]}]}`,
			[]string{`type "billing": no label in de`}},
		{"category lacks es", `{"types":[{"id":"login_problem","categories":[{"id":"sso","labels":{"en":"SSO","de":"SSO","fr":"SSO"}}]}]}`,
			[]string{`type "login_problem" category "sso": no label in es`}},
		{"field lacks fr", `{"types":[{"id":"login_problem","categories":[{"id":"password","fields":[{"id":"realm","kind":"text","labels":{"en":"Realm","de":"Bereich","es":"Dominio"}}]}]}]}`,
			[]string{`type "login_problem" category "password" field "realm": no label in fr`}},
		{"column lacks labels", `{"types":[{"id":"login_problem","categories":[{"id":"password","fields":[{"id":"checks","kind":"rows","columns":[{"id":"pin","kind":"text"}]}]}]}]}`,
			[]string{`field "checks" column "pin": no label in en, de, fr, es`}},
		{"help without texts", `{"types":[{"id":"login_problem","categories":[{"id":"password","fields":[{"id":"realm","kind":"text","labels":` + all4("Realm") + `,"help":true}]}]}]}`,
			[]string{`field "realm": no help text in en, de, fr, es`, `"helpTexts"`, "FieldHelp_realm"}},
		{"help texts lack de", `{"types":[{"id":"login_problem","categories":[{"id":"password","fields":[{"id":"realm","kind":"text","labels":` + all4("Realm") + `,"helpTexts":{"en":"x","fr":"x","es":"x"}}]}]}]}`,
			[]string{`field "realm": no help text in de`}},
		{"unknown language", `{"types":[{"id":"login_problem","labels":{"it":"Accesso"},"categories":[{"id":"password"}]}]}`,
			[]string{`type "login_problem": labels: unknown language "it"`}},
		{"every faulty entry is named", `{"types":[{"id":"a","categories":[{"id":"b"}]}]}`,
			[]string{`type "a": no label`, `type "a" category "b": no label`}},
		// Known entries keep the locales' labels and may override some.
		{"known entries need no labels", `{"types":[{"id":"admin_request","categories":[{"id":"invoice","fields":[{"id":"invoiceNumber","kind":"text","help":true}]}]}]}`, nil},
		{"override in one language", `{"types":[{"id":"login_problem","labels":{"de":"Anmeldung"},"categories":[{"id":"password"}]}]}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ticket.ReadCatalog(strings.NewReader(tt.json))
			if len(tt.wants) == 0 {
				if err != nil {
					t.Fatalf("ReadCatalog = %v, want it accepted", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("ReadCatalog accepted %s, want an error with %q", tt.json, tt.wants)
			}
			var ce *ticket.CatalogError
			if !errors.As(err, &ce) {
				t.Errorf("error %v is no *CatalogError", err)
			}
			for _, want := range tt.wants {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("ReadCatalog = %v, want it to contain %q", err, want)
				}
			}
		})
	}
}

// The labels a catalog brings are kept with its entries, per language.
func TestReadCatalogKeepsLabels(t *testing.T) {
	c, err := ticket.ReadCatalog(strings.NewReader(`{"types":[{"id":"billing","labels":` + all4("Billing") + `,"categories":[{"id":"claim","labels":` + all4("Claim") +
		`,"fields":[{"id":"amount","kind":"money","labels":` + all4("Amount") + `,"helpTexts":` + all4("As billed") + `}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	typ, _ := c.Type("billing")
	cat, _ := typ.Category("claim")
	f, _ := cat.Field("amount")
	for _, lang := range locales.Supported {
		for _, tt := range []struct {
			labels ticket.Labels
			want   string
		}{{typ.Labels, "Billing"}, {cat.Labels, "Claim"}, {f.Labels, "Amount"}, {f.HelpTexts, "As billed"}} {
			if got, _ := tt.labels.In(lang); got != tt.want+" ("+lang+")" {
				t.Errorf("%s: label %q, want %q", lang, got, tt.want+" ("+lang+")")
			}
		}
	}
	if !f.HasHelp() {
		t.Error("a field with help texts has no help")
	}
}

// The built-in catalog is named by the locales alone.
func TestDefaultCatalogNeedsNoLabels(t *testing.T) {
	if err := ticket.DefaultCatalog.CheckLabels(locales.Supported, locales.Has); err != nil {
		t.Fatal(err)
	}
}
