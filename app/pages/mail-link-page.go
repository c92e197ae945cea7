package pages

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
)

// mailLinkPage is the page of the links that go by mail, before or
// without a login, laid out as the login page: Forgot password? (asks for
// a reset link), a reset link (a new password), a confirmation link (a
// new contact email). The links carry their token in the fragment
// (#token): it never reaches a server log or a Referer.
type mailLinkPage struct {
	app.Compo
	session state.Session
	link    state.MailLink

	path  string // which of the three pages
	token string
	email string
	pw    string
	show  bool
}

func newMailLinkPage() *mailLinkPage { return &mailLinkPage{} }

func (p *mailLinkPage) OnPreRender(ctx app.Context) {
	p.session.Lang = sessionLang(ctx, p.session)
	p.path = ctx.Page().URL().Path
}

func (p *mailLinkPage) OnMount(ctx app.Context) {
	ctx.ObserveState(state.MailLinkState, &p.link).OnChange(func() {
		switch {
		case p.link.Fields != nil || (p.link.Err != nil && !p.link.Busy):
			focusProblem(ctx, "mail-link")
		case p.link.Requested || p.link.Done:
			focusLater(ctx, "mail-link-done")
		}
	})
	observeSession(ctx, &p.session, func(ctx app.Context) {
		ctx.Page().SetLang(sessionLang(ctx, p.session))
		p.setTitle(ctx)
	})
}

func (p *mailLinkPage) OnNav(ctx app.Context) {
	u := ctx.Page().URL()
	p.path, p.token, p.pw = u.Path, strings.TrimPrefix(u.Fragment, "#"), ""
	ctx.SetState(state.MailLinkState, state.MailLink{})
	p.setTitle(ctx)
	switch p.path {
	case PathResetPassword:
		ctx.NewActionWithValue(state.CheckReset, p.token)
	case PathConfirmEmail:
		// Confirmed by a press, not by opening the link: a mail scanner
		// that follows links must not confirm an address.
		ctx.Defer(func(ctx app.Context) { focus("confirm-email") })
	default:
		ctx.Defer(func(ctx app.Context) { focus("reset-email") })
	}
}

func (p *mailLinkPage) title() string {
	switch p.path {
	case PathResetPassword:
		return "ResetTitle"
	case PathConfirmEmail:
		return "ConfirmEmailTitle"
	}
	return "ForgotTitle"
}

func (p *mailLinkPage) setTitle(ctx app.Context) {
	ctx.Page().SetTitle("%s · supportal", t(sessionLang(ctx, p.session), p.title()))
}

func (p *mailLinkPage) Render() app.UI {
	lang := p.session.Lang
	var body app.UI
	switch p.path {
	case PathResetPassword:
		body = p.renderReset(lang)
	case PathConfirmEmail:
		body = p.renderConfirm(lang)
	default:
		body = p.renderForgot(lang)
	}
	return app.Div().Class("login-wrap").Body(
		app.Main().ID("main").Class("login").Body(
			app.Div().Class("login-head").Body(
				app.Span().Class("brand").Text("supportal"),
				newLangSwitch().WithLang(lang),
			),
			app.H1().ID("page-title").TabIndex(-1).Text(t(lang, p.title())),
			app.Div().ID("mail-link").Body(body),
		),
	)
}

// linkError says what is wrong with a link or a request, and what to do.
func (p *mailLinkPage) linkError(lang string) app.UI {
	err := p.link.Err
	if err == nil || p.link.Fields != nil {
		return nil
	}
	id := err.MessageID
	if err.Code == ticket.CodeNotFound {
		id = "ErrLinkUnknown"
	}
	return app.P().ID("mail-link-error").Class("error").Role("alert").TabIndex(-1).Text(t(lang, id))
}

func (p *mailLinkPage) renderForgot(lang string) app.UI {
	if p.link.Requested {
		return app.Div().Body(
			app.P().ID("mail-link-done").Class("success-note").Role("status").TabIndex(-1).Text(t(lang, "ResetRequested", "Email", p.link.Email)),
			app.P().Body(app.A().ID("back-to-login").Href(PathLogin).Text(t(lang, "BackToLogin"))),
		)
	}
	problem := p.link.Fields.For("email")
	return app.Form().ID("reset-request-form").NoValidate(true).OnSubmit(p.onRequest).Body(
		app.P().Class("muted").Text(t(lang, "ForgotIntro")),
		app.Div().Class("field").Body(
			app.Label().For("reset-email").Text(t(lang, "Email")),
			app.Input().ID("reset-email").Type("email").Name("email").Attr("autocomplete", "username").
				Value(typed("reset-email", p.email)).Aria("invalid", ariaBool(problem != "")).Aria("describedby", "err-reset-email").
				OnInput(p.ValueTo(&p.email)),
			fieldError(lang, "reset-email", problem),
		),
		p.linkError(lang),
		app.Div().Class("actions").Body(
			app.Button().ID("reset-request").Type("submit").Class("primary").Disabled(p.link.Busy).Text(t(lang, "SendResetLink")),
			app.A().ID("back-to-login").Href(PathLogin).Text(t(lang, "BackToLogin")),
		),
	)
}

