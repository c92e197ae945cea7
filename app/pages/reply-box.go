package pages

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// conversation shows a ticket's description and the messages the viewer
// sees (agents: internal notes too, marked as such). The ticket page and
// the Get Help panel of a record show it alike.
func conversation(lang string, tk ticket.TicketView, messages []ticket.MessageView) []app.UI {
	return []app.UI{
		// A ticket of a subject only has no first message: the header
		// already says who raised it when.
		app.If(tk.Description != "" || len(tk.Attachments) > 0, func() app.UI {
			return app.Article().Class("message message-description").Body(
				app.Header().Body(
					app.Strong().Dir("auto").Text(tk.Requester.Name),
					app.Text(" · "),
					app.Time().DateTime(tk.CreatedAt.Format("2006-01-02T15:04:05Z07:00")).Text(when(lang, tk.CreatedAt)),
				),
				app.If(tk.Description != "", func() app.UI {
					return app.P().Class("message-body").Dir("auto").Body(messageText(tk.Description)...)
				}),
				attachmentLinks(lang, "attachments-description", tk.Attachments),
			)
		}),
		// The messages have a parent of their own: appended live, a
		// message moves no sibling, so the reply box below stays the
		// same element (focus and what is being typed stay in it).
		app.Div().ID("messages").Class("messages").Body(
			app.Range(messages).Slice(func(i int) app.UI {
				m := messages[i]
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
			app.If(len(messages) == 0, func() app.UI {
				return app.P().Class("muted").Text(t(lang, "NoMessages"))
			}),
		),
	}
}

// replyBox is the reply box under a conversation: customers reply and may
// close a ticket they raised ("Problem solved"); agents also write
// internal notes. A closed ticket is read-only for customers: they get a
// follow-up instead. The reply being written is kept in browser storage.
type replyBox struct {
	app.Compo

	Session  state.Session
	Ticket   ticket.TicketView
	Regime   ticket.PrivacyRegime
	Limits   state.AttachmentLimits
	Embedded bool // in a record's Get Help panel: errors take the focus here

	ui        app.Context
	reply     state.Reply
	body      string // the reply being written, kept in browser storage
	loadedOf  int64  // ticket whose reply draft is loaded
	internal  bool   // agents: an internal note
	key       string // the Idempotency-Key of a reply taken back from the outbox
	takenBack bool   // that reply was just taken back
	tried     bool
	solving   bool // "Problem solved" pressed: closing is asked first
	refocus   string
	files     files // the reply's attachments (the paperclip)
	outbox    state.Outbox
}

func newReplyBox() *replyBox {
	b := &replyBox{}
	b.files.id = "reply-files"
	b.files.changed = func(ctx app.Context) { b.save(ctx) }
	return b
}

// WithSession, WithTicket, WithRegime, WithLimits and Embedded set its props.
func (b *replyBox) WithSession(s state.Session) *replyBox { b.Session = s; return b }

func (b *replyBox) WithTicket(tk ticket.TicketView) *replyBox { b.Ticket = tk; return b }

func (b *replyBox) WithRegime(r ticket.PrivacyRegime) *replyBox { b.Regime = r; return b }

func (b *replyBox) WithLimits(l state.AttachmentLimits) *replyBox { b.Limits = l; return b }

func (b *replyBox) InPanel(v bool) *replyBox { b.Embedded = v; return b }

func (b *replyBox) number() int64 { return b.Ticket.Number }

func (b *replyBox) OnMount(ctx app.Context) {
	b.ui = ctx
	b.files.owner = &ctx
	b.restore(ctx)
	b.focusAsked(ctx)
	ctx.ObserveState(state.OutboxState, &b.outbox)
	ctx.ObserveState(state.ReplyState, &b.reply).OnChange(func() {
		if b.reply.Number != b.number() {
			return
		}
		switch b.reply.Status {
		case state.Loaded, state.Queued:
			if b.reply.Sent != 0 || b.reply.Queued != "" {
				// Sent: the next message is a public reply again unless the
				// agent says otherwise (a note by mistake would be a reply by
				// mistake the other way round, which customers would see).
				b.body, b.tried, b.internal, b.key, b.takenBack = "", false, false, "", false
				b.files.restore(nil, nil, b.files.confirmed) // the confirmation holds for this ticket
				// The textarea's text is its default; what was typed or
				// restored is its value: empty that too.
				ctx.Defer(func(app.Context) {
					if el := app.Window().GetElementByID("reply-body"); el.Truthy() {
						el.Set("value", "")
						el.Call("focus") // the send button was disabled while sending: the focus had gone
					}
				})
			}
			if b.refocus != "" {
				focusLater(ctx, b.refocus)
				b.refocus = ""
			}
		case state.Failed:
			b.refocus = ""
			if b.Embedded {
				focusProblem(ctx, "reply")
			}
		}
	})
}

// OnUpdate: another ticket (the panel switches), another draft.
func (b *replyBox) OnUpdate(ctx app.Context) { b.restore(ctx) }

// OnNav: the same ticket opened again (Edit of a reply taken back from the
// outbox) reads its draft again, with the notice that it was taken back.
func (b *replyBox) OnNav(ctx app.Context) {
	b.loadedOf = 0
	b.restore(ctx)
	b.focusAsked(ctx)
}

// focusAsked puts the focus in the reply box (and so on screen) when the
// address asks for it (/tickets/N#reply-body).
func (b *replyBox) focusAsked(ctx app.Context) {
	if ctx.Page().URL().Fragment == "reply-body" {
		focusLater(ctx, "reply-body")
	}
}

func (b *replyBox) restore(ctx app.Context) {
	if !b.Session.LoggedIn || b.number() == 0 || b.loadedOf == b.number() {
		return
	}
	b.loadedOf = b.number()
	d := state.LoadReplyDraft(ctx, b.Session.User.ID, b.number())
	b.body, b.tried, b.solving = d.Body, false, false
	b.internal, b.key = d.Internal && b.Session.User.Agent, d.Key
	b.takenBack = state.TakenBack(d.Key)
	b.files.restore(d.Files, d.Held, d.Confirmed)
}

func (b *replyBox) Render() app.UI {
	lang := b.Session.Lang
	tk := b.Ticket
	agent := b.Session.User.Agent
	closed := tk.Status == ticket.PortalClosed
	mine := b.reply.Number == tk.Number
	busy := mine && b.reply.Status == state.Loading
	var failed *state.Error
	problem, filesProblem := "", ""
	// An agent's change (status, assignment) answers beside the agent
	// actions; a customer's "Problem solved" here.
	if mine && b.reply.Status == state.Failed && !(b.reply.Change && agent) {
		failed = b.reply.Err
		for _, f := range b.reply.Fields {
			switch f.Field {
			case "body":
				problem, failed = f.MessageID, nil
			case "attachments":
				filesProblem, failed = f.MessageID, nil
			}
		}
	}
	if id := ticket.CheckReply(b.body, b.files.attached()); b.tried && id != "" {
		problem = id
	}
	if b.tried && b.files.busy() {
		filesProblem = "ErrUploadsPending"
	}
	if !agent && closed {
		return app.Div().ID("ticket-closed").Class("panel closed-notice").Body(
			app.P().ID("ticket-closed-text").Text(t(lang, "FollowUpClosedNotice")),
			app.Div().Class("actions").Body(
				app.A().ID("create-follow-up").Class("button primary").
					Href("/tickets/new?followUp="+strconv.FormatInt(tk.Number, 10)).Text(t(lang, "CreateFollowUp")),
			),
		)
	}
	if !b.Session.Viewer().CanWrite(tk.Organization.ID) {
		// A vendor the customer lets read only.
		return app.P().ID("reply-read-only").Class("panel muted").Text(t(lang, "ErrReadOnlyAccess"))
	}
	sendLabel := "SendReply"
	switch {
	case busy:
		sendLabel = "Sending"
	case agent && b.internal:
		sendLabel = "SaveInternalNote"
	}
	maySolve := !closed && b.Session.Viewer().MaySolve(tk.Requester)
	return app.Form().ID("reply").Class("reply panel").NoValidate(true).OnSubmit(b.onReply).Body(
		b.renderWaiting(lang),
		takenBackNotice(lang, b.takenBack),
		app.Label().For("reply-body").Text(t(lang, "ReplyLabel")),
		app.Textarea().ID("reply-body").Rows(5).MaxLength(ticket.MaxDescription).
			Aria("invalid", ariaBool(problem != "")).Aria("describedby", "err-reply-body").
			OnInput(b.onInput).Text(b.body),
		fieldError(lang, "reply-body", problem),
		b.files.render(lang, t(lang, "AttachFiles"), tk.Organization.ID, b.Regime, b.Limits),
		fieldError(lang, "reply-files", filesProblem),
		app.If(agent, func() app.UI {
			return app.Label().For("reply-internal").Class("check").Body(
				app.Input().Type("checkbox").ID("reply-internal").Checked(b.internal).OnChange(b.onInternal),
				app.Span().Text(t(lang, "InternalNoteToggle")),
			)
		}),
		errorBox(lang, failed),
		app.Div().Class("actions").Body(
			app.Button().ID("reply-send").Type("submit").Class("primary").Disabled(busy).Text(t(lang, sendLabel)),
			app.If(maySolve && !b.solving, func() app.UI {
				return app.Button().ID("problem-solved").Type("button").Disabled(busy).OnClick(b.onAskSolved).Text(t(lang, "ProblemSolved"))
			}),
		),
		// Closing cannot be undone by the customer (a follow-up can be
		// raised): it is asked first.
		app.If(maySolve && b.solving, func() app.UI {
			return app.Div().ID("solve-confirm").Class("view-delete").Role("alertdialog").Aria("labelledby", "solve-question").Body(
				app.P().ID("solve-question").Text(t(lang, "CloseTicketQuestion")),
				app.Button().ID("problem-solved-confirm").Type("button").Class("primary").Disabled(busy).OnClick(b.onSolved).Text(t(lang, "CloseTicketConfirm")),
				app.Button().ID("problem-solved-cancel").Type("button").Class("secondary").OnClick(b.onCancelSolved).Text(t(lang, "Cancel")),
			)
		}),
	)
}

// renderWaiting shows the replies to this ticket that wait in the outbox
// (sent while the server could not be reached), with a link to it.
func (b *replyBox) renderWaiting(lang string) app.UI {
	waiting := b.outbox.RepliesTo(b.number())
	if len(waiting) == 0 {
		return nil
	}
	return app.Div().ID("reply-waiting").Class("notice reply-waiting").Role("status").Body(
		app.P().Text(locales.N(lang, "RepliesWaiting", len(waiting), nil)),
		app.Ul().Class("plain-list").Body(app.Range(waiting).Slice(func(i int) app.UI {
			it := waiting[i]
			return app.Li().Body(
				app.Span().Class("reply-waiting-text").Dir("auto").Text(it.Subject()),
				outboxStatusBadge(lang, it),
			)
		})),
		app.A().ID("reply-waiting-outbox").Href(PathOutbox).Text(t(lang, "OpenOutbox")),
	)
}

func (b *replyBox) onInput(ctx app.Context, e app.Event) {
	b.body = ctx.JSSrc().Get("value").String()
	b.save(ctx)
}

// save keeps the reply being written (text, files, confirmation).
func (b *replyBox) save(ctx app.Context) {
	if !b.Session.LoggedIn || b.number() == 0 {
		return // the session ended: logout has removed the user's drafts here
	}
	state.SaveReplyDraft(ctx, b.Session.User.ID, b.number(), state.ReplyDraft{Body: b.body, Files: b.files.stored(), Held: b.files.held(), Confirmed: b.files.confirmed, Internal: b.internal, Key: b.key})
}

func (b *replyBox) onInternal(ctx app.Context, e app.Event) {
	b.internal = ctx.JSSrc().Get("checked").Bool()
}

func (b *replyBox) onReply(ctx app.Context, e app.Event) {
	e.PreventDefault()
	b.tried = true
	if ticket.CheckReply(b.body, b.files.attached()) != "" || b.files.busy() || (b.reply.Number == b.number() && b.reply.Status == state.Loading) {
		focusProblem(b.ui, "reply") // the text box with its error
		return
	}
	ctx.NewActionWithValue(state.SendReply, state.ReplyInput{Number: b.number(), ReplyRequest: ticket.ReplyRequest{Body: b.body, Internal: b.internal, Attachments: b.files.ids()}, Key: b.key, Files: b.files.stored(), Held: b.files.held(), OrganizationID: b.Ticket.Organization.ID})
}

func (b *replyBox) onAskSolved(ctx app.Context, e app.Event) {
	b.solving = true
	focusLater(b.ui, "problem-solved-confirm")
}

func (b *replyBox) onCancelSolved(ctx app.Context, e app.Event) {
	b.solving = false
	focusLater(b.ui, "problem-solved")
}

func (b *replyBox) onSolved(ctx app.Context, e app.Event) {
	b.solving, b.refocus = false, "create-follow-up"
	ctx.NewActionWithValue(state.ChangeStatus, state.StatusInput{Number: b.number(), Status: string(ticket.PortalClosed)})
}

// regimeOf is the privacy regime of account orgID: one of the user's
// accounts, or (agents) any account of orgs.
func regimeOf(s state.Session, orgs state.Organizations, orgID int64) ticket.PrivacyRegime {
	for _, o := range s.Accounts() {
		if o.ID == orgID {
			return o.PrivacyRegime
		}
	}
	for _, o := range orgs.Organizations {
		if o.ID == orgID {
			return o.PrivacyRegime
		}
	}
	return ""
}
