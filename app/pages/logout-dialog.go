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
	s.waitingAsked = nil
	for _, it := range s.outbox.Items {
		if it.Waiting() {
			s.waitingAsked = append(s.waitingAsked, it)
		}
	}
	s.ui.Defer(func(app.Context) {
		callElement("logout-dialog", "showModal")
		focus("logout-keep")
	})
}

// renderLogoutDialog asks, before logging out, what becomes of the items
// waiting in the outbox and whether the unsent drafts may be deleted from
// this browser; each draft is a link back to it.
func (s *shell) renderLogoutDialog(lang string) app.UI {
	// The question stays as it was asked, even if items go out meanwhile.
	waiting := len(s.waitingAsked)
	offline := state.Offline()
	title := locales.N(lang, "LogoutDraftsTitle", max(len(s.unsent), 1), nil)
	if waiting > 0 {
		title = locales.N(lang, "LogoutOutboxTitle", waiting, nil)
	}
	return app.Dialog().ID("logout-dialog").Class("modal").Aria("labelledby", "logout-dialog-title").
		Aria("describedby", "logout-dialog-text").On("cancel", s.onKeepWriting).Body(
		app.H2().ID("logout-dialog-title").Text(title),
		app.If(waiting > 0, func() app.UI {
			text := "LogoutOutboxText"
			if offline {
				text = "LogoutOutboxTextOffline"
			}
			return app.Div().Body(
				app.Ul().ID("logout-outbox").Class("plain-list").Body(app.Range(s.waitingAsked).Slice(func(i int) app.UI {
					it := s.waitingAsked[i]
					label := outboxItemTitle(lang, it)
					if sub := it.Subject(); sub != "" {
						label = t(lang, "LogoutDraftSubject", "Draft", label, "Subject", ticket.Isolate(sub))
					}
					return app.Li().Body(app.A().Href(PathOutbox).OnClick(s.onKeepWriting).Text(label))
				})),
				app.P().ID("logout-dialog-text").Text(locales.N(lang, text, waiting, nil)),
			)
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
			app.If(waiting > 0 && len(s.unsent) == 0, func() app.UI {
				return app.Button().ID("logout-keep").Type("button").Class("primary").OnClick(s.onKeepWriting).Text(t(lang, "LogoutStay"))
			}).Else(func() app.UI {
				return app.Button().ID("logout-keep").Type("button").Class("primary").OnClick(s.onKeepWriting).Text(t(lang, "LogoutKeepWriting"))
			}),
			app.If(waiting > 0 && !offline, func() app.UI {
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
	s.unsent, s.asking, s.waitingAsked = nil, false, nil
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
