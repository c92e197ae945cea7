package state

import (
	"context"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
)

// MailLogState holds the outgoing mails the demo mail view lists.
const MailLogState = "mailLog"

// LoadMailLog reads the outgoing mails (agents, where the server keeps
// them: ticket.Me.MailLog).
const LoadMailLog = "/mail-log/load"

// MailLog is the demo mail view's state.
type MailLog struct {
	Status Load
	Mails  []ticket.MailView
	Err    *Error
}

func init() { app.Handle(LoadMailLog, handleLoadMailLog) }

func handleLoadMailLog(ctx app.Context, a app.Action) {
	var cur MailLog
	ctx.GetState(MailLogState, &cur)
	ctx.SetState(MailLogState, MailLog{Status: Loading, Mails: cur.Mails})
	var log ticket.MailLog
	if err := call(context.Background(), "GET", "/api/v1/admin/mail", nil, &log); err != nil {
		if expired(ctx, err) {
			return
		}
		ctx.SetState(MailLogState, MailLog{Status: Failed, Mails: cur.Mails, Err: err})
		return
	}
	ctx.SetState(MailLogState, MailLog{Status: Loaded, Mails: log.Mails})
}
