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

// href is the address of the list showing q. Inside a saved view it stays
// in the view: the view bar then offers to save the change into it.
func (p *ticketsPage) href(q ticket.Query) string {
	if _, ok := p.currentView(); ok {
		v := q.Values()
		v.Set("view", strconv.FormatInt(p.viewID, 10))
		return p.base + "?" + v.Encode()
	}
	return p.hrefOutside(q)
}

// hrefOutside is the address of the list showing q, outside any view.
func (p *ticketsPage) hrefOutside(q ticket.Query) string {
	v := q.Values()
	if enc := v.Encode(); enc != "" {
		return p.base + "?" + enc
	}
	return p.base
}

// viewHref is the address of a saved view.
func (p *ticketsPage) viewHref(v ticket.View) string { return viewHref(v) }

func viewHref(v ticket.View) string {
	q := v.Query
	if q.Open == "" {
		q.Open = "true"
	}
	values := q.Values()
	values.Set("view", strconv.FormatInt(v.ID, 10))
	base := PathTickets
	if q.InternalStatus != nil || q.Assignee != "" {
		base = PathAgent
	}
	return base + "?" + values.Encode()
}

// currentView returns the saved view the address names.
func (p *ticketsPage) currentView() (ticket.View, bool) {
	for _, v := range p.views.Views {
		if v.ID == p.viewID {
			return v, true
		}
	}
	return ticket.View{}, false
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

// onFilter applies the filter an input names (data-filter). The handler
// reads name and value from the element: go-app keeps the first handler
// of a re-rendered element, so it must not capture either.
func (p *ticketsPage) onFilter(ctx app.Context, e app.Event) {
	el := ctx.JSSrc()
	name := el.Get("dataset").Get("filter").String()
	value := el.Get("value").String()
	if el.Get("tagName").String() == "SELECT" && el.Get("selectedIndex").Int() <= 0 {
		value = "" // the first option is "any"
	}
	if el.Get("type").String() == "checkbox" {
		value = ""
		if el.Get("checked").Bool() {
			value = "me"
		}
	}
	q := p.query
	switch name {
	case "status":
		q.Status = nil
		if value != "" {
			q.Status = []ticket.PortalStatus{ticket.PortalStatus(value)}
		}
	case "internalStatus":
		q.InternalStatus = nil
		if value != "" {
			q.InternalStatus = []ticket.Status{ticket.Status(value)}
		}
	case "type":
		if q.Type != value {
			q.Category = ""
		}
		q.Type = value
	case "category":
		q.Category = value
	case "organizationId":
		q.OrganizationID, _ = strconv.ParseInt(value, 10, 64)
	case "createdFrom":
		q.CreatedFrom = value
	case "createdTo":
		q.CreatedTo = value
	case "awaiting":
		q.Awaiting = value
	case "assignee":
		q.Assignee = value
	case "sort":
		q.Sort = ticket.Sort(value)
	}
	if q.Check() != nil {
		return // e.g. a date half typed: keep the address as it is
	}
	ctx.Navigate(p.href(q))
}

// onReset goes back to the saved view as saved, or to the plain list.
func (p *ticketsPage) onReset(ctx app.Context, e app.Event) {
	if v, ok := p.currentView(); ok {
		ctx.Navigate(p.viewHref(v))
		return
	}
	ctx.Navigate(p.href(ticket.Query{Open: p.query.Open}))
}

func (p *ticketsPage) onMore(ctx app.Context, e app.Event) {
	ctx.NewAction(state.LoadMoreTicket)
}

// Saved views.

func (p *ticketsPage) onStartSave(ctx app.Context, e app.Event) {
	p.naming, p.renaming, p.deleting, p.tried, p.name = true, false, false, false, ""
	focusLater(p.ui, "view-name")
}

func (p *ticketsPage) onStartRename(ctx app.Context, e app.Event) {
	v, _ := p.currentView()
	p.renaming, p.naming, p.deleting, p.tried, p.name = true, false, false, false, v.Name
	focusLater(p.ui, "view-name")
}

func (p *ticketsPage) onCancelName(ctx app.Context, e app.Event) {
	p.naming, p.renaming, p.tried = false, false, false
}

func (p *ticketsPage) onName(ctx app.Context, e app.Event) {
	p.name = ctx.JSSrc().Get("value").String()
}

func (p *ticketsPage) onSaveName(ctx app.Context, e app.Event) {
	e.PreventDefault()
	p.tried = true
	if ticket.CheckViewName(p.name) != nil {
		focusLater(p.ui, "view-name")
		return
	}
	v := ticket.View{Name: strings.TrimSpace(p.name), Query: p.query}
	if p.renaming {
		cur, _ := p.currentView()
		v.ID, v.Query = cur.ID, cur.Query
	}
	ctx.NewActionWithValue(state.SaveView, v)
}

// onUpdateView saves the current query into the saved view.
func (p *ticketsPage) onUpdateView(ctx app.Context, e app.Event) {
	v, ok := p.currentView()
	if !ok {
		return
	}
	v.Query = p.query
	p.renaming = true // navigate to the saved view when done
	ctx.NewActionWithValue(state.SaveView, v)
}

func (p *ticketsPage) onAskDelete(ctx app.Context, e app.Event) {
	p.deleting, p.naming, p.renaming = true, false, false
	focusLater(p.ui, "view-delete-confirm")
}

func (p *ticketsPage) onCancelDelete(ctx app.Context, e app.Event) { p.deleting = false }

func (p *ticketsPage) onDelete(ctx app.Context, e app.Event) {
	if v, ok := p.currentView(); ok {
		ctx.NewActionWithValue(state.DeleteView, v.ID)
	}
}

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

// queryErrorBox says which parameter of the address is bad: by the name
// of the filter it sets and by its own name, the one in the address.
func queryErrorBox(lang string, err *state.Error) app.UI {
	if err == nil {
		return nil
	}
	if err.MessageID != "ErrBadParameter" || err.Field == "" {
		return errorBox(lang, err)
	}
	label := err.Field
	if id, ok := parameterLabels[err.Field]; ok {
		label = t(lang, id)
	}
	return app.P().ID("query-error").Class("error").Role("alert").TabIndex(-1).
		Text(t(lang, "ErrBadParameterNamed", "Label", label, "Param", err.Field))
}

// parameterLabels are the labels of the controls that set the list's
// parameters (ticket.ParseQuery's names).
var parameterLabels = map[string]string{
	"q":              "SearchLabel",
	"open":           "TicketTabs",
	"status":         "FilterStatus",
	"internalStatus": "FilterInternalStatus",
	"type":           "FilterType",
	"category":       "FilterCategory",
	"organizationId": "FilterAccount",
	"createdFrom":    "CreatedFrom",
	"createdTo":      "CreatedTo",
	"awaiting":       "AwaitingMe",
	"assignee":       "FilterAssignee",
	"sort":           "SortBy",
	"record":         "Records",
}

// renderViewBar shows the saved view the list comes from, with rename,
// update and delete.
func (p *ticketsPage) renderViewBar(lang string, v ticket.View) app.UI {
	changed := v.Query.Values().Encode() != p.withoutDefaults(p.query).Values().Encode()
	return app.Div().Class("view-bar panel").Body(
		app.P().Class("muted small").Text(t(lang, "SavedViewNote")),
		app.If(p.deleting, func() app.UI {
			return app.Div().Class("view-delete").Role("alertdialog").Aria("labelledby", "view-delete-question").Body(
				app.P().ID("view-delete-question").Text(t(lang, "DeleteViewQuestion", "Name", ticket.Isolate(v.Name))),
				app.Button().ID("view-delete-confirm").Type("button").Class("danger").Disabled(p.views.Changing).OnClick(p.onDelete).Text(t(lang, "DeleteView")),
				app.Button().ID("view-delete-cancel").Type("button").Class("secondary").OnClick(p.onCancelDelete).Text(t(lang, "Cancel")),
			)
		}).ElseIf(!p.renaming, func() app.UI {
			return app.Div().Class("view-actions").Body(
				app.If(changed, func() app.UI {
					return app.Button().ID("view-update").Type("button").Disabled(p.views.Changing).OnClick(p.onUpdateView).Text(t(lang, "UpdateView"))
				}),
				app.Button().ID("view-rename").Type("button").Class("secondary").OnClick(p.onStartRename).Text(t(lang, "RenameView")),
				app.Button().ID("view-delete").Type("button").Class("secondary").OnClick(p.onAskDelete).Text(t(lang, "DeleteView")),
			)
		}),
		app.If(!p.naming && !p.renaming, func() app.UI { return errorBox(lang, p.views.ChangeErr) }),
	)
}

// withoutDefaults drops what the address adds to a view's query.
func (p *ticketsPage) withoutDefaults(q ticket.Query) ticket.Query {
	if v, ok := p.currentView(); ok && v.Query.Open == "" && q.Open == "true" {
		q.Open = ""
	}
	return q
}

// renderNameForm asks for a view's name: saving the current list, or
// renaming the current view.
func (p *ticketsPage) renderNameForm(lang string) app.UI {
	problem := ""
	if err := ticket.CheckViewName(p.name); err != nil && p.tried {
		problem = err.(*ticket.ValidationError).Fields[0].MessageID
	}
	if p.views.ChangeErr != nil && problem == "" {
		problem = p.views.ChangeErr.MessageID
	}
	label := "ViewName"
	if p.renaming {
		label = "NewViewName"
	}
	return app.Form().ID("view-name-form").Class("view-name panel").OnSubmit(p.onSaveName).Body(
		app.Div().Class("field").Body(
			app.Label().For("view-name").Text(t(lang, label)),
			app.Input().ID("view-name").Type("text").Value(typed("view-name", p.name)).MaxLength(ticket.MaxViewName).
				Aria("invalid", ariaBool(problem != "")).Aria("describedby", "err-view-name").OnInput(p.onName),
			app.P().ID("err-view-name").Class("field-error").Aria("live", "polite").Body(
				app.If(problem != "", func() app.UI { return app.Text(t(lang, problem)) }),
			),
		),
		app.Button().ID("view-name-save").Type("submit").Disabled(p.views.Changing).Text(t(lang, "Save")),
		app.Button().ID("view-name-cancel").Type("button").Class("secondary").OnClick(p.onCancelName).Text(t(lang, "Cancel")),
	)
}

// renderFilters shows the filters and the sort order of the list.
func (p *ticketsPage) renderFilters(lang string) app.UI {
	q := p.query
	agent := p.session.User.Agent
	selectOf := func(id, filter, label, anyLabel, current string, values, labels []string) app.UI {
		return app.Div().Class("field").Body(
			app.Label().For(id).Text(t(lang, label)),
			app.Select().ID(id).DataSet("filter", filter).OnChange(p.onFilter).Body(
				app.If(anyLabel != "", func() app.UI { return app.Option().Value("").Selected(current == "").Text(t(lang, anyLabel)) }),
				app.Range(values).Slice(func(i int) app.UI {
					return app.Option().Value(values[i]).Selected(values[i] == current).Text(labels[i])
				}),
			),
		)
	}
	// Status: the statuses of the tab.
	var statusValues, statusLabels []string
	for _, ps := range ticket.PortalStatuses() {
		if (ps == ticket.PortalClosed) == (q.Open == "false") {
			statusValues = append(statusValues, string(ps))
			statusLabels = append(statusLabels, t(lang, ps.MessageID()))
		}
	}
	status := ""
	if len(q.Status) == 1 {
		status = string(q.Status[0])
	}
	var internalValues, internalLabels []string
	for _, s := range ticket.Statuses() {
		if s.Closed() == (q.Open == "false") {
			internalValues = append(internalValues, string(s))
			internalLabels = append(internalLabels, t(lang, s.MessageID()))
		}
	}
	internal := ""
	if len(q.InternalStatus) == 1 {
		internal = string(q.InternalStatus[0])
	}
	// Types and categories from the catalog.
	var typeValues, typeLabels, catValues, catLabels []string
	seen := map[string]bool{}
	for _, ct := range p.catalog.Types {
		typeValues = append(typeValues, ct.ID)
		typeLabels = append(typeLabels, typeLabel(lang, ct.Type))
		if q.Type != "" && ct.ID != q.Type {
			continue
		}
		for _, c := range ct.Categories {
			if !seen[c.ID] {
				seen[c.ID] = true
				catValues = append(catValues, c.ID)
				catLabels = append(catLabels, categoryLabel(lang, c))
			}
		}
	}
	// Accounts: the user's, or for agents every organization.
	var orgValues, orgLabels []string
	orgs := p.session.Accounts()
	if agent {
		orgs = p.orgs.Organizations
	}
	for _, o := range orgs {
		orgValues = append(orgValues, strconv.FormatInt(o.ID, 10))
		orgLabels = append(orgLabels, t(lang, "AccountOption", "Name", o.Name, "Number", o.AccountNumber))
	}
	org := ""
	if id := p.listQuery().OrganizationID; id != 0 {
		org = strconv.FormatInt(id, 10)
	}
	// Sort orders; relevance only while searching.
	var sortValues, sortLabels []string
	for _, s := range ticket.Sorts() {
		if s == ticket.SortRelevance && q.Search == "" {
			continue
		}
		sortValues = append(sortValues, string(s))
		sortLabels = append(sortLabels, t(lang, s.MessageID()))
	}
	active := 0
	for _, on := range []bool{len(q.Status) > 0, len(q.InternalStatus) > 0, q.Type != "", q.Category != "",
		q.OrganizationID != 0, q.CreatedFrom != "", q.CreatedTo != "", q.Awaiting != "", q.Assignee != ""} {
		if on {
			active++
		}
	}
	summary := t(lang, "FilterAndSort")
	if active > 0 {
		summary = t(lang, "FilterAndSortActive", "Count", active)
	}
	return app.Details().ID("filters").Class("filters").Open(active > 0 || p.agentMode()).Body(
		app.Summary().ID("filters-summary").Text(summary),
		app.Div().Class("filter-grid").Body(
			app.If(!agent && q.Open != "false", func() app.UI {
				return selectOf("filter-status", "status", "FilterStatus", "AnyStatus", status, statusValues, statusLabels)
			}),
			app.If(agent, func() app.UI {
				return selectOf("filter-internal-status", "internalStatus", "FilterInternalStatus", "AnyStatus", internal, internalValues, internalLabels)
			}),
			selectOf("filter-type", "type", "FilterType", "AnyType", q.Type, typeValues, typeLabels),
			selectOf("filter-category", "category", "FilterCategory", "AnyCategory", q.Category, catValues, catLabels),
			app.If(agent || len(orgs) > 1, func() app.UI {
				anyOrg := ""
				if agent {
					anyOrg = "AnyAccount"
				}
				return selectOf("filter-account", "organizationId", "FilterAccount", anyOrg, org, orgValues, orgLabels)
			}),
			app.If(agent, func() app.UI {
				return selectOf("filter-assignee", "assignee", "FilterAssignee", "AssigneeAnyone", q.Assignee,
					[]string{"me", "none"}, []string{t(lang, "AssigneeMe"), t(lang, "AssigneeNone")})
			}),
			app.Div().Class("field").Body(
				app.Label().For("filter-created-from").Text(t(lang, "CreatedFrom")),
				app.Input().ID("filter-created-from").Type("date").Value(dateOnly(q.CreatedFrom)).DataSet("filter", "createdFrom").OnChange(p.onFilter),
			),
			app.Div().Class("field").Body(
				app.Label().For("filter-created-to").Text(t(lang, "CreatedTo")),
				app.Input().ID("filter-created-to").Type("date").Value(dateOnly(q.CreatedTo)).DataSet("filter", "createdTo").OnChange(p.onFilter),
			),
			selectOf("filter-sort", "sort", "SortBy", "", string(q.Effective()), sortValues, sortLabels),
			app.Div().Class("field field-check").Body(
				app.Input().ID("filter-awaiting").Type("checkbox").Checked(q.Awaiting == "me").DataSet("filter", "awaiting").OnChange(p.onFilter),
				app.Label().For("filter-awaiting").Text(t(lang, awaitingLabel(agent))),
			),
		),
		app.If(active > 0, func() app.UI {
			return app.Button().ID("filters-reset").Type("button").Class("secondary").OnClick(p.onReset).Text(t(lang, "ResetFilters"))
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
