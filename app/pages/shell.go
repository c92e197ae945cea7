package pages

import (
	"net/url"
	"slices"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// shell is the frame of every page after login: the top bar (account with
// its number, account switcher, language, user menu), the left navigation
// (dashboard, tickets, open tickets) and the page's content.
type shell struct {
	app.Compo

	Title     string // translation id of the page's heading
	TitleText string // the browser tab's title, when more precise than Title
	Content   []app.UI
	Session   state.Session // the page's view of the session (the shell observes it too)
	Actions   []app.UI      // shown beside the page title

	Heading string // the page's heading, when not Title's translation

	open       state.TicketList
	views      state.Views
	unread     state.Unread
	live       state.Live
	embed      state.Embed // in a host portal's frame
	viewID     string      // the saved view the address names
	recordKind string      // the kind of records the address lists
	loadedFor  string
	menuOpen   string // "user", "support", "plus" or ""
	redirected bool
	path       string
	// unsent: the drafts logging out would delete, while the user is
	// asked whether to (nil: not asking).
	unsent []state.UnsentDraft
	// asking: the logout question is open (drafts or the outbox), about
	// the items waitingAsked.
	asking       bool
	waitingAsked []state.OutboxItem
	outbox       state.Outbox
	net          state.Net
	installable  bool        // the browser offers to install the app
	ui           app.Context // the shell's own context (what is deferred on a menu item's event is skipped: the menu closes)
}

// navLink is a navigation link, marked as the current page when it is.
func navLink(current, href, label string) app.HTMLA {
	a := app.A().Href(href).Text(label)
	if current == href {
		a = a.Aria("current", "page").Class("nav-current")
	}
	return a
}

func newShell() *shell { return &shell{} }

// WithTitle sets the translation id of the page title.
func (s *shell) WithTitle(id string) *shell { s.Title = id; return s }

// WithTitleText sets the browser tab's title (e.g. a ticket's number and subject).
func (s *shell) WithTitleText(v string) *shell { s.TitleText = v; return s }

// WithSession hands the page's session to the shell.
func (s *shell) WithSession(v state.Session) *shell { s.Session = v; return s }

// WithActions sets the links or buttons beside the page title.
func (s *shell) WithActions(v ...app.UI) *shell { s.Actions = v; return s }

// Body sets the page's content.
func (s *shell) Body(v ...app.UI) *shell { s.Content = v; return s }

// WithHeading sets the page's heading (and the tab's title) to a text.
func (s *shell) WithHeading(v string) *shell {
	s.Heading, s.TitleText = v, ticket.Isolate(v)
	return s
}

func (s *shell) OnPreRender(ctx app.Context) {
	s.Session.Lang = sessionLang(ctx, s.Session)
}

func (s *shell) OnNav(ctx app.Context) {
	s.path = ctx.Page().URL().Path
	ctx.NewActionWithValue(state.EmbedNavigated, ctx.Page().URL().RequestURI())
	s.viewID = ctx.Page().URL().Query().Get("view")
	s.recordKind = ctx.Page().URL().Query().Get("kind")
	s.menuOpen = ""
}

func (s *shell) OnMount(ctx app.Context) {
	s.ui = ctx
	s.path = ctx.Page().URL().Path
	s.viewID = ctx.Page().URL().Query().Get("view")
	s.recordKind = ctx.Page().URL().Query().Get("kind")
	ctx.ObserveState(state.OpenState, &s.open)
	ctx.ObserveState(state.ViewsState, &s.views)
	ctx.ObserveState(state.UnreadState, &s.unread).OnChange(func() {
		s.setTitle(ctx)
		ctx.NewAction(state.EmbedUnread) // the host's Get Help buttons show it
	})
	ctx.ObserveState(state.LiveState, &s.live)
	ctx.ObserveState(state.EmbedState, &s.embed)
	ctx.ObserveState(state.OutboxState, &s.outbox)
	ctx.ObserveState(state.NetState, &s.net)
	s.installable = ctx.IsAppInstallable() && !state.Embedded()
	observeSession(ctx, &s.Session, s.sessionChanged)
}

// OnUpdate follows the page's props (its title changes once data arrives).
func (s *shell) OnUpdate(ctx app.Context) { s.setTitle(ctx) }

func (s *shell) setTitle(ctx app.Context) {
	title := t(sessionLang(ctx, s.Session), s.Title)
	if s.TitleText != "" {
		title = s.TitleText
	}
	if n := s.unread.Total(); n > 0 && s.Session.LoggedIn {
		ctx.Page().SetTitle("(%d) %s · supportal", n, title)
		return
	}
	ctx.Page().SetTitle("%s · supportal", title)
}

func (s *shell) sessionChanged(ctx app.Context) {
	lang := sessionLang(ctx, s.Session)
	ctx.Page().SetLang(lang)
	s.setTitle(ctx)
	if s.Session.Status == state.Loaded && !s.Session.LoggedIn && !s.redirected {
		s.redirected = true
		s.loadedFor = ""
		if state.Embedded() {
			// The host signs the user in again, and the frame comes back.
			ctx.Navigate("/embed?next=" + url.QueryEscape(ctx.Page().URL().RequestURI()))
			return
		}
		to := "/login?next=" + url.QueryEscape(ctx.Page().URL().RequestURI())
		switch {
		case s.Session.LoggedOutElsewhere:
			to = "/login?out=1" // the drafts are gone: nothing to come back to
		case s.Session.Expired:
			to += "&expired=1"
		}
		ctx.Navigate(to)
		return
	}
	if !s.Session.LoggedIn {
		return
	}
	s.redirected = false
	ctx.NewAction(state.StartLive) // once per user; it keeps itself connected
	key := strconv.FormatInt(s.Session.User.ID, 10) + "/" + strconv.FormatInt(s.Session.Account, 10)
	if key != s.loadedFor {
		s.loadedFor = key
		ctx.NewActionWithValue(state.LoadOpen, state.TicketQuery{OrganizationID: s.Session.Account, Open: "true"})
	}
	if s.views.UserID != s.Session.User.ID || s.views.Status == state.Idle {
		var cur state.Views
		ctx.GetState(state.ViewsState, &cur)
		if cur.UserID != s.Session.User.ID || cur.Status == state.Idle {
			ctx.NewAction(state.LoadViews)
		}
	}
}

func (s *shell) Render() app.UI {
	lang := s.Session.Lang
	if !s.Session.LoggedIn {
		return app.Div().Class("shell shell-empty").Body(
			app.Main().ID("main").Body(
				app.If(s.Session.Status == state.Failed, func() app.UI {
					return errorBox(lang, s.Session.Err)
				}).Else(func() app.UI {
					return loading(lang)
				}),
			),
		)
	}
	if state.Embedded() {
		return s.renderEmbedded(lang)
	}
	return app.Div().Class("shell").OnMouseDown(s.onPointerDown).Body(
		app.A().Class("skip-link").Href("#main").Text(t(lang, "SkipToContent")),
		s.renderTopBar(lang),
		s.renderNav(lang),
		s.renderMain(lang),
		s.renderLogoutDialog(lang),
	)
}

// renderMain is the page: what the app says of itself (offline, a new
// version), the page's heading and actions, its content.
func (s *shell) renderMain(lang string) app.UI {
	return app.Main().ID("main").Class("content").TabIndex(-1).Body(
		newAppNotices().WithLang(lang).WithOffline(s.Session.Offline),
		app.Div().Class("page-head").Body(
			app.If(s.Heading != "", func() app.UI { return app.H1().Text(s.Heading) }).
				Else(func() app.UI { return app.H1().Text(t(lang, s.Title)) }),
			app.If(len(s.Actions) > 0, func() app.UI {
				return app.Div().Class("page-actions").Body(app.Range(s.Actions).Slice(func(i int) app.UI { return s.Actions[i] }))
			}),
		),
		app.Range(s.Content).Slice(func(i int) app.UI { return s.Content[i] }),
	)
}

// renderOutboxNav links the outbox, with the number of items waiting, while
// it holds any (or is the page shown).
func (s *shell) renderOutboxNav(lang string) app.UI {
	if len(s.outbox.Items) == 0 && s.path != PathOutbox {
		return nil
	}
	return app.Li().Body(navLink(s.currentNav(), PathOutbox, t(lang, "Outbox")).ID("nav-outbox").Body(
		app.Text(t(lang, "Outbox")), outboxNavBadge(lang, s.outbox.Waiting()),
	))
}

func (s *shell) renderTopBar(lang string) app.UI {
	accounts := s.Session.Accounts()
	current, hasAccount := s.Session.CurrentAccount()
	return app.Header().Class("topbar").Body(
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
		s.menu("user", "user-menu", s.Session.User.Name, t(lang, "UserMenu"), map[bool]string{true: "settings-link", false: "logout"}[s.Session.Viewer().IsAdmin(s.Session.Account)],
			app.P().Class("menu-email").Text(s.Session.User.Email),
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

// vendorOrg is the vendor organization the user is a member of (0: none).
func (s *shell) vendorOrg() int64 { return s.Session.VendorOrg() }

// onVendorSupport opens the vendor's own tickets (private between the
// vendor and support): it works in the vendor's account.
func (s *shell) onVendorSupport(ctx app.Context, e app.Event) {
	if id := s.vendorOrg(); id != 0 && id != s.Session.Account {
		ctx.NewActionWithValue(state.SwitchAccount, id)
	}
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

// currentNav is the address the navigation marks as current: none while a
// saved view is shown (the view is marked instead).
func (s *shell) currentNav() string {
	if s.viewID != "" {
		return ""
	}
	return s.path
}

func (s *shell) renderNav(lang string) app.UI {
	// In the vendor's own account the ticket list is "Vendor support": it
	// is marked, not "Tickets".
	tickets, vendorSupport := s.currentNav(), ""
	if v := s.vendorOrg(); v != 0 && v == s.Session.Account {
		tickets, vendorSupport = "", s.currentNav()
	}
	return app.Nav().Class("sidenav").Aria("label", t(lang, "Navigation")).Body(
		app.If(len(s.Session.Accounts()) > 0 && s.Session.CanWrite(), func() app.UI {
			return s.menu("plus", "nav-plus", "+", t(lang, "NewTicketMenu"), "plus-assistant-link",
				app.A().ID("plus-assistant-link").Href("/assistant").Text(t(lang, "SupportAssistant")),
				app.A().ID("plus-form-link").Href("/tickets/new").Text(t(lang, "CreateTicket")),
			)
		}),
		app.Ul().Body(
			app.Li().Body(navLink(s.path, "/", t(lang, "Dashboard"))),
			app.Li().Body(navLink(tickets, "/tickets", t(lang, "Tickets")).Body(
				app.Text(t(lang, "Tickets")), unreadBadge(lang, s.unread.In(s.Session.Account)),
			)),
			s.renderOutboxNav(lang),
			app.If(s.Session.User.Agent, func() app.UI {
				return app.Li().Body(navLink(s.currentNav(), PathAgent, t(lang, "AgentQueue")))
			}),
			app.If(s.Session.User.Agent || len(s.Session.Accounts()) > 0, func() app.UI { return s.renderRecordsNav(lang) }),
			app.If(s.vendorOrg() != 0, func() app.UI {
				return app.Li().Body(navLink(vendorSupport, "/tickets", t(lang, "VendorSupport")).ID("nav-vendor-support").OnClick(s.onVendorSupport))
			}),
			app.If(s.vendorOrg() != 0, func() app.UI {
				return app.Li().Body(navLink(s.currentNav(), PathVendor, t(lang, "ManageAccounts")))
			}),
			app.If(s.Session.Viewer().IsAdmin(s.Session.Account), func() app.UI {
				return app.Li().Body(navLink(s.currentNav(), PathSettings, t(lang, "AccountSettings")))
			}),
		),
		app.If(len(s.views.Views) > 0, func() app.UI {
			views := sortViews(s.views.Views)
			return app.Div().Class("nav-views").Body(
				app.H2().ID("nav-views-heading").Text(t(lang, "MyViews")),
				app.Ul().Aria("labelledby", "nav-views-heading").Body(
					app.Range(views).Slice(func(i int) app.UI {
						v := views[i]
						a := app.A().ID("nav-view-" + strconv.FormatInt(v.ID, 10)).Href(viewHref(v)).Dir("auto").Text(ticket.CleanText(v.Name))
						if s.viewID == strconv.FormatInt(v.ID, 10) {
							a = a.Aria("current", "page").Class("nav-current")
						}
						return app.Li().Body(a)
					}),
				),
			)
		}),
		app.If(s.Session.User.Agent || len(s.Session.Accounts()) > 0, func() app.UI {
			return app.H2().ID("nav-open-heading").Text(t(lang, "OpenTickets"))
		}),
		app.If(s.open.Status == state.Loaded && len(s.open.Tickets) == 0 && (s.Session.User.Agent || len(s.Session.Accounts()) > 0), func() app.UI {
			return app.P().Class("muted").Text(t(lang, "NoOpenTickets"))
		}),
		errorBox(lang, besidesOffline(s.open.Err, s.net)),
		app.Ul().Class("nav-tickets").Aria("labelledby", "nav-open-heading").Body(
			app.Range(s.open.Tickets).Slice(func(i int) app.UI {
				tk := s.open.Tickets[i]
				return app.Li().Body(app.A().Href(ticketHref(tk.Number)).Title(ticket.Isolate(tk.Subject)).Body(
					app.Span().Class("nav-number").Text(number(tk.Number)),
					app.Span().Class("nav-subject").Dir("auto").Text(ticket.CleanText(tk.Subject)),
					unreadBadge(lang, s.unread.For(tk.Number)),
				))
			}),
		),
	)
}

// navRecordKinds are the kinds of records the navigation may list (the
// others are a filter of the records page away).
var navRecordKinds = []ticket.RecordKind{ticket.RecordClaim, ticket.RecordRemittance, ticket.RecordEligibility, ticket.RecordAsset, ticket.RecordArticle}

// renderRecordsNav is the "Records" area of an account with records: all
// records, then a link per kind the account has, as the seeds name them
// ("Anlagen", "ERA (remesas)").
func (s *shell) renderRecordsNav(lang string) app.UI {
	has := s.Session.KindsOfRecords()
	if len(has) == 0 {
		return nil
	}
	kinds := make([]ticket.RecordKind, 0, len(navRecordKinds))
	for _, k := range navRecordKinds {
		if slices.Contains(has, k) {
			kinds = append(kinds, k)
		}
	}
	current := ""
	if s.path == PathRecords {
		current = recordsHref(ticket.RecordKind(s.recordKind), "")
	}
	return app.Li().Body(
		navLink(current, PathRecords, t(lang, "Records")).ID("nav-records"),
		app.Ul().Class("nav-sub").Aria("label", t(lang, "Records")).Body(
			app.Range(kinds).Slice(func(i int) app.UI {
				k := kinds[i]
				return app.Li().Body(navLink(current, recordsHref(k, ""), t(lang, k.PluralMessageID())).ID("nav-records-" + string(k)))
			}),
		),
	)
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

// focus moves the keyboard focus to the element with id.
func focus(id string) {
	if el := app.Window().GetElementByID(id); el.Truthy() {
		el.Call("focus")
	}
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
