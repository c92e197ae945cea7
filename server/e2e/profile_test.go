package e2e

import (
	"context"
	"testing"

	"github.com/supportal/supportal/server/seed"
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
