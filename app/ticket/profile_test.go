package ticket_test

import (
	"errors"
	"strings"
	"testing"
	"unicode"

	"github.com/supportal/supportal/app/ticket"
)

// The seed's rule: a first name of at least 2 letters, a last name of at
// least 1, no digits or special characters; letters of every language,
// hyphens, apostrophes and spaces are fine.
func TestCheckName(t *testing.T) {
	accepted := []struct {
		name string
		min  int
	}{
		{"Zoë", 2}, {"D'Arcy", 2}, {"D’Arcy", 2}, {"Müller-Lüdenscheidt", 1}, {"Núñez", 1}, {"Diego", 2},
		{"Anne-Marie", 2}, {"Mary Ann", 2}, {"François", 2}, {"Łukasz", 2}, {"Ærøskøbing", 1}, {"Ñ", 1},
		{"Jörg", 2}, {"Hélène", 2}, {"Çelik", 1}, {"O'Brien", 1}, {"García Márquez", 1}, {"Straße", 1},
		{"St. John", 1}, {"Jr.", 1}, {"Δημήτρης", 2}, {"Иван", 2}, {"李", 1}, {"Zoe\u0308", 2}, // ë as e + combining diaeresis
		{"प्रियंका", 2}, {"शर्मा", 1}, {"தமிழ்செல்வி", 2}, {"مهر\u200cناز", 2}, // vowel signs (Mc, Mn), a zero-width non-joiner
	}
	for _, c := range accepted {
		if got := ticket.CheckName(c.name, c.min, "ErrFirstNameRequired", "ErrFirstNameInvalid"); got != "" {
			t.Errorf("CheckName(%q, %d) = %q, want accepted", c.name, c.min, got)
		}
	}
	refused := []struct {
		name string
		min  int
	}{
		{"A", 2}, {"", 1}, {"", 2}, {"Anna2", 2}, {"R2-D2", 1}, {"Anna!", 2}, {"Bernd_", 2}, {"Claire@", 2},
		{"-Anna", 2}, {"Anna-", 2}, {"Anne--Marie", 2}, {"'", 1}, {"D''Arcy", 2}, {"<script>", 1}, {"Anna😀", 2},
		{"Jean/Paul", 2}, {"Müller & Söhne", 1}, {"\u0308e", 1}, {strings.Repeat("a", ticket.MaxNamePart+1), 2}, {"\u200cAnna", 2},
	}
	for _, c := range refused {
		if got := ticket.CheckName(c.name, c.min, "ErrFirstNameRequired", "ErrFirstNameInvalid"); got == "" {
			t.Errorf("CheckName(%q, %d) accepted, want refused", c.name, c.min)
		}
	}
	// Each refusal says what is wrong.
	for name, want := range map[string]string{"": "ErrFirstNameRequired", "A": "ErrFirstNameInvalid", "Anna2": "ErrFirstNameInvalid",
		"-Anna": "ErrNameSigns", "Müller-": "ErrNameSigns", "Müller--Schmidt": "ErrNameSigns", "O''Brien": "ErrNameSigns", "-": "ErrFirstNameInvalid",
		strings.Repeat("a", ticket.MaxNamePart+1): "ErrNameTooLong"} {
		if got := ticket.CheckName(name, 2, "ErrFirstNameRequired", "ErrFirstNameInvalid"); got != want {
			t.Errorf("CheckName(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestCheckEmailAndPhone(t *testing.T) {
	for _, e := range []string{"anna@sonnenschein.example", "d.nunez@clinica-sol.es", "a+b@x.co", "o'brien@müller.de", "x_y.z@sub.domain.example"} {
		if got := ticket.CheckEmail(e); got != "" {
			t.Errorf("CheckEmail(%q) = %q", e, got)
		}
	}
	for _, e := range []string{"", "anna", "anna@", "@x.de", "anna@localhost", "Anna <anna@x.de>", "anna@x.de,b@y.de", "a b@x.de", "anna@.de", "anna@x.", "a..b@x.de", ".a@x.de", "a@x-.de", "a@x.d", "a@x.123", "a@@x.de", "ä@x.de"} {
		if ticket.CheckEmail(e) == "" {
			t.Errorf("CheckEmail(%q) accepted", e)
		}
	}
	for _, p := range []string{"", "+49 30 1234567", "(030) 123-4567", "0171/2345678", "+34 912.345.678"} {
		if got := ticket.CheckPhone(p); got != "" {
			t.Errorf("CheckPhone(%q) = %q", p, got)
		}
	}
	for _, p := range []string{"1234", "call me", "+49 30 12x4567", "49+301234567", strings.Repeat("1", ticket.MaxPhone+1)} {
		if ticket.CheckPhone(p) == "" {
			t.Errorf("CheckPhone(%q) accepted", p)
		}
	}
}

// A change lists every bad field at once, in the form's order, with the
// seed's messages.
func TestProfileChangeValidate(t *testing.T) {
	s := func(v string) *string { return &v }
	n := ticket.Notifications("weekly")
	c := ticket.ProfileChange{FirstName: s(" D "), LastName: s("Nu2ez"), Email: s(" Diego@ "), Phone: s("abc"), Locale: s("it"), Notifications: &n}.Normalized()
	err := c.Validate(func(l string) bool { return l == "es" })
	var ve *ticket.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Validate = %v, want a ValidationError", err)
	}
	want := map[string]string{"firstName": "ErrFirstNameInvalid", "lastName": "ErrLastNameInvalid", "email": "ErrEmailInvalid",
		"phone": "ErrPhoneInvalid", "locale": "ErrUnsupportedLocale", "notifications": "ErrNotificationsInvalid"}
	order := []string{"firstName", "lastName", "email", "phone", "locale", "notifications"}
	if len(ve.Fields) != len(want) {
		t.Fatalf("fields = %v, want %d", ve.Fields, len(want))
	}
	for i, f := range ve.Fields {
		if f.Field != order[i] || f.MessageID != want[f.Field] {
			t.Errorf("field %d = %s %s, want %s %s", i, f.Field, f.MessageID, order[i], want[order[i]])
		}
	}
	ok := ticket.ProfileChange{FirstName: s("  Diego  "), LastName: s("Núñez   García")}.Normalized()
	if err := ok.Validate(nil); err != nil || *ok.FirstName != "Diego" || *ok.LastName != "Núñez García" {
		t.Errorf("Normalized/Validate = %q %q, %v", *ok.FirstName, *ok.LastName, err)
	}
}

func TestCheckPassword(t *testing.T) {
	common := func(p string) bool { return p == "qwerty123456" }
	cases := map[string]string{
		"":                            "ErrNewPasswordRequired",
		"            ":                "ErrNewPasswordRequired",
		"kurz":                        "ErrPasswordTooShort",
		"elf Zeichen":                 "ErrPasswordTooShort",
		"qwerty123456":                "ErrPasswordCommon",
		"QWERTY123456":                "ErrPasswordCommon",
		"aaaaaaaaaaaaaa":              "ErrPasswordCommon",
		"diego@clinica-sol.es":        "ErrPasswordPersonal",
		"diego@clinica-sol.es1":       "ErrPasswordPersonal",
		"DiegoDiegoDiego":             "ErrPasswordPersonal",
		"NúñezNúñez12":                "ErrPasswordPersonal",
		"clinica-sol.es":              "ErrPasswordPersonal",
		"diego canta en la ducha":     "",
		strings.Repeat("ñ", 37):       "ErrPasswordTooLong", // 74 bytes
		"Pferd Batterie Heftklammer":  "",
		"contraseña segura del lunes": "",
		"zwölf Zeichen":               "",
	}
	for pw, want := range cases {
		if got := ticket.CheckPassword(pw, common, "diego@clinica-sol.es", "Diego Núñez"); got != want {
			t.Errorf("CheckPassword(%q) = %q, want %q", pw, got, want)
		}
	}
}

// Whatever is typed, an accepted name has enough letters and nothing but
// letters, accents, spaces, hyphens, apostrophes and dots.
func FuzzCheckName(f *testing.F) {
	for _, s := range []string{"Zoë", "D'Arcy", "Müller-Lüdenscheidt", "Núñez", "R2-D2", "-", "St. John", "e\u0308"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if ticket.CheckName(name, 2, "ErrFirstNameRequired", "ErrFirstNameInvalid") != "" {
			return
		}
		letters := 0
		for _, r := range name {
			switch {
			case unicode.IsLetter(r):
				letters++
			case unicode.Is(unicode.M, r), r == '\u200c', r == '\u200d', strings.ContainsRune(" -'’.", r):
			default:
				t.Fatalf("CheckName accepted %q with %q in it", name, r)
			}
		}
		if letters < 2 {
			t.Fatalf("CheckName accepted %q with %d letters", name, letters)
		}
	})
}

// An accepted email address is one plain address: one @, a dotted domain,
// nothing a mail header would read as more (spaces, commas, <>, quotes).
func FuzzCheckEmail(f *testing.F) {
	for _, s := range []string{"anna@sonnenschein.example", "a+b@x.co", "Anna <a@x.de>", "a@b@c.de", "josé@ñandú.es", "a..b@x.de"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, email string) {
		if ticket.CheckEmail(email) != "" {
			return
		}
		if strings.Count(email, "@") != 1 || strings.ContainsAny(email, " \t\r\n,;<>\"()[]\\:") || strings.Contains(email, "..") {
			t.Fatalf("CheckEmail accepted %q", email)
		}
		if domain := email[strings.IndexByte(email, '@')+1:]; !strings.Contains(domain, ".") {
			t.Fatalf("CheckEmail accepted %q without a dotted domain", email)
		}
	})
}
