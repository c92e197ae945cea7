package ticket

import "strings"

// Bidirectional formatting characters (Unicode Bidirectional Algorithm,
// UAX #9) that can make text display in another order than it is stored.
const (
	lre = '\u202A' // left-to-right embedding
	rle = '\u202B' // right-to-left embedding
	pdf = '\u202C' // pop directional formatting: ends an embedding
	lro = '\u202D' // left-to-right override
	rlo = '\u202E' // right-to-left override
	lri = '\u2066' // left-to-right isolate
	rli = '\u2067' // right-to-left isolate
	fsi = '\u2068' // first strong isolate
	pdi = '\u2069' // pop directional isolate: ends an isolate
)

// CleanText returns text as users typed it, without the bidirectional
// controls that let it display as something it is not: overrides (U+202D,
// U+202E: "Rechnung ‮0021‬" shows as "Rechnung 1200") are removed, and
// embeddings and isolates are kept only where they are opened and closed
// again, properly nested, within one paragraph; the rest of them go. So do
// control characters (NUL, escape, …) but tab, line feed and carriage
// return. Marks (LRM, RLM, ALM) and every other character stay. Subjects, descriptions,
// data fields, messages and view names pass through it before they are
// checked and stored; file names lose every format character
// (server/files.CleanName).
func CleanText(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return isBidiControl(r) || isControl(r) }) {
		return s
	}
	runes := []rune(s)
	drop := make([]bool, len(runes))
	var open []int // indexes of the openers not closed yet, innermost last
	endParagraph := func() {
		for _, i := range open {
			drop[i] = true
		}
		open = open[:0]
	}
	for i, r := range runes {
		if isControl(r) {
			drop[i] = true
			continue
		}
		switch r {
		case lro, rlo:
			drop[i] = true
		case lre, rle, lri, rli, fsi:
			open = append(open, i)
		case pdf, pdi:
			if n := len(open); n > 0 && closes(r, runes[open[n-1]]) {
				open = open[:n-1]
			} else {
				drop[i] = true
			}
		case '\n', '\r', '\u2029':
			endParagraph() // the algorithm ends every embedding and isolate here
		}
	}
	endParagraph()
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range runes {
		if !drop[i] {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isBidiControl(r rune) bool {
	return r >= lre && r <= rlo || r >= lri && r <= pdi
}

// isControl reports the control characters text loses: C0 and C1 but tab,
// line feed and carriage return.
func isControl(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || (r >= 0x7F && r <= 0x9F)
}

// closes reports whether closer (PDF or PDI) ends opener.
func closes(closer, opener rune) bool {
	if closer == pdf {
		return opener == lre || opener == rle
	}
	return opener == lri || opener == rli || opener == fsi
}

// Isolate wraps text in a first-strong isolate (FSI … PDI) for places that
// show user text inside other text and cannot use an element of its own: a
// page title, a tooltip, a sentence of the interface. An Arabic or Hebrew
// subject then cannot move the ticket number beside it. The text is
// cleaned too (CleanText): what was stored before is shown truthfully.
func Isolate(s string) string {
	if s == "" {
		return s
	}
	return string(fsi) + CleanText(s) + string(pdi)
}

// Clean passes the draft's texts through CleanText.
func (d *Draft) Clean() {
	// A subject is one line (it heads mails, lists and the title): its
	// line breaks become spaces.
	d.Subject = strings.Join(strings.FieldsFunc(CleanText(d.Subject), func(r rune) bool {
		return r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029'
	}), " ")
	d.Description = CleanText(d.Description)
	for k, v := range d.Fields {
		d.Fields[k] = CleanText(v)
	}
}

// foldLetters are the letters with diacritics of the portal's languages
// and their base letters.
var foldLetters = strings.NewReplacer(
	"à", "a", "á", "a", "â", "a", "ä", "a", "ã", "a", "å", "a", "æ", "ae",
	"ç", "c", "è", "e", "é", "e", "ê", "e", "ë", "e",
	"ì", "i", "í", "i", "î", "i", "ï", "i", "ñ", "n",
	"ò", "o", "ó", "o", "ô", "o", "ö", "o", "õ", "o", "ø", "o", "œ", "oe",
	"ù", "u", "ú", "u", "û", "u", "ü", "u", "ý", "y", "ÿ", "y", "ß", "ss",
)

// Fold is s as a search compares it: lower case, without the diacritics
// of the portal's languages ("Clínica" finds "clinica", "Müller" "muller").
func Fold(s string) string {
	return foldLetters.Replace(strings.ToLower(s))
}

// Matches reports whether every word of query appears in text, both
// folded (part of a word is enough: "sonnen" finds "Sonnenschein").
func Matches(text, query string) bool {
	t := Fold(text)
	for _, w := range strings.Fields(Fold(query)) {
		if !strings.Contains(t, w) {
			return false
		}
	}
	return true
}
