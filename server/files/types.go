package files

import (
	"bytes"
	"fmt"
	"net/http"
	"path"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is a type of file that may be uploaded.
type Kind struct {
	Ext         []string // extensions, lower case with the dot
	ContentType string   // what it is served as
	sniffed     string   // what http.DetectContentType must say (prefix)
	check       func(head []byte) bool
}

// Kinds are the types that may be uploaded, each known by its extension
// and its first bytes.
var Kinds = []Kind{
	{Ext: []string{".pdf"}, ContentType: "application/pdf", sniffed: "application/pdf"},
	{Ext: []string{".png"}, ContentType: "image/png", sniffed: "image/png"},
	{Ext: []string{".jpg", ".jpeg"}, ContentType: "image/jpeg", sniffed: "image/jpeg"},
	{Ext: []string{".gif"}, ContentType: "image/gif", sniffed: "image/gif"},
	{Ext: []string{".webp"}, ContentType: "image/webp", sniffed: "image/webp"},
	{Ext: []string{".txt"}, ContentType: "text/plain; charset=utf-8", sniffed: "text/plain"},
	{Ext: []string{".csv"}, ContentType: "text/csv; charset=utf-8", sniffed: "text/plain"},
	{Ext: []string{".eml"}, ContentType: "message/rfc822", sniffed: "text/plain", check: looksLikeMail},
	{Ext: []string{".docx"}, ContentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", sniffed: "application/zip"},
	{Ext: []string{".xlsx"}, ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", sniffed: "application/zip"},
	{Ext: []string{".zip"}, ContentType: "application/zip", sniffed: "application/zip"},
}

// Extensions lists every extension that may be uploaded, in Kinds order.
func Extensions() []string {
	var out []string
	for _, k := range Kinds {
		out = append(out, k.Ext...)
	}
	return out
}

// SniffLen is how many first bytes Check looks at.
const SniffLen = 512

// Check returns the content type a file named name whose first bytes are
// head is served as; ok is false when the type is not allowed or the bytes
// do not agree with the extension (an HTML page named .txt, a PNG named
// .pdf, an SVG).
func Check(name string, head []byte) (contentType string, ok bool) {
	ext := strings.ToLower(path.Ext(name))
	sniffed := http.DetectContentType(head)
	for _, k := range Kinds {
		for _, e := range k.Ext {
			if e != ext {
				continue
			}
			if !strings.HasPrefix(sniffed, k.sniffed) || (k.check != nil && !k.check(head)) {
				return "", false
			}
			return k.ContentType, true
		}
	}
	return "", false
}

// Image reports whether files of contentType are shown as pictures (and
// may be shown inline): raster images only, never SVG.
func Image(contentType string) bool {
	switch contentType {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return false
}

var mailHeader = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*:[ \t]`)

// looksLikeMail reports whether head starts with an e-mail header line.
func looksLikeMail(head []byte) bool {
	line, _, _ := bytes.Cut(bytes.TrimLeft(head, "\r\n"), []byte("\n"))
	return mailHeader.Match(line)
}

// MaxName is the longest file name kept, in characters.
const MaxName = 200

// CleanName returns the name of an uploaded file as it is kept and shown:
// without any directory ("../../etc/passwd" is "passwd"), without control
// and invisible formatting characters (a right-to-left override can make
// "invoice‮fdp.exe" look like "invoiceexe.pdf"), at most MaxName
// characters with the extension kept, "file" when nothing is left.
func CleanName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1 // controls; bidi overrides, zero-width and other format characters
		}
		return r
	}, name)
	for prev := ""; name != prev; { // ".. x" loses its dots, then its space
		prev = name
		name = strings.TrimLeft(strings.TrimRight(name, " ."), " ")
		if strings.HasPrefix(name, ".") {
			if strings.Count(name, ".") == 1 {
				name = "file" + name // ".pdf": a name of nothing but an extension
			}
			name = strings.TrimLeft(name, ".") // no hidden files
		}
	}
	if utf8.RuneCountInString(name) > MaxName {
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 20 {
			ext = ""
		}
		runes := []rune(strings.TrimSuffix(name, ext))
		name = strings.TrimRight(string(runes[:MaxName-utf8.RuneCountInString(ext)]), " .") + ext
	}
	if name == "" {
		return "file"
	}
	return name
}

// Disposition returns a Content-Disposition header (RFC 6266) for name:
// an ASCII fallback and the UTF-8 name. inline is only for what a browser
// shows without running anything (raster images, PDF).
func Disposition(name string, inline bool) string {
	kind := "attachment"
	if inline {
		kind = "inline"
	}
	fallback := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			return '_'
		}
		return r
	}, name)
	var enc strings.Builder
	for _, b := range []byte(name) {
		if isAttrChar(b) {
			enc.WriteByte(b)
		} else {
			fmt.Fprintf(&enc, "%%%02X", b)
		}
	}
	return kind + `; filename="` + fallback + `"; filename*=UTF-8''` + enc.String()
}

// isAttrChar reports whether b may stand unencoded in an RFC 8187 value.
func isAttrChar(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", b) >= 0
}
