package pages

import (
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// t translates id into lang; kv are placeholder name/value pairs.
func t(lang, id string, kv ...any) string {
	var data map[string]any
	if len(kv) > 1 {
		data = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			name, _ := kv[i].(string)
			data[name] = kv[i+1]
		}
	}
	return locales.T(lang, id, data)
}

// when formats a time in the user's time zone and language.
func when(lang string, v time.Time) string {
	return locales.DateTime(lang, local(v), nil)
}

// ago says how long before now v was, as people say it ("5 minutes ago"),
// for what happened in the last week (else when it was).
func ago(lang string, v, now time.Time) string {
	d := now.Sub(v)
	switch {
	case d < time.Minute:
		return t(lang, "AgeJustNow")
	case d < time.Hour:
		return locales.N(lang, "AgeMinutes", int(d/time.Minute), nil)
	case d < 24*time.Hour:
		return locales.N(lang, "AgeHours", int(d/time.Hour), nil)
	case d < 7*24*time.Hour:
		return locales.N(lang, "AgeDays", int(d/(24*time.Hour)), nil)
	}
	return when(lang, v)
}

// local returns v in the user's time zone. In the browser, Go's time.Local
// is one fixed offset (today's), so times on the other side of a daylight
// saving change would be an hour off: ask the browser for the offset at v.
func local(v time.Time) time.Time {
	if app.IsServer {
		return v.In(time.Local)
	}
	minutes := app.Window().Get("Date").New(float64(v.UnixMilli())).Call("getTimezoneOffset").Int()
	return v.In(time.FixedZone("", -minutes*60))
}

// number formats a ticket number as people write it.
func number(n int64) string { return "#" + strconv.FormatInt(n, 10) }

// ticketHref is the address of a ticket's page.
func ticketHref(n int64) string { return "/tickets/" + strconv.FormatInt(n, 10) }

// statusBadge shows a portal status as a traffic light with its label.
func statusBadge(lang string, s ticket.PortalStatus) app.UI {
	return app.Span().Class("status", "status-"+string(s.Light())).Body(
		app.Span().Class("light").Aria("hidden", "true"),
		app.Text(t(lang, s.MessageID())),
	)
}

// keptNotice says that what follows is what this browser kept at at,
// the server being out of reach (nothing when at is zero).
func keptNotice(lang, id string, at time.Time) app.UI {
	if at.IsZero() {
		return nil
	}
	return app.P().ID(id).Class("kept-notice").Text(t(lang, "KeptAsOf", "Time", when(lang, at)))
}

// besidesOffline is err, unless it only says the server cannot be
// reached while the offline bar says so already.
func besidesOffline(err *state.Error, net state.Net) *state.Error {
	if err != nil && net.Offline && err.MessageID == state.ErrOffline.MessageID {
		return nil
	}
	return err
}

// errorBox shows an error in the user's language; screen readers announce it.
func errorBox(lang string, err *state.Error) app.UI {
	if err == nil {
		return nil
	}
	// Focusable from script (focusProblem), not a Tab stop.
	return app.P().Class("error").Role("alert").TabIndex(-1).Text(t(lang, err.MessageID))
}

// The focus helpers run once the page shows what the event changed: ui
// must be the context of a component that stays on the page (its OnMount
// context), not an event's, whose element the change may remove (go-app
// then skips what was deferred on it).

// focusProblem moves the focus, once the page shows it, to the first field
// of the element id marked invalid, else to its error message: the user
// sees (and a screen reader reads) what to fix instead of staying on the
// button that was refused.
func focusProblem(ui app.Context, id string) {
	focusIn(ui, id, `[aria-invalid="true"]`, `.error[role="alert"]`)
}

// focusStart moves the focus, once the page shows it, to where the user
// goes on in the element id: its chosen option, else its first field, else
// its heading (a preview has no field).
func focusStart(ui app.Context, id string) {
	focusIn(ui, id, `input:checked`, `input:not([type="hidden"]):not(.visually-hidden), select, textarea`, `h2[tabindex]`)
}

// focusIn focuses the first element of id that the first selector that
// matches anything finds, scrolled into view.
func focusIn(ui app.Context, id string, selectors ...string) {
	ui.Defer(func(app.Context) {
		root := app.Window().GetElementByID(id)
		if !root.Truthy() {
			return
		}
		for _, sel := range selectors {
			if el := root.Call("querySelector", sel); el.Truthy() {
				el.Call("focus")
				el.Call("scrollIntoView", map[string]any{"block": "center"})
				return
			}
		}
	})
}

// loading is the placeholder while data arrives.
func loading(lang string) app.UI {
	return app.P().Class("loading").Role("status").Text(t(lang, "Loading"))
}

// sessionLang is the language to render in: the session's, or the page's
// (set by the server from the request) before the session is known.
func sessionLang(ctx app.Context, s state.Session) string {
	if s.Lang != "" {
		return s.Lang
	}
	if l := ctx.Page().Lang(); locales.Supports(l) {
		return l
	}
	return locales.Default
}

// observeSession makes c follow the session: it loads the session when
// nobody did yet and calls changed after every change (and once now).
func observeSession(ctx app.Context, s *state.Session, changed func(ctx app.Context)) {
	ctx.ObserveState(state.SessionState, s).OnChange(func() { changed(ctx) })
	if s.Lang == "" {
		s.Lang = sessionLang(ctx, *s)
	}
	if s.Status == state.Idle && app.IsClient {
		ctx.NewAction(state.LoadSession)
	}
	changed(ctx)
}

// unreadBadge shows how many messages of a ticket (or of all) the user has
// not read; nothing when there are none.
func unreadBadge(lang string, n int) app.UI {
	return labelledBadge("", n, func(n int) string { return locales.N(lang, "UnreadMessages", n, nil) })
}

// labelledBadge shows n (nothing when n is 0), read out and titled as
// label(n); id may be empty.
func labelledBadge(id string, n int, label func(int) string) app.UI {
	if n <= 0 {
		return nil
	}
	b := app.Span().Class("badge").Title(label(n))
	if id != "" {
		b = b.ID(id)
	}
	return b.Body(
		app.Span().Aria("hidden", "true").Text(strconv.Itoa(n)),
		app.Span().Class("visually-hidden").Text(label(n)),
	)
}

// typed is the value to render into the text control id whose model holds v.
// go-app writes a changed value into the DOM at its next frame, up to 33 ms
// after the input handler read the control; keys pressed in between would be
// overwritten by the older value the handler saw (a fast typist loses
// letters). So while the user is in the control, what it shows is what counts:
// its own input event brings the model up to date right after.
func typed(id, v string) string {
	if !app.IsClient {
		return v
	}
	el := app.Window().Get("document").Get("activeElement")
	if !el.Truthy() || el.Get("id").String() != id {
		return v
	}
	return el.Get("value").String()
}

// focusLater moves the focus to the element with id once the page shows
// it (ui: as for focusIn).
func focusLater(ui app.Context, id string) {
	ui.Defer(func(app.Context) { focus(id) })
}

// focusIfLost moves the focus to the element with id once the page shows
// it, if the element that had it is gone (the focus fell to the body).
func focusIfLost(ui app.Context, id string) {
	ui.Defer(func(app.Context) {
		el := app.Window().Get("document").Get("activeElement")
		if !el.Truthy() || el.Get("tagName").String() == "BODY" {
			focus(id)
		}
	})
}
