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

	replyBody     string // the reply being written, kept in browser storage
	replyFor      int64  // ticket whose reply draft is loaded
	replyInternal bool   // agents: an internal note
	replyTried    bool
	postponing    bool   // agents: "postponed" chosen, the date is asked
	solving       bool   // "Problem solved" pressed: closing is asked first
	refocus       string // the control to focus once the change asked for is done (the pressed one goes)
	postponeDate  string // YYYY-MM-DD
	files         files  // the reply's attachments (the paperclip)
	catalog       state.Catalog
	orgs          state.Organizations // agents: every account's privacy regime
}

func newTicketPage() *ticketPage {
	p := &ticketPage{}
	p.files.id = "reply-files"
	p.files.changed = func(ctx app.Context) {
		p.saveReply(ctx)
	}
	return p
}

func (p *ticketPage) OnPreRender(ctx app.Context) {
	p.session.Lang = sessionLang(ctx, p.session)
}

func (p *ticketPage) OnNav(ctx app.Context) {
	p.number, _ = strconv.ParseInt(strings.TrimPrefix(ctx.Page().URL().Path, "/tickets/"), 10, 64)
	state.SetViewing(p.number)
	p.load(ctx)
}

// OnDismount: the ticket is no longer on screen; new messages are unread.
func (p *ticketPage) OnDismount() { state.SetViewing(0) }

func (p *ticketPage) OnMount(ctx app.Context) {
	p.ui = ctx
	p.files.owner = &ctx
	ctx.ObserveState(state.TicketState, &p.detail)
	ctx.ObserveState(state.ReplyState, &p.reply).OnChange(func() {
		if p.reply.Status == state.Loaded && p.reply.Number == p.number && p.reply.Sent != 0 {
			// Sent: the next message is a public reply again unless the agent
			// says otherwise (a note by mistake would be a reply by mistake
			// the other way round, which customers would see).
			p.replyBody, p.replyTried, p.replyInternal = "", false, false
			p.files.restore(nil, p.files.confirmed) // sent; the confirmation holds for this ticket
			// The textarea's text is its default; what was typed or
			// restored is its value: empty that too.
			ctx.Defer(func(app.Context) {
				if el := app.Window().GetElementByID("reply-body"); !el.IsNull() && !el.IsUndefined() {
					el.Set("value", "")
					el.Call("focus") // the send button was disabled while sending: the focus had gone
				}
			})
		}
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
			focusProblem(ctx, "main") // the field to fix, or the error
		}
	})
	ctx.ObserveState(state.CatalogState, &p.catalog)
	ctx.ObserveState(state.OrganizationsState, &p.orgs)
	observeSession(ctx, &p.session, p.load)
}

