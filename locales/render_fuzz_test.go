//go:build !(js && wasm)

package locales

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
)

// FuzzBrowserRenderer: whatever users typed into a placeholder (a subject,
// a name, text that looks like a template), the browser's renderer and
// go-i18n write the same sentence, in every language, plural forms too.
func FuzzBrowserRenderer(f *testing.F) {
	type msg struct {
		lang, id string
		plural   bool
	}
	var msgs []msg
	for _, lang := range Supported {
		b, err := files.ReadFile("active." + lang + ".json")
		if err != nil {
			f.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			f.Fatal(err)
		}
		for id, v := range m {
			if s, ok := v.(string); !ok || strings.Contains(s, "{{") {
				msgs = append(msgs, msg{lang, id, !ok}) // plural forms, or placeholders
			}
		}
	}
	slices.SortFunc(msgs, func(a, b msg) int { return strings.Compare(a.lang+a.id, b.lang+b.id) })
	f.Add(0, "Praxis Sonnenschein", 3)
	f.Add(1, "{{.Name}} <b>&amp;</b>", 1)
	f.Add(2, "Zoë \u2068D'Arcy\u2069 %s %v", 0)
	f.Fuzz(func(t *testing.T, i int, value string, count int) {
		if i < 0 {
			i = -i
		}
		m := msgs[i%len(msgs)]
		if !m.plural {
			count = -1 // a plain message takes no count
		} else {
			count &= math.MaxInt32 // counts of things are not negative
		}
		data := map[string]any{"Count": count}
		for _, name := range []string{"Name", "Number", "Subject", "Names", "Customer", "Vendor", "Types", "Size", "Draft", "Status", "Words", "Query", "Account"} {
			data[name] = value
		}
		want := localizeI18n(m.lang, m.id, count, data)
		if got := localizeLite(m.lang, m.id, count, data); got != want {
			t.Fatalf("%s %s with %q, count %d: browser %q, server %q", m.lang, m.id, value, count, got, want)
		}
	})
}
