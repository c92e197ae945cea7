package pages

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/locales"
)

// renderEmbedded is the shell in a host portal's frame: no top bar and no
// side navigation (the host has its own), but the account's name and
// number, a row of links (start, tickets with their unread count, new
// ticket, and the Get Help of the host's record), and on a kiosk the
// button that ends the session and the question asked when nobody used it.
func (s *shell) renderEmbedded(lang string) app.UI {
	current, _ := s.Session.CurrentAccount()
	kiosk := s.embed.Session.Kiosk
	return app.Div().Class("shell shell-embedded").Class(map[bool]string{true: "shell-kiosk"}[kiosk]).Body(
		app.Header().Class("embed-bar").Body(
			app.Span().Class("account-current").Body(
				app.Span().Class("account-name").Text(current.Name),
				app.Span().Class("account-number").Text(t(lang, "AccountNumber", "Number", current.AccountNumber)),
			),
			app.If(s.live.Reconnecting && !s.net.Offline, func() app.UI {
				return app.Span().ID("live-reconnecting").Class("live-status").Role("status").Text(t(lang, "Reconnecting"))
			}),
			app.If(kiosk, func() app.UI {
				return app.Button().ID("kiosk-end").Type("button").Class("secondary").OnClick(s.onKioskEnd).Text(t(lang, "KioskEnd"))
			}),
		),
		app.Nav().Class("embed-nav").Aria("label", t(lang, "Navigation")).Body(
			app.Ul().Body(
				app.If(s.embed.Record != 0, func() app.UI {
					href := recordHref(s.embed.Record) + "?help=1"
					return app.Li().Body(navLink(s.currentNav(), recordHref(s.embed.Record), t(lang, "GetHelp")).ID("embed-nav-help").Href(href))
				}),
				app.Li().Body(navLink(s.currentNav(), "/", t(lang, "Dashboard")).ID("embed-nav-dashboard")),
				app.Li().Body(navLink(s.currentNav(), "/tickets", t(lang, "Tickets")).ID("embed-nav-tickets").Body(
					app.Text(t(lang, "Tickets")), unreadBadge(lang, s.unread.In(s.Session.Account)),
				)),
				app.If(s.Session.CanWrite(), func() app.UI {
					return app.Li().Body(navLink(s.currentNav(), "/tickets/new", t(lang, "CreateTicket")).ID("embed-nav-new"))
				}),
				s.renderOutboxNav(lang),
			),
		),
		s.renderMain(lang),
		app.If(kiosk, func() app.UI { return newKioskDialog().WithLang(lang).WithLeft(s.embed.IdleWarning) }),
	)
}

// onKioskEnd ends a kiosk's session: the next person starts clean.
func (s *shell) onKioskEnd(ctx app.Context, e app.Event) {
	ctx.NewActionWithValue(state.EndEmbed, state.EndedLogout)
}

// kioskDialog asks a kiosk's user whether they are still there once
// nobody used it for the host's idle time, counting down the seconds
// before the session ends and everything of it is erased.
type kioskDialog struct {
	app.Compo
	Lang string
	Left int // seconds left; 0: not asking
	open bool
}

func newKioskDialog() *kioskDialog { return &kioskDialog{} }

func (d *kioskDialog) WithLang(v string) *kioskDialog { d.Lang = v; return d }

func (d *kioskDialog) WithLeft(v int) *kioskDialog { d.Left = v; return d }

func (d *kioskDialog) OnMount(ctx app.Context) { d.sync(ctx) }

func (d *kioskDialog) OnUpdate(ctx app.Context) { d.sync(ctx) }

// sync opens the dialog when the countdown starts and closes it when it
// stops.
func (d *kioskDialog) sync(ctx app.Context) {
	switch {
	case d.Left > 0 && !d.open:
		d.open = true
		ctx.Defer(func(app.Context) {
			callElement("kiosk-dialog", "showModal")
			focus("kiosk-continue")
		})
	case d.Left == 0 && d.open:
		d.open = false
		ctx.Defer(func(app.Context) { callElement("kiosk-dialog", "close") })
	}
}

func (d *kioskDialog) onContinue(ctx app.Context, e app.Event) {
	if e.Get("type").String() == "cancel" {
		e.PreventDefault() // Escape is "I am still here" too
	}
	ctx.NewAction(state.KioskContinue)
}

func (d *kioskDialog) Render() app.UI {
	lang := d.Lang
	return app.Dialog().ID("kiosk-dialog").Class("modal kiosk-dialog").Aria("labelledby", "kiosk-dialog-title").
		Aria("describedby", "kiosk-dialog-text").On("cancel", d.onContinue).Body(
		app.H2().ID("kiosk-dialog-title").Text(t(lang, "KioskStillHere")),
		app.P().ID("kiosk-dialog-text").Text(locales.N(lang, "KioskEndsIn", d.Left, nil)),
		app.Div().Class("actions").Body(
			app.Button().ID("kiosk-continue").Type("button").Class("primary").OnClick(d.onContinue).Text(t(lang, "KioskContinue")),
		),
	)
}
