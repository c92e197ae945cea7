// Package passwords knows the 10,000 most common passwords, which nobody
// may choose (ticket.CheckPassword asks it on the server; the browser does
// not carry the list).
//
// common.txt is the head of the password frequency list of zxcvbn
// (github.com/trustelem/zxcvbn v1.0.1, data/passwords.txt, from Dropbox's
// zxcvbn; MIT licence), most common first, one per line.
package passwords

import (
	_ "embed"
	"strings"
	"sync"
)

//go:embed common.txt
var list string

var common = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, 10000)
	for _, p := range strings.Split(list, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			m[strings.ToLower(p)] = true
		}
	}
	return m
})

// Common reports whether pw is one of the most common passwords (any
// case; spaces between its words do not make it another).
func Common(pw string) bool {
	m := common()
	lower := strings.ToLower(pw)
	return m[lower] || m[strings.Join(strings.Fields(lower), "")]
}

// Count is how many passwords the list holds.
func Count() int { return len(common()) }
