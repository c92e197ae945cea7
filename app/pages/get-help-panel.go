package pages

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
)

// getHelpPanel is Get Help on a record (seed 002 "Obtener ayuda", seed 004
// "Ticket auf der Anlagendetailseite"): beside the record, a non-modal
// dialog holding a new ticket already linked to the record (only the
// subject is required; the contact is the user; files allowed), the
// choice to add the record as an example to an open ticket of the account
// instead, and the tickets already about the record, each readable and
// answerable right there. Escape and its close button close it; the focus
// then goes back to the Get Help button.
type getHelpPanel struct {
	app.Compo

	Session state.Session
	Detail  state.RecordDetail
	Unread  state.Unread
	// Fixed: the panel is all there is (in a host's frame, beside the
	// host's own record): it cannot be closed.
	Fixed bool

	ui       app.Context
	catalog  state.Catalog
	existing state.TicketList
	submit   state.Submit
	link     state.Link
	open     state.TicketDetail // the ticket whose conversation is shown
	orgs     state.Organizations

	draft    state.Draft
	draftFor int64 // the record the draft is of
	tried    bool
	files    files
	created  int64  // the ticket just filed
	queued   bool   // the ticket just filed waits in the outbox
	example  int64  // the open ticket chosen to add the record to
	added    int64  // the ticket the record was just added to
	showing  int64  // the ticket whose conversation is open
	opened   int64  // the record whose unread ticket was opened by itself
	status   string // what just happened (read out)
}

func newGetHelpPanel() *getHelpPanel {
	p := &getHelpPanel{}
	p.files.id = "help-files"
	p.files.changed = func(ctx app.Context) {
		p.draft.Files, p.draft.Held = p.files.stored(), p.files.held()
		p.draft.PrivacyConfirmed = p.files.confirmed
		p.save(ctx)
	}
	return p
}

// WithSession, WithDetail and WithUnread set its props.
func (p *getHelpPanel) WithSession(s state.Session) *getHelpPanel { p.Session = s; return p }

func (p *getHelpPanel) WithDetail(d state.RecordDetail) *getHelpPanel { p.Detail = d; return p }

func (p *getHelpPanel) WithUnread(u state.Unread) *getHelpPanel { p.Unread = u; return p }

// WithFixed makes the panel one that cannot be closed.
func (p *getHelpPanel) WithFixed(v bool) *getHelpPanel { p.Fixed = v; return p }

func (p *getHelpPanel) record() ticket.RecordView { return p.Detail.Record }

func (p *getHelpPanel) flow() string { return state.RecordFlow(p.Detail.ID) }

func (p *getHelpPanel) OnMount(ctx app.Context) {
	p.ui = ctx
	p.files.owner = &ctx
	ctx.ObserveState(state.CatalogState, &p.catalog)
	ctx.ObserveState(state.ExistingState, &p.existing)
	ctx.ObserveState(state.TicketState, &p.open)
	ctx.ObserveState(state.OrganizationsState, &p.orgs)
	ctx.ObserveState(state.SubmitState, &p.submit).OnChange(func() {
		if p.submit.Flow != p.flow() {
			return
		}
		switch p.submit.Status {
		case state.Loaded, state.Queued:
			p.created, p.tried = p.submit.Ticket.Number, false
			p.queued = p.submit.Status == state.Queued
			p.draft = state.Draft{Draft: ticket.Draft{Fields: map[string]string{}}, Flow: p.flow(), Key: state.NewKey(), PrivacyConfirmed: p.files.confirmed}
			p.files.restore(nil, nil, p.files.confirmed)
			p.status = t(p.Session.Lang, "GetHelpCreated", "Number", p.created)
			if p.queued {
				p.status = t(p.Session.Lang, "OutboxQueuedTicket")
			}
			ctx.Defer(func(app.Context) {
				for _, id := range []string{"help-subject", "help-description"} {
					if el := app.Window().GetElementByID(id); el.Truthy() {
						el.Set("value", "")
					}
				}
			})
			focusLater(ctx, "help-created")
		case state.Failed:
			focusProblem(ctx, "help-new")
		}
	})
	ctx.ObserveState(state.LinkState, &p.link).OnChange(func() {
		if !p.link.Example || p.link.RecordID != p.Detail.ID {
			return
		}
		switch p.link.Status {
		case state.Loaded:
			p.added, p.example = p.link.Number, 0
			p.status = t(p.Session.Lang, "GetHelpExampleAdded", "Number", p.link.Number)
			focusLater(ctx, "help-example-added")
		case state.Failed:
			focusProblem(ctx, "help-example")
		}
	})
	p.prepare(ctx)
	focusLater(ctx, "get-help-title")
	// Below the record on narrower screens: bring the whole panel into
	// view, not only its heading.
	ctx.Defer(func(app.Context) { callElement("get-help", "scrollIntoView", true) })
}

