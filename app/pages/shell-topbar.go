package pages

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// The shell's top bar: the brand, the account (name and number, the
// switcher), the language, the Support and user menus.

func (s *shell) renderTopBar(lang string) app.UI {
	accounts := s.Session.Accounts()
	current, hasAccount := s.Session.CurrentAccount()
	return app.Header().Class("topbar").Body(
		s.renderNavToggle(lang),
		app.A().Class("brand").Href("/").Text("supportal"),
		app.Div().Class("account").Class(map[bool]string{true: "account-vendor"}[s.onBehalf()]).Body(
			app.If(s.Session.User.Agent, func() app.UI {
				return app.Span().Class("account-current").Text(t(lang, "AgentWorkspace"))
			}).ElseIf(hasAccount && len(accounts) > 1, func() app.UI {
				return app.Label().Class("account-switch").Body(
					app.Span().Class("visually-hidden").Text(t(lang, "Account")),
					app.Select().ID("account-select").OnChange(s.onAccount).Body(
						app.Range(accounts).Slice(func(i int) app.UI {
							o := accounts[i]
							// Other accounts say what waits there (the current
							// one's count is in the navigation).
							text := t(lang, "AccountOption", "Name", o.Name, "Number", o.AccountNumber)
							if n := s.unread.In(o.ID); n > 0 && o.ID != current.ID {
								text = t(lang, "AccountWithUnread", "Account", text, "Unread", locales.N(lang, "UnreadMessages", n, nil))
							}
							return app.Option().Value(strconv.FormatInt(o.ID, 10)).
								Selected(o.ID == current.ID).
								Text(text)
						}),
					),
					// What waits in the other accounts: the tickets page
					// lists the current account only.
					labelledBadge("account-unread", s.unread.Total()-s.unread.In(current.ID),
						func(n int) string { return locales.N(lang, "UnreadElsewhere", n, nil) }),
				)
			}).ElseIf(hasAccount, func() app.UI {
				return app.Span().Class("account-current").Body(
					app.Span().Class("account-name").Text(current.Name),
					app.Span().Class("account-number").Text(t(lang, "AccountNumber", "Number", current.AccountNumber)),
				)
			}).Else(func() app.UI {
				name := ""
				if len(s.Session.Memberships) > 0 {
					m := s.Session.Memberships[0].Organization
					name = t(lang, "AccountOption", "Name", m.Name, "Number", m.AccountNumber)
				}
				return app.Span().Class("account-current").Body(
					app.Span().Class("account-name").Text(name),
					app.Span().Class("account-number").Text(t(lang, "NoAccount")),
				)
			}),
			s.renderOnBehalf(lang),
		),
		app.If(s.live.Reconnecting && !s.net.Offline, func() app.UI { // the offline bar says more
			return app.Span().ID("live-reconnecting").Class("live-status").Role("status").Text(t(lang, "Reconnecting"))
		}),
		newLangSwitch().WithLang(lang),
		// Nothing to create where the user may only read (a vendor in a
		// customer's read-only account), as on the dashboard.
		app.If(len(s.Session.Accounts()) > 0 && s.Session.CanWrite(), func() app.UI {
			return s.menu("support", "top-menu", t(lang, "SupportMenu"), t(lang, "SupportMenu"), "support-assistant-link",
				app.A().ID("support-assistant-link").Href("/assistant").Text(t(lang, "SolveWithAssistant")),
				app.A().ID("support-form-link").Href("/tickets/new").Text(t(lang, "CreateTicket")),
			)
		}),
		s.menu("user", "user-menu", s.Session.User.Name, t(lang, "UserMenu"), "profile-link",
			app.P().Class("menu-email").Text(s.Session.User.Email),
			app.A().ID("profile-link").Href(PathProfile).Text(t(lang, "YourInformation")),
			app.If(s.Session.Viewer().IsAdmin(s.Session.Account), func() app.UI {
				return app.A().ID("settings-link").Href(PathSettings).Text(t(lang, "AccountSettings"))
			}),
			app.If(s.installable, func() app.UI {
				return app.Button().ID("install-app").Type("button").OnClick(s.onInstall).Text(t(lang, "InstallApp"))
			}),
			app.Button().ID("logout").OnClick(s.onLogout).Text(t(lang, "Logout")),
		),
	)
}

// renderOnBehalf warns a vendor user working in a customer's account: the
// customer's name and account number in the warning colour, and what it
// means (tickets created now belong to the customer; or read only).
func (s *shell) renderOnBehalf(lang string) app.UI {
	a, ok := s.Session.OnBehalf()
	if !ok {
		return nil
	}
	text := "VendorInCustomer"
	if a.Effective() != ticket.AccessFull {
		text = "VendorInCustomerReadOnly"
	}
	return app.Span().ID("on-behalf").Class("on-behalf").Role("status").
		Text(t(lang, text, "Customer", a.Organization.Name, "Number", a.Organization.AccountNumber, "Vendor", a.Vendor.Name))
}

