package ticket

import (
	"strings"
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
		return "ErrPasswordRequired"
	case utf8.RuneCountInString(pw) < MinPassword:
		return "ErrPasswordTooShort"
	case len(pw) > MaxPasswordBytes:
		return "ErrPasswordTooLong"
	}
	folded := strings.ToLower(strings.Join(strings.Fields(pw), ""))
	for _, p := range personal {
		p = strings.ToLower(strings.Join(strings.Fields(p), ""))
		if p != "" && (folded == p || (len(p) >= 4 && strings.Contains(folded, p) && len(folded)-len(p) < 4)) {
			return "ErrPasswordPersonal"
		}
	}
	if common != nil && (common(pw) || common(strings.ToLower(pw))) {
		return "ErrPasswordCommon"
	}
	if distinct(pw) < 4 {
		return "ErrPasswordCommon" // "aaaaaaaaaaaa", "abababababab"
	}
	return ""
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
