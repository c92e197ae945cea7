package pages

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
)

// ticketPage shows one ticket: its data and its public conversation
// (agents also see internal notes, marked as such).
type ticketPage struct {
	app.Compo

	session state.Session
	detail  state.TicketDetail
	number  int64
	loaded  int64
}

func newTicketPage() *ticketPage { return &ticketPage{} }

func (p *ticketPage) OnPreRender(ctx app.Context) {
	p.session.Lang = sessionLang(ctx, p.session)
}

func (p *ticketPage) OnNav(ctx app.Context) {
	p.number, _ = strconv.ParseInt(strings.TrimPrefix(ctx.Page().URL().Path, "/tickets/"), 10, 64)
	p.load(ctx)
}

func (p *ticketPage) OnMount(ctx app.Context) {
	ctx.ObserveState(state.TicketState, &p.detail)
	observeSession(ctx, &p.session, p.load)
}

func (p *ticketPage) load(ctx app.Context) {
	if !p.session.LoggedIn || p.number == 0 || p.loaded == p.number {
		return
	}
	p.loaded = p.number
	ctx.NewActionWithValue(state.LoadTicket, p.number)
}

func (p *ticketPage) Render() app.UI {
	lang := p.session.Lang
	d := p.detail
	if d.Number != p.number || d.Status == state.Loading || d.Status == state.Idle {
		return newShell().WithTitle("TicketTitle").WithSession(p.session).Body(loading(lang))
	}
	if d.Status == state.Failed {
		return newShell().WithTitle("TicketTitle").WithSession(p.session).Body(
			errorBox(lang, d.Err),
			app.P().Body(app.A().Href("/tickets").Text(t(lang, "BackToTickets"))),
		)
	}
	tk := d.Ticket
	return newShell().WithTitle("TicketTitle").WithTitleText(number(tk.Number) + " " + tk.Subject).WithSession(p.session).Body(
		app.Div().Class("ticket-detail").Body(
			app.Section().Class("ticket-meta").Aria("label", t(lang, "TicketData")).Body(
				app.H2().ID("ticket-heading").Body(
					app.Span().Class("ticket-number").Text(number(tk.Number)),
					app.Text(" "),
					app.Span().ID("ticket-subject").Text(tk.Subject),
				),
				app.Dl().Body(
					row(dt(lang, "ColStatus"), app.Dd().ID("ticket-status").Body(statusBadge(lang, tk.Status))),
					app.If(p.session.User.Agent, func() app.UI {
						return app.Div().Class("dl-row").Body(
							dt(lang, "ColInternalStatus"), app.Dd().Text(t(lang, tk.InternalStatus.MessageID())),
						)
					}),
					row(dt(lang, "TicketType"), app.Dd().Text(t(lang, ticket.TypeMessageID(tk.Type)))),
					row(dt(lang, "TicketCategory"), app.Dd().Text(t(lang, ticket.CategoryMessageID(tk.Category)))),
					app.Range(tk.Fields).Map(func(k string) app.UI {
						return app.Div().Class("dl-row").Body(
							dt(lang, ticket.FieldMessageID(k)), app.Dd().Text(tk.Fields[k]),
						)
					}),
					row(dt(lang, "ColAccount"), app.Dd().Text(t(lang, "AccountOption", "Name", tk.Organization.Name, "Number", tk.Organization.AccountNumber))),
					row(dt(lang, "Requester"), app.Dd().Text(tk.Requester.Name)),
					row(dt(lang, "Created"), app.Dd().Text(when(lang, tk.CreatedAt))),
					row(dt(lang, "ColUpdated"), app.Dd().Text(when(lang, tk.UpdatedAt))),
				),
			),
			app.Section().Class("conversation").Aria("labelledby", "conversation-heading").Body(
				app.H2().ID("conversation-heading").Text(t(lang, "Conversation")),
				app.Article().Class("message message-description").Body(
					app.Header().Body(
						app.Strong().Text(tk.Requester.Name),
						app.Text(" · "),
						app.Time().DateTime(tk.CreatedAt.Format("2006-01-02T15:04:05Z07:00")).Text(when(lang, tk.CreatedAt)),
					),
					app.P().Class("message-body").Text(tk.Description),
				),
				app.Range(d.Messages).Slice(func(i int) app.UI {
					m := d.Messages[i]
					internal := m.Internal != nil && *m.Internal
					return app.Article().Class("message").ID("message-"+strconv.FormatInt(m.ID, 10)).Body(
						app.Header().Body(
							app.Strong().Text(m.Author.Name),
							app.Text(" · "),
							app.Time().DateTime(m.CreatedAt.Format("2006-01-02T15:04:05Z07:00")).Text(when(lang, m.CreatedAt)),
							app.Text(" "),
							app.If(internal, func() app.UI {
								return app.Span().Class("internal-badge").Text(t(lang, "InternalNote"))
							}),
						),
						app.P().Class("message-body").Text(m.Body),
					).Class(map[bool]string{true: "message-internal"}[internal])
				}),
				app.If(len(d.Messages) == 0, func() app.UI {
					return app.P().Class("muted").Text(t(lang, "NoMessages"))
				}),
			),
		),
	)
}

func dt(lang, id string) app.UI { return app.Dt().Text(t(lang, id)) }

// row groups a term and its description (a div inside a dl is valid HTML).
func row(term, desc app.UI) app.UI { return app.Div().Class("dl-row").Body(term, desc) }
