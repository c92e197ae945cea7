package pages

import (
	"sort"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// dashboardPage is the support dashboard: tickets per status as traffic
// lights, then the open tickets, those awaiting the user's response first.
type dashboardPage struct {
	app.Compo

	session   state.Session
	counts    state.Counts
	open      state.TicketList
	unread    state.Unread
	outbox    state.Outbox
	net       state.Net
	loadedFor string
}

func newDashboardPage() *dashboardPage { return &dashboardPage{} }

func (p *dashboardPage) OnPreRender(ctx app.Context) {
	p.session.Lang = sessionLang(ctx, p.session)
}

func (p *dashboardPage) OnMount(ctx app.Context) {
	ctx.ObserveState(state.CountsState, &p.counts)
	ctx.ObserveState(state.OpenState, &p.open)
	ctx.ObserveState(state.UnreadState, &p.unread)
	ctx.ObserveState(state.OutboxState, &p.outbox)
	ctx.ObserveState(state.NetState, &p.net)
	observeSession(ctx, &p.session, p.sessionChanged)
}

func (p *dashboardPage) sessionChanged(ctx app.Context) {
	if !p.session.LoggedIn {
		return
	}
	key := strconv.FormatInt(p.session.User.ID, 10) + "/" + strconv.FormatInt(p.session.Account, 10)
	if key != p.loadedFor {
		p.loadedFor = key
		ctx.NewActionWithValue(state.LoadCounts, state.TicketQuery{OrganizationID: p.session.Account})
	}
}

// awaitingFirst orders open tickets: response expected first, then by
// status urgency, newest update first within a status.
func awaitingFirst(ts []ticket.TicketView) []ticket.TicketView {
	rank := map[ticket.PortalStatus]int{}
	for i, ps := range ticket.PortalStatuses() {
		rank[ps] = i
	}
	out := append([]ticket.TicketView(nil), ts...)
	sort.SliceStable(out, func(i, j int) bool {
		if ri, rj := rank[out[i].Status], rank[out[j].Status]; ri != rj {
			return ri < rj
		}
		return out[i].UpdatedAt.After(out[j].UpdatedAt)
	})
	return out
}

func (p *dashboardPage) Render() app.UI {
	lang := p.session.Lang
	open := awaitingFirst(p.open.Tickets)
	if p.session.LoggedIn && !p.session.User.Agent && len(p.session.Accounts()) == 0 {
		return newShell().WithTitle("Dashboard").WithSession(p.session).Body(
			app.P().ID("access-revoked").Class("panel").Role("status").Text(t(lang, "TicketAccessRevoked")),
		)
	}
	return newShell().WithTitle("Dashboard").WithSession(p.session).WithActions(
		// Not in an account the user's vendor may only read.
		app.If(len(p.session.Accounts()) > 0 && p.session.CanWrite(), func() app.UI {
			return app.A().ID("start-assistant").Class("button primary").Href("/assistant").Text(t(lang, "SupportAssistant"))
		}),
		app.If(len(p.session.Accounts()) > 0 && p.session.CanWrite(), func() app.UI {
			return app.A().ID("start-form").Class("button").Href("/tickets/new").Text(t(lang, "CreateTicket"))
		}),
	).Body(
		app.If(p.unread.In(p.session.Account) > 0, func() app.UI {
			return app.P().ID("unread-notice").Class("unread-notice panel").Role("status").
				Text(locales.N(lang, "UnreadMessagesNotice", p.unread.In(p.session.Account), nil))
		}),
		outboxSummary(lang, p.outbox),
		keptNotice(lang, "dashboard-kept", p.counts.Kept),
		app.Section().Class("cards").Aria("label", t(lang, "TicketsByStatus")).Body(
			errorBox(lang, besidesOffline(p.counts.Err, p.net)),
			app.Range(ticket.PortalStatuses()).Slice(func(i int) app.UI {
				ps := ticket.PortalStatuses()[i]
				// Not known yet (first load, another account): a dash, not 0.
				n := "–"
				if p.counts.Counts != nil {
					n = strconv.Itoa(p.counts.Counts[ps])
				}
				return app.Div().Class("card", "card-"+string(ps.Light())).ID("count-"+string(ps)).Body(
					app.Span().Class("light").Aria("hidden", "true"),
					app.Span().Class("card-count").Text(n),
					app.Span().Class("card-label").Text(t(lang, ps.MessageID())),
				)
			}),
		),
		app.Section().Class("panel").Body(
			app.If(p.session.User.Agent, func() app.UI {
				return app.H2().Text(t(lang, "DashboardOpenHeadingAgent"))
			}).Else(func() app.UI {
				return app.H2().Text(t(lang, "DashboardOpenHeading"))
			}),
			app.If(p.open.Status == state.Loaded, func() app.UI {
				return app.P().Class("muted").ID("open-count").Text(locales.N(lang, "OpenTicketCount", len(open), nil))
			}),
			app.If(p.open.Status == state.Loading && len(open) == 0, func() app.UI { return loading(lang) }),
			errorBox(lang, besidesOffline(p.open.Err, p.net)),
			newTicketTable().WithLang(lang).WithTickets(open).WithAgent(p.session.User.Agent).WithUserID(p.session.User.ID).WithUnread(p.unread),
		),
	)
}
