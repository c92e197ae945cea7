package pages

import (
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// outboxPage lists the tickets and replies waiting in this browser to be
// sent, with their state and age: Retry, Edit and Delete (confirmed).
// /outbox?queued=ID names the item a send just became.
type outboxPage struct {
	app.Compo

	session    state.Session
	outbox     state.Outbox
	net        state.Net
	queued     string // the item just queued (its notice is shown)
	confirming string // the item whose deletion is being confirmed
	notice     string // translation id of what Edit could not do
	noticeOf   int64  // the ticket the notice is about
	status     string // translation id of what was just done (announced)
	ui         app.Context
}

func newOutboxPage() *outboxPage { return &outboxPage{} }

func (p *outboxPage) OnPreRender(ctx app.Context) {
	p.session.Lang = sessionLang(ctx, p.session)
}

func (p *outboxPage) OnNav(ctx app.Context) {
	p.queued = ctx.Page().URL().Query().Get("queued")
	p.confirming, p.notice, p.status = "", "", ""
	if p.queued != "" {
		focusLater(ctx, "outbox-queued")
	}
}

func (p *outboxPage) OnMount(ctx app.Context) {
	p.ui = ctx
	ctx.Async(func() { // the items' ages move on
		tick := time.NewTicker(30 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				ctx.Dispatch(func(app.Context) {})
			}
		}
	})
	ctx.ObserveState(state.OutboxState, &p.outbox)
	ctx.ObserveState(state.NetState, &p.net).OnChange(func() {
		if !p.net.Offline && p.notice == "OutboxEditNeedsTicket" {
			p.notice = "" // the ticket can be shown now: Edit works
		}
	})
	observeSession(ctx, &p.session, func(ctx app.Context) {
		if p.session.LoggedIn && p.outbox.Status == state.Idle {
			ctx.NewAction(state.LoadOutbox)
		}
	})
}

func (p *outboxPage) Render() app.UI {
	lang := p.session.Lang
	items := p.outbox.Items
	return newShell().WithTitle("Outbox").WithSession(p.session).Body(
		app.If(p.queued != "" && p.hasQueued(), func() app.UI {
			it, _ := p.outbox.Item(p.queued)
			if it.Status == state.OutboxSent {
				// Announced: the connection came back while the user was here.
				return app.P().ID("outbox-queued").Class("panel success").Role("status").TabIndex(-1).Text(t(lang, "OutboxNowSent", "Number", it.Ticket))
			}
			text := "OutboxQueuedTicket"
			if it.Reply != nil {
				text = "OutboxQueuedReply"
			}
			return app.P().ID("outbox-queued").Class("panel notice").Role("status").TabIndex(-1).Text(t(lang, text))
		}),
		app.If(p.queued == "" || !p.hasQueued(), func() app.UI { // the notice says as much
			return app.P().Class("muted").ID("outbox-intro").Text(t(lang, "OutboxIntro"))
		}),
		app.If(p.outbox.Unavailable, func() app.UI {
			return app.P().ID("outbox-unavailable").Class("error").Role("alert").Text(t(lang, "ErrOutboxUnavailable"))
		}),
		app.P().ID("outbox-status").Class("visually-hidden").Role("status").Text(map[bool]string{true: t(lang, p.status)}[p.status != ""]),
		app.If(p.notice != "", func() app.UI {
			return app.P().ID("outbox-notice").Class("error").Role("alert").TabIndex(-1).Text(t(lang, p.notice, "Number", number(p.noticeOf)))
		}),
		app.If(p.outbox.Status == state.Loaded && len(items) == 0 && !p.outbox.Unavailable, func() app.UI {
			return app.P().ID("outbox-empty").Class("panel").Text(t(lang, "OutboxEmpty"))
		}),
		app.If(len(items) > 0, func() app.UI {
			return app.Ul().ID("outbox-items").Class("plain-list outbox-items").Body(
				app.Range(items).Slice(func(i int) app.UI { return p.renderItem(lang, items[i]) }),
			)
		}),
	)
}

