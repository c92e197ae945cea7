package pages

import (
	"sort"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
)

// ticketsPage lists tickets: at /tickets the tickets of the current account
// (agents: all), at /agent the agents' queue with internal statuses and
// assignees. The address holds the whole query (tab, search, filters,
// sort and the saved view it came from), so it can be shared and Back
// works.
type ticketsPage struct {
	app.Compo

	ui        app.Context // the page's own context (focusLater)
	base      string      // PathTickets or PathAgent
	session   state.Session
	list      state.TicketList
	views     state.Views
	catalog   state.Catalog
	orgs      state.Organizations
	unread    state.Unread
	query     ticket.Query // from the address
	queryErr  *state.Error // the address holds a bad query
	viewID    int64        // the saved view the address names
	typed     string       // the search box as typed
	loadedFor string
	urlRead   bool // the query is the address's: the list may load

	naming   bool   // the "save as view" form is open
	renaming bool   // the rename form is open
	deleting bool   // "delete this view?" is asked
	name     string // the view name as typed
	tried    bool   // save was pressed
}

func newTicketsPage() *ticketsPage { return &ticketsPage{base: PathTickets} }

func newAgentPage() *ticketsPage { return &ticketsPage{base: PathAgent} }

func (p *ticketsPage) agentMode() bool { return p.base == PathAgent }

func (p *ticketsPage) OnPreRender(ctx app.Context) {
	p.session.Lang = sessionLang(ctx, p.session)
	p.readURL(ctx)
}

func (p *ticketsPage) OnNav(ctx app.Context) {
	had := p.query.Record != ""
	p.readURL(ctx)
	if had && p.query.Record == "" {
		// The record chip was removed: the focus goes on to the filters.
		focusIfLost(ctx, "filters-summary")
	}
	p.naming, p.renaming, p.deleting, p.tried = false, false, false, false
	p.load(ctx)
}

func (p *ticketsPage) readURL(ctx app.Context) {
	if ctx.Page().URL().Path != p.base {
		return // not this page's address (host tests)
	}
	p.urlRead = true
	values := ctx.Page().URL().Query()
	q, err := ticket.ParseQuery(values)
	p.queryErr = nil
	if err != nil {
		p.queryErr = ticket.AsError(err)
		q = ticket.Query{}
	}
	if q.Open == "" {
		q.Open = "true"
	}
	p.query = q
	p.typed = q.Search
	p.viewID, _ = strconv.ParseInt(values.Get("view"), 10, 64)
}

func (p *ticketsPage) OnMount(ctx app.Context) {
	p.ui = ctx
	ctx.ObserveState(state.TicketsState, &p.list)
	ctx.ObserveState(state.CatalogState, &p.catalog)
	ctx.ObserveState(state.OrganizationsState, &p.orgs)
	ctx.ObserveState(state.UnreadState, &p.unread)
	ctx.ObserveState(state.ViewsState, &p.views).OnChange(func() {
		if p.views.Changing {
			return
		}
		switch {
		case p.views.Saved.ID != 0 && (p.naming || p.renaming):
			p.naming, p.renaming, p.tried = false, false, false
			ctx.Navigate(p.viewHref(p.views.Saved))
		case p.views.Deleted != 0 && p.views.Deleted == p.viewID && p.deleting:
			p.deleting = false
			ctx.Navigate(p.hrefOutside(p.query))
		}
	})
	observeSession(ctx, &p.session, p.load)
}

func (p *ticketsPage) load(ctx app.Context) {
	if !p.session.LoggedIn || (p.agentMode() && !p.session.User.Agent) || !p.urlRead {
		return
	}
	if p.queryErr != nil {
		// A bad address lists nothing: not the default list, and not the
		// list shown before (Back to a bad address). Coming back to the
		// same good address loads it again.
		p.loadedFor = ""
		return
	}
	q := p.listQuery()
	key := strconv.FormatInt(p.session.User.ID, 10) + "/" + p.base + "?" + q.Values().Encode()
	if key != p.loadedFor {
		p.loadedFor = key
		ctx.NewActionWithValue(state.LoadTickets, q)
	}
	if p.catalog.Status == state.Idle {
		ctx.NewAction(state.LoadCatalog)
	}
	if p.agentMode() && p.orgs.Status == state.Idle {
		ctx.NewAction(state.LoadOrganizations)
	}
}

// listQuery is the query the list asks the server: the address's, within
// the current account unless the address names one.
func (p *ticketsPage) listQuery() ticket.Query {
	q := p.query
	if q.OrganizationID == 0 && !p.session.User.Agent {
		q.OrganizationID = p.session.Account
	}
	return q
}

func (p *ticketsPage) onSearchInput(ctx app.Context, e app.Event) {
	p.typed = ctx.JSSrc().Get("value").String()
}

func (p *ticketsPage) onSearch(ctx app.Context, e app.Event) {
	e.PreventDefault()
	q := p.query
	q.Search = strings.TrimSpace(p.typed)
	if q.Sort == ticket.SortRelevance && q.Search == "" {
		q.Sort = ""
	}
	ctx.Navigate(p.href(q))
}

