package state

import (
	"context"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
)

// State names.
const (
	ReplyState = "reply" // the last reply or status change on the ticket page
)

// Action names.
const (
	SendReply    = "/ticket/reply"
	ChangeStatus = "/ticket/status"
)

// ReplyInput is the value of SendReply: the reply to ticket Number, with
// the Idempotency-Key made when the user pressed Send (made here when
// empty) and the files (Attachments are their ids).
type ReplyInput struct {
	Number int64
	ticket.ReplyRequest
	Key   string              `json:"key"`
	Files []ticket.Attachment `json:"files,omitempty"`
	// Held: files attached offline, uploaded before the reply is sent;
	// OrganizationID: the ticket's account, which they are uploaded to.
	Held           []HeldFile `json:"held,omitempty"`
	OrganizationID int64      `json:"organizationId,omitempty"`
}

// StatusInput is the value of ChangeStatus: an internal status (agents) or
// "closed" (customers); agents also postpone to a day and assign.
type StatusInput struct {
	Number         int64  `json:"-"`
	Status         string `json:"status,omitempty"`
	PostponedUntil string `json:"postponedUntil,omitempty"` // YYYY-MM-DD
	AssigneeID     *int64 `json:"assigneeId,omitempty"`     // 0 unassigns
}

// Reply is the outcome of the last reply or status change.
type Reply struct {
	Status Load
	Number int64
	Sent   int64  // id of the message just sent
	Queued string // the outbox item the reply became (Status Queued)
	Err    *Error
	Fields []ticket.FieldError
	// Change: the answer is of a change (status, assignment), not of a
	// reply: an agent sees it beside the agent actions.
	Change bool
}

func init() {
	app.Handle(SendReply, handleSendReply)
	app.Handle(ChangeStatus, handleChangeStatus)
}

func replyKey(userID, number int64) string {
	return userKey("reply", userID) + strconv.FormatInt(number, 10)
}

// ReplyDraft is the reply being written on a ticket: its text, its files
// and the user's privacy confirmation for them.
type ReplyDraft struct {
	Body      string              `json:"body,omitempty"`
	Files     []ticket.Attachment `json:"files,omitempty"`
	Confirmed bool                `json:"confirmed,omitempty"`
	// Internal and Key: a reply taken back from the outbox to fix keeps
	// whether it was an internal note and its Idempotency-Key.
	Internal bool   `json:"internal,omitempty"`
	Key      string `json:"key,omitempty"`
	// Held: files attached while the server could not be reached.
	Held []HeldFile `json:"held,omitempty"`
}

// LoadReplyDraft returns the reply the user was writing on ticket number.
func LoadReplyDraft(ctx app.Context, userID, number int64) ReplyDraft {
	var d ReplyDraft
	drafts.get(ctx, replyKey(userID, number), &d)
	return d
}

// SaveReplyDraft keeps the reply being written, on the UI goroutine, so no
// keystroke is lost.
func SaveReplyDraft(ctx app.Context, userID, number int64, d ReplyDraft) {
	if d.Body == "" && len(d.Files) == 0 && len(d.Held) == 0 && !d.Confirmed && d.Key == "" {
		drafts.set(ctx, replyKey(userID, number), nil)
		return
	}
	drafts.set(ctx, replyKey(userID, number), d)
}