// hasQueued reports whether the item just queued is still in the outbox.
func (p *outboxPage) hasQueued() bool {
	_, ok := p.outbox.Item(p.queued)
	return ok
}

// renderItem shows one item: what it is, its state and age, why it waits
// and what the user can do.
func (p *outboxPage) renderItem(lang string, it state.OutboxItem) app.UI {
	id := "outbox-" + it.ID
	title := outboxItemTitle(lang, it)
	return app.Li().ID(id).Class("panel outbox-item", "outbox-"+string(it.Status)).Aria("labelledby", id+"-title").Body(
		app.H2().ID(id+"-title").Class("outbox-title").Body(
			app.Text(title),
			app.If(it.Subject() != "", func() app.UI { return app.Span().Class("visually-hidden").Text(": ") }),
			app.If(it.Subject() != "", func() app.UI {
				return app.Span().Class("outbox-subject").Dir("auto").Text(ticket.CleanText(it.Subject()))
			}),
		),
		app.P().Class("outbox-state").Body(
			outboxStatusBadge(lang, it),
			app.If(!it.Created.IsZero(), func() app.UI {
				stamp := app.Time().DateTime(it.Created.UTC().Format(time.RFC3339)).Title(when(lang, it.Created))
				if time.Since(it.Created) >= 7*24*time.Hour {
					return app.Span().Class("muted").Body(stamp.Text(t(lang, "OutboxWritten", "Time", when(lang, it.Created))))
				}
				return app.Span().Class("muted").Body(
					app.Text(t(lang, "OutboxWrittenLabel")+" "),
					stamp.Text(ago(lang, it.Created, time.Now())),
				)
			}),
		),
		p.renderReason(lang, it),
		p.renderActions(lang, it),
	)
}

// outboxStatusBadge says where the item is: queued, sending, sent (with a
// link to the ticket), needs attention, waits for the login.
func outboxStatusBadge(lang string, it state.OutboxItem) app.UI {
	switch it.Status {
	case state.OutboxSent:
		sent := "OutboxSent"
		if it.Reply != nil || (it.Draft != nil && it.Draft.ExistingTicket != 0) {
			sent = "OutboxSentTo" // added to the ticket, not a ticket of its own
		}
		return app.Span().Class("outbox-badge outbox-badge-sent").Body(
			app.Text(t(lang, sent)+" "),
			app.A().Href(ticketHref(it.Ticket)).Text(number(it.Ticket)),
		)
	case state.OutboxSending:
		return app.Span().Class("outbox-badge").Text(t(lang, "OutboxSending"))
	case state.OutboxAttention:
		return app.Span().Class("outbox-badge outbox-badge-attention").Text(t(lang, "OutboxAttention"))
	case state.OutboxLogin:
		return app.Span().Class("outbox-badge").Text(t(lang, "OutboxWaitingLogin"))
	}
	return app.Span().Class("outbox-badge").Text(t(lang, "OutboxQueued"))
}

// renderReason says why the item waits: the server's messages, or when it
// is tried next.
func (p *outboxPage) renderReason(lang string, it state.OutboxItem) app.UI {
	switch {
	case it.Status == state.OutboxAttention:
		return app.Div().Class("outbox-reason").Body(
			app.If(it.Err != nil && len(it.Fields) == 0, func() app.UI {
				return app.P().Class("error").Text(t(lang, it.Err.MessageID))
			}),
			app.If(len(it.Fields) > 0, func() app.UI {
				return app.Ul().Class("error-list").Body(app.Range(it.Fields).Slice(func(i int) app.UI {
					return app.Li().Class("error").Text(t(lang, it.Fields[i].MessageID))
				}))
			}),
		)
	case it.Status == state.OutboxQueued && !it.NextTry.IsZero() && it.NextTry.After(time.Now()):
		return app.P().Class("muted").Text(t(lang, "OutboxNextTry", "Time", when(lang, it.NextTry)))
	}
	return nil
}