// OnUpdate: the record arrived or changed.
func (p *getHelpPanel) OnUpdate(ctx app.Context) { p.prepare(ctx) }

// openUnread shows, once per record, the conversation of the first ticket
// about it with a reply the user has not read: what the red marker on Get
// Help announced (reading it clears the marker).
func (p *getHelpPanel) openUnread(ctx app.Context) {
	if p.opened == p.Detail.ID || p.Detail.Status != state.Loaded || p.Unread.UserID != p.Session.User.ID || p.Unread.ByTicket == nil {
		return
	}
	p.opened = p.Detail.ID
	if n := p.unreadTicket(); n != 0 && p.showing == 0 {
		p.show(ctx, n)
	}
}

// unreadTicket is the first ticket about the record with a reply the user
// has not read (0: none).
func (p *getHelpPanel) unreadTicket() int64 {
	for _, tk := range p.Detail.Tickets {
		if p.Unread.For(tk.Number) > 0 {
			return tk.Number
		}
	}
	return 0
}

// OnDismount: the conversation shown is no longer on screen.
func (p *getHelpPanel) OnDismount() {
	if p.showing != 0 {
		state.SetViewing(0)
	}
}

// prepare loads what the panel needs once per record: the catalog (the
// Get Help type, upload limits), the account's open tickets, the draft.
func (p *getHelpPanel) prepare(ctx app.Context) {
	if !p.Session.LoggedIn || p.Detail.Status != state.Loaded || p.draftFor == p.Detail.ID {
		p.openUnread(ctx)
		return
	}
	p.draftFor = p.Detail.ID
	p.draft = state.LoadDraft(ctx, p.Session.User.ID, p.flow())
	p.files.restore(p.draft.Files, p.draft.Held, p.draft.PrivacyConfirmed)
	p.created, p.added, p.example, p.showing, p.tried, p.status, p.queued = 0, 0, 0, 0, false, "", false
	if p.catalog.Status == state.Idle || p.catalog.Status == state.Failed {
		ctx.NewAction(state.LoadCatalog)
	}
	if p.Session.User.Agent && (p.orgs.Status == state.Idle || p.orgs.Status == state.Failed) {
		ctx.NewAction(state.LoadOrganizations)
	}
	ctx.NewActionWithValue(state.LoadExisting, state.TicketQuery{OrganizationID: p.record().Organization.ID, Open: "true"})
	p.openUnread(ctx)
}

// save keeps the draft in browser storage; the type and the link are set
// when it is sent (an untouched draft is no work to lose).
func (p *getHelpPanel) save(ctx app.Context) {
	if p.Session.LoggedIn && p.draftFor != 0 {
		state.SaveDraft(ctx, p.Session.User.ID, p.draft)
	}
}

// outgoing is the draft as it is sent: of the record's account, of the
// catalog's Get Help type, linked to the record.
func (p *getHelpPanel) outgoing() (state.Draft, bool) {
	d := p.draft
	typ, ok := p.catalog.Ticket().RecordType()
	if !ok {
		return d, false
	}
	d.OrganizationID = p.record().Organization.ID
	d.Type = typ.ID
	if d.Category == "" && len(typ.Categories) == 1 {
		d.Category = typ.Categories[0].ID
	}
	d.Links = []int64{p.Detail.ID}
	d.Attachments = p.files.ids()
	d.Flow = p.flow()
	return d, true
}

