package pages

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// The shell's logout: when logging out would erase work from this browser
// (drafts being written, tickets and replies waiting in the outbox), it
// asks first. Waiting items can be sent now, kept for the user's next
// login here, or discarded with everything else.

// onLogout logs out, unless work would be lost: then it asks first.
func (s *shell) onLogout(ctx app.Context, e app.Event) {
	s.menuOpen = ""
	s.unsent = state.UnsentDrafts(ctx, s.Session.User.ID)
	if len(s.unsent) == 0 && s.outbox.Waiting() == 0 {
		s.unsent = nil
		ctx.NewAction(state.Logout)
		return
	}
	s.asking = true
	s.ui.Defer(func(app.Context) {
		callElement("logout-dialog", "showModal")
		focus("logout-keep")
	})
}

// renderLogoutDialog asks, before logging out, what becomes of the items
// waiting in the outbox and whether the unsent drafts may be deleted from
// this browser; each draft is a link back to it.
func (s *shell) renderLogoutDialog(lang string) app.UI {
	waiting := s.outbox.Waiting()
	if !s.asking {
		waiting = 0 // the dialog's text follows the question asked
	}
	title := locales.N(lang, "LogoutDraftsTitle", max(len(s.unsent), 1), nil)
	if waiting > 0 {
		title = locales.N(lang, "LogoutOutboxTitle", waiting, nil)
	}
	return app.Dialog().ID("logout-dialog").Class("modal").Aria("labelledby", "logout-dialog-title").
		Aria("describedby", "logout-dialog-text").On("cancel", s.onKeepWriting).Body(
		app.H2().ID("logout-dialog-title").Text(title),
		app.If(waiting > 0, func() app.UI {
			return app.P().ID("logout-dialog-text").Text(locales.N(lang, "LogoutOutboxText", waiting, nil))
		}),
		app.If(len(s.unsent) > 0, func() app.UI {
			return app.Ul().ID("logout-drafts").Class("plain-list").Body(
				app.Range(s.unsent).Slice(func(i int) app.UI {
					d := s.unsent[i]
					href, label := ticketHref(d.Ticket), t(lang, "LogoutDraftReply", "Number", d.Ticket)
					switch {
					case d.Record != 0:
						href, label = recordHref(d.Record)+"?help=1", t(lang, "LogoutDraftRecord")
					case d.Flow == state.FlowAssistant:
						href, label = "/assistant", t(lang, "LogoutDraftAssistant")
					case d.Flow == state.FlowForm:
						href, label = "/tickets/new", t(lang, "LogoutDraftForm")
					}
					if d.Subject != "" {
						label = t(lang, "LogoutDraftSubject", "Draft", label, "Subject", ticket.Isolate(d.Subject))
					}
					return app.Li().Body(app.A().Href(href).OnClick(s.onKeepWriting).Text(label))
				}),
			)
		}),
		app.If(len(s.unsent) > 0, func() app.UI {
			id := "logout-dialog-text"
			if waiting > 0 {
				id = "logout-drafts-text"
			}
			return app.P().ID(id).Text(locales.N(lang, "LogoutDraftsText", max(len(s.unsent), 1), nil))
		}),
		app.Div().Class("actions").Body(
			app.Button().ID("logout-keep").Type("button").Class("primary").OnClick(s.onKeepWriting).Text(t(lang, "LogoutKeepWriting")),
			app.If(waiting > 0 && !state.Offline(), func() app.UI {
				return app.Button().ID("logout-send-now").Type("button").OnClick(s.onSendNow).Text(t(lang, "LogoutSendNow"))
			}),
			app.If(waiting > 0, func() app.UI {
				return app.Button().ID("logout-keep-outbox").Type("button").OnClick(s.onLogoutKeepOutbox).Text(t(lang, "LogoutKeepOutbox"))
			}),
			app.If(waiting > 0, func() app.UI {
				return app.Button().ID("logout-confirm").Type("button").Class("danger").OnClick(s.onLogoutConfirmed).Text(t(lang, "LogoutDiscardAll"))
			}).Else(func() app.UI {
				return app.Button().ID("logout-confirm").Type("button").Class("danger").OnClick(s.onLogoutConfirmed).Text(t(lang, "LogoutDeleteDrafts"))
			}),
		),
	)
}

// onKeepWriting closes the question and logs nobody out (Escape too).
func (s *shell) onKeepWriting(ctx app.Context, e app.Event) {
	if e.Get("type").String() == "cancel" {
		e.PreventDefault()
	}
	s.closeLogoutDialog()
	focusLater(s.ui, "user-menu-button")
}

func (s *shell) closeLogoutDialog() {
	callElement("logout-dialog", "close")
	s.unsent, s.asking = nil, false
}

// onSendNow sends what waits and keeps the user logged in: the outbox
// page shows how it goes.
func (s *shell) onSendNow(ctx app.Context, e app.Event) {
	s.closeLogoutDialog()
	ctx.NewAction(state.FlushOutbox)
	ctx.Navigate(PathOutbox)
}

// onLogoutKeepOutbox logs out; the outbox stays for the next login here.
func (s *shell) onLogoutKeepOutbox(ctx app.Context, e app.Event) {
	s.closeLogoutDialog()
	ctx.NewActionWithValue(state.Logout, state.LogoutInput{KeepOutbox: true})
}

// onLogoutConfirmed logs out; drafts and outbox go with the session.
func (s *shell) onLogoutConfirmed(ctx app.Context, e app.Event) {
	s.closeLogoutDialog()
	ctx.NewAction(state.Logout)
}
