package locales

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// readMessages returns the messages of lang, the app's and the mails', as
// id -> message (a string, or plural forms).
func readMessages(t *testing.T, lang string) map[string]any {
	t.Helper()
	m := readFile(t, files, "active."+lang+".json")
	for id, v := range readFile(t, mailFiles, "mail."+lang+".json") {
		if _, dup := m[id]; dup {
			t.Errorf("%s: %q is in active.%[1]s.json and mail.%[1]s.json", lang, id)
		}
		m[id] = v
	}
	return m
}

func readFile(t *testing.T, fsys fs.FS, name string) map[string]any {
	t.Helper()
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}|\{progress\}`)

func placeholders(v any) []string {
	var texts []string
	switch v := v.(type) {
	case string:
		texts = []string{v}
	case map[string]any:
		for _, f := range v {
			if s, ok := f.(string); ok {
				texts = append(texts, s)
			}
		}
	}
	set := map[string]bool{}
	for _, s := range texts {
		for _, m := range placeholder.FindAllString(s, -1) {
			set[strings.ReplaceAll(m, " ", "")] = true
		}
	}
	var out []string
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestEveryMessageInEveryLanguage(t *testing.T) {
	en := readMessages(t, Default)
	for _, lang := range Supported {
		msgs := readMessages(t, lang)
		t.Run(lang, func(t *testing.T) {
			for id, want := range en {
				got, ok := msgs[id]
				if !ok {
					t.Errorf("%s: message %q missing", lang, id)
					continue
				}
				if p, q := placeholders(got), placeholders(want); !reflect.DeepEqual(p, q) {
					t.Errorf("%s: %q placeholders %v, English has %v", lang, id, p, q)
				}
				if s, ok := got.(string); ok && strings.TrimSpace(s) == "" {
					t.Errorf("%s: %q is empty", lang, id)
				}
			}
			for id := range msgs {
				if _, ok := en[id]; !ok {
					t.Errorf("%s: message %q is not in English", lang, id)
				}
			}
		})
	}
}

func TestPluralsInEveryLanguage(t *testing.T) {
	for _, lang := range Supported {
		for _, n := range []int{0, 1, 2, 5, 21, 1000000} {
			got := N(lang, "OpenTicketCount", n, nil)
			if got == "OpenTicketCount" || !strings.Contains(got, strconv.Itoa(n)) {
				t.Errorf("N(%s, OpenTicketCount, %d) = %q", lang, n, got)
			}
		}
	}
	if got, want := N("de", "OpenTicketCount", 1, nil), "1 offenes Ticket"; got != want {
		t.Errorf("German singular = %q, want %q", got, want)
	}
	if got, want := N("fr", "OpenTicketCount", 0, nil), "0 demande ouverte"; got != want {
		t.Errorf("French zero (singular in French) = %q, want %q", got, want)
	}
}

func TestDateTime(t *testing.T) {
	at := time.Date(2026, 3, 4, 17, 5, 0, 0, time.UTC)
	want := map[string]string{
		"en": "Mar 4, 2026, 5:05 PM",
		"de": "04.03.2026, 17:05",
		"fr": "04/03/2026 17:05",
		"es": "04/03/2026 17:05",
	}
	for lang, w := range want {
		if got := DateTime(lang, at, time.UTC); got != w {
			t.Errorf("DateTime(%s) = %q, want %q", lang, got, w)
		}
	}
}

// msgIDCall matches literal translation ids handed to the app's helpers.
var errID = regexp.MustCompile(`^Err[A-Z][A-Za-z]+$`)

var msgIDCall = map[string]int{"t": 1, "T": 1, "N": 1, "dt": 1, "WithTitle": 0}

// TestCodeUsesOnlyKnownMessages parses the Go code of the app and the server
// and checks that every literal message id given to a translation helper
// exists, so a typo cannot ship.
func TestCodeUsesOnlyKnownMessages(t *testing.T) {
	en := readMessages(t, Default)
	fset := token.NewFileSet()
	checked := 0
	for _, dir := range []string{"../app", "../server"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			f, err := parser.ParseFile(fset, path, src, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					name := ""
					switch fn := n.Fun.(type) {
					case *ast.Ident:
						name = fn.Name
					case *ast.SelectorExpr:
						name = fn.Sel.Name
					}
					idx, ok := msgIDCall[name]
					if !ok || len(n.Args) <= idx {
						return true
					}
					lit, ok := n.Args[idx].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						return true
					}
					id, _ := strconv.Unquote(lit.Value)
					checked++
					if _, ok := en[id]; !ok {
						t.Errorf("%s: message id %q is not in active.en.json", fset.Position(lit.Pos()), id)
					}
				case *ast.CompositeLit, *ast.KeyValueExpr:
				}
				// Any literal that looks like an error id must exist.
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if id, _ := strconv.Unquote(lit.Value); errID.MatchString(id) {
						checked++
						if _, ok := en[id]; !ok {
							t.Errorf("%s: error id %q is not in active.en.json", fset.Position(lit.Pos()), id)
						}
					}
				}
				// ticket.Errorf(code, "MessageID", field)
				if call, ok := n.(*ast.CallExpr); ok {
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Errorf" && len(call.Args) == 3 {
						if lit, ok := call.Args[1].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							id, _ := strconv.Unquote(lit.Value)
							checked++
							if _, ok := en[id]; !ok {
								t.Errorf("%s: error message id %q is not in active.en.json", fset.Position(lit.Pos()), id)
							}
						}
					}
					if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "Errorf" && len(call.Args) == 3 {
						if lit, ok := call.Args[1].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							s, _ := strconv.Unquote(lit.Value)
							checked++
							if _, ok := en[s]; !ok {
								t.Errorf("%s: error message id %q is not in active.en.json", fset.Position(lit.Pos()), s)
							}
						}
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if checked < 50 {
		t.Fatalf("checked only %d message ids; the scan is broken", checked)
	}
}

func TestSize(t *testing.T) {
	for _, c := range []struct {
		lang  string
		bytes int64
		want  string
	}{
		{"en", 512, "512 B"},
		{"de", 13 * 1024, "13 KB"},
		{"de", 1536 * 1024, "1,5 MB"},
		{"en", 1536 * 1024, "1.5 MB"},
		{"fr", 1536 * 1024, "1,5 Mo"},
		{"fr", 2048, "2 Ko"},
		{"es", 25 << 20, "25 MB"},
	} {
		if got := Size(c.lang, c.bytes); got != c.want {
			t.Errorf("Size(%s, %d) = %q, want %q", c.lang, c.bytes, got, c.want)
		}
	}
}

func TestHas(t *testing.T) {
	if !Has("en", "Subject") || Has("en", "NoSuchMessage") || !Has("de", "Subject") {
		t.Fatal("Has does not tell existing messages from missing ones")
	}
}

// Money follows CLDR's currency formats of each language: symbol before
// the amount in English, after it (with a no-break space) elsewhere; the
// French group separator is a narrow no-break space, Spanish groups only
// from five digits on; a currency without a symbol shows its code.
func TestMoney(t *testing.T) {
	const nb, nnb = "\u00a0", "\u202f"
	for _, c := range []struct {
		lang, value, currency, want string
	}{
		{"en", "1234.50", "USD", "$1,234.50"},
		{"en", "1234.5", "EUR", "€1,234.50"},
		{"en", "1234567", "USD", "$1,234,567.00"},
		{"en", "99,9", "CHF", "CHF" + nb + "99.90"},
		{"en", "0.5", "", "0.50"},
		{"de", "1234.50", "USD", "1.234,50" + nb + "$"},
		{"de", "1234.50", "EUR", "1.234,50" + nb + "€"},
		{"de", "120", "EUR", "120,00" + nb + "€"},
		{"fr", "1234.50", "USD", "1" + nnb + "234,50" + nb + "$US"},
		{"fr", "1234567.89", "EUR", "1" + nnb + "234" + nnb + "567,89" + nb + "€"},
		{"es", "1234.50", "USD", "1234,50" + nb + "US$"},
		{"es", "12345.5", "EUR", "12.345,50" + nb + "€"},
		{"es", "007", "USD", "7,00" + nb + "US$"},
		{"de", "n/a", "EUR", "n/a"},
		{"en", "12.345", "USD", "12.345"},
		{"en", "-5", "USD", "-5"},
	} {
		if got := Money(c.lang, c.value, c.currency); got != c.want {
			t.Errorf("Money(%s, %q, %q) = %q, want %q", c.lang, c.value, c.currency, got, c.want)
		}
	}
}