// problems are the draft's problems by field as ticket.Validate sees
// them, then what the server said about the last send.
func (p *getHelpPanel) problems() (map[string]string, *state.Error) {
	out := map[string]string{}
	d, ok := p.outgoing()
	if !ok {
		return out, nil
	}
	var failed *state.Error
	if p.submit.Flow == p.flow() && p.submit.Status == state.Failed {
		failed = p.submit.Err
		for _, f := range p.submit.Fields {
			out[f.Field], failed = f.MessageID, nil
		}
	}
	for _, h := range p.files.held() { // sent before the ticket: they count
		d.Attachments = append(d.Attachments, h.ID)
	}
	if err := ticket.Validate(p.catalog.Ticket(), p.Session.Viewer(), d.Draft); err != nil {
		if ve, ok := err.(*ticket.ValidationError); ok {
			for _, f := range ve.Fields {
				out[f.Field] = f.MessageID
			}
		} else if failed == nil {
			failed = ticket.AsError(err)
		}
	}
	if p.files.busy() {
		out["attachments"] = "ErrUploadsPending"
	}
	return out, failed
}

func (p *getHelpPanel) onKeyDown(ctx app.Context, e app.Event) {
	if e.Get("key").String() == "Escape" && !e.Get("defaultPrevented").Bool() {
		// An open privacy question closes itself first.
		if p.files.asking {
			return
		}
		p.close(ctx)
	}
}

func (p *getHelpPanel) onClose(ctx app.Context, e app.Event) { p.close(ctx) }

func (p *getHelpPanel) close(ctx app.Context) {
	if p.Fixed {
		return
	}
	ctx.Navigate(recordHref(p.Detail.ID))
}

func (p *getHelpPanel) Render() app.UI {
	lang := p.Session.Lang
	r := p.record()
	// The tickets about the record come first: the unread answer the
	// marker announced is there.
	first := len(p.Detail.Tickets) > 0
	return app.Section().ID("get-help").Class("get-help-panel panel").Role("dialog").Aria("modal", "false").
		Aria("labelledby", "get-help-title").OnKeyDown(p.onKeyDown).Body(
		app.Div().Class("get-help-head").Body(
			app.H2().ID("get-help-title").TabIndex(-1).Text(t(lang, "GetHelpTitle", "Record", recordName(lang, r.Ref()))),
			app.If(!p.Fixed, func() app.UI {
				return app.Button().ID("get-help-close").Type("button").Class("secondary small").OnClick(p.onClose).Text(t(lang, "Close"))
			}),
		),
		app.P().ID("get-help-status").Class("visually-hidden").Role("status").Text(p.status),
		app.If(first, func() app.UI { return p.renderTickets(lang) }),
		app.If(p.whyNoForm() != "", func() app.UI {
			return app.P().ID("help-no-new").Class("notice help-no-new").Text(t(lang, p.whyNoForm()))
		}),
		p.renderNew(lang),
		p.renderExample(lang),
		app.If(!first, func() app.UI { return p.renderTickets(lang) }),
	)
}

// whyNoForm is why the panel offers no new ticket about the record, as a
// message id, as the policy says: agents file none, a vendor with read
// access may not write to the account, an archived record takes no new
// link. "" when the user may file.
func (p *getHelpPanel) whyNoForm() string {
	r := p.record()
	v := p.Session.Viewer()
	switch {
	case v.Agent():
		return "GetHelpAgentNote"
	case !v.CanFileFor(r.Organization.ID):
		return "GetHelpReadOnly"
	case !v.MayLink(ticket.Ticket{Organization: r.Organization}, r.Record):
		return "GetHelpArchived"
	}
	return ""
}

