package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
)

// Diego (es) opens Your information from the user menu, types a name the
// seed's rule refuses, reads why in Spanish, corrects it and saves: the
// top bar names him anew. He changes his password: this tab and his other
// tab go to the login page, which says why, and the new password lets him
// in.
func TestDiegoEditsProfileAndChangesPassword(t *testing.T) {
	p := startPortal(t)
	b := loginTo(t, p, "es-ES", seed.DiegoEmail)
	other := b.newTab()
	other.open("/tickets")
	other.waitTrue("the other tab's list", qExists(`tr[id^="ticket-row-"]`))
	b.front()

	b.click("#user-menu-button")
	b.click("a#profile-link")
	b.waitText("Your information", qText("h1#page-title"), msg(t, "es", "YourInformation"))
	b.waitText("his first name filled in", qValue("#profile-firstname"), "Diego")

	b.setValue("#profile-firstname", "D")
	b.setValue("#profile-lastname", "Núñez 2")
	b.click("#profile-save")
	b.waitText("first name refused", qText("#err-profile-firstname"), msg(t, "es", "ErrFirstNameInvalid"))
	b.waitText("last name refused", qText("#err-profile-lastname"), msg(t, "es", "ErrLastNameInvalid"))
	b.waitTrue("the focus on the first name", `document.activeElement?.id === "profile-firstname"`)
	b.waitFalse("nothing saved", qExists("#profile-saved"))

	b.setValue("#profile-firstname", "Diego")
	b.setValue("#profile-lastname", "Núñez García")
	b.setValue("#profile-phone", "+34 912 345 678")
	b.click("#notify-replies")
	b.click("#profile-save")
	b.waitText("saved", qText("#profile-saved"), msg(t, "es", "ProfileSaved"))
	b.waitText("the top bar names him anew", qText("#user-menu-button"), "Diego Núñez García")
	u, err := p.DB.User(context.Background(), userID(t, p, seed.DiegoEmail))
	if err != nil || u.Name != "Diego Núñez García" {
		t.Errorf("stored name %q, %v", u.Name, err)
	}

	// A new contact email: the password is asked for; the address waits
	// for its link; he thinks better of it.
	const newEmail = "diego.nunez@clinica-sol.example"
	b.setValue("#profile-email", newEmail)
	b.waitTrue("the password asked for", `!document.getElementById("email-password").hidden`)
	b.click("#profile-save")
	b.waitText("the password missing", qText("#err-profile-currentpassword"), msg(t, "es", "ErrPasswordRequired"))
	b.typeIn("#profile-currentpassword", seed.Password)
	b.click("#profile-save")
	b.waitText("a link on its way", qText("#profile-saved"), fill(msg(t, "es", "ProfileSavedConfirmEmail"), "Email", newEmail))
	b.waitContains("the pending address shown", qText("#pending-email-text"), newEmail)
	if n := len(mailsTo(t, p, newEmail)); n != 1 {
		t.Fatalf("%d mails to the new address, want 1", n)
	}
	b.click("#cancel-email-change")
	b.waitText("the change given up", qText("#profile-saved"), fill(msg(t, "es", "EmailChangeCancelled"), "Email", seed.DiegoEmail))
	b.waitTrue("nothing pending", `document.getElementById("pending-email").hidden`)

	b.typeIn("#password-current", seed.Password)
	b.typeIn("#password-new", "kurz")
	b.click("#password-submit")
	b.waitText("too short, said in the browser", qText("#err-password-new"), msg(t, "es", "ErrPasswordTooShort"))
	b.setValue("#password-new", "qwerty123456")
	b.click("#password-submit")
	b.waitText("too common, said by the server", qText("#err-password-new"), msg(t, "es", "ErrPasswordCommon"))
	const newPassword = "tres tristes tigres comen trigo"
	b.setValue("#password-new", newPassword)
	b.click("#password-submit")
	b.waitContains("the login page says why", qText("#session-ended"), msg(t, "es", "ErrPasswordChangedLogin"))
	other.waitContains("the other tab too", qText("#session-ended"), msg(t, "es", "ErrPasswordChangedLogin"))

	b.login(seed.DiegoEmail, seed.Password)
	b.waitText("the old password refused", qText("#login-error"), msg(t, "es", "ErrBadCredentials"))
	b.setValue("#login-password", newPassword)
	b.click("#login-submit")
	b.waitText("back on Your information", jsPath, "/settings/profile")
	b.waitText("with his new name", qValue("#profile-lastname"), "Núñez García")
}

// Diego (es) forgot his password: Forgot password? on the login page sends
// a link (the demo keeps the mail, which Sam reads in Outgoing mail); the
// link asks for a new password, refuses a short one, takes a good one once
// and then says it was used; the new password logs him in.
func TestDiegoResetsForgottenPassword(t *testing.T) {
	p := startPortal(t)
	b := newBrowser(t, p, "es-ES")
	b.open("/login")
	b.click("a#forgot-password")
	b.waitText("the forgot page", jsPath, "/forgot-password")
	b.typeIn("#reset-email", "diego")
	b.click("#reset-request")
	b.waitText("a bad address refused", qText("#err-reset-email"), msg(t, "es", "ErrEmailInvalid"))
	b.setValue("#reset-email", seed.DiegoEmail)
	b.click("#reset-request")
	b.waitText("the link is on its way", qText("#mail-link-done"), fill(msg(t, "es", "ResetRequested"), "Email", seed.DiegoEmail))

	sam := newBrowser(t, p, "en-US")
	sam.open("/login")
	sam.login(seed.SamEmail, seed.Password)
	sam.waitTrue("Outgoing mail in the navigation", qExists("a#nav-mail-log"))
	sam.click("a#nav-mail-log")
	sam.waitText("the reset mail listed first", qText("#mail-log > li:first-child h2"), "Restablecer su contraseña")
	link := eval[string](sam, `document.querySelector("#mail-log > li:first-child pre a")?.href ?? ""`)
	if !strings.Contains(link, "/reset-password#") {
		t.Fatalf("the mail's link is %q", link)
	}

	b.open(strings.TrimPrefix(link, p.URL))
	b.waitTrue("the new password form", qExists("#reset-new"))
	b.typeIn("#reset-new", "corta")
	b.click("#reset-submit")
	b.waitText("too short", qText("#err-reset-new"), msg(t, "es", "ErrPasswordTooShort"))
	const newPassword = "el perro de san roque no tiene rabo"
	b.setValue("#reset-new", newPassword)
	b.click("#reset-submit")
	b.waitText("changed", qText("#mail-link-done"), msg(t, "es", "ResetDone"))

	b.click("a#login-link") // the login page; then the mail's link once more
	b.waitText("the login page", jsPath, "/login")
	b.open(strings.TrimPrefix(link, p.URL))
	b.waitText("the link used up", qText("#mail-link-error"), msg(t, "es", "ErrLinkUsed"))
	b.click("a#request-new-link")
	b.waitText("back to Forgot password?", jsPath, "/forgot-password")

	b.open("/login")
	b.login(seed.DiegoEmail, newPassword)
	b.waitTrue("logged in with the new password", qExists("a#start-assistant"))
}

// mailsTo returns the mails the portal wrote to, oldest first.
func mailsTo(t *testing.T, p *portal, to string) []store.Mail {
	t.Helper()
	all, err := p.DB.Mails(context.Background(), 100)
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
