package pages

import (
	"reflect"
	"strings"
	"testing"
)

func TestLinkify(t *testing.T) {
	txt := func(s string) span { return span{Text: s} }
	link := func(u string) span { return span{Text: u, Href: u} }
	tests := []struct {
		name string
		in   string
		want []span
	}{
		{"empty", "", nil},
		{"no address", "Hola, ¿qué tal?", []span{txt("Hola, ¿qué tal?")}},
		{"only an address", "https://example.com", []span{link("https://example.com")}},
		{"trailing dot", "See https://example.com/a.", []span{txt("See "), link("https://example.com/a"), txt(".")}},
		{"trailing dots and comma", "https://example.com..., then", []span{link("https://example.com"), txt("..., then")}},
		{"dot inside stays", "https://example.com/file.pdf?v=1.2 ok", []span{link("https://example.com/file.pdf?v=1.2"), txt(" ok")}},
		{"sentence punctuation", "Is it http://a.example/x? Yes! https://b.example/y!", []span{
			txt("Is it "), link("http://a.example/x"), txt("? Yes! "), link("https://b.example/y"), txt("!"),
		}},
		{"in parentheses", "(see https://example.com/x)", []span{txt("(see "), link("https://example.com/x"), txt(")")}},
		{"parentheses in the address", "https://en.wikipedia.org/wiki/Go_(programming_language)", []span{
			link("https://en.wikipedia.org/wiki/Go_(programming_language)"),
		}},
		{"parentheses in the address, in parentheses", "(https://en.wikipedia.org/wiki/Go_(programming_language)).", []span{
			txt("("), link("https://en.wikipedia.org/wiki/Go_(programming_language)"), txt(")."),
		}},
		{"several per line", "https://a.example/1, http://b.example/2 and https://c.example/?q=1&r=2;", []span{
			link("https://a.example/1"), txt(", "), link("http://b.example/2"), txt(" and "), link("https://c.example/?q=1&r=2"), txt(";"),
		}},
		{"line breaks", "Erste Zeile\nhttps://example.de\nDritte Zeile", []span{
			txt("Erste Zeile\n"), link("https://example.de"), txt("\nDritte Zeile"),
		}},
		{"javascript", "javascript:alert(document.cookie)", []span{txt("javascript:alert(document.cookie)")}},
		{"javascript with slashes", "javascript://example.com/%0Aalert(1)", []span{txt("javascript://example.com/%0Aalert(1)")}},
		{"other schemes", "ftp://example.com mailto:a@example.com data:text/html,<b>x</b> file:///etc/passwd", []span{
			txt("ftp://example.com mailto:a@example.com data:text/html,<b>x</b> file:///etc/passwd"),
		}},
		{"script text", `<script>alert("https://evil.example")</script>`, []span{
			txt(`<script>alert("`), link("https://evil.example"), txt(`")</script>`),
		}},
		{"angle brackets end an address", "<https://example.com/a>", []span{txt("<"), link("https://example.com/a"), txt(">")}},
		{"quotes end an address", `"https://example.com" 'https://example.org'`, []span{
			txt(`"`), link("https://example.com"), txt(`" '`), link("https://example.org"), txt("'"),
		}},
		{"backslash ends an address", `https://example.com\evil`, []span{link("https://example.com"), txt(`\evil`)}},
		{"guillemets", "Véase «https://example.es/ruta».", []span{txt("Véase «"), link("https://example.es/ruta"), txt("».")}},
		{"non-ASCII address", "Straße: https://de.wikipedia.org/wiki/Köln?ü=ß, danke", []span{
			txt("Straße: "), link("https://de.wikipedia.org/wiki/Köln?ü=ß"), txt(", danke"),
		}},
		{"non-ASCII text around", "日本語 https://example.jp/パス。…", []span{txt("日本語 "), link("https://example.jp/パス"), txt("。…")}},
		{"upper case scheme", "HTTPS://EXAMPLE.COM/X", []span{link("HTTPS://EXAMPLE.COM/X")}},
		{"scheme only", "http:// and https://. and https://)", []span{txt("http:// and https://. and https://)")}},
		{"no host", "https:///path", []span{txt("https:///path")}},
		{"glued to a word", "xhttps://example.com", []span{txt("xhttps://example.com")}},
		{"after a colon", "Link:https://example.com", []span{txt("Link:"), link("https://example.com")}},
		{"bad escape stays text", "http://example.com/%zz next", []span{txt("http://example.com/%zz next")}},
		{"port and fragment", "http://localhost:8080/a#b.", []span{link("http://localhost:8080/a#b"), txt(".")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := linkify(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("linkify(%q) = %q, want %q", tt.in, got, tt.want)
			}
			var all strings.Builder
			for _, s := range got {
				all.WriteString(s.Text)
				if s.Href != "" && !strings.HasPrefix(strings.ToLower(s.Href), "http://") && !strings.HasPrefix(strings.ToLower(s.Href), "https://") {
					t.Errorf("link to %q: want only http and https links", s.Href)
				}
			}
			if all.String() != tt.in {
				t.Errorf("texts put together = %q, want the input %q", all.String(), tt.in)
			}
		})
	}
}

// FuzzLinkify: the spans put together are the message, links are http or
// https addresses with a host and hold nothing that ends an address, and
// no two plain texts follow each other.
func FuzzLinkify(f *testing.F) {
	for _, s := range []string{"", "see https://example.com/a_(b)).", "javascript:alert(1) http://", "HTTPS://Ex.AMPLE/ä?x=1#y,",
		"xhttp://a.b", "«https://a.b/c»", "https://[::1]:8080/", "http://a\u202Eb.c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		spans := linkify(s)
		var b strings.Builder
		for i, sp := range spans {
			b.WriteString(sp.Text)
			if sp.Text == "" {
				t.Fatalf("linkify(%q): empty span %d", s, i)
			}
			if sp.Href == "" {
				if i > 0 && spans[i-1].Href == "" {
					t.Fatalf("linkify(%q): two plain texts in a row at %d", s, i)
				}
				continue
			}
			if sp.Href != sp.Text || !validURL(sp.Href) || schemeLen(sp.Href) == 0 {
				t.Fatalf("linkify(%q): link %q to %q", s, sp.Text, sp.Href)
			}
			for _, r := range sp.Href {
				if endsURL(r) {
					t.Fatalf("linkify(%q): link %q holds %q", s, sp.Href, r)
				}
			}
		}
		if b.String() != s {
			t.Fatalf("linkify(%q) put together is %q", s, b.String())
		}
	})
}