func (p *ticketPage) load(ctx app.Context) {
	if p.session.LoggedIn && p.number != 0 && p.replyFor != p.number {
		p.replyFor = p.number
		d := state.LoadReplyDraft(ctx, p.session.User.ID, p.number)
		p.replyBody, p.replyTried = d.Body, false
		p.files.restore(d.Files, d.Confirmed)
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
	p.loaded = p.number
	ctx.NewActionWithValue(state.LoadTicket, p.number)
	ctx.NewActionWithValue(state.MarkRead, p.number) // opening a ticket reads it
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
	return newShell().WithTitle("TicketTitle").WithTitleText(number(tk.Number) + " " + ticket.Isolate(tk.Subject)).WithSession(p.session).Body(
		app.Div().Class("ticket-detail").Body(
			p.renderMeta(lang, tk),
			app.Section().Class("conversation").Aria("labelledby", "conversation-heading").Body(
				app.H2().ID("conversation-heading").Text(t(lang, "Conversation")),
				app.Article().Class("message message-description").Body(
					app.Header().Body(
						app.Strong().Dir("auto").Text(tk.Requester.Name),
						app.Text(" · "),
						app.Time().DateTime(tk.CreatedAt.Format("2006-01-02T15:04:05Z07:00")).Text(when(lang, tk.CreatedAt)),
					),
					app.P().Class("message-body").Dir("auto").Body(messageText(tk.Description)...),
					attachmentLinks(lang, "attachments-description", tk.Attachments),
				),
				// The messages have a parent of their own: appended live, a
				// message moves no sibling, so the reply box below stays the
				// same element (focus and what is being typed stay in it).
				app.Div().ID("messages").Class("messages").Body(
					app.Range(d.Messages).Slice(func(i int) app.UI {
						m := d.Messages[i]
						internal := m.Internal != nil && *m.Internal
						return app.Article().Class("message").ID("message-"+strconv.FormatInt(m.ID, 10)).Body(
							app.Header().Body(
								app.Strong().Dir("auto").Text(m.Author.Name),
								app.Text(" · "),
								app.Time().DateTime(m.CreatedAt.Format("2006-01-02T15:04:05Z07:00")).Text(when(lang, m.CreatedAt)),
								app.Text(" "),
								app.If(internal, func() app.UI {
									return app.Span().Class("internal-badge").Text(t(lang, "InternalNote"))
								}),
							),
							app.If(m.Body != "", func() app.UI { return app.P().Class("message-body").Dir("auto").Body(messageText(m.Body)...) }),
							attachmentLinks(lang, "attachments-"+strconv.FormatInt(m.ID, 10), m.Attachments),
						).Class(map[bool]string{true: "message-internal"}[internal])
					}),
					app.If(len(d.Messages) == 0, func() app.UI {
						return app.P().Class("muted").Text(t(lang, "NoMessages"))
					}),
				),
				p.renderReply(lang, tk),
				app.If(p.session.User.Agent, func() app.UI { return p.renderAgentPanel(lang, tk) }),
			),
			p.renderLinked(lang, tk, d.Messages),
		),
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
			row(dt(lang, "TicketType"), app.Dd().Text(t(lang, ticket.TypeMessageID(tk.Type)))),
			row(dt(lang, "TicketCategory"), app.Dd().Text(t(lang, ticket.CategoryMessageID(tk.Category)))),
			app.Range(tk.Fields).Map(func(k string) app.UI {
				return app.Div().Class("dl-row").Body(
					dt(lang, ticket.FieldMessageID(k)), app.Dd().Dir("auto").Text(ticket.CleanText(tk.Fields[k])),
				)
			}),
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

// renderLinked is the right column: who takes part in the ticket, and the
// assets and knowledge articles linked to it (none yet).
func (p *ticketPage) renderLinked(lang string, tk ticket.TicketView, messages []ticket.MessageView) app.UI {
	people := contacts(tk, messages)
	return app.Aside().Class("ticket-linked").Aria("labelledby", "linked-heading").Body(
		app.H2().ID("linked-heading").Text(t(lang, "LinkedHeading")),
		app.Section().ID("linked-contacts").Class("linked-section").Aria("labelledby", "linked-contacts-heading").Body(
			app.H3().ID("linked-contacts-heading").Text(t(lang, "LinkedContacts")),
			app.Ul().Class("linked-list").Body(
				app.Range(people).Slice(func(i int) app.UI {
					return app.Li().Body(
						app.Span().Class("contact-name").Text(people[i].Name),
						app.If(people[i] == tk.Requester, func() app.UI {
							return app.Span().Class("contact-role muted").Text(t(lang, "Requester"))
						}),
					)
				}),
			),
		),
		app.Section().ID("linked-assets").Class("linked-section").Aria("labelledby", "linked-assets-heading").Body(
			app.H3().ID("linked-assets-heading").Text(t(lang, "LinkedAssets")),
			app.P().Class("muted").Text(t(lang, "NoLinkedAssets")),
		),
		app.Section().ID("linked-articles").Class("linked-section").Aria("labelledby", "linked-articles-heading").Body(
			app.H3().ID("linked-articles-heading").Text(t(lang, "LinkedArticles")),
			app.P().Class("muted").Text(t(lang, "NoLinkedArticles")),
		),
	)
}

// contacts are the people of a ticket: its requester first, then the
// authors of the messages the viewer sees, in order, each name once.
func contacts(tk ticket.TicketView, messages []ticket.MessageView) []ticket.UserRef {
	seen := map[string]bool{}
	var out []ticket.UserRef
	add := func(u ticket.UserRef) {
		if u.Name != "" && !seen[u.Name] {
			seen[u.Name] = true
			out = append(out, u)
		}
	}
	add(tk.Requester)
	for _, m := range messages {
		add(m.Author)
	}
	return out
}

func dt(lang, id string) app.UI { return app.Dt().Text(t(lang, id)) }

// row groups a term and its description (a div inside a dl is valid HTML).
func row(term, desc app.UI) app.UI { return app.Div().Class("dl-row").Body(term, desc) }

// renderReply is the reply box under the conversation: customers reply and
// may close a ticket they raised ("Problem solved"); agents also write
// internal notes and set the internal status. A closed ticket is read-only
// for customers: they get a follow-up instead.
func (p *ticketPage) renderReply(lang string, tk ticket.TicketView) app.UI {
	agent := p.session.User.Agent
	closed := tk.Status == ticket.PortalClosed
	mine := p.reply.Number == p.number
	busy := mine && p.reply.Status == state.Loading
	var failed *state.Error
	problem := ""
	if mine && p.reply.Status == state.Failed {
		failed = p.reply.Err
		for _, f := range p.reply.Fields {
			if f.Field == "body" {
				problem, failed = f.MessageID, nil
			}
		}
	}
	if id := ticket.CheckReply(p.replyBody, len(p.files.stored())); p.replyTried && id != "" {
		problem = id
	}
	filesProblem := ""
	if mine && p.reply.Status == state.Failed {
		for _, f := range p.reply.Fields {
			if f.Field == "attachments" {
				filesProblem, failed = f.MessageID, nil
			}
		}
	}
	if p.replyTried && p.files.busy() {
		filesProblem = "ErrUploadsPending"
	}
	if !agent && closed {
		return p.renderFollowUp(lang, tk)
	}
	if !p.session.Viewer().CanWrite(tk.Organization.ID) {
		// A vendor the customer lets read only.
		return app.P().ID("reply-read-only").Class("panel muted").Text(t(lang, "ErrReadOnlyAccess"))
	}
	sendLabel := "SendReply"
	switch {
	case busy:
		sendLabel = "Sending"
	case agent && p.replyInternal:
		sendLabel = "SaveInternalNote"
	}
	return app.Form().ID("reply").Class("reply panel").NoValidate(true).OnSubmit(p.onReply).Body(
		app.Label().For("reply-body").Text(t(lang, "ReplyLabel")),
		app.Textarea().ID("reply-body").Rows(5).MaxLength(ticket.MaxDescription).
			Aria("invalid", ariaBool(problem != "")).Aria("describedby", "err-reply-body").
			OnInput(p.onReplyInput).Text(p.replyBody),
		fieldError(lang, "reply-body", problem),
		p.files.render(lang, t(lang, "AttachFiles"), tk.Organization.ID, p.regime(tk.Organization.ID), p.catalog.Attachments),
		fieldError(lang, "reply-files", filesProblem),
		app.If(agent, func() app.UI {
			return app.Label().For("reply-internal").Class("check").Body(
				app.Input().Type("checkbox").ID("reply-internal").Checked(p.replyInternal).OnChange(p.onInternal),
				app.Span().Text(t(lang, "InternalNoteToggle")),
			)
		}),
		errorBox(lang, failed),
		app.Div().Class("actions").Body(
			app.Button().ID("reply-send").Type("submit").Class("primary").Disabled(busy).Text(t(lang, sendLabel)),
			app.If(!closed && p.session.Viewer().MaySolve(tk.Requester) && !p.solving, func() app.UI {
				return app.Button().ID("problem-solved").Type("button").Disabled(busy).OnClick(p.onAskSolved).Text(t(lang, "ProblemSolved"))
			}),
		),
		// Closing cannot be undone by the customer (a follow-up can be
		// raised): it is asked first.
		app.If(!closed && p.session.Viewer().MaySolve(tk.Requester) && p.solving, func() app.UI {
			return app.Div().ID("solve-confirm").Class("view-delete").Role("alertdialog").Aria("labelledby", "solve-question").Body(
				app.P().ID("solve-question").Text(t(lang, "CloseTicketQuestion")),
				app.Button().ID("problem-solved-confirm").Type("button").Class("primary").Disabled(busy).OnClick(p.onSolved).Text(t(lang, "CloseTicketConfirm")),
				app.Button().ID("problem-solved-cancel").Type("button").Class("secondary").OnClick(p.onCancelSolved).Text(t(lang, "Cancel")),
			)
		}),
	)
}

// renderFollowUp replaces the reply box of a closed ticket for customers:
// a closed ticket takes no more replies, a follow-up ticket refers to it.
func (p *ticketPage) renderFollowUp(lang string, tk ticket.TicketView) app.UI {
	return app.Div().ID("ticket-closed").Class("panel closed-notice").Body(
		app.P().ID("ticket-closed-text").Text(t(lang, "FollowUpClosedNotice")),
		app.Div().Class("actions").Body(
			app.A().ID("create-follow-up").Class("button primary").
				Href("/tickets/new?followUp="+strconv.FormatInt(tk.Number, 10)).Text(t(lang, "CreateFollowUp")),
		),
	)
}

// renderAgentPanel holds what only agents do with a ticket: set the
// internal status (postponed asks for the day the ticket comes back) and
// assign it.
func (p *ticketPage) renderAgentPanel(lang string, tk ticket.TicketView) app.UI {
	mine := p.reply.Number == p.number
	busy := mine && p.reply.Status == state.Loading
	dateProblem := ""
	var failed *state.Error
	if mine && p.reply.Status == state.Failed {
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

func (p *ticketPage) onReplyInput(ctx app.Context, e app.Event) {
	p.replyBody = ctx.JSSrc().Get("value").String()
	p.saveReply(ctx)
}

// saveReply keeps the reply being written (text, files, confirmation).
func (p *ticketPage) saveReply(ctx app.Context) {
	if !p.session.LoggedIn {
		return // the session ended: logout has removed the user's drafts here
	}
	state.SaveReplyDraft(ctx, p.session.User.ID, p.number, state.ReplyDraft{Body: p.replyBody, Files: p.files.stored(), Confirmed: p.files.confirmed})
}

func (p *ticketPage) onInternal(ctx app.Context, e app.Event) {
	p.replyInternal = ctx.JSSrc().Get("checked").Bool()
}

func (p *ticketPage) onReply(ctx app.Context, e app.Event) {
	e.PreventDefault()
	p.replyTried = true
	if ticket.CheckReply(p.replyBody, len(p.files.stored())) != "" || p.files.busy() || p.reply.Status == state.Loading {
		return
	}
	ctx.NewActionWithValue(state.SendReply, state.ReplyInput{Number: p.number, ReplyRequest: ticket.ReplyRequest{Body: p.replyBody, Internal: p.replyInternal, Attachments: p.files.ids()}})
}

// regime is the privacy regime of account orgID: the user's own account,
// or (agents) any account.
func (p *ticketPage) regime(orgID int64) ticket.PrivacyRegime {
	for _, o := range p.session.Accounts() {
		if o.ID == orgID {
			return o.PrivacyRegime
		}
	}
	for _, o := range p.orgs.Organizations {
		if o.ID == orgID {
			return o.PrivacyRegime
		}
	}
	return ""
}

func (p *ticketPage) onAskSolved(ctx app.Context, e app.Event) {
	p.solving = true
	focusLater(p.ui, "problem-solved-confirm")
}

func (p *ticketPage) onCancelSolved(ctx app.Context, e app.Event) {
	p.solving = false
	focusLater(p.ui, "problem-solved")
}

func (p *ticketPage) onSolved(ctx app.Context, e app.Event) {
	p.solving, p.refocus = false, "create-follow-up"
	ctx.NewActionWithValue(state.ChangeStatus, state.StatusInput{Number: p.number, Status: string(ticket.PortalClosed)})
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
