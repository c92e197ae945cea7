package pages

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// profilePage (user menu → Your information) is where users keep their
// name, contact email, phone, language and which mails they want, and
// change their password. The rules are the server's (ticket.ProfileChange,
// ticket.CheckPassword), checked here before anything is sent.
type profilePage struct {
	app.Compo
	session state.Session
	form    state.ProfileForm

	filled               bool // the fields hold the profile (once loaded)
	first, last, email   string
	phone, locale        string
	notify               ticket.Notifications
	current, newPassword string
	emailPassword        string // the current password, to change the email
	showPasswords        bool
	sent                 string // the form sent last: "profile" or "password"
}

func newProfilePage() *profilePage { return &profilePage{} }

func (p *profilePage) OnPreRender(ctx app.Context) {
	p.session.Lang = sessionLang(ctx, p.session)
}

func (p *profilePage) OnMount(ctx app.Context) {
	ctx.ObserveState(state.ProfileState, &p.form).OnChange(func() {
		switch {
		case p.sent == "profile" && p.form.Fields != nil:
			focusProblem(ctx, "profile-form")
		case p.sent == "password" && (p.form.PasswordFields != nil || p.form.PasswordErr != nil):
			focusProblem(ctx, "password-form")
		case p.sent == "profile" && p.form.Saved:
			p.filled = false // the fields take the saved profile
			p.emailPassword = ""
			p.fill()
			focusLater(ctx, "profile-save") // it was disabled while saving
		}
	})
	observeSession(ctx, &p.session, func(ctx app.Context) { p.fill() })
	p.fill()
}

// OnNav starts from a clean form: a message of an earlier visit is gone.
func (p *profilePage) OnNav(ctx app.Context) {
	ctx.SetState(state.ProfileState, state.ProfileForm{})
	p.filled = false
	p.fill()
}

// fill puts the session's profile into the fields, once it is there.
func (p *profilePage) fill() {
	if p.filled || !p.session.LoggedIn {
		return
	}
	pr := p.session.Profile
	p.first, p.last, p.email, p.phone, p.notify = pr.FirstName, pr.LastName, pr.Email, pr.Phone, pr.Notifications
	p.locale = p.session.Lang
	if p.notify == "" {
		p.notify = ticket.NotifyAll
	}
	p.filled = true
}

func (p *profilePage) Render() app.UI {
	lang := p.session.Lang
	shell := newShell().WithTitle("YourInformation").WithSession(p.session)
	if !p.session.LoggedIn {
		return shell.Body(loading(lang))
	}
	return shell.Body(
		p.renderProfile(lang),
		p.renderPassword(lang),
	)
}

func (p *profilePage) problem(field string) string {
	return p.form.Fields.For(field)
}