func handleSendReply(ctx app.Context, a app.Action) {
	in, _ := a.Value.(ReplyInput)
	s := CurrentSession(ctx)
	gen := sessionGen.Load()
	ctx.SetState(ReplyState, Reply{Status: Loading, Number: in.Number})
	if in.Key == "" {
		in.Key = NewKey()
	}
	var res ticket.ReplyAnswer
	uploaded, err := in.sendHeld(s, gen) // files attached offline go up first
	status, body := heldOutcome(err)
	if err == nil && sessionGen.Load() == gen {
		status, body, err = send(context.Background(), "POST", "/api/v1/tickets/"+strconv.FormatInt(in.Number, 10)+"/messages", in.ReplyRequest, map[string]string{"Idempotency-Key": in.Key}, &res)
	}
	if sessionGen.Load() != gen {
		return // logged out meanwhile: nothing is kept, shown or queued
	}
	if err != nil && passing(status) && s.LoggedIn {
		if queueFailed(ctx, s, OutboxItem{ID: in.Key, Kind: OutboxReply, Reply: &in, Ticket: in.Number}, outcomeOf(status, body, err)) {
			ForgetHeld(s, uploaded)
			ctx.Dispatch(func(ctx app.Context) {
				d := LoadReplyDraft(ctx, s.User.ID, in.Number)
				SaveReplyDraft(ctx, s.User.ID, in.Number, ReplyDraft{Confirmed: d.Confirmed})
			})
			ctx.SetState(ReplyState, Reply{Status: Queued, Number: in.Number, Queued: in.Key})
			return
		}
		err = errNoOutbox
	}
	if err != nil {
		expired(ctx, err)
		out := Reply{Status: Failed, Number: in.Number, Err: err}
		if status == 422 {
			out.Fields = body.Fields
		}
		ctx.SetState(ReplyState, out)
		return
	}
	ForgetHeld(s, uploaded)
	ctx.Dispatch(func(ctx app.Context) {
		// Sent: the confirmation holds on for this ticket's next files.
		d := LoadReplyDraft(ctx, s.User.ID, in.Number)
		SaveReplyDraft(ctx, s.User.ID, in.Number, ReplyDraft{Confirmed: d.Confirmed})
	})
	updateDetail(ctx, in.Number, res.Ticket, &res.Message)
	ctx.SetState(ReplyState, Reply{Status: Loaded, Number: in.Number, Sent: res.Message.ID})
	ctx.NewActionWithValue(LoadOpen, TicketQuery{OrganizationID: s.Account, Open: "true"})
}

func handleChangeStatus(ctx app.Context, a app.Action) {
	in, _ := a.Value.(StatusInput)
	s := CurrentSession(ctx)
	ctx.SetState(ReplyState, Reply{Status: Loading, Number: in.Number, Change: true})
	var res struct {
		Ticket ticket.TicketView `json:"ticket"`
	}
	if in.PostponedUntil != "" {
		in.PostponedUntil = localDay(in.PostponedUntil, 0)
	}
	status, body, err := send(context.Background(), "PATCH", "/api/v1/tickets/"+strconv.FormatInt(in.Number, 10), in, nil, &res)
	if err == errOffline {
		err = errStatusOffline // not kept for later: the ticket may have moved on meanwhile
	}
	if err != nil {
		expired(ctx, err)
		out := Reply{Status: Failed, Number: in.Number, Err: err, Change: true}
		if status == 422 {
			out.Fields = body.Fields
		}
		ctx.SetState(ReplyState, out)
		return
	}
	updateDetail(ctx, in.Number, res.Ticket, nil)
	updateRow(ctx, res.Ticket)
	ctx.SetState(ReplyState, Reply{Status: Loaded, Number: in.Number, Change: true})
	ctx.NewActionWithValue(LoadOpen, TicketQuery{OrganizationID: s.Account, Open: "true"})
	ctx.NewActionWithValue(LoadCounts, TicketQuery{OrganizationID: s.Account})
}

// updateDetail puts the server's answer into the open ticket page.
func updateDetail(ctx app.Context, number int64, t ticket.TicketView, m *ticket.MessageView) {
	var cur TicketDetail
	ctx.GetState(TicketState, &cur)
	if cur.Number != number {
		return
	}
	if t.Attachments == nil {
		t.Attachments = cur.Ticket.Attachments // on the detail only
	}
	next := TicketDetail{Status: Loaded, Number: number, Ticket: t, Messages: cur.Messages}
	// The live event of the message may have come first.
	if m != nil && !hasMessage(cur.Messages, m.ID) {
		next.Messages = append(append([]ticket.MessageView{}, cur.Messages...), *m)
	}
	ctx.SetState(TicketState, next)
}

// updateRow puts a changed ticket into the ticket list, where it is listed.
func updateRow(ctx app.Context, t ticket.TicketView) {
	var cur TicketList
	ctx.GetState(TicketsState, &cur)
	for i, row := range cur.Tickets {
		if row.Number == t.Number {
			rows := append([]ticket.TicketView{}, cur.Tickets...)
			rows[i] = t
			cur.Tickets = rows
			ctx.SetState(TicketsState, cur)
			return
		}
	}
}
