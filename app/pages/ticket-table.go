package pages

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
)

// ticketTable lists tickets: number, subject, account, status, last update.
type ticketTable struct {
	app.Compo

	Lang    string
	Tickets []ticket.TicketView
	Agent   bool
}

func newTicketTable() *ticketTable { return &ticketTable{} }

func (c *ticketTable) WithLang(lang string) *ticketTable { c.Lang = lang; return c }

func (c *ticketTable) WithTickets(ts []ticket.TicketView) *ticketTable { c.Tickets = ts; return c }

func (c *ticketTable) WithAgent(agent bool) *ticketTable { c.Agent = agent; return c }

func (c *ticketTable) Render() app.UI {
	lang := c.Lang
	if len(c.Tickets) == 0 {
		return app.Div().Class("ticket-table-empty")
	}
	return app.Div().Class("table-wrap").Body(app.Table().Class("tickets").Body(
		app.THead().Body(app.Tr().Body(
			app.Th().Scope("col").Text(t(lang, "ColNumber")),
			app.Th().Scope("col").Text(t(lang, "ColSubject")),
			app.Th().Scope("col").Text(t(lang, "ColAccount")),
			app.Th().Scope("col").Text(t(lang, "ColStatus")),
			app.If(c.Agent, func() app.UI { return app.Th().Scope("col").Text(t(lang, "ColInternalStatus")) }),
			app.Th().Scope("col").Text(t(lang, "ColUpdated")),
		)),
		app.TBody().Body(
			app.Range(c.Tickets).Slice(func(i int) app.UI {
				tk := c.Tickets[i]
				return app.Tr().ID("ticket-row-"+number(tk.Number)[1:]).Body(
					app.Td().Class("ticket-number").Text(number(tk.Number)),
					app.Td().Body(app.A().Href(ticketHref(tk.Number)).Text(tk.Subject)),
					app.Td().Body(
						app.Span().Text(tk.Organization.Name),
						app.Span().Class("muted small").Text(" "+tk.Organization.AccountNumber),
					),
					app.Td().Body(statusBadge(lang, tk.Status)),
					app.If(c.Agent, func() app.UI {
						return app.Td().Class("internal-status").Text(t(lang, tk.InternalStatus.MessageID()))
					}),
					app.Td().Body(app.Time().DateTime(tk.UpdatedAt.Format("2006-01-02T15:04:05Z07:00")).Text(when(lang, tk.UpdatedAt))),
				)
			}),
		),
	))
}
