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
	"unicode"
	"unicode/utf8"
)

//go:embed common.txt
var list string

// words are what people of the portal's languages often make passwords
// of, beyond the (English-leaning) list.
var words = []string{"passwort", "kennwort", "geheim", "willkommen", "hallo", "sommer", "winter", "herbst", "frühling",
	"schatz", "qwertz", "motdepasse", "bonjour", "soleil", "azerty", "doudou", "chouchou", "loulou", "bienvenue",
	"contraseña", "contrasena", "clave", "hola", "bienvenido", "teamo", "tequiero", "españa", "espana",
	"welcome", "admin", "support", "supportal", "praxis", "clinica", "cabinet", "medsoft"}

var common = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, 10000+len(words))
	for _, p := range strings.Split(list, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			m[strings.ToLower(p)] = true
		}
	}
	for _, w := range words {
		m[w] = true
	}
	return m
})

// Common reports whether pw is one of the most common passwords, or one
// dressed up: any case, spaces between its words, digits and signs around
// it ("Password1234!", "2024sommer"), a common word repeated
// ("passwortpasswort"), or digits and signs alone under 16 characters (a
// date, a phone number).
func Common(pw string) bool {
	m := common()
	squeezed := strings.Join(strings.Fields(strings.ToLower(pw)), "")
	if m[strings.ToLower(pw)] || m[squeezed] {
		return true
	}
	stem := strings.TrimFunc(squeezed, func(r rune) bool { return !unicode.IsLetter(r) })
	if utf8.RuneCountInString(stem) >= 4 && (m[stem] || repeats(stem, m)) {
		return true
	}
	return strings.IndexFunc(squeezed, unicode.IsLetter) < 0 && utf8.RuneCountInString(squeezed) < 16
}

// repeats reports whether s is a common password written twice or more.
func repeats(s string, m map[string]bool) bool {
	for n := 1; n <= len(s)/2; n++ {
		if len(s)%n == 0 && strings.Repeat(s[:n], len(s)/n) == s && m[s[:n]] {
			return true
		}
	}
	return false
}

// Count is how many passwords the shipped list holds.
func Count() int { return len(strings.Fields(list)) }
