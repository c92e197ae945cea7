package store

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestRebind(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`SELECT * FROM t WHERE a = ? AND b IN (?, ?)`, `SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)`},
		{`SELECT 'o' || ? || '?p' FROM t WHERE x = ?`, `SELECT 'o' || $1 || '?p' FROM t WHERE x = $2`},
		{`SELECT 'it''s ?', ?`, `SELECT 'it''s ?', $1`},
		{`SELECT "col?" FROM t WHERE a = ?`, `SELECT "col?" FROM t WHERE a = $1`},
		{"SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2"},
		{`SELECT /* ? */ ?`, `SELECT /* ? */ $1`},
		{`SELECT $$a ? b$$, ?`, `SELECT $$a ? b$$, $1`},
		{`SELECT $q$ ? $q$, ?`, `SELECT $q$ ? $q$, $1`},
		{`SELECT 'unterminated ?`, `SELECT 'unterminated ?`},
		{`SELECT ?2, ?1`, `SELECT $2, $1`},
		{`SELECT ?2, ?`, `SELECT $2, $3`},
		{`SELECT ?1, ?, ?`, `SELECT $1, $2, $3`},
		{`SELECT ?, ?1, ?`, `SELECT $1, $1, $2`},
	} {
		if got := rebind(c.in); got != c.want {
			t.Errorf("rebind(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

var (
	numbered      = regexp.MustCompile(`\$[0-9]+`)
	numberedParam = regexp.MustCompile(`\?[0-9]`)
)

// FuzzRebind: rebind only ever turns a ? into the next number: putting
// each $n back gives the statement as it was, and the numbers run 1, 2, …
func FuzzRebind(f *testing.F) {
	for _, s := range []string{`SELECT ? FROM t WHERE a = '?' AND b = ?`, "x -- ?\n?", `/* ? */ "?" $$?$$ $a$?$a$ ?`, `'''?'`, `$1 ?`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if strings.Contains(q, "$") || numberedParam.MatchString(q) {
			t.Skip() // a $n or ?n there could not be told from ours
		}
		out := rebind(q)
		want := 1
		back := numbered.ReplaceAllStringFunc(out, func(m string) string {
			if m != "$"+strconv.Itoa(want) {
				t.Fatalf("rebind(%q) = %q: %s where $%d was due", q, out, m, want)
			}
			want++
			return "?"
		})
		if back != q {
			t.Fatalf("rebind(%q) = %q, which with ? put back is %q", q, out, back)
		}
	})
}
