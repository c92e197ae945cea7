package pages

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
)

// span is a piece of a message: plain text, or a link when Href is set
// (Text is then the address as written).
type span struct {
	Text string
	Href string
}

// linkify splits a message into plain text and the http:// and https://
// addresses in it. Only those two schemes become links: javascript:, data:,
// mailto: and the rest stay text. Punctuation that ends a sentence after an
// address (".", ",", ")" without its "(", quotes) is not part of the link.
// The texts of the spans, put together, are s.
func linkify(s string) []span {
	var out []span
	text := 0 // start of the text not yet in out
	for i := 0; i < len(s); {
		n := schemeLen(s[i:])
		if n == 0 || (i > 0 && isASCIIAlnum(s[i-1])) {
			i++
			continue
		}
		end := i + n
		for end < len(s) {
			r, size := utf8.DecodeRuneInString(s[end:])
			if endsURL(r) {
				break
			}
			end += size
		}
		u := trimURL(s[i:end])
		if len(u) == n || !validURL(u) {
			i += n
			continue
		}
		if text < i {
			out = append(out, span{Text: s[text:i]})
		}
		out = append(out, span{Text: u, Href: u})
		i += len(u)
		text = i
	}
	if text < len(s) {
		out = append(out, span{Text: s[text:]})
	}
	return out
}

// schemeLen is the length of the "http://" or "https://" (in any case) s
// starts with, 0 if neither.
func schemeLen(s string) int {
	for _, p := range []string{"http://", "https://"} {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			return len(p)
		}
	}
	return 0
}

func isASCIIAlnum(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// endsURL tells the characters that cannot be part of an address as people
// write it in a text: spaces, control characters, angle brackets, quotes
// and backslashes.
func endsURL(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError ||
		strings.ContainsRune("<>\"`\\«»“”„‘’‹›", r)
}

// trimURL drops what ends a sentence rather than the address: trailing
// punctuation, and a closing bracket that has no opening one in u
// ("(see https://example.com/a_(b))" keeps the "(b)").
func trimURL(u string) string {
	for {
		r, size := utf8.DecodeLastRuneInString(u)
		switch {
		case strings.ContainsRune(".,:;!?'*…。、，！？", r):
		case r == ')' && strings.Count(u, ")") > strings.Count(u, "("):
		case r == ']' && strings.Count(u, "]") > strings.Count(u, "["):
		case r == '}' && strings.Count(u, "}") > strings.Count(u, "{"):
		default:
			return u
		}
		u = u[:len(u)-size]
	}
}

// validURL accepts an http or https address with a host.
func validURL(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	scheme := strings.ToLower(p.Scheme)
	return (scheme == "http" || scheme == "https") && p.Hostname() != ""
}

// messageText renders a message's text with its addresses as links that
// open in a new tab and pass nothing on to the site. Everything else is
// text (go-app escapes it); line breaks stay (the CSS keeps white space).
func messageText(s string) []app.UI {
	spans := linkify(ticket.CleanText(s)) // text stored before overrides were dropped on input
	out := make([]app.UI, len(spans))
	for i, sp := range spans {
		if sp.Href == "" {
			out[i] = app.Text(sp.Text)
			continue
		}
		out[i] = app.A().Href(sp.Href).Target("_blank").Rel("noopener noreferrer nofollow").Text(sp.Text)
	}
	return out
}
