package api_test

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
)

// clock is a settable clock for api.Config.Now.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

var linkToken = regexp.MustCompile(`(https?://[^/\s]+)/(reset-password|confirm-email)#([A-Za-z0-9_-]{43})`)

// mailsTo returns the mails queued for to, oldest first.
func mailsTo(t *testing.T, db *store.DB, to string) []store.Mail {
	t.Helper()
	all, err := db.Mails(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Mail
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].To == to {
			out = append(out, all[i])
		}
	}
	return out
}

// linkIn returns the token of the link of kind ("reset-password",
// "confirm-email") in m's text and HTML.
func linkIn(t *testing.T, m store.Mail, kind, base string) string {
	t.Helper()
	got := linkToken.FindStringSubmatch(m.Text)
	if got == nil || got[2] != kind || got[1] != base {
		t.Fatalf("no %s link to %s in the mail:\n%s", kind, base, m.Text)
	}
	if !strings.Contains(m.HTML, got[0]) {
		t.Errorf("the HTML part lacks the link %s", got[0])
	}
	return got[3]
}

// Diego forgot his password. An unknown address and his get the same
// answer; his gets a mail in Spanish with a link that works once, within
// 30 minutes, for a good password; it ends the sessions he had open.
func TestPasswordReset(t *testing.T) {
	clk := &clock{now: time.Now()}
	srv, db := mustDemo(t, api.Config{Now: clk.Now, LinkBase: "https://support.example.com/"})
	old := newClient(t, srv)
	old.login(seed.DiegoEmail) // a session he left open somewhere

	c := newClient(t, srv)
	c.lang = "es"
	for _, email := range []string{"nadie@clinica-sol.example", " Diego@Clinica-Sol.example "} {
		r := c.send("POST", "/api/v1/password-reset", ticket.PasswordResetRequest{Email: email})
		if r.status != 202 || len(r.body) != 0 {
			t.Fatalf("reset for %q: %d %q, want 202 without a body", email, r.status, r.body)
		}
	}
	if m := mailsTo(t, db, "nadie@clinica-sol.example"); len(m) != 0 {
		t.Fatalf("a mail to an unknown address: %+v", m)
	}
	mails := mailsTo(t, db, seed.DiegoEmail)
	if len(mails) != 1 || mails[0].Kind != ticket.MailPasswordReset || mails[0].Subject != "Restablecer su contraseña" ||
		!strings.Contains(mails[0].Text, "Hola, Diego:") || !strings.Contains(mails[0].Text, "30 minutos") {
		t.Fatalf("mails to Diego: %+v", mails)
	}
	token := linkIn(t, mails[0], "reset-password", "https://support.example.com")
	mustError(t, c.send("POST", "/api/v1/password-reset", ticket.PasswordResetRequest{Email: "no es un correo"}), 422, ticket.CodeUnprocessable)

	if r := c.get("/api/v1/password-reset/" + token); r.status != 204 {
		t.Fatalf("checking the link: %d %s", r.status, r.body)
	}
	mustError(t, c.get("/api/v1/password-reset/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), 404, ticket.CodeNotFound)
	e := mustError(t, c.send("POST", "/api/v1/password-reset/"+token, ticket.PasswordReset{New: "qwerty123456"}), 422, ticket.CodeUnprocessable)
	if e.Error.Field != "new" {
		t.Errorf("a common password: field %q", e.Error.Field)
	}
	const good = "el perro de san roque"
	if r := c.send("POST", "/api/v1/password-reset/"+token, ticket.PasswordReset{New: good}); r.status != 204 {
		t.Fatalf("reset: %d %s", r.status, r.body)
	}
	if e := mustError(t, c.send("POST", "/api/v1/password-reset/"+token, ticket.PasswordReset{New: good + " dos"}), 410, ticket.CodeGone); e.Error.MessageID != "ErrLinkUsed" {
		t.Errorf("the link used again: %s", e.Error.MessageID)
	}
	if e := mustError(t, old.get("/api/v1/me"), 401, ticket.CodeUnauthorized); e.Error.MessageID != "ErrPasswordChangedLogin" {
		t.Errorf("the session left open: %s", e.Error.MessageID)
	}
	if r := newClient(t, srv).send("POST", "/api/v1/login", ticket.Credentials{Email: seed.DiegoEmail, Password: good}); r.status != 200 {
		t.Errorf("login with the new password: %d", r.status)
	}

	// A link unused for 30 minutes has expired.
	c.send("POST", "/api/v1/password-reset", ticket.PasswordResetRequest{Email: seed.DiegoEmail})
	mails = mailsTo(t, db, seed.DiegoEmail)
	late := linkIn(t, mails[len(mails)-1], "reset-password", "https://support.example.com")
	clk.advance(31 * time.Minute)
	if e := mustError(t, c.get("/api/v1/password-reset/"+late), 410, ticket.CodeGone); e.Error.MessageID != "ErrLinkExpired" {
		t.Errorf("an expired link: %s", e.Error.MessageID)
	}
	mustError(t, c.send("POST", "/api/v1/password-reset/"+late, ticket.PasswordReset{New: "otra contraseña larga"}), 410, ticket.CodeGone)
}

// Reset links are throttled: one user is sent at most three an hour (the
// answer stays 202), one client address may ask ten times in a quarter
// of an hour (then 429, whichever addresses it asks for).
func TestPasswordResetThrottled(t *testing.T) {
	clk := &clock{now: time.Now()}
	srv, db := mustDemo(t, api.Config{Now: clk.Now})
	c := newClient(t, srv)
	for i := 0; i < 5; i++ {
		if r := c.send("POST", "/api/v1/password-reset", ticket.PasswordResetRequest{Email: seed.AnnaEmail}); r.status != 202 {
			t.Fatalf("request %d: %d", i+1, r.status)
		}
	}
	if n := len(mailsTo(t, db, seed.AnnaEmail)); n != 3 {
		t.Errorf("%d reset mails to Anna, want 3 within the hour", n)
	}
	for i := 5; i < 10; i++ {
		c.send("POST", "/api/v1/password-reset", ticket.PasswordResetRequest{Email: "someone" + string(rune('a'+i)) + "@example.com"})
	}
	r := c.send("POST", "/api/v1/password-reset", ticket.PasswordResetRequest{Email: seed.BerndEmail})
	mustError(t, r, 429, ticket.CodeTooMany)
	if r.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	clk.advance(time.Hour)
	if r := c.send("POST", "/api/v1/password-reset", ticket.PasswordResetRequest{Email: seed.AnnaEmail}); r.status != 202 {
		t.Fatalf("an hour later: %d", r.status)
	}
	if n := len(mailsTo(t, db, seed.AnnaEmail)); n != 4 {
		t.Errorf("%d reset mails to Anna an hour later, want 4", n)
	}
}

// A new contact email is used once confirmed from the link mailed to it:
// until then Diego logs in and is written to at the old one; confirmed,
// the old address is told, and he logs in with the new one. An address
// that became another user's meanwhile is refused on confirmation.
func TestEmailChangeNeedsConfirmation(t *testing.T) {
	srv, db := mustDemo(t, api.Config{LinkBase: "http://localhost:8080"})
	c := newClient(t, srv)
	c.lang = "es"
	c.login(seed.DiegoEmail)
	const newEmail = "diego.nunez@clinica-sol.example"
	var me ticket.Me
	// The login moves with the email: the password is asked for.
	for pw, id := range map[string]string{"": "ErrPasswordRequired", "falsch": "ErrCurrentPasswordWrong"} {
		r := c.send("PATCH", "/api/v1/me", map[string]string{"email": newEmail, "currentPassword": pw, "firstName": "Diegos"})
		if e := mustError(t, r, 422, ticket.CodeUnprocessable); e.Error.Field != "currentPassword" || !strings.Contains(string(r.body), id) {
			t.Errorf("an email change with password %q: %s", pw, r.body)
		}
	}
	if m := mailsTo(t, db, newEmail); len(m) != 0 {
		t.Fatalf("a refused change mailed the new address")
	}
	c.get("/api/v1/me").decode(t, &me)
	if me.Profile.FirstName != "Diego" {
		t.Errorf("a refused email change saved the name: %q", me.Profile.FirstName)
	}
	r := c.send("PATCH", "/api/v1/me", map[string]string{"email": " Diego.Nunez@Clinica-Sol.example ", "currentPassword": seed.Password})
	if r.status != 200 {
		t.Fatalf("PATCH email: %d %s", r.status, r.body)
	}
	r.decode(t, &me)
	if me.User.Email != seed.DiegoEmail || me.Profile.Email != seed.DiegoEmail || me.Profile.PendingEmail != newEmail {
		t.Fatalf("before confirmation: user %s, profile %+v", me.User.Email, me.Profile)
	}
	mails := mailsTo(t, db, newEmail)
	if len(mails) != 1 || mails[0].Subject != "Confirme su nuevo correo electrónico de contacto" {
		t.Fatalf("mails to the new address: %+v", mails)
	}
	token := linkIn(t, mails[0], "confirm-email", "http://localhost:8080")
	mustError(t, newClient(t, srv).send("POST", "/api/v1/login", ticket.Credentials{Email: newEmail, Password: seed.Password}), 401, ticket.CodeUnauthorized)

	// Confirmed on another device, without a session.
	r = newClient(t, srv).send("POST", "/api/v1/email-confirmations/"+token, nil)
	if r.status != 200 || !strings.Contains(string(r.body), newEmail) {
		t.Fatalf("confirming: %d %s", r.status, r.body)
	}
	me = ticket.Me{}
	c.get("/api/v1/me").decode(t, &me)
	if me.User.Email != newEmail || me.Profile.PendingEmail != "" {
		t.Errorf("after confirmation: %s, pending %q", me.User.Email, me.Profile.PendingEmail)
	}
	told := mailsTo(t, db, seed.DiegoEmail)
	if len(told) != 1 || !strings.Contains(told[0].Text, newEmail) || told[0].Subject != "Su correo electrónico de contacto ha cambiado" {
		t.Errorf("the old address told: %+v", told)
	}
	if r := newClient(t, srv).send("POST", "/api/v1/login", ticket.Credentials{Email: newEmail, Password: seed.Password}); r.status != 200 {
		t.Errorf("login with the new email: %d", r.status)
	}
	if e := mustError(t, newClient(t, srv).send("POST", "/api/v1/email-confirmations/"+token, nil), 410, ticket.CodeGone); e.Error.MessageID != "ErrLinkUsed" {
		t.Errorf("the link used again: %s", e.Error.MessageID)
	}

	// Bernd asks for an address Anna takes before he confirms it.
	b := newClient(t, srv)
	b.login(seed.BerndEmail)
	b.send("PATCH", "/api/v1/me", map[string]string{"email": "praxis@praxis-sonnenschein.example", "currentPassword": seed.Password})
	a := newClient(t, srv)
	a.login(seed.AnnaEmail)
	a.send("PATCH", "/api/v1/me", map[string]string{"email": "praxis@praxis-sonnenschein.example", "currentPassword": seed.Password})
	annaToken := linkIn(t, mailsTo(t, db, "praxis@praxis-sonnenschein.example")[1], "confirm-email", "http://localhost:8080")
	berndToken := linkIn(t, mailsTo(t, db, "praxis@praxis-sonnenschein.example")[0], "confirm-email", "http://localhost:8080")
	if r := newClient(t, srv).send("POST", "/api/v1/email-confirmations/"+annaToken, nil); r.status != 200 {
		t.Fatalf("Anna confirms: %d %s", r.status, r.body)
	}
	if e := mustError(t, newClient(t, srv).send("POST", "/api/v1/email-confirmations/"+berndToken, nil), 409, ticket.CodeConflict); e.Error.MessageID != "ErrEmailTaken" {
		t.Errorf("Bernd confirms a taken address: %s", e.Error.MessageID)
	}
	var bernd ticket.Me
	b.get("/api/v1/me").decode(t, &bernd)
	if bernd.Profile.PendingEmail != "" || bernd.User.Email != seed.BerndEmail {
		t.Errorf("after the refused confirmation Bernd's profile shows %q pending, email %s", bernd.Profile.PendingEmail, bernd.User.Email)
	}

	// Diego asks for another address and thinks better of it: sending his
	// email as it is cancels the change, and its link no longer works.
	c.send("PATCH", "/api/v1/me", map[string]string{"email": "diego.otro@clinica-sol.example", "currentPassword": seed.Password})
	other := linkIn(t, mailsTo(t, db, "diego.otro@clinica-sol.example")[0], "confirm-email", "http://localhost:8080")
	me = ticket.Me{}
	c.send("PATCH", "/api/v1/me", map[string]string{"email": newEmail}).decode(t, &me)
	if me.Profile.PendingEmail != "" {
		t.Errorf("after cancelling: pending %q", me.Profile.PendingEmail)
	}
	mustError(t, newClient(t, srv).send("POST", "/api/v1/email-confirmations/"+other, nil), 404, ticket.CodeNotFound)
}

// A new email asked for with a session is no way into the account: a
// password change or reset cancels it, and one user is mailed at most
// three confirmation links an hour. A reset link mailed to the old
// address holds no more once a new address is confirmed.
func TestEmailChangeLimits(t *testing.T) {
	srv, db := mustDemo(t, api.Config{})
	c := newClient(t, srv)
	c.login(seed.BerndEmail)
	change := func(email string) response {
		return c.send("PATCH", "/api/v1/me", map[string]string{"email": email, "currentPassword": seed.Password})
	}
	for i, email := range []string{"b1@example.com", "b2@example.com", "b3@example.com"} {
		if r := change(email); r.status != 200 {
			t.Fatalf("change %d: %d %s", i+1, r.status, r.body)
		}
	}
	if e := mustError(t, change("b4@example.com"), 429, ticket.CodeTooMany); e.Error.MessageID != "ErrTooManyEmailChanges" {
		t.Errorf("a fourth link within the hour: %s", e.Error.MessageID)
	}
	pending := linkIn(t, mailsTo(t, db, "b3@example.com")[0], "confirm-email", srv.URL)

	// Bernd changes his password: the pending address is gone with it.
	if r := c.send("POST", "/api/v1/me/password", ticket.PasswordChange{Current: seed.Password, New: "ein ganz neues Passwort"}); r.status != 204 {
		t.Fatalf("password change: %d %s", r.status, r.body)
	}
	mustError(t, newClient(t, srv).send("POST", "/api/v1/email-confirmations/"+pending, nil), 404, ticket.CodeNotFound)

	// Diego asks for a reset link, then confirms a new address: the old
	// address's link no longer works.
	d := newClient(t, srv)
	d.login(seed.DiegoEmail)
	d.send("POST", "/api/v1/password-reset", ticket.PasswordResetRequest{Email: seed.DiegoEmail})
	reset := linkIn(t, mailsTo(t, db, seed.DiegoEmail)[0], "reset-password", srv.URL)
	d.send("PATCH", "/api/v1/me", map[string]string{"email": "diego.neu@example.com", "currentPassword": seed.Password})
	confirm := linkIn(t, mailsTo(t, db, "diego.neu@example.com")[0], "confirm-email", srv.URL)
	if r := newClient(t, srv).send("POST", "/api/v1/email-confirmations/"+confirm, nil); r.status != 200 {
		t.Fatalf("confirming: %d", r.status)
	}
	mustError(t, newClient(t, srv).get("/api/v1/password-reset/"+reset), 404, ticket.CodeNotFound)
	// A reset refuses a password made of the user's own email.
	d.send("POST", "/api/v1/password-reset", ticket.PasswordResetRequest{Email: "diego.neu@example.com"})
	again := linkIn(t, mailsTo(t, db, "diego.neu@example.com")[1], "reset-password", srv.URL)
	if e := mustError(t, newClient(t, srv).send("POST", "/api/v1/password-reset/"+again, ticket.PasswordReset{New: "diego.neu@example.com"}), 422, ticket.CodeUnprocessable); !strings.Contains(e.Error.MessageID+e.Error.Field, "new") {
		t.Errorf("a reset to the own email: %+v", e.Error)
	}
}
