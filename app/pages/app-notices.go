package pages

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
)

// appNotices says what the app itself wants the user to know, above every
// page: that the server cannot be reached (and what still works), and that
// a new version is available.
type appNotices struct {
	app.Compo

	Lang    string
	Offline bool  // the session was opened from this browser's store
	User    int64 // the logged-in user

	net    state.Net
	update bool
	offer  string // the browser's language, offered to the user once
	// switchedTo: the user switched to this language from the offer; once
	// the page is in it, focus goes to its heading.
	switchedTo string
}

func newAppNotices() *appNotices { return &appNotices{} }

func (n *appNotices) WithLang(v string) *appNotices { n.Lang = v; return n }

// WithOffline: the app started without the server.
func (n *appNotices) WithOffline(v bool) *appNotices { n.Offline = v; return n }

// WithUser: the user the language offer is for.
func (n *appNotices) WithUser(id int64) *appNotices { n.User = id; return n }

func (n *appNotices) OnMount(ctx app.Context) {
	ctx.ObserveState(state.NetState, &n.net)
	n.update = ctx.AppUpdateAvailable()
	n.offer = state.LangOffer(ctx, n.User, n.Lang)
}

// OnUpdate follows the user and language (the language changes with the
// session).
func (n *appNotices) OnUpdate(ctx app.Context) {
	n.offer = state.LangOffer(ctx, n.User, n.Lang)
	if n.switchedTo != "" && n.switchedTo == n.Lang {
		n.switchedTo = ""
		ctx.Defer(func(app.Context) { focus("page-title") })
	}
}

func (n *appNotices) onSwitchLang(ctx app.Context, e app.Event) {
	// The bar and its button go: focus goes to the page's heading, as
	// with "keep", once the page is drawn in the new language (OnUpdate).
	n.switchedTo = n.offer
	state.AnswerLangOffer(ctx, n.User, n.offer, true)
	n.offer = ""
}

func (n *appNotices) onKeepLang(ctx app.Context, e app.Event) {
	state.AnswerLangOffer(ctx, n.User, n.offer, false)
	n.offer = ""
	focus("page-title")
}

// OnAppUpdate: a new version was installed by the service worker; this
// page still runs the old one until it is reloaded.
func (n *appNotices) OnAppUpdate(ctx app.Context) { n.update = ctx.AppUpdateAvailable() }

func (n *appNotices) Render() app.UI {
	offline := n.net.Offline || (n.Offline && n.net.Since.IsZero())
	return app.Div().Class("app-notices").Body(
		app.If(offline, func() app.UI {
			return app.Div().ID("offline-bar").Class("offline-bar").Role("status").Body(
				app.Strong().Text(t(n.Lang, "OfflineTitle")+" "),
				app.Span().Text(t(n.Lang, "OfflineText")),
				app.If(!n.net.Since.IsZero(), func() app.UI {
					return app.Span().Class("muted").Text(" " + t(n.Lang, "OfflineSince", "Time", when(n.Lang, n.net.Since)))
				}),
			)
		}),
		// Asked in the language offered (the user may not read the
		// current one), kept in the current one.
		app.If(n.offer != "", func() app.UI {
			return app.Div().ID("lang-offer").Class("update-bar").Role("region").Aria("labelledby", "lang-offer-text").Lang(n.offer).Body(
				app.Span().ID("lang-offer-text").Text(t(n.offer, "LangOfferText")),
				app.Button().ID("lang-offer-switch").Type("button").Class("primary").OnClick(n.onSwitchLang).Text(t(n.offer, "LangOfferSwitch")),
				app.Button().ID("lang-offer-keep").Type("button").Lang(n.Lang).OnClick(n.onKeepLang).Text(t(n.Lang, "LangOfferKeep")),
			)
		}),
		app.If(n.update, func() app.UI {
			return app.Div().ID("update-bar").Class("update-bar").Role("status").Body(
				app.Span().Text(t(n.Lang, "UpdateAvailable")+" "),
				app.Button().ID("update-reload").Type("button").Class("primary").OnClick(n.onReload).Text(t(n.Lang, "UpdateReload")),
			)
		}),
	)
}

// onReload loads the new version (drafts are kept in the browser).
func (n *appNotices) onReload(ctx app.Context, e app.Event) { ctx.Reload() }