// onBehalf reports whether the user works in a customer's account as a
// vendor.
func (s *shell) onBehalf() bool {
	_, ok := s.Session.OnBehalf()
	return ok
}

func (s *shell) onAccount(ctx app.Context, e app.Event) {
	id, err := strconv.ParseInt(ctx.JSSrc().Get("value").String(), 10, 64)
	if err == nil {
		ctx.NewActionWithValue(state.SwitchAccount, id)
		// A ticket's page belongs to the ticket's account: in another
		// account the user goes on from that account's tickets.
		if ticketPath.MatchString(ctx.Page().URL().Path) || recordPath.MatchString(ctx.Page().URL().Path) {
			ctx.Navigate(PathTickets)
		}
	}
}

// menu is a button that opens a small menu (name: "user", "support",
// "plus"); the first focusable item gets the focus, Escape closes it and
// gives the focus back to the button.
func (s *shell) menu(name, class, label, ariaLabel, firstID string, items ...app.UI) app.UI {
	open := s.menuOpen == name
	accName := ariaLabel
	if len([]rune(label)) > 1 && label != ariaLabel {
		// A word shown (the user's name) is said first, as seen: speech
		// control users say what they see.
		accName = label + ", " + ariaLabel
	}
	// The handlers read s.menuOpen rather than capture open: go-app keeps
	// an element's first handler when the closure's code is the same.
	return app.Div().Class(class, "menu-wrap").OnKeyDown(func(ctx app.Context, e app.Event) {
		if s.menuOpen == name && e.Get("key").String() == "Escape" {
			s.menuOpen = ""
			ctx.Defer(func(ctx app.Context) { focus(name + "-menu-button") })
		}
	}).On("focusout", func(ctx app.Context, e app.Event) {
		// The focus went elsewhere (Tab past the last item): the menu
		// closes. A click that focuses nothing is the pointer's business
		// (onPointerDown): Safari focuses no link it clicks.
		next := e.Get("relatedTarget")
		if s.menuOpen == name && next.Truthy() && !ctx.JSSrc().Call("contains", next).Bool() {
			s.menuOpen = ""
		}
	}).Body(
		app.Button().ID(name+"-menu-button").Class("menu-button", name+"-button").Type("button").
			Aria("label", accName).Title(ariaLabel).
			Aria("expanded", strconv.FormatBool(open)).
			OnClick(func(ctx app.Context, e app.Event) {
				if s.menuOpen == name {
					s.menuOpen = ""
					return
				}
				s.menuOpen = name
				ctx.Defer(func(ctx app.Context) { focus(firstID) })
			}).Text(label),
		app.If(open, func() app.UI {
			return app.Div().ID(name + "-menu").Class("menu").Body(items...)
		}),
	)
}

// onPointerDown closes the open menu when the pointer goes down anywhere
// outside it (the page, the language or account switch, another menu's
// button opens that one instead).
func (s *shell) onPointerDown(ctx app.Context, e app.Event) {
	if s.menuOpen == "" {
		return
	}
	if wrap := e.Get("target").Call("closest", ".menu-wrap"); wrap.Truthy() {
		if b := app.Window().GetElementByID(s.menuOpen + "-menu-button"); b.Truthy() && wrap.Call("contains", b).Bool() {
			return // inside the open menu, or its own button (which toggles it)
		}
	}
	s.menuOpen = ""
}

// langSwitch chooses the language; logged-in users keep their choice.
type langSwitch struct {
	app.Compo
	Lang string
}

func newLangSwitch() *langSwitch { return &langSwitch{} }

func (l *langSwitch) WithLang(lang string) *langSwitch { l.Lang = lang; return l }

func (l *langSwitch) Render() app.UI {
	return app.Label().Class("lang-switch").Body(
		app.Span().Class("visually-hidden").Text(t(l.Lang, "Language")),
		app.Select().ID("lang-select").OnChange(l.onChange).Body(
			app.Range(locales.Supported).Slice(func(i int) app.UI {
				code := locales.Supported[i]
				return app.Option().Value(code).Selected(code == l.Lang).Lang(code).Text(t(code, "LanguageName"))
			}),
		),
	)
}

func (l *langSwitch) onChange(ctx app.Context, e app.Event) {
	ctx.NewActionWithValue(state.SetLang, ctx.JSSrc().Get("value").String())
}

// OnAppInstallChange: the browser now offers to install the app, or it
// was installed.
func (s *shell) OnAppInstallChange(ctx app.Context) {
	s.installable = ctx.IsAppInstallable() && !state.Embedded()
}

// onInstall asks the browser to install the app.
func (s *shell) onInstall(ctx app.Context, e app.Event) {
	s.menuOpen = ""
	ctx.ShowAppInstallPrompt()
}