func (p *ticketsPage) onMore(ctx app.Context, e app.Event) {
	ctx.NewAction(state.LoadMoreTicket)
}

// Saved views.

func (p *ticketsPage) Render() app.UI {
	lang := p.session.Lang
	title := "Tickets"
	switch v := p.session.VendorOrg(); {
	case p.agentMode():
		title = "AgentQueue"
	case v != 0 && v == p.session.Account:
		title = "VendorSupportTickets" // the vendor's own tickets with support
	}
	view, inView := p.currentView()
	list := p.list
	if p.queryErr != nil {
		// The address is bad: no list, not even the one shown before.
		list = state.TicketList{}
	}
	sh := newShell().WithTitle(title).WithSession(p.session)
	if !p.agentMode() && len(p.session.Accounts()) > 0 && p.session.CanWrite() {
		// A new ticket from the overview too (seed 004), both ways.
		sh = sh.WithActions(
			app.A().ID("tickets-new").Class("button primary").Href(PathNewTicket).Text(t(lang, "NewTicketMenu")),
			app.A().ID("tickets-assistant").Class("button").Href("/assistant").Text(t(lang, "SupportAssistant")),
		)
	}
	if inView {
		sh = sh.WithHeading(view.Name)
	}
	if p.session.LoggedIn && p.agentMode() && !p.session.User.Agent {
		return sh.Body(app.P().ID("agents-only").Class("panel").Role("status").Text(t(lang, "AgentsOnly")))
	}
	if p.session.LoggedIn && !p.session.User.Agent && len(p.session.Accounts()) == 0 {
		return sh.Body(
			app.P().ID("access-revoked").Class("panel").Role("status").Text(t(lang, "TicketAccessRevoked")),
		)
	}
	tab := func(value, id, label string) app.UI {
		q := p.query
		q.Open = value
		if value == "false" {
			q.Status = nil // the closed tab has one status
		}
		a := app.A().ID(id).Class("tab").Href(p.href(q)).Text(t(lang, label))
		if p.query.Open == value {
			a = a.Class("tab-current").Aria("current", "page")
		}
		return a
	}
	return sh.Body(
		app.If(inView, func() app.UI { return p.renderViewBar(lang, view) }),
		app.Nav().Class("tabs").Aria("label", t(lang, "TicketTabs")).Body(
			tab("true", "tab-open", "TabOpen"),
			tab("false", "tab-closed", "TabClosed"),
		),
		app.Form().ID("ticket-search-form").Class("search").Role("search").OnSubmit(p.onSearch).Body(
			app.Label().For("ticket-search").Class("visually-hidden").Text(t(lang, "SearchLabel")),
			app.Input().ID("ticket-search").Type("search").Value(typed("ticket-search", p.typed)).MaxLength(ticket.MaxSearch).
				Attr("placeholder", t(lang, "SearchLabel")).OnInput(p.onSearchInput),
			app.Button().ID("ticket-search-button").Type("submit").Text(t(lang, "SearchButton")),
		),
		recordChip(lang, p.query, p.href),
		p.renderFilters(lang),
		app.If(!inView && !p.naming, func() app.UI {
			return app.Div().Class("view-actions").Body(
				app.Button().ID("view-save").Type("button").Class("secondary").OnClick(p.onStartSave).Text(t(lang, "SaveView")),
			)
		}),
		app.If(p.naming || p.renaming, func() app.UI { return p.renderNameForm(lang) }),
		queryErrorBox(lang, p.queryErr),
		errorBox(lang, list.Err),
		app.If(list.Status == state.Loading && len(list.Tickets) == 0, func() app.UI { return loading(lang) }),
		app.If(list.Status == state.Loaded && len(list.Tickets) == 0, func() app.UI {
			if p.query.Search != "" {
				// Say what was looked for, and where: the open or the
				// closed tickets (the other tab may have it).
				return app.P().Class("muted").ID("no-tickets").Role("status").Text(t(lang, "NoSearchResults", "Query", p.query.Search))
			}
			return app.P().Class("muted").ID("no-tickets").Role("status").Text(t(lang, "NoTickets"))
		}),
		app.If(list.Truncated, func() app.UI {
			return app.P().ID("search-truncated").Class("muted").Role("status").Text(t(lang, "SearchTruncated"))
		}),
		keptNotice(lang, "tickets-kept", list.Kept),
		newTicketTable().WithLang(lang).WithTickets(list.Tickets).WithAgent(p.session.User.Agent).WithUserID(p.session.User.ID).WithUnread(p.unread),
		app.If(list.Next != "", func() app.UI {
			return app.Button().ID("load-more").Disabled(list.Status == state.Loading).OnClick(p.onMore).Text(t(lang, "LoadMore"))
		}),
	)
}

func awaitingLabel(agent bool) string {
	if agent {
		return "AwaitingMeAgent"
	}
	return "AwaitingMe"
}

// dateOnly returns the YYYY-MM-DD part of a date bound for a date input.
func dateOnly(s string) string {
	if len(s) >= 10 {
		return s[:10]
	}
	return s
}

// sortViews orders views by name as people read them.
func sortViews(vs []ticket.View) []ticket.View {
	out := append([]ticket.View{}, vs...)
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out
}
