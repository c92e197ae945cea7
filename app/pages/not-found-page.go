package pages

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
)

// notFoundPage is what an in-app link to an address that is no page shows
// (a full load of such an address gets the server's 404 page, worded the
// same): in the user's language, inside the portal, with the way back.
type notFoundPage struct {
	app.Compo

	session state.Session
}

func newNotFoundPage() *notFoundPage { return &notFoundPage{} }

func (p *notFoundPage) OnPreRender(ctx app.Context) {
	p.session.Lang = sessionLang(ctx, p.session)
}

func (p *notFoundPage) OnMount(ctx app.Context) {
	observeSession(ctx, &p.session, func(app.Context) {})
}

func (p *notFoundPage) Render() app.UI {
	lang := p.session.Lang
	return newShell().WithTitle("NotFoundTitle").WithSession(p.session).Body(
		app.Div().ID("not-found").Class("panel").Body(
			app.P().Text(t(lang, "NotFoundText")),
			app.Div().Class("actions").Body(
				app.A().ID("not-found-dashboard").Class("button primary").Href(PathDashboard).Text(t(lang, "Dashboard")),
			),
		),
	)
}