func (p *outboxPage) renderActions(lang string, it state.OutboxItem) app.UI {
	if p.confirming == it.ID {
		return app.Div().Class("actions outbox-confirm").Role("group").Aria("labelledby", "outbox-confirm-"+it.ID).OnKeyDown(p.onConfirmKey).Body(
			app.P().ID("outbox-confirm-"+it.ID).Text(t(lang, "OutboxDeleteQuestion")),
			app.Button().ID("outbox-delete-yes").Type("button").Class("danger").DataSet("id", it.ID).OnClick(p.onDelete).Text(t(lang, "OutboxDeleteConfirm")),
			app.Button().ID("outbox-delete-no").Type("button").OnClick(p.onCancelDelete).Text(t(lang, "Cancel")),
		)
	}
	canSend := !it.Damaged && (it.Status == state.OutboxQueued || it.Status == state.OutboxAttention || it.Status == state.OutboxLogin)
	return app.Div().Class("actions").Body(
		app.If(canSend && it.Status != state.OutboxAttention, func() app.UI {
			return app.Button().ID("outbox-retry-"+it.ID).Type("button").Class("primary").DataSet("id", it.ID).OnClick(p.onRetry).
				Aria("label", t(lang, "OutboxRetryLabel", "Item", p.itemName(lang, it))).Text(t(lang, "OutboxRetry"))
		}),
		app.If(canSend, func() app.UI {
			return app.Button().ID("outbox-edit-"+it.ID).Type("button").Class(map[bool]string{true: "primary"}[it.Status == state.OutboxAttention]).DataSet("id", it.ID).OnClick(p.onEdit).
				Aria("label", t(lang, "OutboxEditLabel", "Item", p.itemName(lang, it))).Text(t(lang, "OutboxEdit"))
		}),
		app.If(it.Status == state.OutboxSent, func() app.UI {
			return app.Button().ID("outbox-remove-"+it.ID).Type("button").DataSet("id", it.ID).OnClick(p.onRemove).
				Aria("label", t(lang, "OutboxRemoveLabel", "Item", p.itemName(lang, it))).Text(t(lang, "OutboxRemove"))
		}).ElseIf(it.Status != state.OutboxSending, func() app.UI {
			return app.Button().ID("outbox-delete-"+it.ID).Type("button").Class("danger").DataSet("id", it.ID).OnClick(p.onAskDelete).
				Aria("label", t(lang, "OutboxDeleteLabel", "Item", p.itemName(lang, it))).Text(t(lang, "OutboxDelete"))
		}),
	)
}

// itemName names an item for a button's accessible name ("Retry: new
// ticket “Drucker”").
func (p *outboxPage) itemName(lang string, it state.OutboxItem) string {
	name := outboxItemTitle(lang, it)
	if s := it.Subject(); s != "" && it.Draft != nil && it.Draft.ExistingTicket == 0 {
		name = t(lang, "LogoutDraftSubject", "Draft", name, "Subject", ticket.Isolate(s))
	}
	return name
}

// outboxItemTitle says what an item is: a new ticket, an addition to a
// ticket, a reply to one.
func outboxItemTitle(lang string, it state.OutboxItem) string {
	switch {
	case it.Damaged:
		return t(lang, "OutboxDamagedItem")
	case it.Reply != nil:
		return t(lang, "OutboxReplyTo", "Number", it.Reply.Number)
	case it.Draft != nil && it.Draft.ExistingTicket != 0:
		return t(lang, "OutboxAddTo", "Number", it.Draft.ExistingTicket)
	}
	return t(lang, "OutboxNewTicket")
}

func itemID(ctx app.Context) string { return ctx.JSSrc().Get("dataset").Get("id").String() }

func (p *outboxPage) onRetry(ctx app.Context, e app.Event) {
	p.notice, p.status = "", ""
	if state.Offline() {
		// Nothing visible would change: say why.
		p.status = "OutboxStillOffline"
	}
	ctx.NewActionWithValue(state.RetryOutbox, itemID(ctx))
}