func (p *mailLinkPage) onRequest(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if !p.link.Busy {
		ctx.NewActionWithValue(state.RequestReset, strings.ToLower(strings.TrimSpace(p.email)))
	}
}

func (p *mailLinkPage) renderReset(lang string) app.UI {
	switch {
	case p.link.Done:
		return app.Div().Body(
			app.P().ID("mail-link-done").Class("success-note").Role("status").TabIndex(-1).Text(t(lang, "ResetDone")),
			app.P().Body(app.A().ID("login-link").Class("button primary").Href(PathLogin).Text(t(lang, "LoginButton"))),
		)
	case !p.link.Valid && p.link.Err != nil:
		return app.Div().Body(
			p.linkError(lang),
			app.P().Body(app.A().ID("request-new-link").Href(PathForgotPassword).Text(t(lang, "RequestNewLink"))),
		)
	case !p.link.Valid:
		return app.P().Class("loading").Role("status").Text(t(lang, "CheckingLink"))
	}
	typ := "password"
	if p.show {
		typ = "text"
	}
	problem := p.link.Fields.For("new")
	return app.Form().ID("reset-form").NoValidate(true).OnSubmit(p.onReset).Body(
		app.P().Class("muted").Text(t(lang, "ResetIntro")),
		app.Div().Class("field").Body(
			app.Label().For("reset-new").Text(t(lang, "NewPassword")),
			app.Input().ID("reset-new").Type(typ).Name("new").Attr("autocomplete", "new-password").AutoFocus(true).
				Value(typed("reset-new", p.pw)).Aria("invalid", ariaBool(problem != "")).Aria("describedby", "err-reset-new reset-rules").
				OnInput(p.ValueTo(&p.pw)),
			fieldError(lang, "reset-new", problem),
		),
		app.P().ID("reset-rules").Class("hint").Text(t(lang, "PasswordRulesHint")),
		app.Label().For("reset-show").Class("choice").Body(
			app.Input().Type("checkbox").ID("reset-show").Checked(p.show).
				OnChange(func(ctx app.Context, e app.Event) { p.show = ctx.JSSrc().Get("checked").Bool() }),
			app.Span().Text(t(lang, "ShowPassword")),
		),
		p.linkError(lang),
		app.Div().Class("actions").Body(
			app.Button().ID("reset-submit").Type("submit").Class("primary").Disabled(p.link.Busy).Text(t(lang, "SaveNewPassword")),
		),
	)
}

func (p *mailLinkPage) onReset(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if !p.link.Busy {
		ctx.NewActionWithValue(state.ResetWith, state.ResetInput{Token: p.token, New: p.pw})
	}
}

func (p *mailLinkPage) renderConfirm(lang string) app.UI {
	switch {
	case p.link.Done:
		return app.Div().Body(
			app.P().ID("mail-link-done").Class("success-note").Role("status").TabIndex(-1).Text(t(lang, "EmailConfirmed", "Email", p.link.Email)),
			app.P().Body(app.A().ID("portal-link").Class("button primary").Href(PathDashboard).Text(t(lang, "GoToPortal"))),
		)
	case p.link.Err != nil:
		return app.Div().Body(
			p.linkError(lang),
			app.P().Body(app.A().ID("portal-link").Href(PathProfile).Text(t(lang, "YourInformation"))),
		)
	}
	return app.Div().Body(
		app.P().Class("muted").Text(t(lang, "ConfirmEmailIntro")),
		app.Div().Class("actions").Body(
			app.Button().ID("confirm-email").Type("button").Class("primary").Disabled(p.link.Busy).
				OnClick(func(ctx app.Context, e app.Event) {
					if !p.link.Busy {
						ctx.NewActionWithValue(state.ConfirmEmail, p.token)
					}
				}).Text(t(lang, "ConfirmEmailButton")),
		),
	)
}
