package pages

// The ticket list's saved views: the view bar (rename, update, delete)
// and the name form; the addresses of views.

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
)

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
