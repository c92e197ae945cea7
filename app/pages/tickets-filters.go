package pages

// The ticket list's filters and sort order, and the message for a bad
// list address.

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
)

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
