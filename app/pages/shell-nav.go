package pages

import (
	"slices"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
)

// The shell's navigation: the pages, the outbox, records, saved views and
// the open tickets; behind a menu button on narrow screens.

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

// vendorOrg is the vendor organization the user is a member of (0: none).
func (s *shell) vendorOrg() int64 { return s.Session.VendorOrg() }

// onVendorSupport opens the vendor's own tickets (private between the
// vendor and support): it works in the vendor's account.
func (s *shell) onVendorSupport(ctx app.Context, e app.Event) {
	if id := s.vendorOrg(); id != 0 && id != s.Session.Account {
		ctx.NewActionWithValue(state.SwitchAccount, id)
	}
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
	return app.Nav().ID("sidenav").Class("sidenav").Class(map[bool]string{true: "nav-open"}[s.navOpen]).
		Aria("label", t(lang, "Navigation")).OnKeyDown(s.onNavKey).Body(
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
			app.If(s.Session.MailLog, func() app.UI {
				return app.Li().Body(navLink(s.currentNav(), PathMailLog, t(lang, "MailLogTitle")).ID("nav-mail-log"))
			}),
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

// renderNavToggle is the button that shows and hides the navigation on
// narrow screens (CSS hides it on wide ones, where the navigation is always
// there), with the unread count of the account on it.
func (s *shell) renderNavToggle(lang string) app.UI {
	return app.Button().ID("nav-toggle").Class("nav-toggle").Type("button").
		Aria("expanded", strconv.FormatBool(s.navOpen)).Aria("controls", "sidenav").
		OnClick(s.onNavToggle).Body(
		app.Span().Class("nav-toggle-icon").Aria("hidden", "true"),
		app.Span().Class("nav-toggle-label").Text(t(lang, "NavMenu")),
		unreadBadge(lang, s.unread.In(s.Session.Account)),
	)
}

// onNavToggle opens the navigation (the focus goes to its first link) or
// closes it.
func (s *shell) onNavToggle(ctx app.Context, e app.Event) {
	s.navOpen = !s.navOpen
	s.menuOpen = ""
	if s.navOpen {
		ctx.Defer(func(app.Context) {
			if a := app.Window().Get("document").Call("querySelector", "#sidenav > ul a"); a.Truthy() {
				a.Call("focus")
			}
		})
	}
}

// onNavKey closes the open navigation on Escape (a menu inside it closes
// first) and gives the focus back to its button.
func (s *shell) onNavKey(ctx app.Context, e app.Event) {
	if !s.navOpen || e.Get("key").String() != "Escape" || s.menuOpen != "" {
		return
	}
	if e.Get("target").Call("closest", ".menu-wrap").Truthy() {
		return
	}
	s.navOpen = false
	ctx.Defer(func(app.Context) { focus("nav-toggle") })
}
