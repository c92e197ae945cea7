package state

import (
	"context"
	"errors"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// ProfileState is the state of Settings → Your information: a save or a
// password change under way, and how the last one ended.
const ProfileState = "profile"

// Actions of Your information.
const (
	SaveProfile       = "/profile/save"         // value: ticket.ProfileChange
	ChangePassword    = "/profile/password"     // value: ticket.PasswordChange
	CancelEmailChange = "/profile/cancel-email" // the new email asked for is not wanted
)

// ProfileForm is the state of Your information.
type ProfileForm struct {
	Saving bool
	// Err: the last save's error; Fields: its problems per field (checked
	// here first, by the rules the server checks too).
	Err    *Error
	Fields *ticket.ValidationError
	// Saved: the last save went through; ConfirmTo: a new email waits for
	// the link sent to it.
	Saved     bool
	ConfirmTo string
	// Cancelled: the new email asked for was given up.
	Cancelled bool

	PasswordBusy   bool
	PasswordErr    *Error
	PasswordFields *ticket.ValidationError
}

func init() {
	app.Handle(SaveProfile, handleSaveProfile)
	app.Handle(ChangePassword, handleChangePassword)
	app.Handle(CancelEmailChange, handleCancelEmailChange)
}

// CheckProfile applies the profile's rules to a change as the server
// will (nil: none broken).
func CheckProfile(c ticket.ProfileChange) *ticket.ValidationError {
	var ve *ticket.ValidationError
	if errors.As(c.Normalized().Validate(locales.Supports), &ve) {
		return ve
	}
	return nil
}

func handleSaveProfile(ctx app.Context, a app.Action) {
	in, _ := a.Value.(ticket.ProfileChange)
	in = in.Normalized()
	ve := CheckProfile(in)
	if in.Email != nil && ticket.CheckEmail(*in.Email) == "" && in.CurrentPassword == "" && !strings.EqualFold(*in.Email, CurrentSession(ctx).Profile.Email) {
		// The server asks for it too: the login moves with the email.
		if ve == nil {
			ve = &ticket.ValidationError{}
		}
		ve.Fields = append(ve.Fields, ticket.FieldError{Field: "currentPassword", MessageID: "ErrPasswordRequired"})
	}
	if ve != nil {
		setProfileForm(ctx, ProfileForm{Fields: ve})
		return
	}
	setProfileForm(ctx, ProfileForm{Saving: true})
	cur := CurrentSession(ctx)
	gen := sessionGen.Load()
	var me ticket.Me
	_, answer, err := send(context.Background(), "PATCH", "/api/v1/me", in, nil, &me)
	if sessionGen.Load() != gen {
		return
	}
	if err != nil {
		if expired(ctx, err) {
			return
		}
		setProfileForm(ctx, ProfileForm{Err: err, Fields: fieldErrors(answer)})
		return
	}
	s := CurrentSession(ctx)
	if s.User.ID != me.User.ID {
		return
	}
	s.User.Name, s.User.Locale = me.User.Name, me.User.Locale
	if me.Profile != nil {
		s.Profile = *me.Profile
	}
	if locales.Supports(me.User.Locale) && me.User.Locale != cur.Lang {
		s.Lang = me.User.Locale
		setLangCookie(s.Lang)
	}
	keepSession(me)
	ctx.SetState(SessionState, s)
	confirm := ""
	if in.Email != nil && *in.Email != me.User.Email && me.Profile != nil && me.Profile.PendingEmail == *in.Email {
		confirm = *in.Email
	}
	setProfileForm(ctx, ProfileForm{Saved: true, ConfirmTo: confirm})
}

// handleCancelEmailChange gives up the new email asked for: the server
// forgets it and its link (the email sent as it is).
func handleCancelEmailChange(ctx app.Context, a app.Action) {
	cur := CurrentSession(ctx)
	email := cur.Profile.Email
	setProfileForm(ctx, ProfileForm{Saving: true})
	var me ticket.Me
	if _, _, err := send(context.Background(), "PATCH", "/api/v1/me", ticket.ProfileChange{Email: &email}, nil, &me); err != nil {
		if !expired(ctx, err) {
			setProfileForm(ctx, ProfileForm{Err: err})
		}
		return
	}
	s := CurrentSession(ctx)
	if s.User.ID != me.User.ID || me.Profile == nil {
		return
	}
	s.Profile = *me.Profile
	keepSession(me)
	ctx.SetState(SessionState, s)
	setProfileForm(ctx, ProfileForm{Cancelled: true})
}

// setProfileForm sets the profile part of the page's state (the password
// form's stays) …
func setProfileForm(ctx app.Context, f ProfileForm) {
	var cur ProfileForm
	ctx.GetState(ProfileState, &cur)
	f.PasswordBusy, f.PasswordErr, f.PasswordFields = cur.PasswordBusy, cur.PasswordErr, cur.PasswordFields
	ctx.SetState(ProfileState, f)
}

// setPasswordForm … and the password part (the profile's stays).
func setPasswordForm(ctx app.Context, busy bool, err *Error, fields *ticket.ValidationError) {
	var cur ProfileForm
	ctx.GetState(ProfileState, &cur)
	cur.PasswordBusy, cur.PasswordErr, cur.PasswordFields = busy, err, fields
	cur.Saved, cur.ConfirmTo = false, "" // the last save's message is old news
	ctx.SetState(ProfileState, cur)
}

// fieldErrors returns the per-field problems of an error answer (nil:
// none).
func fieldErrors(a ticket.ErrorAnswer) *ticket.ValidationError {
	if len(a.Fields) == 0 {
		return nil
	}
	return &ticket.ValidationError{Fields: a.Fields}
}

// CheckNewPassword applies the password rules the browser knows (the
// server also refuses the most common passwords) to a change by s's user.
func CheckNewPassword(s Session, in ticket.PasswordChange) *ticket.ValidationError {
	var ve ticket.ValidationError
	if in.Current == "" {
		ve.Fields = append(ve.Fields, ticket.FieldError{Field: "current", MessageID: "ErrPasswordRequired"})
	}
	if id := ticket.CheckPassword(in.New, nil, s.User.Email, s.Profile.FirstName, s.Profile.LastName, s.User.Name); id != "" {
		ve.Fields = append(ve.Fields, ticket.FieldError{Field: "new", MessageID: id})
	} else if in.New == in.Current {
		ve.Fields = append(ve.Fields, ticket.FieldError{Field: "new", MessageID: "ErrPasswordUnchanged"})
	}
	if len(ve.Fields) > 0 {
		return &ve
	}
	return nil
}

// handleChangePassword changes the user's password. The server then ends
// every session of the user, this one included: the app forgets what it
// kept of the session (the drafts and the outbox stay for the next login)
// and goes to the login page, which says why; the other tabs hear it with
// their next call (or at once over the tabs' channel).
func handleChangePassword(ctx app.Context, a app.Action) {
	in, _ := a.Value.(ticket.PasswordChange)
	cur := CurrentSession(ctx)
	if ve := CheckNewPassword(cur, in); ve != nil {
		setPasswordForm(ctx, false, nil, ve)
		return
	}
	setPasswordForm(ctx, true, nil, nil)
	_, answer, err := send(context.Background(), "POST", "/api/v1/me/password", in, nil, nil)
	if err != nil {
		if expired(ctx, err) {
			return
		}
		setPasswordForm(ctx, false, err, fieldErrors(answer))
		return
	}
	tellTabs(tabPasswordChanged)
	endedByPassword(ctx)
}

// errPasswordChanged is the server's answer to a session ended by a
// password change.
const errPasswordChanged = "ErrPasswordChangedLogin"

// EndedByPassword is Session.EndedBy for a session a password change ended.
const EndedByPassword = errPasswordChanged

// endedByPassword leaves a session the user's password change ended:
// nothing of it is kept but the drafts and the outbox (theirs, for when
// they log in with the new password), and the login page says why.
func endedByPassword(ctx app.Context) {
	cur := CurrentSession(ctx)
	if !cur.LoggedIn {
		return
	}
	sessionGen.Add(1)
	stopLive()
	forgetKeptAnswers(cur)
	forgetAllKept()
	ctx.SetState(SessionState, Session{Status: Loaded, Lang: cur.Lang, Expired: true, EndedBy: errPasswordChanged})
	forgetUserState(ctx)
	ctx.SetState(ProfileState, ProfileForm{})
}
