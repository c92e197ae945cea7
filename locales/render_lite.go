package locales

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

// The lite renderer reads the go-i18n message files itself: a message is a
// string or an object of CLDR plural forms ("one", "other", …), and
// {{.Name}} placeholders are replaced by data. The browser uses it (see the
// package comment); the server uses go-i18n, and a test compares the two.

var (
	liteOnce sync.Once
	liteMsgs map[string]map[string]any
)

func loadLite() {
	liteMsgs = make(map[string]map[string]any, len(Supported))
	for _, lang := range Supported {
		m := map[string]any{}
		if b, err := files.ReadFile("active." + lang + ".json"); err == nil {
			json.Unmarshal(b, &m)
		}
		liteMsgs[lang] = m
	}
}

// pluralForm is the CLDR cardinal plural form of a whole count n ≥ 0 in
// lang, as golang.org/x/text/feature/plural has it for the supported
// languages (TestPluralFormMatchesXText): French says "one" for 0 and 1,
// English, German and Spanish for 1 only. x/text's plural tables and
// language parser cost app.wasm 33 KB brotli for these two rules. A language
// supportal does not speak renders with the Default's messages, so with
// the Default's rule.
func pluralForm(lang string, n int) string {
	if n == 1 || (n == 0 && lang == "fr") {
		return "one"
	}
	return "other"
}

func localizeLite(lang, id string, count int, data map[string]any) string {
	liteOnce.Do(loadLite)
	msgs, ok := liteMsgs[lang]
	if !ok {
		msgs = liteMsgs[Default]
	}
	var text string
	switch m := msgs[id].(type) {
	case string:
		text = m
	case map[string]any:
		form := "other"
		if count >= 0 {
			form = pluralForm(lang, count)
		}
		s, ok := m[form].(string)
		if !ok {
			s, ok = m["other"].(string)
		}
		if !ok {
			return id
		}
		text = s
	default:
		return id
	}
	return fill(text, data)
}

// fill replaces {{.Name}} (spaces allowed inside the braces) by data["Name"].
func fill(text string, data map[string]any) string {
	if !strings.Contains(text, "{{") {
		return text
	}
	var b strings.Builder
	for {
		i := strings.Index(text, "{{")
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		j := strings.Index(text[i:], "}}")
		if j < 0 {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:i])
		name := strings.TrimPrefix(strings.TrimSpace(text[i+2:i+j]), ".")
		if v, ok := data[name]; ok {
			b.WriteString(fmt.Sprint(v))
		} else {
			b.WriteString("<no value>")
		}
		text = text[i+j+2:]
	}
}

// Has reports whether lang has a message id (a label may fall back to a
// raw name when not).
func Has(lang, id string) bool {
	liteOnce.Do(loadLite)
	_, ok := liteMsgs[lang][id]
	return ok
}
