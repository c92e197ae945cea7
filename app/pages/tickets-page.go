package pages

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
)

// ticketsPage lists the tickets of the current account (agents: all),
// open or closed.
type ticketsPage struct {
	app.Compo

	session   state.Session
	list      state.TicketList
	tab       string // "true": open, "false": closed
	search    string // the search in the address
	typed     string // the search box as typed
	loadedFor string
}

func newTicketsPage() *ticketsPage { return &ticketsPage{tab: "true"} }

func (p *ticketsPage) OnPreRender(ctx app.Context) {
	p.session.Lang = sessionLang(ctx, p.session)
}

func (p *ticketsPage) OnNav(ctx app.Context) {
	p.search = ctx.Page().URL().Query().Get("q")
	p.typed = p.search
	switch ctx.Page().URL().Query().Get("open") {
	case "false":
		p.tab = "false"
	default:
		p.tab = "true"
	}
	p.load(ctx)
}

func (p *ticketsPage) OnMount(ctx app.Context) {
	ctx.ObserveState(state.TicketsState, &p.list)
	observeSession(ctx, &p.session, p.load)
}

func (p *ticketsPage) load(ctx app.Context) {
	if !p.session.LoggedIn {
		return
	}
	key := strconv.FormatInt(p.session.User.ID, 10) + "/" + strconv.FormatInt(p.session.Account, 10) + "/" + p.tab + "/" + p.search
	if key != p.loadedFor {
		p.loadedFor = key
		ctx.NewActionWithValue(state.LoadTickets, state.TicketQuery{OrganizationID: p.session.Account, Open: p.tab, Search: p.search})
	}
}

// href is the address of the list with a tab and a search; the address
// holds the query, so it can be shared and Back works.
func (p *ticketsPage) href(tab, search string) string {
	v := url.Values{}
	v.Set("open", tab)
	if search != "" {
		v.Set("q", search)
	}
	return "/tickets?" + v.Encode()
}

func (p *ticketsPage) onSearchInput(ctx app.Context, e app.Event) {
	p.typed = ctx.JSSrc().Get("value").String()
}

func (p *ticketsPage) onSearch(ctx app.Context, e app.Event) {
	e.PreventDefault()
	ctx.Navigate(p.href(p.tab, strings.TrimSpace(p.typed)))
}

func (p *ticketsPage) onMore(ctx app.Context, e app.Event) {
	ctx.NewAction(state.LoadMoreTicket)
}

func (p *ticketsPage) Render() app.UI {
	lang := p.session.Lang
	tab := func(value, id, label string) app.UI {
		current := p.tab == value
		a := app.A().ID(id).Class("tab").Href(p.href(value, p.search)).Text(t(lang, label))
		if current {
			a = a.Class("tab-current").Aria("current", "page")
		}
		return a
	}
	if p.session.LoggedIn && !p.session.User.Agent && len(p.session.Accounts()) == 0 {
		return newShell().WithTitle("Tickets").WithSession(p.session).Body(
			app.P().ID("access-revoked").Class("panel").Role("status").Text(t(lang, "TicketAccessRevoked")),
		)
	}
	return newShell().WithTitle("Tickets").WithSession(p.session).Body(
		app.Nav().Class("tabs").Aria("label", t(lang, "TicketTabs")).Body(
			tab("true", "tab-open", "TabOpen"),
			tab("false", "tab-closed", "TabClosed"),
		),
		app.Form().ID("ticket-search-form").Class("search").Role("search").OnSubmit(p.onSearch).Body(
			app.Label().For("ticket-search").Class("visually-hidden").Text(t(lang, "SearchLabel")),
			app.Input().ID("ticket-search").Type("search").Value(p.typed).
				Attr("placeholder", t(lang, "SearchLabel")).OnInput(p.onSearchInput),
			app.Button().ID("ticket-search-button").Type("submit").Text(t(lang, "SearchButton")),
		),
		errorBox(lang, p.list.Err),
		app.If(p.list.Status == state.Loading && len(p.list.Tickets) == 0, func() app.UI { return loading(lang) }),
		app.If(p.list.Status == state.Loaded && len(p.list.Tickets) == 0, func() app.UI {
			return app.P().Class("muted").ID("no-tickets").Text(t(lang, "NoTickets"))
		}),
		newTicketTable().WithLang(lang).WithTickets(p.list.Tickets).WithAgent(p.session.User.Agent),
		app.If(p.list.Next != "", func() app.UI {
			return app.Button().ID("load-more").Disabled(p.list.Status == state.Loading).OnClick(p.onMore).Text(t(lang, "LoadMore"))
		}),
	)
}