// renderNew is the new ticket about the record.
func (p *getHelpPanel) renderNew(lang string) app.UI {
	r := p.record()
	if p.whyNoForm() != "" {
		return nil
	}
	typ, ok := p.catalog.Ticket().RecordType()
	if p.catalog.Status != state.Loaded {
		return app.Div().ID("help-new").Body(loading(lang), errorBox(lang, p.catalog.Err))
	}
	if !ok {
		return nil // the catalog files no tickets about records
	}
	problems, failed := p.problems()
	shown := func(field string) string {
		if p.tried || (p.submit.Flow == p.flow() && p.submit.Status == state.Failed) {
			return problems[field]
		}
		return ""
	}
	busy := p.submit.Flow == p.flow() && p.submit.Status == state.Loading
	cat, _ := typ.Category(p.draft.Category)
	if len(typ.Categories) == 1 {
		cat = typ.Categories[0]
	}
	return app.Form().ID("help-new").Class("help-new").NoValidate(true).OnSubmit(p.onSubmit).Aria("labelledby", "help-new-heading").Body(
		app.H3().ID("help-new-heading").Text(t(lang, "GetHelpNew")),
		app.If(p.queued, func() app.UI {
			return app.P().ID("help-created").Class("notice").TabIndex(-1).Body(
				app.Text(t(lang, "OutboxQueuedTicket")+" "),
				app.A().Href(PathOutbox).Text(t(lang, "OpenOutbox")),
			)
		}).ElseIf(p.created != 0, func() app.UI {
			return app.P().ID("help-created").Class("success").TabIndex(-1).Body(
				app.Text(t(lang, "GetHelpCreated", "Number", p.created)+" "),
				app.A().Href(ticketHref(p.created)).Text(t(lang, "OpenTicketPage", "Number", p.created)),
			)
		}),
		app.P().Class("muted small").Text(t(lang, "GetHelpNewHint")),
		app.Dl().Class("help-contact").Body(
			row(dt(lang, "ContactLabel"), app.Dd().ID("help-contact").Text(t(lang, "ContactValue", "Name", p.Session.User.Name, "Email", p.Session.User.Email))),
		),
		app.If(len(typ.Categories) > 1, func() app.UI {
			return app.Div().Class("field").Body(
				app.Label().For("help-category").Text(t(lang, "TicketCategory")),
				app.Select().ID("help-category").Aria("invalid", ariaBool(shown("category") != "")).Aria("describedby", "err-help-category").OnChange(p.onCategory).Body(
					app.Option().Value("").Selected(p.draft.Category == "").Text(t(lang, "ChooseOne")),
					app.Range(typ.Categories).Slice(func(i int) app.UI {
						c := typ.Categories[i]
						return app.Option().Value(c.ID).Selected(c.ID == p.draft.Category).Text(categoryLabel(lang, c))
					}),
				),
				fieldError(lang, "help-category", shown("category")),
			)
		}),
		app.Div().Class("field").Body(
			app.Label().For("help-subject").Body(app.Text(t(lang, "Subject")), app.Span().Class("muted small").Text(" ("+t(lang, "Required")+")")),
			app.Input().ID("help-subject").Type("text").Required(true).MaxLength(ticket.MaxSubject).Value(typed("help-subject", p.draft.Subject)).
				Aria("invalid", ariaBool(shown("subject") != "")).Aria("describedby", "err-help-subject").OnInput(p.onSubject),
			fieldError(lang, "help-subject", shown("subject")),
		),
		app.Range(cat.Fields).Slice(func(i int) app.UI {
			f := cat.Fields[i]
			id := "help-field-" + f.ID
			return app.Div().Class("field").Body(
				app.Label().For(id).Text(fieldLabel(lang, f)),
				app.Input().ID(id).Type("text").Required(f.Required).Value(typed(id, p.draft.Fields[f.ID])).DataSet("field", f.ID).
					Aria("invalid", ariaBool(shown(ticket.FieldKey(f.ID)) != "")).Aria("describedby", "err-"+id).OnInput(p.onField),
				fieldError(lang, id, shown(ticket.FieldKey(f.ID))),
			)
		}),
		app.Div().Class("field").Body(
			app.Label().For("help-description").Body(app.Text(t(lang, "DescribeProblem")), app.Span().Class("muted small").Text(" ("+t(lang, "Optional")+")")),
			app.Textarea().ID("help-description").Rows(4).MaxLength(ticket.MaxDescription).
				Aria("invalid", ariaBool(shown("description") != "")).Aria("describedby", "err-help-description").OnInput(p.onDescription).Text(p.draft.Description),
			fieldError(lang, "help-description", shown("description")),
		),
		p.files.render(lang, t(lang, "AttachFiles"), r.Organization.ID, regimeOf(p.Session, p.orgs, r.Organization.ID), p.catalog.Attachments),
		fieldError(lang, "help-files", shown("attachments")),
		fieldError(lang, "help-links", shown("links")),
		errorBox(lang, failed),
		app.Div().Class("actions").Body(
			app.Button().ID("help-send").Type("submit").Class("primary").Disabled(busy).Text(t(lang, map[bool]string{true: "Sending", false: "Send"}[busy])),
		),
	)
}

