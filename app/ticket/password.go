package ticket

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Password rules: long rather than complicated. A passphrase of a few
// words ("Pferd Batterie Heftklammer") is as welcome as any.
const (
	MinPassword = 12
	// MaxPasswordBytes: the password hash (bcrypt) reads no further.
	MaxPasswordBytes = 72
)

// PasswordChange is the body of POST /api/v1/me/password.
type PasswordChange struct {
	Current string `json:"current"`
	New     string `json:"new"`
}

// PasswordResetRequest is the body of POST /api/v1/password-reset.
type PasswordResetRequest struct {
	Email string `json:"email"`
}

// PasswordReset is the body of POST /api/v1/password-reset/{token}.
type PasswordReset struct {
	New string `json:"new"`
}

// CheckPassword checks a new password: at least MinPassword characters,
// at most MaxPasswordBytes bytes, not one of the most common passwords
// (common: nil in the browser, which does not carry the list; the server
// checks it) and not the user's own email or name (personal). It returns
// "" or the translation id of the problem.
func CheckPassword(pw string, common func(string) bool, personal ...string) string {
	switch {
	case strings.TrimSpace(pw) == "":
		return "ErrNewPasswordRequired"
	case utf8.RuneCountInString(pw) < MinPassword:
		return "ErrPasswordTooShort"
	case len(pw) > MaxPasswordBytes:
		return "ErrPasswordTooLong"
	}
	if personalOnly(pw, personal) {
		return "ErrPasswordPersonal"
	}
	if common != nil && (common(pw) || common(strings.ToLower(pw))) {
		return "ErrPasswordCommon"
	}
	if distinct(pw) < 4 {
		return "ErrPasswordCommon" // "aaaaaaaaaaaa", "abababababab"
	}
	return ""
}

// personalOnly reports whether pw is made of the user's own email and
// names, with little else ("BerndBerndBernd", "praxis-sonnenschein.example",
// "diego@clinica-sol.example1"): what is left once every part of them (the
// email's name and domain labels, each name) is taken out is under four
// letters or digits.
func personalOnly(pw string, personal []string) bool {
	rest := strings.ToLower(pw)
	var parts []string
	for _, p := range personal {
		parts = append(parts, strings.FieldsFunc(strings.ToLower(p), func(r rune) bool {
			return r == '@' || r == '.' || r == '-' || r == ' ' || r == '_' || r == '+' || r == '\''
		})...)
	}
	removed := false
	for _, p := range parts {
		if utf8.RuneCountInString(p) >= 3 && strings.Contains(rest, p) {
			rest, removed = strings.ReplaceAll(rest, p, ""), true
		}
	}
	if !removed {
		return false
	}
	left := 0
	for _, r := range rest {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			left++
		}
	}
	return left < 4
}

// distinct counts the different characters of s.
func distinct(s string) int {
	seen := map[rune]bool{}
	for _, r := range s {
		seen[r] = true
	}
	return len(seen)
}

// EmailConfirmed is the answer of POST /api/v1/email-confirmations/{token}:
// the user's email now.
type EmailConfirmed struct {
	Email string `json:"email"`
}
