package pages

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/locales"
)

// loginPage asks for email and password.
type loginPage struct {
	app.Compo

	session state.Session
	form    state.LoginForm

	email    string
	password string
	fieldErr string // translation id of a problem found before sending
	expired  bool   // the address says the session had ended (?expired=1)
	out      bool   // the address says the user logged out in another tab (?out=1)
	ended    string // the address says why the session ended (?ended=password)
}

func newLoginPage() *loginPage { return &loginPage{} }

func (p *loginPage) OnPreRender(ctx app.Context) {
	p.session.Lang = sessionLang(ctx, p.session)
}

func (p *loginPage) OnNav(ctx app.Context) {
	p.expired = ctx.Page().URL().Query().Get("expired") == "1"
	p.out = ctx.Page().URL().Query().Get("out") == "1"
	p.ended = ctx.Page().URL().Query().Get("ended")
}

func (p *loginPage) OnMount(ctx app.Context) {
	ctx.Defer(func(ctx app.Context) { focus("login-email") })
	ctx.ObserveState(state.LoginState, &p.form).OnChange(func() {
		if p.form.Err != nil && !p.form.Busy {
			// Refused: the password is typed again (the message, read out
			// by the live region, says why).
			ctx.Defer(func(app.Context) { focus("login-password") })
		}
	})
	observeSession(ctx, &p.session, p.sessionChanged)
}

func (p *loginPage) sessionChanged(ctx app.Context) {
	lang := sessionLang(ctx, p.session)
	ctx.Page().SetLang(lang)
	ctx.Page().SetTitle("%s · supportal", t(lang, "LoginTitle"))
	if p.session.LoggedIn {
		next := ctx.Page().URL().Query().Get("next")
		if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/login") {
			next = "/"
		}
		ctx.Navigate(next)
	}
}

func (p *loginPage) Render() app.UI {
	lang := p.session.Lang
	errID := p.fieldErr
	if errID == "" && p.form.Err != nil {
		errID = p.form.Err.MessageID
	}
	return app.Div().Class("login-wrap").Body(
		app.Main().ID("main").Class("login").Body(
			app.Div().Class("login-head").Body(
				app.Span().Class("brand").Text("supportal"),
				newLangSwitch().WithLang(lang),
			),
			app.H1().Text(t(lang, "LoginTitle")),
			app.If(p.ended == "password", func() app.UI {
				return app.P().ID("session-ended").Class("notice").Role("status").Text(t(lang, "ErrPasswordChangedLogin"))
			}).ElseIf(p.expired, func() app.UI {
				return app.P().ID("session-expired").Class("notice").Role("status").Text(t(lang, "SessionExpired"))
			}).ElseIf(p.out, func() app.UI {
				return app.P().ID("logged-out-elsewhere").Class("notice").Role("status").Text(t(lang, "LoggedOutElsewhere"))
			}).Else(func() app.UI {
				return app.P().Class("muted").Text(t(lang, "LoginIntro"))
			}),
			app.Form().ID("login-form").NoValidate(true).OnSubmit(p.onSubmit).Body(
				app.Div().Class("field").Body(
					app.Label().For("login-email").Text(t(lang, "Email")),
					app.Input().ID("login-email").Type("email").Name("email").Attr("autocomplete", "username").
						Required(true).Value(typed("login-email", p.email)).AutoFocus(true).
						Aria("invalid", ariaBool(p.fieldErr == "ErrEmailRequired")).
						Aria("describedby", "login-error").
						OnInput(p.ValueTo(&p.email)),
				),
				app.Div().Class("field").Body(
					app.Label().For("login-password").Text(t(lang, "Password")),
					app.Input().ID("login-password").Type("password").Name("password").Attr("autocomplete", "current-password").
						Required(true).Value(typed("login-password", p.password)).
						Aria("invalid", ariaBool(p.fieldErr == "ErrPasswordRequired")).
						Aria("describedby", "login-error").
						OnInput(p.ValueTo(&p.password)),
				),
				app.Div().ID("login-error").Aria("live", "assertive").Body(
					app.If(errID != "", func() app.UI {
						return app.P().Class("error").Role("alert").Text(p.errorText(lang, errID))
					}),
				),
				app.Button().ID("login-submit").Type("submit").Class("primary").Disabled(p.form.Busy).Text(t(lang, "LoginButton")),
			),
			app.P().Class("login-forgot").Body(app.A().ID("forgot-password").Href(PathForgotPassword).Text(t(lang, "ForgotPassword"))),
		),
	)
}

func ariaBool(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func (p *loginPage) onSubmit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	p.fieldErr = ""
	switch {
	case strings.TrimSpace(p.email) == "":
		p.fieldErr = "ErrEmailRequired"
	case p.password == "":
		p.fieldErr = "ErrPasswordRequired"
	}
	if p.fieldErr != "" {
		field := "login-email"
		if p.fieldErr == "ErrPasswordRequired" {
			field = "login-password"
		}
		ctx.Defer(func(app.Context) { focus(field) })
		return
	}
	if p.form.Busy {
		return
	}
	ctx.NewActionWithValue(state.Login, state.LoginInput{Email: strings.TrimSpace(p.email), Password: p.password})
}

// errorText is the login error in lang; refused for too many attempts, it
// says how long to wait (the server's Retry-After).
func (p *loginPage) errorText(lang, id string) string {
	wait := p.form.RetryAfter
	if p.fieldErr != "" || id != "ErrTooManyLogins" || wait <= 0 {
		return t(lang, id)
	}
	if wait < 90 {
		return locales.N(lang, "TooManyLoginsSeconds", wait, nil)
	}
	return locales.N(lang, "TooManyLoginsMinutes", (wait+59)/60, nil)
}
