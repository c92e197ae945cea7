package passwords_test

import (
	"testing"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/passwords"
)

func TestCommonPasswords(t *testing.T) {
	if n := passwords.Count(); n != 10000 {
		t.Errorf("the list holds %d passwords, want 10000", n)
	}
	for _, pw := range []string{"qwerty123456", "QWERTY123456", "1qaz2wsx3edc", "leave me alone", "password1234", "Password1234!",
		"123456789012", "motdepasse123", "contraseña123", "2024Sommer!!!", "passwortpasswort", "Willkommen2026"} {
		if !passwords.Common(pw) {
			t.Errorf("Common(%q) = false", pw)
		}
		if got := ticket.CheckPassword(pw, passwords.Common); got != "ErrPasswordCommon" {
			t.Errorf("CheckPassword(%q) = %q, want ErrPasswordCommon", pw, got)
		}
	}
	for _, pw := range []string{"Pferd Batterie Heftklammer", "correct horse battery staple", "Sommerfrische am Müggelsee"} {
		if passwords.Common(pw) {
			t.Errorf("Common(%q) = true", pw)
		}
		if got := ticket.CheckPassword(pw, passwords.Common); got != "" {
			t.Errorf("CheckPassword(%q) = %q, want accepted", pw, got)
		}
	}
}
