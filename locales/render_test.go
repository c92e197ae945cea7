//go:build !(js && wasm)

package locales

import (
	"testing"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// TestBrowserRendererMatchesGoI18n renders every message of every language
// with go-i18n (the server's) and with the lite renderer (the browser's):
// both must agree, plural forms included.
func TestBrowserRendererMatchesGoI18n(t *testing.T) {
	data := map[string]any{"Name": "Praxis Sonnenschein", "Number": "100200", "Count": 3}
	compared := 0
	for _, lang := range Supported {
		for id, msg := range readFile(t, files, "active."+lang+".json") { // the browser's
			counts := []int{-1}
			if _, plural := msg.(map[string]any); plural {
				counts = []int{0, 1, 2, 3, 5, 11, 21, 101, 1000000}
			}
			for _, n := range counts {
				d := data
				if n >= 0 {
					d = map[string]any{"Name": "X", "Number": "1", "Count": n}
				}
				want := localizeI18n(lang, id, n, d)
				got := localizeLite(lang, id, n, d)
				if got != want {
					t.Errorf("%s %s count %d: browser renders %q, server %q", lang, id, n, got, want)
				}
				compared++
			}
		}
	}
	if compared < 400 {
		t.Fatalf("compared only %d renderings", compared)
	}
	if got := fill("{{ .A }}-{{.B}}-{{.C}}", map[string]any{"A": 1, "B": "b"}); got != "1-b-<no value>" {
		t.Errorf("fill = %q", got)
	}
}

// go-i18n refuses files that use its reserved words (ID, Description, One,
// Other…) as message ids; then every message would fall back to its id.
func TestServerBundleLoads(t *testing.T) {
	bundleOnce.Do(loadBundle)
	if bundleErr != nil {
		t.Fatal(bundleErr)
	}
}

// TestPluralFormMatchesXText: the browser's plural rules are x/text's
// (CLDR) for every supported language.
func TestPluralFormMatchesXText(t *testing.T) {
	forms := map[plural.Form]string{
		plural.Zero: "zero", plural.One: "one", plural.Two: "two",
		plural.Few: "few", plural.Many: "many", plural.Other: "other",
	}
	counts := []int{1 << 31, 1<<31 - 1, 1 << 40}
	for n := 0; n <= 100000; n++ {
		counts = append(counts, n)
	}
	for _, m := range []int{1000000, 2000000, 10000000, 1000000000, 1000000000000} {
		counts = append(counts, m-1, m, m+1)
	}
	for _, lang := range Supported {
		tag := language.Make(lang)
		for _, n := range counts {
			want := forms[plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)]
			if got := pluralForm(lang, n); got != want {
				t.Fatalf("pluralForm(%q, %d) = %q, want %q (x/text)", lang, n, got, want)
			}
		}
	}
}
