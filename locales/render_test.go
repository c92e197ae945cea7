//go:build !(js && wasm)

package locales

import "testing"

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