func (p *getHelpPanel) onSubject(ctx app.Context, e app.Event) {
	p.draft.Subject = ctx.JSSrc().Get("value").String()
	p.save(ctx)
}

func (p *getHelpPanel) onDescription(ctx app.Context, e app.Event) {
	p.draft.Description = ctx.JSSrc().Get("value").String()
	p.save(ctx)
}

func (p *getHelpPanel) onCategory(ctx app.Context, e app.Event) {
	p.draft.Category = ctx.JSSrc().Get("value").String()
	p.save(ctx)
}

func (p *getHelpPanel) onField(ctx app.Context, e app.Event) {
	if p.draft.Fields == nil {
		p.draft.Fields = map[string]string{}
	}
	p.draft.Fields[ctx.JSSrc().Get("dataset").Get("field").String()] = ctx.JSSrc().Get("value").String()
	p.save(ctx)
}

func (p *getHelpPanel) onSubmit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	p.tried, p.created, p.status, p.queued = true, 0, "", false
	d, ok := p.outgoing()
	if problems, failed := p.problems(); !ok || len(problems) > 0 || failed != nil || p.submit.Status == state.Loading {
		focusProblem(p.ui, "help-new")
		return
	}
	ctx.NewActionWithValue(state.SubmitDraft, d)
}

// exampleTickets are the account's open tickets the record may be added
// to: not about it yet, and where the user may link it.
func (p *getHelpPanel) exampleTickets() []ticket.TicketView {
	r := p.record()
	if p.existing.Query.OrganizationID != r.Organization.ID {
		return nil
	}
	var out []ticket.TicketView
	for _, tk := range p.existing.Tickets {
		if !p.Detail.Has(tk.Number) && p.Session.Viewer().MayLink(ticket.Ticket{Number: tk.Number, Organization: tk.Organization}, r.Record) {
			out = append(out, tk)
		}
	}
	return out
}

// renderExample adds the record as an example to an open ticket (seed
// 002: "Adición de un ejemplo a las notificaciones existentes").
func (p *getHelpPanel) renderExample(lang string) app.UI {
	choices := p.exampleTickets()
	if len(choices) == 0 && p.added == 0 {
		return nil
	}
	var failed *state.Error
	if p.link.Example && p.link.RecordID == p.Detail.ID && p.link.Status == state.Failed {
		failed = p.link.Err
	}
	busy := p.link.Status == state.Loading
	return app.Form().ID("help-example").Class("help-example").OnSubmit(p.onExample).Aria("labelledby", "help-example-heading").Body(
		app.H3().ID("help-example-heading").Text(t(lang, "GetHelpExample")),
		app.If(p.added != 0, func() app.UI {
			return app.P().ID("help-example-added").Class("success").TabIndex(-1).Text(t(lang, "GetHelpExampleAdded", "Number", p.added))
		}),
		app.If(len(choices) > 0, func() app.UI {
			return app.FieldSet().Class("choices").Body(
				app.Legend().Class("choices-legend").Text(t(lang, "GetHelpExampleChoose")),
				app.Range(choices).Slice(func(i int) app.UI {
					tk := choices[i]
					id := "help-example-" + strconv.FormatInt(tk.Number, 10)
					return app.Label().For(id).Class("choice").Body(
						app.Input().Type("radio").ID(id).Name("help-example").Value(strconv.FormatInt(tk.Number, 10)).
							Checked(p.example == tk.Number).OnChange(p.onExampleChoice),
						app.Span().Dir("auto").Text(number(tk.Number)+" "+ticket.CleanText(tk.Subject)),
					)
				}),
			)
		}),
		errorBox(lang, failed),
		app.If(len(choices) > 0, func() app.UI {
			return app.Div().Class("actions").Body(
				app.Button().ID("help-example-add").Type("submit").Disabled(busy || p.example == 0).Text(t(lang, "GetHelpExampleAdd")),
			)
		}),
	)
}

