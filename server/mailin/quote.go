package mailin

import (
	"regexp"
	"strings"
)

// StripQuoted returns what the sender wrote in a reply: the text before
// the history their mail program quoted, without quoted lines and without
// their signature. The history starts at
//
//   - an attribution line: "On … wrote:", "Am … schrieb …:", "Le … a écrit :",
//     "El … escribió:" (also when the mail program wrapped it over two
//     lines, as Gmail does);
//   - a separator: "-----Original Message-----", "-------- Ursprüngliche
//     Nachricht --------", "-----Message d’origine-----", "-----Mensaje
//     original-----";
//   - Outlook's header block: a "From:" ("Von:", "De :", "De:") line
//     followed within a few lines by "Sent:", "To:", "Subject:" (or their
//     German, French and Spanish names);
//   - the signature delimiter "-- ".
//
// Lines starting with ">" are dropped wherever they are.
func StripQuoted(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i := range lines {
		if historyStarts(lines, i) {
			lines = lines[:i]
			break
		}
	}
	var out []string
	for _, l := range lines {
		if strings.HasPrefix(strings.TrimLeft(l, " \t"), ">") {
			continue
		}
		out = append(out, strings.TrimRight(l, " \t"))
	}
	// What led into the history: separator lines, empty lines.
	for len(out) > 0 {
		last := strings.TrimSpace(out[len(out)-1])
		if last != "" && strings.Trim(last, "_-=*") != "" {
			break
		}
		out = out[:len(out)-1]
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

var (
	// attribution: the line a mail program writes above the quoted
	// message, in English, German, French and Spanish (spaces normalised).
	attribution = []*regexp.Regexp{
		regexp.MustCompile(`^On\s.{1,300}\swrote\s?:$`),
		regexp.MustCompile(`^Am\s.{1,300}\sschrieb(\s.{0,300})?:$`),
		regexp.MustCompile(`^.{1,300}\sschrieb am\s.{1,300}:$`),
		regexp.MustCompile(`^Le\s.{1,300}\sa écrit\s?:$`),
		regexp.MustCompile(`^El\s.{1,300}\sescribió\s?:$`),
	}
	// separator: Outlook's and Thunderbird's line above a quoted message.
	separator = regexp.MustCompile(`(?i)^-{2,}\s*(original message|ursprüngliche nachricht|originalnachricht|message d[’']origine|message original|mensaje original)\s*-{2,}$`)
	// headerFrom and headerNext: Outlook's header block of the quoted
	// message ("From: …", then "Sent: …", "To: …", "Subject: …").
	headerFrom = regexp.MustCompile(`^\*?(From|Von|De|Da)\s?:`)
	headerNext = regexp.MustCompile(`^\*?(Sent|Date|To|Cc|Subject|Gesendet|Datum|An|Betreff|Envoyé|Date d’envoi|À|Objet|Enviado|Fecha|Para|Asunto)\s?:`)
)

// historyStarts reports whether the quoted history starts at lines[i].
func historyStarts(lines []string, i int) bool {
	raw := lines[i]
	if raw == "-- " || raw == "--" {
		return true
	}
	l := normSpace(raw)
	if l == "" {
		return false
	}
	if separator.MatchString(l) {
		return true
	}
	if matchAny(attribution, l) {
		return true
	}
	// An attribution wrapped over two lines.
	if i+1 < len(lines) {
		if next := normSpace(lines[i+1]); next != "" && matchAny(attribution, l+" "+next) {
			return true
		}
	}
	if headerFrom.MatchString(l) {
		for j := i + 1; j < len(lines) && j <= i+6; j++ {
			if headerNext.MatchString(normSpace(lines[j])) {
				return true
			}
		}
	}
	return false
}

func matchAny(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// normSpace trims a line and makes its no-break spaces (French puts one
// before the colon) plain spaces.
func normSpace(s string) string {
	s = strings.NewReplacer("\u00a0", " ", "\u202f", " ", "\t", " ").Replace(s)
	return strings.TrimSpace(strings.TrimLeft(s, "*"))
}
