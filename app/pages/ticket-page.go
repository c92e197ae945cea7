package pages

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// ticketPage shows one ticket: its data and its public conversation
// (agents also see internal notes, marked as such).
type ticketPage struct {
	app.Compo

	session state.Session
	ui      app.Context // the page's own context (focusLater)
	detail  state.TicketDetail
	reply   state.Reply
	number  int64
	loaded  int64
	read    int64 // the ticket marked read on this visit

	postponing   bool   // agents: "postponed" chosen, the date is asked
	refocus      string // the control to focus once the change asked for is done (the pressed one goes)
	postponeDate string // YYYY-MM-DD
	catalog      state.Catalog
	orgs         state.Organizations // agents: every account's privacy regime
	prepared     bool                // the catalog (upload limits) and accounts are asked for
}

func newTicketPage() *ticketPage { return &ticketPage{} }

func (p *ticketPage) OnPreRender(ctx app.Context) {
	p.session.Lang = sessionLang(ctx, p.session)
}

func (p *ticketPage) OnNav(ctx app.Context) {
	p.number, _ = strconv.ParseInt(strings.TrimPrefix(ctx.Page().URL().Path, "/tickets/"), 10, 64)
	state.SetViewing(p.number)
	var r state.Reply
	ctx.GetState(state.ReplyState, &r)
	if r.Status == state.Failed {
		// What failed was on the page left: the page opened starts clean.
		ctx.SetState(state.ReplyState, state.Reply{})
	}
	p.load(ctx)
}

// OnDismount: the ticket is no longer on screen; new messages are unread.
func (p *ticketPage) OnDismount() { state.SetViewing(0) }

func (p *ticketPage) OnMount(ctx app.Context) {
	p.ui = ctx
	ctx.ObserveState(state.TicketState, &p.detail).OnChange(func() { p.markRead(ctx) })
	ctx.ObserveState(state.ReplyState, &p.reply).OnChange(func() {
		if p.reply.Number != p.number {
			return
		}
		switch p.reply.Status {
		case state.Loaded:
			if p.refocus != "" {
				focusLater(ctx, p.refocus)
				p.refocus = ""
			}
		case state.Failed:
			p.refocus = ""
			if p.reply.Change {
				// The status menu shows the status the ticket has, not the
				// one chosen (go-app keeps a value it did not change).
				if sel := app.Window().GetElementByID("agent-status"); sel.Truthy() {
					sel.Set("value", string(p.detail.Ticket.InternalStatus))
				}
			}
			focusProblem(ctx, "main") // the field to fix, or the error
		}
	})
	ctx.ObserveState(state.CatalogState, &p.catalog)
	ctx.ObserveState(state.OrganizationsState, &p.orgs)
	observeSession(ctx, &p.session, p.load)
}

func (p *ticketPage) load(ctx app.Context) {
	if p.session.LoggedIn && !p.prepared {
		p.prepared = true
		// The paperclip needs the upload limits, and agents every
		// account's privacy regime.
		if p.catalog.Status == state.Idle || p.catalog.Status == state.Failed {
			ctx.NewAction(state.LoadCatalog)
		}
		if p.session.User.Agent && (p.orgs.Status == state.Idle || p.orgs.Status == state.Failed) {
			ctx.NewAction(state.LoadOrganizations)
		}
	}
	if !p.session.LoggedIn || p.number == 0 || p.loaded == p.number {
		return
	}
	p.loaded, p.read = p.number, 0
	ctx.NewActionWithValue(state.LoadTicket, p.number)
}

// markRead: opening a ticket reads it, once the server has shown it. A
// ticket not found (or not the user's) is not marked; nor is one shown
// from the browser's store while the server cannot be reached.
func (p *ticketPage) markRead(ctx app.Context) {
	d := p.detail
	if p.number == 0 || d.Number != p.number || d.Status != state.Loaded || !d.Kept.IsZero() || p.read == p.number {
		return
	}
	p.read = p.number
	ctx.NewActionWithValue(state.MarkRead, p.number)
}

func (p *ticketPage) Render() app.UI {
	lang := p.session.Lang
	d := p.detail
	// Loading again a ticket on screen (after the live connection came
	// back, on another node maybe) keeps it shown: the reply being typed
	// keeps its box, its focus and the page its scroll.
	shown := d.Number == p.number && d.Ticket.Number == p.number
	if d.Number != p.number || d.Status == state.Idle || (d.Status == state.Loading && !shown) {
		return newShell().WithTitle("TicketTitle").WithSession(p.session).Body(loading(lang))
	}
	if d.Status == state.Failed {
		return newShell().WithTitle("TicketTitle").WithSession(p.session).Body(
			errorBox(lang, d.Err),
			app.P().Body(app.A().Href("/tickets").Text(t(lang, "BackToTickets"))),
		)
	}
	tk := d.Ticket
	return newShell().WithTitle("TicketTitle").WithTitleText(number(tk.Number)+" "+ticket.Isolate(tk.Subject)).WithSession(p.session).Body(
		keptNotice(lang, "ticket-kept", d.Kept),
		app.Div().Class("ticket-detail").Body(
			p.renderMeta(lang, tk),
			app.Section().Class("conversation").Aria("labelledby", "conversation-heading").Body(p.renderConversation(lang, tk, d.Messages)...),
			newTicketLinks().WithSession(p.session).WithTicket(tk).WithMessages(d.Messages),
		),
	)
}

