package pages

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
)

// ticketTable lists tickets: number, subject, account, status, last update.
type ticketTable struct {
	app.Compo

	Lang    string
	Tickets []ticket.TicketView
	Agent   bool
	UserID  int64 // agents: who "assign to me" assigns
	Unread  state.Unread
}

func newTicketTable() *ticketTable { return &ticketTable{} }

func (c *ticketTable) WithLang(lang string) *ticketTable { c.Lang = lang; return c }

func (c *ticketTable) WithTickets(ts []ticket.TicketView) *ticketTable { c.Tickets = ts; return c }

func (c *ticketTable) WithAgent(agent bool) *ticketTable { c.Agent = agent; return c }

func (c *ticketTable) WithUserID(id int64) *ticketTable { c.UserID = id; return c }

// WithUnread sets the unread counts the rows show as badges.
func (c *ticketTable) WithUnread(u state.Unread) *ticketTable { c.Unread = u; return c }

// onAssign assigns the row's ticket (data-number) to the agent. The
// handler reads the number from the element: go-app keeps the first
// handler of a re-rendered element, so it must not capture it.
func (c *ticketTable) onAssign(ctx app.Context, e app.Event) {
	n, err := strconv.ParseInt(ctx.JSSrc().Get("dataset").Get("number").String(), 10, 64)
	if err != nil || c.UserID == 0 {
		return
	}
	me := c.UserID
	ctx.NewActionWithValue(state.ChangeStatus, state.StatusInput{Number: n, AssigneeID: &me})
}

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
			app.If(c.Agent, func() app.UI { return app.Th().Scope("col").Text(t(lang, "ColInternalStatus")) }).
				Else(func() app.UI { return app.Th().Scope("col").Text(t(lang, "ColStatus")) }),
			app.If(c.Agent, func() app.UI { return app.Th().Scope("col").Text(t(lang, "ColAssignee")) }),
			app.Th().Scope("col").Text(t(lang, "ColUpdated")),
		)),
		app.TBody().Body(
			app.Range(c.Tickets).Slice(func(i int) app.UI {
				tk := c.Tickets[i]
				return app.Tr().ID("ticket-row-"+number(tk.Number)[1:]).Body(
					app.Td().Class("ticket-number").Text(number(tk.Number)),
					app.Td().Class("ticket-subject").Body(app.A().Href(ticketHref(tk.Number)).Dir("auto").Text(ticket.CleanText(tk.Subject)), unreadBadge(lang, c.Unread.For(tk.Number))),
					app.Td().Body(
						app.Span().Text(tk.Organization.Name),
						app.Span().Class("muted small").Text(" "+tk.Organization.AccountNumber),
					),
					// Agents see the internal status with the light the
					// customer sees.
					app.If(c.Agent, func() app.UI {
						return app.Td().Class("internal-status").Title(t(lang, "CustomerSees", "Status", t(lang, tk.Status.MessageID()))).Body(
							app.Span().Class("status", "status-"+string(tk.Status.Light())).Body(
								app.Span().Class("light").Aria("hidden", "true"),
								app.Text(t(lang, tk.InternalStatus.MessageID())),
							),
						)
					}).Else(func() app.UI { return app.Td().Body(statusBadge(lang, tk.Status)) }),
					app.If(c.Agent, func() app.UI {
						if tk.Assignee != nil {
							return app.Td().Class("assignee").Text(tk.Assignee.Name)
						}
						return app.Td().Class("assignee").Body(
							app.Button().Class("link-button").ID("assign-"+strconv.FormatInt(tk.Number, 10)).
								DataSet("number", strconv.FormatInt(tk.Number, 10)).
								Aria("label", t(lang, "AssignToMeTicket", "Number", number(tk.Number))).
								OnClick(c.onAssign).Text(t(lang, "AssignToMe")),
						)
					}),
					app.Td().Body(app.Time().DateTime(tk.UpdatedAt.Format("2006-01-02T15:04:05Z07:00")).Text(when(lang, tk.UpdatedAt))),
				)
			}),
		),
	))
}
