package pages

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/locales"
)

// embedPage is where a host portal's frame starts (/embed, or /embed/PAGE
// to open PAGE, like /embed/tickets/new): it tells the host it is ready,
// waits for the host's token and, once signed in, goes on to the Get Help
// of the record the host shows it beside, or to the page asked for, or to
// the dashboard. After a kiosk's session ended, it says so and waits for
// the next person.
type embedPage struct {
	app.Compo

	session state.Session
	embed   state.Embed
	next    string
	gone    bool   // went on to the signed-in page
	lang    string // before anybody is signed in: the browser's
}

func newEmbedPage() *embedPage { return &embedPage{} }

func (p *embedPage) OnPreRender(ctx app.Context) {
	p.session.Lang = sessionLang(ctx, p.session)
}

// readNext is the page the address asks for: /embed/tickets/new or
// /embed?next=/tickets/new.
func (p *embedPage) readNext(ctx app.Context) {
	u := ctx.Page().URL()
	p.next = strings.TrimPrefix(u.Path, "/embed")
	if n := u.Query().Get("next"); n != "" {
		p.next = n
	}
}

func (p *embedPage) OnNav(ctx app.Context) {
	p.readNext(ctx)
	p.gone = false
	ctx.NewActionWithValue(state.StartEmbed, p.next)
}

func (p *embedPage) OnMount(ctx app.Context) {
	ctx.ObserveState(state.SessionState, &p.session).OnChange(func() { p.goOn(ctx) })
	ctx.ObserveState(state.EmbedState, &p.embed).OnChange(func() { p.goOn(ctx) })
	p.lang = state.InitialLang()
}

// goOn leaves for the signed-in page once the host's token was accepted.
func (p *embedPage) goOn(ctx app.Context) {
	if p.gone || p.embed.Status != state.Loaded || !p.session.LoggedIn {
		return
	}
	p.gone = true
	ctx.Page().SetLang(p.session.Lang)
	ctx.Navigate(state.EmbedStart(p.embed))
}

func (p *embedPage) Render() app.UI {
	lang := p.session.Lang
	if lang == "" {
		lang = p.lang
	}
	if lang == "" {
		lang = locales.Default
	}
	e := p.embed
	return app.Div().Class("shell shell-embedded embed-start").Body(
		app.Main().ID("main").Class("content").TabIndex(-1).Body(
			app.H1().ID("embed-title").Text(t(lang, "EmbedTitle")),
			app.If(e.Status == state.Failed, func() app.UI {
				return app.Div().ID("embed-refused").Body(
					errorBox(lang, e.Err),
				)
			}).ElseIf(e.Ended != "", func() app.UI {
				return app.P().ID("embed-ended").Role("status").Text(t(lang, endedMessage(e.Ended)))
			}).Else(func() app.UI {
				return app.P().ID("embed-waiting").Class("loading").Role("status").Text(t(lang, "EmbedSigningIn"))
			}),
		),
	)
}

// endedMessage is what the start page says after a session ended.
func endedMessage(reason string) string {
	switch reason {
	case state.EndedIdle:
		return "EmbedEndedIdle"
	case state.EndedRefused:
		return "EmbedSigningIn"
	}
	return "EmbedEnded"
}
