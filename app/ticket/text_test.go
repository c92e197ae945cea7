package ticket

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCleanText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Rechnung 1200 fehlt", "Rechnung 1200 fehlt"},
		{"right-to-left override", "Rechnung \u202E0021", "Rechnung 0021"},
		{"closed override", "invoice\u202Efdp.exe\u202C", "invoicefdp.exe"},
		{"left-to-right override", "a\u202Dbc\u202C", "abc"},
		{"paired isolate kept", "Patient \u2067\u05E9\u05DC\u05D5\u05DD\u2069 42", "Patient \u2067\u05E9\u05DC\u05D5\u05DD\u2069 42"},
		{"paired embedding kept", "x \u202B\u05D0\u202C y", "x \u202B\u05D0\u202C y"},
		{"unclosed isolate", "\u2068abc", "abc"},
		{"closer without opener", "abc\u2069\u202C", "abc"},
		{"isolate closed in the next paragraph", "\u2067abc\n\u2069def", "abc\ndef"},
		{"crossed nesting", "\u2066a\u202Ab\u2069c\u202C", "a\u202Abc\u202C"},
		{"marks stay", "\u200F\u061C\u200E", "\u200F\u061C\u200E"},
		{"nested isolates", "\u2066\u2067x\u2069\u2069", "\u2066\u2067x\u2069\u2069"},
		{"controls", "a\x00b\x1bc\u0085d\u001Ce\x7f", "abcde"},
		{"lines and tabs stay", "a\tb\r\nc", "a\tb\r\nc"},
		{"isolate across a control", "\u2067a\u001C\u2069b", "\u2067a\u2069b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CleanText(tt.in); got != tt.want {
				t.Fatalf("CleanText(%+q) = %+q, want %+q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDraftClean(t *testing.T) {
	d := Draft{Subject: "Rechnung \u202E0021", Description: "\u202Eabc", Fields: map[string]string{"invoice": "R-\u202E99"}}
	d.Clean()
	if d.Subject != "Rechnung 0021" || d.Description != "abc" || d.Fields["invoice"] != "R-99" {
		t.Fatalf("cleaned draft = %+q, %+q, %+q", d.Subject, d.Description, d.Fields["invoice"])
	}
}

// balanced reports whether every embedding and isolate of s is closed, in
// order, within its paragraph, and s holds no override.
func balanced(s string) bool {
	var open []rune
	for _, r := range s {
		switch r {
		case lro, rlo:
			return false
		case lre, rle, lri, rli, fsi:
			open = append(open, r)
		case pdf, pdi:
			if len(open) == 0 || !closes(r, open[len(open)-1]) {
				return false
			}
			open = open[:len(open)-1]
		case '\n', '\r', '\u2029':
			if len(open) > 0 {
				return false
			}
		}
	}
	return len(open) == 0
}

func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"", "abc", "a\u202Eb", "\u2066\u202A\u2069\u202C", "\u2067x\n\u2069", "Zoë \u2068D'Arcy\u2069"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // JSON has already replaced invalid bytes
		}
		got := CleanText(s)
		if !balanced(got) {
			t.Fatalf("CleanText(%+q) = %+q: not balanced", s, got)
		}
		if CleanText(got) != got {
			t.Fatalf("CleanText is not idempotent on %+q", s)
		}
		// Only bidi controls and control characters are removed: the rest
		// keeps its order.
		strip := func(s string) string {
			return strings.Map(func(r rune) rune {
				if isBidiControl(r) || isControl(r) {
					return -1
				}
				return r
			}, s)
		}
		if strings.ContainsFunc(got, isControl) {
			t.Fatalf("CleanText(%+q) = %+q keeps a control character", s, got)
		}
		if strip(got) != strip(s) {
			t.Fatalf("CleanText(%+q) = %+q changed more than controls", s, got)
		}
	})
}

func TestMatches(t *testing.T) {
	for _, c := range []struct {
		text, query string
		want        bool
	}{
		{"Clínica Sol (300400)", "clinica", true},
		{"Clínica Sol (300400)", "CLÍNICA 3004", true},
		{"Praxis Müller-Lüdenscheidt", "muller lud", true},
		{"Cabinet Lumière", "lumiere cab", true},
		{"Cabinet Lumière", "lumiere sol", false},
		{"Straße 5", "strasse", true},
		{"anything", "", true},
		{"Praxis Sonnenschein", "sonnenscheinx", false},
	} {
		if got := Matches(c.text, c.query); got != c.want {
			t.Errorf("Matches(%q, %q) = %v, want %v", c.text, c.query, got, c.want)
		}
	}
}

// A subject is one line: a line break typed or pasted into it (or sent
// through the API to smuggle a mail header) becomes a space.
func TestDraftSubjectIsOneLine(t *testing.T) {
	d := Draft{Subject: "Line one\r\nBcc: x@evil.example\u2028more"}
	d.Clean()
	if d.Subject != "Line one Bcc: x@evil.example more" {
		t.Errorf("subject = %q", d.Subject)
	}
}
