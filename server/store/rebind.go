package store

import (
	"strconv"
	"strings"
)

// rebind returns q with its ? placeholders numbered as PostgreSQL wants
// them ($1, $2, …), as SQLite numbers them (?3 is 3; a plain ? is one
// above the largest number so far). A ? inside a string literal ('…', with ”
// inside), a quoted identifier ("…"), a dollar-quoted string ($$…$$ or
// $tag$…$tag$) or a comment (-- to the end of the line, /* … */) is left as
// it is. The statements are the store's own, written with ? for SQLite;
// PostgreSQL gets them through this. Not understood, as the store's SQL
// uses none of them: E'…' strings with backslash escapes, nested
// comments, jsonb's ? operator.
func rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == '?':
			// SQLite numbers a plain ? one above the largest number given
			// so far; ?NNN takes NNN.
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			k := n + 1
			if j > i+1 {
				k, _ = strconv.Atoi(q[i+1 : j])
			}
			n = max(n, k)
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(k))
			i = j
		case c == '\'' || c == '"':
			j := skipQuoted(q, i, c)
			b.WriteString(q[i:j])
			i = j
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j
		case c == '/' && i+1 < len(q) && q[i+1] == '*':
			j := strings.Index(q[i+2:], "*/")
			end := len(q)
			if j >= 0 {
				end = i + 2 + j + 2
			}
			b.WriteString(q[i:end])
			i = end
		case c == '$':
			end := skipDollarQuoted(q, i)
			b.WriteString(q[i:end])
			i = end
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// skipQuoted returns the index just past the quoted text that starts at i
// with quote (a doubled quote stays inside), or len(q) when it never ends.
func skipQuoted(q string, i int, quote byte) int {
	for j := i + 1; j < len(q); j++ {
		if q[j] == quote {
			if j+1 < len(q) && q[j+1] == quote {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(q)
}

// skipDollarQuoted returns the index just past a dollar-quoted string
// starting at i ($$…$$, $tag$…$tag$), or i+1 when the $ starts none (a
// parameter such as $1 or a lone $).
func skipDollarQuoted(q string, i int) int {
	j := i + 1
	for j < len(q) && (q[j] == '_' || q[j] >= 'a' && q[j] <= 'z' || q[j] >= 'A' && q[j] <= 'Z' || j > i+1 && q[j] >= '0' && q[j] <= '9') {
		j++
	}
	if j >= len(q) || q[j] != '$' {
		return i + 1
	}
	tag := q[i : j+1]
	k := strings.Index(q[j+1:], tag)
	if k < 0 {
		return len(q)
	}
	return j + 1 + k + len(tag)
}
