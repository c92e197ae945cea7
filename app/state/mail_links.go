package state

import (
	"context"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
)

// MailLinkState is the state of the pages that mails lead to or ask for:
// Forgot password?, a reset link, a confirmation link.
const MailLinkState = "mailLink"

// Actions of those pages.
const (
	RequestReset = "/mail-link/request-reset" // value: the email (string)
	CheckReset   = "/mail-link/check-reset"   // value: the token (string)
	ResetWith    = "/mail-link/reset"         // value: ResetInput
	ConfirmEmail = "/mail-link/confirm-email" // value: the token (string)
)

// MailLink is where a mail's page is.
type MailLink struct {
	Busy bool
	// Requested: a reset link was asked for (the page says a mail is on
	// its way if the address has an account).
	Requested bool
	// Valid: the reset link holds (checked before a password is typed).
	Valid bool
	// Done: the password was reset, or the email confirmed (Email).
	Done  bool
	Email string
	Err   *Error
	// Fields: the problems per field (the email, the new password).
	Fields     *ticket.ValidationError
	RetryAfter int
}

// ResetInput is a new password for the reset link Token.
type ResetInput struct {
	Token, New string
}

func init() {
	app.Handle(RequestReset, handleRequestReset)
	app.Handle(CheckReset, handleCheckReset)
	app.Handle(ResetWith, handleResetWith)
	app.Handle(ConfirmEmail, handleConfirmEmail)
}

func handleRequestReset(ctx app.Context, a app.Action) {
	email, _ := a.Value.(string)
	if id := ticket.CheckEmail(email); id != "" {
		ctx.SetState(MailLinkState, MailLink{Fields: ticket.ValidationFailed("email", id)})
		return
	}
	ctx.SetState(MailLinkState, MailLink{Busy: true})
	_, answer, err := send(context.Background(), "POST", "/api/v1/password-reset", ticket.PasswordResetRequest{Email: email}, nil, nil)
	if err != nil {
		ctx.SetState(MailLinkState, MailLink{Err: err, Fields: fieldErrors(answer), RetryAfter: answer.RetryAfter})
		return
	}
	ctx.SetState(MailLinkState, MailLink{Requested: true, Email: email})
}

func handleCheckReset(ctx app.Context, a app.Action) {
	token, _ := a.Value.(string)
	ctx.SetState(MailLinkState, MailLink{Busy: true})
	if token == "" {
		ctx.SetState(MailLinkState, MailLink{Err: ticket.ErrNotFound})
		return
	}
	if err := call(context.Background(), "GET", "/api/v1/password-reset/"+token, nil, nil); err != nil {
		ctx.SetState(MailLinkState, MailLink{Err: err})
		return
	}
	ctx.SetState(MailLinkState, MailLink{Valid: true})
}

func handleResetWith(ctx app.Context, a app.Action) {
	in, _ := a.Value.(ResetInput)
	if id := ticket.CheckPassword(in.New, nil); id != "" {
		ctx.SetState(MailLinkState, MailLink{Valid: true, Fields: ticket.ValidationFailed("new", id)})
		return
	}
	ctx.SetState(MailLinkState, MailLink{Valid: true, Busy: true})
	_, answer, err := send(context.Background(), "POST", "/api/v1/password-reset/"+in.Token, ticket.PasswordReset{New: in.New}, nil, nil)
	if err != nil {
		valid := answer.Fields != nil || err == errOffline
		ctx.SetState(MailLinkState, MailLink{Valid: valid, Err: err, Fields: fieldErrors(answer)})
		return
	}
	// Every session of the link's user ended: if this browser had one, its
	// next call hears why (it may be another user's: it stays).
	ctx.SetState(MailLinkState, MailLink{Done: true})
}

func handleConfirmEmail(ctx app.Context, a app.Action) {
	token, _ := a.Value.(string)
	ctx.SetState(MailLinkState, MailLink{Busy: true})
	if token == "" {
		ctx.SetState(MailLinkState, MailLink{Err: ticket.ErrNotFound})
		return
	}
	var out ticket.EmailConfirmed
	if err := call(context.Background(), "POST", "/api/v1/email-confirmations/"+token, nil, &out); err != nil {
		ctx.SetState(MailLinkState, MailLink{Err: err})
		return
	}
	ctx.SetState(MailLinkState, MailLink{Done: true, Email: out.Email})
	if CurrentSession(ctx).LoggedIn {
		ctx.NewAction(LoadSession) // the new email everywhere
	}
}