// renderConversation is the middle column: the conversation, the reply
// box and, for agents, their actions.
func (p *ticketPage) renderConversation(lang string, tk ticket.TicketView, messages []ticket.MessageView) []app.UI {
	body := append([]app.UI{app.H2().ID("conversation-heading").Text(t(lang, "Conversation"))}, conversation(lang, tk, messages)...)
	return append(body,
		newReplyBox().WithSession(p.session).WithTicket(tk).WithRegime(regimeOf(p.session, p.orgs, tk.Organization.ID)).WithLimits(p.catalog.Attachments),
		app.If(p.session.User.Agent, func() app.UI { return p.renderAgentPanel(lang, tk) }),
	)
}

// renderMeta is the left column: the ticket's data.
func (p *ticketPage) renderMeta(lang string, tk ticket.TicketView) app.UI {
	return app.Section().Class("ticket-meta").Aria("label", t(lang, "TicketData")).Body(
		app.H2().ID("ticket-heading").Body(
			app.Span().Class("ticket-number").Text(number(tk.Number)),
			app.Text(" "),
			app.Span().ID("ticket-subject").Dir("auto").Text(ticket.CleanText(tk.Subject)),
		),
		app.If(tk.FollowUpOf != 0, func() app.UI {
			return app.P().Class("follow-up-of").Body(
				app.A().ID("ticket-follow-up-of").Href(ticketHref(tk.FollowUpOf)).Text(t(lang, "TicketFollowUpOf", "Number", tk.FollowUpOf)),
			)
		}),
		app.Dl().Body(
			row(dt(lang, "ColStatus"), app.Dd().ID("ticket-status").Body(statusBadge(lang, tk.Status))),
			app.If(p.session.User.Agent, func() app.UI {
				return app.Div().Class("dl-row").Body(
					dt(lang, "ColInternalStatus"), app.Dd().ID("ticket-internal-status").Text(t(lang, tk.InternalStatus.MessageID())),
				)
			}),
			app.If(p.session.User.Agent && tk.PostponedUntil != nil, func() app.UI {
				return app.Div().Class("dl-row").Body(
					dt(lang, "PostponedUntil"), app.Dd().ID("ticket-postponed-until").Text(locales.Date(lang, local(*tk.PostponedUntil), nil)),
				)
			}),
			app.If(p.session.User.Agent, func() app.UI {
				name := t(lang, "Unassigned")
				if tk.Assignee != nil {
					name = tk.Assignee.Name
				}
				return app.Div().Class("dl-row").Body(dt(lang, "ColAssignee"), app.Dd().ID("ticket-assignee").Text(name))
			}),
			row(dt(lang, "TicketType"), app.Dd().Text(typeLabelOf(lang, p.catalog.Known(), tk.Type))),
			row(dt(lang, "TicketCategory"), app.Dd().Text(categoryLabelOf(lang, p.catalog.Known(), tk.Type, tk.Category))),
			p.renderFields(lang, tk),
			row(dt(lang, "ColAccount"), app.Dd().Text(t(lang, "AccountOption", "Name", tk.Organization.Name, "Number", tk.Organization.AccountNumber))),
			row(dt(lang, "Requester"), app.Dd().Dir("auto").Text(tk.Requester.Name)),
			app.If(tk.CreatedBy != nil, func() app.UI {
				cb := tk.CreatedBy
				return row(dt(lang, "CreatedByLabel"), app.Dd().ID("ticket-created-by").
					Text(t(lang, "CreatedOnBehalf", "Vendor", cb.Organization.Name, "Name", cb.Name, "Customer", tk.Organization.Name)))
			}),
			row(dt(lang, "Created"), app.Dd().Text(when(lang, tk.CreatedAt))),
			row(dt(lang, "ColUpdated"), app.Dd().Text(when(lang, tk.UpdatedAt))),
		),
	)
}

func dt(lang, id string) app.UI { return app.Dt().Text(t(lang, id)) }

// row groups a term and its description (a div inside a dl is valid HTML).
func row(term, desc app.UI) app.UI { return app.Div().Class("dl-row").Body(term, desc) }