func (p *profilePage) renderProfile(lang string) app.UI {
	pr := p.session.Profile
	return app.Section().ID("profile").Class("panel").Aria("labelledby", "profile-heading").Body(
		app.H2().ID("profile-heading").Text(t(lang, "NameAndContact")),
		app.P().Class("muted").Text(t(lang, "YourInformationIntro")),
		app.Form().ID("profile-form").NoValidate(true).OnSubmit(p.onSave).OnInput(p.onEdit).OnChange(p.onEdit).Body(
			p.textField(lang, "firstName", "FirstName", "given-name", "text", &p.first),
			p.textField(lang, "lastName", "LastName", "family-name", "text", &p.last),
			p.emailField(lang),
			// Always there, hidden unless the email changes: go-app keeps an
			// element's first input handler, so the fields after it must not
			// move up or down (typing would land in the wrong one).
			app.Div().ID("email-password").Hidden(!p.changesEmail()).Body(
				p.textField(lang, "currentPassword", "CurrentPasswordForEmail", "current-password", "password", &p.emailPassword),
			),
			app.Div().ID("pending-email").Class("notice").Hidden(pr.PendingEmail == "").Body(
				app.P().ID("pending-email-text").Text(t(lang, "PendingEmailNotice", "Email", pr.PendingEmail, "Current", pr.Email)),
				app.Button().ID("cancel-email-change").Type("button").Disabled(p.form.Saving).
					OnClick(func(ctx app.Context, e app.Event) { p.sent = "profile"; ctx.NewAction(state.CancelEmailChange) }).
					Text(t(lang, "CancelEmailChange")),
			),
			p.textField(lang, "phone", "PhoneOptional", "tel", "tel", &p.phone),
			app.Div().Class("field").Body(
				app.Label().For("profile-locale").Text(t(lang, "Language")),
				app.Select().ID("profile-locale").OnChange(p.ValueTo(&p.locale)).Body(
					app.Range(locales.Supported).Slice(func(i int) app.UI {
						code := locales.Supported[i]
						return app.Option().Value(code).Selected(code == p.locale).Lang(code).Text(t(code, "LanguageName"))
					}),
				),
			),
			app.FieldSet().ID("profile-notifications").Class("choices").Aria("describedby", "err-profile-notifications").Body(
				app.Legend().Class("choices-legend").Text(t(lang, "EmailNotifications")),
				app.Range(ticket.NotificationChoices).Slice(func(i int) app.UI {
					n := ticket.NotificationChoices[i]
					id := "notify-" + string(n)
					return app.Label().For(id).Class("choice").Body(
						app.Input().Type("radio").ID(id).Name("notifications").Value(string(n)).Checked(n == p.notify).
							OnChange(func(ctx app.Context, e app.Event) { p.notify = n }),
						app.Span().Text(t(lang, "Notify_"+string(n))),
					)
				}),
				fieldError(lang, "profile-notifications", p.problem("notifications")),
			),
			app.Div().ID("profile-status").Aria("live", "polite").Body(
				app.If(p.form.Cancelled, func() app.UI {
					return app.P().ID("profile-saved").Class("success-note").Role("status").Text(t(lang, "EmailChangeCancelled", "Email", pr.Email))
				}).ElseIf(p.form.Saved && p.form.ConfirmTo != "", func() app.UI {
					return app.P().ID("profile-saved").Class("success-note").Role("status").Text(t(lang, "ProfileSavedConfirmEmail", "Email", p.form.ConfirmTo))
				}).ElseIf(p.form.Saved, func() app.UI {
					return app.P().ID("profile-saved").Class("success-note").Role("status").Text(t(lang, "ProfileSaved"))
				}),
			),
			app.Div().ID("profile-error").Body(
				app.If(p.form.Err != nil && p.form.Fields == nil, func() app.UI { return errorBox(lang, p.form.Err) }),
			),
			app.Div().Class("actions").Body(
				app.Button().ID("profile-save").Type("submit").Class("primary").Disabled(p.form.Saving).Text(t(lang, "SaveProfile")),
			),
		),
	)
}

// onEdit: what the last save said is old news once the user edits again.
func (p *profilePage) onEdit(ctx app.Context, e app.Event) {
	p.form.Saved, p.form.Cancelled, p.form.ConfirmTo = false, false, ""
}

// textField is one labelled input of the profile with its error; more
// names ids that describe it too.
func (p *profilePage) textField(lang, field, label, autocomplete, typ string, v *string, more ...string) app.UI {
	id := "profile-" + strings.ToLower(field)
	problem := p.problem(field)
	input := app.Input().ID(id).Type(typ).Name(field).Attr("autocomplete", autocomplete).
		Value(typed(id, *v)).Aria("invalid", ariaBool(problem != "")).
		Aria("describedby", strings.Join(append([]string{"err-" + id}, more...), " ")).
		OnInput(p.ValueTo(v))
	if n := maxLengths[field]; n > 0 {
		input = input.MaxLength(n)
	}
	return app.Div().Class("field").Body(
		app.Label().For(id).Text(t(lang, label)),
		input,
		fieldError(lang, id, problem),
	)
}

// maxLengths are the profile's limits the inputs enforce as the user
// types (the server checks them too).
var maxLengths = map[string]int{"firstName": ticket.MaxNamePart, "lastName": ticket.MaxNamePart, "email": ticket.MaxEmail, "phone": ticket.MaxPhone}

// changesEmail reports whether the email typed is another than the
// user's (the current password is asked for then).
func (p *profilePage) changesEmail() bool {
	email := strings.TrimSpace(p.email)
	return email != "" && !strings.EqualFold(email, p.session.Profile.Email)
}

