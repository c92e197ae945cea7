package pages

import (
	"net/url"
	"strconv"
	"sync/atomic"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
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
	navOpen    bool   // the navigation is shown on a narrow screen
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
	s.menuOpen, s.navOpen = "", false
	// After a link within the app (not the first page shown), the focus
	// goes to the new page's heading, which is read out — unless the page
	// put it somewhere on purpose, or it stayed on a control of this page.
	if navigatedBefore.Swap(true) && app.IsClient {
		focusIfLost(ctx, "page-title")
	}
}

// navigatedBefore: a page was shown before. Atomic: the server prerenders
// pages (this OnNav included) for many requests at once.
var navigatedBefore atomic.Bool

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
		case s.Session.EndedBy == state.EndedByPassword:
			to += "&ended=password" // the login page says why
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
		newAppNotices().WithLang(lang).WithOffline(s.Session.Offline).WithUser(s.Session.User.ID),
		app.Div().Class("page-head").Body(
			app.If(s.Heading != "", func() app.UI { return app.H1().ID("page-title").TabIndex(-1).Text(s.Heading) }).
				Else(func() app.UI { return app.H1().ID("page-title").TabIndex(-1).Text(t(lang, s.Title)) }),
			app.If(len(s.Actions) > 0, func() app.UI {
				return app.Div().Class("page-actions").Body(app.Range(s.Actions).Slice(func(i int) app.UI { return s.Actions[i] }))
			}),
		),
		app.Range(s.Content).Slice(func(i int) app.UI { return s.Content[i] }),
	)
}

// focus moves the keyboard focus to the element with id.
func focus(id string) {
	if el := app.Window().GetElementByID(id); el.Truthy() {
		el.Call("focus")
	}
}