func (p *outboxPage) onAskDelete(ctx app.Context, e app.Event) {
	p.confirming, p.notice = itemID(ctx), ""
	focusLater(p.ui, "outbox-delete-no")
}

// onConfirmKey: Escape in the question cancels the deletion.
func (p *outboxPage) onConfirmKey(ctx app.Context, e app.Event) {
	if e.Get("key").String() == "Escape" {
		p.onCancelDelete(ctx, e)
	}
}

func (p *outboxPage) onCancelDelete(ctx app.Context, e app.Event) {
	id := p.confirming
	p.confirming = ""
	focusLater(p.ui, "outbox-delete-"+id)
}

func (p *outboxPage) onDelete(ctx app.Context, e app.Event) {
	p.confirming, p.status = "", "OutboxDeleted"
	ctx.NewActionWithValue(state.DeleteOutbox, itemID(ctx))
	focusLater(p.ui, "main")
}

func (p *outboxPage) onRemove(ctx app.Context, e app.Event) {
	p.status = "OutboxRemoved"
	ctx.NewActionWithValue(state.DeleteOutbox, itemID(ctx))
	focusLater(p.ui, "main")
}

// onEdit takes the item out of the outbox into the form (a ticket) or the
// ticket's reply box (a reply), with the server's messages, to fix and
// send again under the same key.
func (p *outboxPage) onEdit(ctx app.Context, e app.Event) {
	if it, ok := p.outbox.Item(itemID(ctx)); ok && it.Reply != nil && !it.TicketKept && state.Offline() {
		// The ticket page could not show the ticket, nor the reply box.
		p.notice, p.noticeOf = "OutboxEditNeedsTicket", it.Reply.Number
		focusLater(p.ui, "outbox-notice")
		return
	}
	it, ok := state.TakeOutboxItem(ctx, itemID(ctx))
	if !ok {
		p.notice = "OutboxEditBusyForm"
		if it.Reply != nil {
			p.notice = "OutboxEditBusyReply"
		}
		focusLater(p.ui, "outbox-notice")
		return
	}
	if it.Reply != nil {
		ctx.Navigate(ticketHref(it.Reply.Number) + "#reply-body")
		return
	}
	ctx.Navigate(PathNewTicket)
}

// outboxSummary lists, on the dashboard, what waits in the outbox.
func outboxSummary(lang string, o state.Outbox) app.UI {
	var waiting []state.OutboxItem
	for _, it := range o.Items {
		if it.Waiting() {
			waiting = append(waiting, it)
		}
	}
	if len(waiting) == 0 {
		return nil
	}
	return app.Section().ID("dashboard-outbox").Class("panel").Aria("labelledby", "dashboard-outbox-heading").Body(
		app.H2().ID("dashboard-outbox-heading").Text(locales.N(lang, "LogoutOutboxTitle", len(waiting), nil)),
		app.Ul().Class("plain-list").Body(app.Range(waiting).Slice(func(i int) app.UI {
			it := waiting[i]
			name := outboxItemTitle(lang, it)
			return app.Li().Class("outbox-summary-item").Body(
				app.Span().Text(name+" "),
				app.If(it.Subject() != "", func() app.UI {
					return app.Span().Class("outbox-subject").Dir("auto").Text(ticket.CleanText(it.Subject()) + " ")
				}),
				outboxStatusBadge(lang, it),
			)
		})),
		app.A().ID("dashboard-outbox-link").Href(PathOutbox).Text(t(lang, "OpenOutbox")),
	)
}

// takenBackNotice says, on the form or reply box an item was taken back
// into, that it goes out only when sent again.
func takenBackNotice(lang string, shown bool) app.UI {
	if !shown {
		return nil
	}
	return app.P().ID("taken-back").Class("notice").Role("status").Text(t(lang, "OutboxTakenBack"))
}

// outboxNavBadge is the number of waiting items, read out as such.
func outboxNavBadge(lang string, n int) app.UI {
	return labelledBadge("", n, func(n int) string { return locales.N(lang, "OutboxWaiting", n, nil) })
}
