package pages

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
)

// sentPage thanks the user after a send and offers the new ticket and the
// dashboard: /tickets/sent?ticket=N[&added=1].
type sentPage struct {
	app.Compo

	session state.Session
	number  int64
	added   bool
}

func newSentPage() *sentPage { return &sentPage{} }

func (p *sentPage) OnPreRender(ctx app.Context) {
	p.session.Lang = sessionLang(ctx, p.session)
}

func (p *sentPage) OnNav(ctx app.Context) {
	q := ctx.Page().URL().Query()
	p.number, _ = strconv.ParseInt(q.Get("ticket"), 10, 64)
	p.added = q.Get("added") == "1"
}

func (p *sentPage) OnMount(ctx app.Context) {
	observeSession(ctx, &p.session, func(app.Context) {})
	focusLater(ctx, "sent-text") // read out first; Tab goes on to the links
}

func (p *sentPage) Render() app.UI {
	lang := p.session.Lang
	text := "SuccessCreated"
	if p.added {
		text = "SuccessAdded"
	}
	return newShell().WithTitle("SuccessTitle").WithSession(p.session).Body(
		app.Div().ID("sent").Class("panel success").Role("status").Body(
			app.P().ID("sent-text").TabIndex(-1).Text(t(lang, text, "Number", p.number)),
			app.Div().Class("actions").Body(
				app.A().ID("sent-ticket").Class("button primary").Href(ticketHref(p.number)).Text(t(lang, "TicketDetails")),
				app.A().ID("sent-dashboard").Class("button").Href("/").Text(t(lang, "Dashboard")),
			),
		),
	)
}