// emailField is the contact email with what it is for; a host portal's
// session shows it without letting it change (the host knows the user by
// it).
func (p *profilePage) emailField(lang string) app.UI {
	if state.Embedded() {
		return app.Div().Class("field").Body(
			app.Label().For("profile-email").Text(t(lang, "ContactEmail")),
			app.Input().ID("profile-email").Type("email").ReadOnly(true).Value(p.session.Profile.Email).Aria("describedby", "profile-email-hint"),
			app.P().ID("profile-email-hint").Class("hint").Text(t(lang, "ErrEmailChangeEmbedded")),
		)
	}
	return app.Div().Body(
		p.textField(lang, "email", "ContactEmail", "email", "email", &p.email, p.emailHints()...),
		app.P().ID("profile-email-hint").Class("hint").Text(t(lang, "ContactEmailHint")),
	)
}

// emailHints are the ids that describe the email field: its hint, and a
// new address waiting for its confirmation.
func (p *profilePage) emailHints() []string {
	if p.session.Profile.PendingEmail != "" {
		return []string{"profile-email-hint", "pending-email-text"}
	}
	return []string{"profile-email-hint"}
}

func (p *profilePage) onSave(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if p.form.Saving {
		return
	}
	change := ticket.ProfileChange{FirstName: &p.first, LastName: &p.last, Phone: &p.phone, Notifications: &p.notify, Locale: &p.locale}
	if email := strings.TrimSpace(p.email); !strings.EqualFold(email, p.session.Profile.Email) && !state.Embedded() {
		change.Email, change.CurrentPassword = &email, p.emailPassword // "" is refused with its message
	}
	p.sent = "profile"
	ctx.NewActionWithValue(state.SaveProfile, change)
}

func (p *profilePage) renderPassword(lang string) app.UI {
	section := app.Section().ID("password").Class("panel").Aria("labelledby", "password-heading")
	if !p.session.Profile.HasPassword || state.Embedded() {
		return section.Body(
			app.H2().ID("password-heading").Text(t(lang, "PasswordHeading")),
			app.P().ID("no-password").Class("muted").Text(t(lang, "ErrNoPassword")),
		)
	}
	typ := "password"
	if p.showPasswords {
		typ = "text"
	}
	field := func(id, field, label, autocomplete string, v *string, more ...string) app.UI {
		problem := p.form.PasswordFields.For(field)
		return app.Div().Class("field").Body(
			app.Label().For(id).Text(t(lang, label)),
			app.Input().ID(id).Type(typ).Name(field).Attr("autocomplete", autocomplete).
				Value(typed(id, *v)).Aria("invalid", ariaBool(problem != "")).
				Aria("describedby", strings.Join(append([]string{"err-" + id}, more...), " ")).
				OnInput(p.ValueTo(v)),
			fieldError(lang, id, problem),
		)
	}
	return section.Body(
		app.H2().ID("password-heading").Text(t(lang, "PasswordHeading")),
		app.P().ID("password-warning").Class("notice").Text(t(lang, "PasswordChangeWarning")),
		app.Form().ID("password-form").NoValidate(true).OnSubmit(p.onChangePassword).Body(
			// The login name, for password managers.
			app.Input().Type("email").Class("visually-hidden").Attr("autocomplete", "username").Value(p.session.User.Email).
				ReadOnly(true).TabIndex(-1).Aria("hidden", "true"),
			field("password-current", "current", "CurrentPassword", "current-password", &p.current),
			field("password-new", "new", "NewPassword", "new-password", &p.newPassword, "password-rules"),
			app.P().ID("password-rules").Class("hint").Text(t(lang, "PasswordRulesHint")),
			app.Label().For("password-show").Class("choice").Body(
				app.Input().Type("checkbox").ID("password-show").Checked(p.showPasswords).
					OnChange(func(ctx app.Context, e app.Event) { p.showPasswords = ctx.JSSrc().Get("checked").Bool() }),
				app.Span().Text(t(lang, "ShowPasswords")),
			),
			app.Div().ID("password-error").Body(
				app.If(p.form.PasswordErr != nil && p.form.PasswordFields == nil, func() app.UI { return errorBox(lang, p.form.PasswordErr) }),
			),
			app.Div().Class("actions").Body(
				app.Button().ID("password-submit").Type("submit").Class("primary").Disabled(p.form.PasswordBusy).Text(t(lang, "ChangePassword")),
			),
		),
	)
}

func (p *profilePage) onChangePassword(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if p.form.PasswordBusy {
		return
	}
	p.sent = "password"
	ctx.NewActionWithValue(state.ChangePassword, ticket.PasswordChange{Current: p.current, New: p.newPassword})
}
