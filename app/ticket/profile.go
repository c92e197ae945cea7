package ticket

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Profile is what users say about themselves (Settings → Your
// information): GET /api/v1/me's "profile".
type Profile struct {
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	// Email is the confirmed contact email, the one the user logs in with
	// and support writes to.
	Email string `json:"email"`
	// PendingEmail: a new address waiting for its confirmation link.
	PendingEmail  string        `json:"pendingEmail,omitempty"`
	Phone         string        `json:"phone"`
	Locale        string        `json:"locale"`
	Notifications Notifications `json:"notifications"`
	// HasPassword: the user logs in with a password (a user a host portal
	// created signs in only through the host, and has none to change).
	HasPassword bool `json:"hasPassword"`
}

// Notifications is which mails a user wants.
type Notifications string

const (
	NotifyAll     Notifications = "all"     // replies, status changes, confirmations
	NotifyReplies Notifications = "replies" // replies only
	NotifyNone    Notifications = "none"
)

// NotificationChoices lists the choices in the order the settings show them.
var NotificationChoices = []Notifications{NotifyAll, NotifyReplies, NotifyNone}

// ProfileChange is the body of PATCH /api/v1/me: the fields present change.
type ProfileChange struct {
	FirstName     *string        `json:"firstName,omitempty"`
	LastName      *string        `json:"lastName,omitempty"`
	Email         *string        `json:"email,omitempty"`
	Phone         *string        `json:"phone,omitempty"`
	Locale        *string        `json:"locale,omitempty"`
	Notifications *Notifications `json:"notifications,omitempty"`
	// CurrentPassword confirms a change of the email (the login): a
	// session alone (a shared computer, a stolen cookie) cannot move the
	// account to another address.
	CurrentPassword string `json:"currentPassword,omitempty"`
}

// Limits of the profile's fields.
const (
	MaxNamePart = 60
	MaxEmail    = 254
	MaxPhone    = 30
)

// Normalized returns c with its text trimmed and inner runs of spaces
// made one; the email lower-cased.
func (c ProfileChange) Normalized() ProfileChange {
	trim := func(p *string, f func(string) string) *string {
		if p == nil {
			return nil
		}
		v := f(*p)
		return &v
	}
	c.FirstName = trim(c.FirstName, squeeze)
	c.LastName = trim(c.LastName, squeeze)
	c.Phone = trim(c.Phone, squeeze)
	c.Email = trim(c.Email, func(s string) string { return strings.ToLower(strings.TrimSpace(s)) })
	return c
}

func squeeze(s string) string { return strings.Join(strings.Fields(s), " ") }

// Validate checks the fields present (call it on Normalized), every
// problem at once, in the form's order. supported tells the languages the
// portal speaks.
func (c ProfileChange) Validate(supported func(string) bool) error {
	var ve ValidationError
	add := func(field, id string) { ve.Fields = append(ve.Fields, FieldError{Field: field, MessageID: id}) }
	if c.FirstName != nil {
		if id := CheckName(*c.FirstName, 2, "ErrFirstNameRequired", "ErrFirstNameInvalid"); id != "" {
			add("firstName", id)
		}
	}
	if c.LastName != nil {
		if id := CheckName(*c.LastName, 1, "ErrLastNameRequired", "ErrLastNameInvalid"); id != "" {
			add("lastName", id)
		}
	}
	if c.Email != nil {
		if id := CheckEmail(*c.Email); id != "" {
			add("email", id)
		}
	}
	if c.Phone != nil {
		if id := CheckPhone(*c.Phone); id != "" {
			add("phone", id)
		}
	}
	if c.Locale != nil && (supported == nil || !supported(*c.Locale)) {
		add("locale", "ErrUnsupportedLocale")
	}
	if c.Notifications != nil && !c.Notifications.Valid() {
		add("notifications", "ErrNotificationsInvalid")
	}
	if len(ve.Fields) > 0 {
		return &ve
	}
	return nil
}

// Valid reports whether n is one of the choices.
func (n Notifications) Valid() bool {
	for _, c := range NotificationChoices {
		if n == c {
			return true
		}
	}
	return false
}

// CheckName checks a first or last name (trimmed): at least min
// letters, and nothing but letters of any alphabet with their marks
// (accents, the vowel signs of Indic scripts, a joiner between letters),
// spaces, hyphens, apostrophes and dots, one sign at a time between
// letters — "Zoë", "D'Arcy", "Müller-Lüdenscheidt", "Núñez", "प्रियंका"
// pass; digits and other signs do not. It returns "" or what is wrong:
// required (empty), invalid (too few letters, a digit or another sign),
// ErrNameSigns (a sign at the start, the end, or two together) or
// ErrNameTooLong.
func CheckName(name string, min int, required, invalid string) string {
	if name == "" {
		return required
	}
	if utf8.RuneCountInString(name) > MaxNamePart {
		return "ErrNameTooLong"
	}
	letters, signs := 0, false
	prevSign := true // at the start, as after a sign
	for _, r := range name {
		switch {
		case unicode.IsLetter(r):
			letters++
			prevSign = false
		case unicode.Is(unicode.M, r) && !prevSign: // a mark on a letter
		case (r == '\u200c' || r == '\u200d') && !prevSign: // a (non-)joiner between letters
		case r == ' ' || r == '-' || r == '\'' || r == '’' || r == '.':
			// "D'Arcy", "Anne-Marie", "Mary Ann", "St. John": one sign
			// between letters ("." may end a part: "St.").
			if prevSign && r != ' ' {
				signs = true
			}
			prevSign = r != '.'
		case unicode.Is(unicode.M, r):
			return invalid // a mark on nothing
		default:
			return invalid
		}
	}
	if prevSign && !strings.HasSuffix(name, ".") && letters > 0 {
		signs = true
	}
	switch {
	case letters < min:
		return invalid
	case signs:
		return "ErrNameSigns"
	}
	return ""
}

// CheckEmail checks an email address (trimmed): one plain address
// local@domain.tld — no display name, no quoted or commented parts — with
// the characters mail servers take in the local part and letters, digits
// and hyphens in the domain's labels (of any alphabet). It returns "" or
// ErrEmailInvalid. (The browser carries it: net/mail would add 60 KB.)
func CheckEmail(email string) string {
	at := strings.LastIndexByte(email, '@')
	if len(email) > MaxEmail || at < 1 || at > 64 {
		return "ErrEmailInvalid"
	}
	local, domain := email[:at], email[at+1:]
	if !dotted(local, func(r rune) bool {
		return r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", r))
	}) {
		return "ErrEmailInvalid"
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 || !dotted(domain, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' }) {
		return "ErrEmailInvalid"
	}
	for _, l := range labels {
		if strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") || len(l) > 63 {
			return "ErrEmailInvalid"
		}
	}
	if tld := labels[len(labels)-1]; utf8.RuneCountInString(tld) < 2 || strings.IndexFunc(tld, unicode.IsDigit) >= 0 {
		return "ErrEmailInvalid"
	}
	return ""
}

// dotted reports whether s is parts of characters ok takes, joined by
// single dots.
func dotted(s string, ok func(rune) bool) bool {
	for _, part := range strings.Split(s, ".") {
		if part == "" || strings.IndexFunc(part, func(r rune) bool { return !ok(r) }) >= 0 {
			return false
		}
	}
	return true
}

// CheckPhone checks an optional phone number (trimmed): empty, or digits
// with spaces and + ( ) - / . between them, at least 5 digits. It returns
// "" or ErrPhoneInvalid.
func CheckPhone(phone string) string {
	if phone == "" {
		return ""
	}
	if utf8.RuneCountInString(phone) > MaxPhone {
		return "ErrPhoneTooLong"
	}
	digits := 0
	for i, r := range phone {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case strings.ContainsRune(" ()-/.", r):
		default:
			return "ErrPhoneInvalid"
		}
	}
	if digits < 5 {
		return "ErrPhoneInvalid"
	}
	return ""
}

// FullName is how a user is named to others: first and last name.
func FullName(first, last string) string { return strings.TrimSpace(first + " " + last) }

// SplitName makes a first and a last name of a full name (users named
// before the two were asked): the first word, and the rest.
func SplitName(name string) (first, last string) {
	name = squeeze(name)
	if i := strings.IndexByte(name, ' '); i > 0 {
		return name[:i], name[i+1:]
	}
	return name, ""
}