func (p *getHelpPanel) onExampleChoice(ctx app.Context, e app.Event) {
	p.example, _ = strconv.ParseInt(ctx.JSSrc().Get("value").String(), 10, 64)
}

func (p *getHelpPanel) onExample(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if p.example == 0 || p.link.Status == state.Loading {
		return
	}
	p.added, p.status = 0, ""
	ctx.NewActionWithValue(state.LinkRecord, state.LinkInput{Number: p.example, RecordID: p.Detail.ID, Example: true})
}

// renderTickets lists the tickets about the record; one at a time shows
// its conversation with the reply box (reading it clears its unread mark).
func (p *getHelpPanel) renderTickets(lang string) app.UI {
	tickets := p.Detail.Tickets
	return app.Section().ID("help-tickets").Class("help-tickets").Aria("labelledby", "help-tickets-heading").Body(
		app.H3().ID("help-tickets-heading").Text(t(lang, "GetHelpTickets")),
		app.If(len(tickets) == 0, func() app.UI {
			return app.P().Class("muted").Text(t(lang, "NoLifeRecord"))
		}),
		app.Ul().Class("help-ticket-list").Body(app.Range(tickets).Slice(func(i int) app.UI {
			tk := tickets[i]
			n := strconv.FormatInt(tk.Number, 10)
			open := p.showing == tk.Number
			return app.Li().ID("help-ticket-"+n).Class("help-ticket").Body(
				app.Button().ID("help-show-"+n).Type("button").Class("help-ticket-toggle").DataSet("number", n).
					Aria("expanded", ariaBool(open)).Aria("controls", "help-conversation-"+n).OnClick(p.onShow).Body(
					app.Span().Class("ticket-number").Text(number(tk.Number)),
					app.Span().Class("help-ticket-subject").Dir("auto").Text(ticket.CleanText(tk.Subject)),
					statusBadge(lang, tk.Status),
					unreadBadge(lang, p.Unread.For(tk.Number)),
				),
				app.If(open, func() app.UI { return p.renderConversation(lang, tk) }),
			)
		})),
	)
}

func (p *getHelpPanel) renderConversation(lang string, tk ticket.TicketView) app.UI {
	n := strconv.FormatInt(tk.Number, 10)
	d := p.open
	body := []app.UI{app.P().Body(app.A().Href(ticketHref(tk.Number)).Text(t(lang, "OpenTicketPage", "Number", tk.Number)))}
	switch {
	case d.Number != tk.Number || d.Status == state.Idle || (d.Status == state.Loading && d.Ticket.Number == 0):
		body = append(body, loading(lang))
	case d.Status == state.Failed:
		body = append(body, errorBox(lang, d.Err))
	default:
		body = append(body, conversation(lang, d.Ticket, d.Messages)...)
		body = append(body, newReplyBox().WithSession(p.Session).WithTicket(d.Ticket).InPanel(true).
			WithRegime(regimeOf(p.Session, p.orgs, d.Ticket.Organization.ID)).WithLimits(p.catalog.Attachments))
	}
	return app.Div().ID("help-conversation-" + n).Class("conversation help-conversation").Body(body...)
}

// onShow opens or closes a ticket's conversation; the one open is read.
func (p *getHelpPanel) onShow(ctx app.Context, e app.Event) {
	n, err := strconv.ParseInt(ctx.JSSrc().Get("dataset").Get("number").String(), 10, 64)
	if err != nil {
		return
	}
	p.opened = p.Detail.ID // the user chooses now: nothing opens by itself
	if p.showing == n {
		p.showing = 0
		state.SetViewing(0)
		return
	}
	p.show(ctx, n)
}

// show opens ticket n's conversation: it is loaded and read.
func (p *getHelpPanel) show(ctx app.Context, n int64) {
	p.showing = n
	state.SetViewing(n)
	ctx.NewActionWithValue(state.LoadTicket, n)
	ctx.NewActionWithValue(state.MarkRead, n)
}