// renderAgentPanel holds what only agents do with a ticket: set the
// internal status (postponed asks for the day the ticket comes back) and
// assign it.
func (p *ticketPage) renderAgentPanel(lang string, tk ticket.TicketView) app.UI {
	mine := p.reply.Number == p.number
	busy := mine && p.reply.Status == state.Loading
	dateProblem := ""
	var failed *state.Error
	if mine && p.reply.Status == state.Failed && p.reply.Change {
		failed = p.reply.Err
		for _, f := range p.reply.Fields {
			if f.Field == "postponedUntil" {
				dateProblem, failed = f.MessageID, nil
			}
		}
	}
	current := string(tk.InternalStatus)
	if p.postponing {
		current = string(ticket.StatusPostponed)
	}
	assigned := tk.Assignee != nil && tk.Assignee.ID == p.session.User.ID
	return app.Section().ID("agent-panel").Class("panel agent-panel").Aria("labelledby", "agent-panel-heading").Body(
		app.H2().ID("agent-panel-heading").Text(t(lang, "AgentActions")),
		app.Div().Class("field agent-status").Body(
			app.Label().For("agent-status").Text(t(lang, "ColInternalStatus")),
			app.Select().ID("agent-status").Disabled(busy).OnChange(p.onAgentStatus).Body(
				app.Range(ticket.Statuses()).Slice(func(i int) app.UI {
					st := ticket.Statuses()[i]
					return app.Option().Value(string(st)).Selected(string(st) == current).Text(t(lang, st.MessageID()))
				}),
			),
		),
		app.If(p.postponing || tk.InternalStatus == ticket.StatusPostponed, func() app.UI {
			value := p.postponeDate
			if value == "" && tk.PostponedUntil != nil {
				value = local(*tk.PostponedUntil).Format("2006-01-02")
			}
			return app.Form().ID("postpone-form").Class("postpone").OnSubmit(p.onPostpone).Body(
				app.Div().Class("field").Body(
					app.Label().For("postpone-date").Text(t(lang, "PostponeUntilLabel")),
					app.Input().ID("postpone-date").Type("date").Required(true).Value(value).
						Aria("invalid", ariaBool(dateProblem != "")).Aria("describedby", "err-postpone-date").OnChange(p.onPostponeDate),
					fieldError(lang, "postpone-date", dateProblem),
				),
				app.Button().ID("postpone-save").Type("submit").Disabled(busy).Text(t(lang, "Postpone")),
			)
		}),
		app.Div().Class("actions").Body(
			app.If(!assigned, func() app.UI {
				return app.Button().ID("assign-me").Type("button").Disabled(busy).OnClick(p.onAssignMe).Text(t(lang, "AssignToMe"))
			}),
			app.If(tk.Assignee != nil, func() app.UI {
				return app.Button().ID("unassign").Type("button").Class("secondary").Disabled(busy).OnClick(p.onUnassign).Text(t(lang, "Unassign"))
			}),
		),
		errorBox(lang, failed),
	)
}

func (p *ticketPage) onPostponeDate(ctx app.Context, e app.Event) {
	p.postponeDate = ctx.JSSrc().Get("value").String()
}

func (p *ticketPage) onPostpone(ctx app.Context, e app.Event) {
	e.PreventDefault()
	date := p.postponeDate
	if date == "" && p.detail.Ticket.PostponedUntil != nil {
		date = local(*p.detail.Ticket.PostponedUntil).Format("2006-01-02")
	}
	ctx.NewActionWithValue(state.ChangeStatus, state.StatusInput{Number: p.number, Status: string(ticket.StatusPostponed), PostponedUntil: date})
}

func (p *ticketPage) onAssignMe(ctx app.Context, e app.Event) {
	p.refocus = "unassign"
	me := p.session.User.ID
	ctx.NewActionWithValue(state.ChangeStatus, state.StatusInput{Number: p.number, AssigneeID: &me})
}

func (p *ticketPage) onUnassign(ctx app.Context, e app.Event) {
	p.refocus = "assign-me"
	var nobody int64
	ctx.NewActionWithValue(state.ChangeStatus, state.StatusInput{Number: p.number, AssigneeID: &nobody})
}

// onAgentStatus sets the chosen internal status; "postponed" first asks
// for the day the ticket comes back.
func (p *ticketPage) onAgentStatus(ctx app.Context, e app.Event) {
	st := ctx.JSSrc().Get("value").String()
	if st == string(ticket.StatusPostponed) {
		p.postponing = true
		ctx.Defer(func(app.Context) { focus("postpone-date") })
		return
	}
	p.postponing = false
	ctx.NewActionWithValue(state.ChangeStatus, state.StatusInput{Number: p.number, Status: st})
}

// renderFields shows the ticket's data fields in the catalog's order:
// amounts and dates in the user's language, rows as a table, a record by
// its title, linked to its page when the ticket links it.
func (p *ticketPage) renderFields(lang string, tk ticket.TicketView) app.UI {
	specs := categoryFields(p.catalog.Known(), tk.Type, tk.Category)
	fields := shownFields(specs, tk.Fields)
	return app.Range(fields).Slice(func(i int) app.UI {
		f, v := fields[i].spec, fields[i].value
		id := "ticket-field-" + f.ID
		label := app.Dt().Text(fieldLabel(lang, f))
		switch f.Kind {
		case ticket.KindRows:
			return row(label, app.Dd().ID(id).Body(rowsTable(lang, id+"-table", f, v)))
		case ticket.KindRecord:
			if r, ok := linkedRecord(tk.Links, f.Record, v); ok {
				return row(label, app.Dd().ID(id).Body(app.A().Href(recordHref(r.ID)).Dir("auto").Text(ticket.CleanText(r.Title))))
			}
		}
		return row(label, app.Dd().ID(id).Dir("auto").Text(fieldText(lang, f, v)))
	})
}
