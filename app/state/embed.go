package state

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// The app in a host portal's frame (README: Embedding supportal in your
// portal). The host page and the frame speak the postMessage protocol
// below; the frame accepts a message only from its parent window and the
// parent's origin, and posts only to that origin.
//
// Frame to host: ready, resize {height}, navigated {path}, ticket-created
// {number}, unread {total, byRecord}, session-ended {reason},
// token-request, escape (Escape pressed in the frame and not used there). Host to frame: auth {token}, set-context {record},
// set-locale {lang}, reset. Every message is an object with supportal: 1
// (ProtocolVersion) and a type.

// ProtocolVersion is the version of the postMessage protocol.
const ProtocolVersion = 1

// EmbedState is the state of the frame (Embed).
const EmbedState = "embed"

// Actions of the frame.
const (
	// StartEmbed: an /embed page opened (value: the app path to go to once
	// signed in, "" for the start). The frame listens to its parent and
	// says it is ready (or asks for a token when it was signed in before).
	StartEmbed = "/embed/start"
	// EndEmbed ends the session of a kiosk (value: the reason, "idle" or
	// "logout"): the server forgets it, this browser forgets the user's
	// drafts and data, and the host is told.
	EndEmbed = "/embed/end"
	// EmbedNavigated tells the host the frame shows another page (value:
	// the path).
	EmbedNavigated = "/embed/navigated"
	// EmbedUnread tells the host how many replies wait unread, per record.
	EmbedUnread = "/embed/unread"
	// KioskContinue: the kiosk's user is still there (the countdown stops).
	KioskContinue = "/embed/kiosk/continue"
)

// KioskCountdown is how long a kiosk asks "Still here?" before its session
// ends.
const KioskCountdown = 20 * time.Second

// Reasons a session ended, as session-ended says them.
const (
	EndedIdle    = "idle"    // a kiosk nobody used
	EndedLogout  = "logout"  // the user ended it
	EndedExpired = "expired" // the server ended it and the host gave no new token
	EndedRefused = "refused" // the host's token was refused
	EndedReset   = "reset"   // the host asked
)

// Embed is the frame's state.
type Embed struct {
	// Active: the app runs in a host's frame (an /embed page was opened).
	Active bool
	// Status: Loading while the host's token is awaited or exchanged,
	// Loaded when signed in, Failed when refused (Err says why).
	Status Load
	// Parent is the origin of the host page.
	Parent string
	// Session is the host's session, once signed in.
	Session ticket.EmbedSession
	// Record is the record the host shows the frame beside (0: none); the
	// host may change it (set-context).
	Record int64
	// Next is the page to show once signed in.
	Next string
	Err  *Error
	// Ended says why the last session ended ("" while none did).
	Ended string
	// IdleWarning: a kiosk nobody used asks whether the user is still
	// there; the seconds left before the session ends (0: not asking).
	IdleWarning int
}

// Embedded reports whether the app runs in a host's frame.
func Embedded() bool { return embedActive.Load() }

// drawnWait is how long the frame waits to be drawn before it counts
// what arrived as unseen.
const drawnWait = 300 * time.Millisecond

// whenSeen calls read once the ticket the user views can be seen: at once
// outside a frame; in a host's frame once the frame is drawn (a host keeps
// it hidden until Get Help, and may close it again). Until then unseen()
// is called: what arrived counts as unread. What is not seen is not read.
func whenSeen(ctx app.Context, read, unseen func(ctx app.Context)) {
	if !Embedded() {
		read(ctx)
		return
	}
	whenDrawn(drawnWait, func(drawn bool) {
		ctx.Dispatch(func(ctx app.Context) {
			if drawn {
				read(ctx)
			} else if unseen != nil {
				unseen(ctx)
			}
		})
	})
}

var (
	embedActive    atomic.Bool
	embedListening atomic.Bool
	embedParent    atomic.Value // string: the origin posted to and heard from
	embedGen       atomic.Int64 // the sign-in a token request is for
	kioskInput     atomic.Int64 // unix milliseconds of the kiosk's last input
	kioskWatching  atomic.Bool
)

// hostMessage is a message of the host page.
type hostMessage struct {
	Type   string
	Token  string
	Record *recordKey // set-context: nil clears the context
	Lang   string
}

type recordKey struct {
	Kind       ticket.RecordKind
	ExternalID string
}

func init() {
	app.Handle(StartEmbed, handleStartEmbed)
	app.Handle(EndEmbed, handleEndEmbed)
	app.Handle(EmbedNavigated, handleEmbedNavigated)
	app.Handle(EmbedUnread, handleEmbedUnread)
	app.Handle(KioskContinue, handleKioskContinue)
}

// CurrentEmbed returns the frame's state.
func CurrentEmbed(ctx app.Context) Embed {
	var e Embed
	ctx.GetState(EmbedState, &e)
	return e
}

// SafeEmbedNext returns next when it is an app page the frame may open
// after sign-in (a path of this app, nothing of another origin), else "".
func SafeEmbedNext(next string) string {
	local := func(p string) bool {
		return strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") && !strings.HasPrefix(p, "/\\")
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || !local(next) || !local(u.Path) ||
		strings.HasPrefix(u.Path, "/embed") || strings.HasPrefix(u.Path, "/login") || strings.HasPrefix(u.Path, "/api/") {
		return ""
	}
	if r := u.RequestURI(); local(r) {
		return r
	}
	return ""
}

func handleStartEmbed(ctx app.Context, a app.Action) {
	next, _ := a.Value.(string)
	embedActive.Store(true)
	e := CurrentEmbed(ctx)
	e.Active, e.Next = true, SafeEmbedNext(next)
	if e.Status != Loaded || !CurrentSession(ctx).LoggedIn {
		e.Status, e.Err = Loading, nil
	}
	if p, _ := embedParent.Load().(string); p != "" {
		e.Parent = p
	} else if p := parentOrigin(); p != "" {
		e.Parent = p
		embedParent.Store(p)
	}
	ctx.SetState(EmbedState, e)
	if e.Parent == "" {
		// Not in a frame (opened on its own): nobody can sign the user in.
		ctx.SetState(EmbedState, Embed{Active: true, Status: Failed, Err: ticket.Errorf(ticket.CodeForbidden, "ErrEmbedNoHost", "")})
		return
	}
	if embedListening.CompareAndSwap(false, true) {
		listenParent(func(m hostMessage, origin string) {
			ctx.Dispatch(func(ctx app.Context) { onHostMessage(ctx, m, origin) })
		})
		postHost(map[string]any{"type": "ready"})
		observeHeight(func(h int) { postHost(map[string]any{"type": "resize", "height": h}) })
		onEscape(func() { postHost(map[string]any{"type": "escape"}) })
		return
	}
	// Signed out by a 401: the host signs the user in again. After a
	// session ended (a kiosk), the host decides who comes next.
	if e.Status == Loading && e.Ended == "" {
		postHost(map[string]any{"type": "token-request"})
	}
}

// onHostMessage handles a message of the parent window (listenParent
// checked its source; its origin is checked here).
func onHostMessage(ctx app.Context, m hostMessage, origin string) {
	e := CurrentEmbed(ctx)
	if origin != e.Parent {
		return
	}
	switch m.Type {
	case "auth":
		ctx.Async(func() { exchangeToken(ctx, m.Token) })
	case "set-context":
		ctx.Async(func() { setContext(ctx, m.Record) })
	case "set-locale":
		if locales.Supports(m.Lang) && CurrentSession(ctx).LoggedIn {
			ctx.NewActionWithValue(SetLang, m.Lang)
		}
	case "reset":
		ctx.NewActionWithValue(EndEmbed, EndedReset)
	}
}

// exchangeToken trades the host's token for a session.
func exchangeToken(ctx app.Context, token string) {
	var e Embed
	ctx.GetState(EmbedState, &e)
	var me ticket.Me
	err := call(context.Background(), "POST", "/api/v1/embed/session", ticket.EmbedRequest{Token: token, Origin: e.Parent}, &me)
	if err == nil && me.Embed == nil {
		err = ticket.ErrInternal
	}
	if err != nil {
		ctx.Dispatch(func(ctx app.Context) {
			// The server ended the frame's earlier session too: nobody
			// stays signed in, nothing of them stays here.
			cur := CurrentSession(ctx)
			embedGen.Add(1)
			stopLive()
			forgetBrowserData(ctx)
			forgetSessionStorage()
			ctx.SetState(SessionState, Session{Status: Loaded, Lang: cur.Lang})
			forgetUserState(ctx)
			e := CurrentEmbed(ctx)
			e.Status, e.Err, e.Session, e.Record, e.IdleWarning = Failed, err, ticket.EmbedSession{}, 0, 0
			ctx.SetState(EmbedState, e)
			postHost(map[string]any{"type": "session-ended", "reason": EndedRefused})
		})
		return
	}
	ctx.Dispatch(func(ctx app.Context) {
		prev := CurrentSession(ctx)
		if prev.LoggedIn && prev.User.ID != me.User.ID {
			// Another person at the same host: nothing of the last one stays.
			stopLive()
			forgetBrowserData(ctx)
			forgetUserState(ctx)
		}
		s := loggedIn(ctx, me)
		s.Account = me.Embed.Account
		ctx.SetState(SessionState, s)
		e := CurrentEmbed(ctx)
		was := e.Record
		e.Status, e.Err, e.Ended = Loaded, nil, ""
		e.Session, e.Record = *me.Embed, me.Embed.Record
		ctx.SetState(EmbedState, e)
		if e.Record != was && e.Record != 0 && !strings.HasPrefix(ctx.Page().URL().Path, "/embed") {
			// Signed in again for another record (the host's set-context
			// of a record the portal did not know): its Get Help opens.
			ctx.Navigate(EmbedStart(e))
		}
		gen := scheduleTokenRequest(ctx, me.Embed.ExpiresAt)
		if me.Embed.Kiosk && me.Embed.IdleSeconds > 0 {
			watchIdle(ctx, gen, time.Duration(me.Embed.IdleSeconds)*time.Second)
		}
	})
}

// watchIdle counts a kiosk's idle time while the sign-in gen holds: after
// idle without input it asks whether the user is still there, and after
// KioskCountdown more it ends the session.
func watchIdle(ctx app.Context, gen int64, idle time.Duration) {
	kioskInput.Store(time.Now().UnixMilli())
	if kioskWatching.CompareAndSwap(false, true) {
		WatchInput(func() {
			// Input while asking does not count: the user answers.
			if kioskAsking.Load() {
				return
			}
			now := time.Now().UnixMilli()
			kioskInput.Store(now)
			// The server counts the kiosk's idle time too: it hears of
			// the use now and then.
			if last := kioskAlive.Load(); now-last >= kioskAliveEvery.Milliseconds() && kioskAlive.CompareAndSwap(last, now) {
				go call(context.Background(), "POST", "/api/v1/embed/alive", nil, nil)
			}
		})
	}
	var tick func(ctx app.Context)
	tick = func(ctx app.Context) {
		if embedGen.Load() != gen || !CurrentSession(ctx).LoggedIn {
			kioskAsking.Store(false)
			return
		}
		since := time.Since(time.UnixMilli(kioskInput.Load()))
		left := 0
		if since >= idle {
			left = int((idle + KioskCountdown - since + time.Second - 1) / time.Second)
			if left <= 0 {
				kioskAsking.Store(false)
				ctx.NewActionWithValue(EndEmbed, EndedIdle)
				return
			}
		}
		kioskAsking.Store(left > 0)
		if e := CurrentEmbed(ctx); e.IdleWarning != left {
			e.IdleWarning = left
			ctx.SetState(EmbedState, e)
		}
		ctx.After(time.Second/2, tick)
	}
	ctx.After(time.Second/2, tick)
}

var kioskAsking atomic.Bool

// kioskAlive is when the server last heard of the kiosk's use (unix
// milliseconds); it hears at most every kioskAliveEvery.
var kioskAlive atomic.Int64

const kioskAliveEvery = 15 * time.Second

func handleKioskContinue(ctx app.Context, a app.Action) {
	kioskAsking.Store(false)
	kioskInput.Store(time.Now().UnixMilli())
	kioskAlive.Store(time.Now().UnixMilli())
	call(context.Background(), "POST", "/api/v1/embed/alive", nil, nil)
	ctx.Dispatch(func(ctx app.Context) {
		e := CurrentEmbed(ctx)
		e.IdleWarning = 0
		ctx.SetState(EmbedState, e)
	})
}

// scheduleTokenRequest asks the host for a new token a minute before the
// session ends; a sign-in in between makes the request moot. It returns
// the sign-in's generation.
func scheduleTokenRequest(ctx app.Context, end time.Time) int64 {
	gen := embedGen.Add(1)
	wait := time.Until(end) - time.Minute
	if wait < 0 {
		wait = 0
	}
	ctx.After(wait, func(ctx app.Context) {
		if embedGen.Load() == gen && CurrentSession(ctx).LoggedIn {
			postHost(map[string]any{"type": "token-request"})
		}
	})
	return gen
}

// setContext makes the record the host names the frame's context: its Get
// Help opens. An unknown record leaves the frame on its start page.
func setContext(ctx app.Context, key *recordKey) {
	var id int64
	if key != nil && key.Kind.Valid() && ticket.ValidExternalID(key.ExternalID) {
		var page ticket.RecordPage
		q := url.Values{"kind": {string(key.Kind)}, "q": {key.ExternalID}}
		if err := call(context.Background(), "GET", "/api/v1/records?"+q.Encode(), nil, &page); err == nil {
			for _, r := range page.Records {
				if r.ExternalID == key.ExternalID && r.Kind == key.Kind {
					id = r.ID
				}
			}
		}
	}
	ctx.Dispatch(func(ctx app.Context) {
		if key != nil && id == 0 {
			// A record the portal does not know yet: the host's next token
			// brings it, with its title and fields.
			postHost(map[string]any{"type": "token-request"})
			return
		}
		e := CurrentEmbed(ctx)
		e.Record = id
		ctx.SetState(EmbedState, e)
		ctx.Navigate(EmbedStart(e))
	})
}

// EmbedStart is the page the frame shows after sign-in: the Get Help of
// its record, else the page it was asked for, else the dashboard.
func EmbedStart(e Embed) string {
	switch {
	case e.Record != 0:
		return "/records/" + strconv.FormatInt(e.Record, 10) + "?help=1"
	case e.Next != "":
		return e.Next
	}
	return "/"
}

// embedExpired handles a 401 in the frame: the frame waits on its start
// page (the shell goes there), which asks the host for a new token.
func embedExpired(ctx app.Context) {
	cur := CurrentSession(ctx)
	e := CurrentEmbed(ctx)
	e.Status = Loading
	ctx.SetState(EmbedState, e)
	if cur.LoggedIn {
		ctx.SetState(SessionState, Session{Status: Loaded, Lang: cur.Lang})
	}
}

func handleEndEmbed(ctx app.Context, a app.Action) {
	reason, _ := a.Value.(string)
	stopLive()
	call(context.Background(), "POST", "/api/v1/logout", nil, nil)
	forgetKeptData(CurrentSession(ctx), false) // the next person at the kiosk sees none of it
	ctx.Dispatch(func(ctx app.Context) {
		cur := CurrentSession(ctx)
		forgetBrowserData(ctx)
		forgetSessionStorage()
		ctx.SetState(SessionState, Session{Status: Loaded, Lang: cur.Lang})
		forgetUserState(ctx)
		e := CurrentEmbed(ctx)
		e.Status, e.Session, e.Record, e.Next, e.Ended, e.Err, e.IdleWarning = Loading, ticket.EmbedSession{}, 0, "", reason, nil, 0
		ctx.SetState(EmbedState, e)
		embedGen.Add(1)
		postHost(map[string]any{"type": "session-ended", "reason": reason})
		ctx.Navigate("/embed")
	})
}

func handleEmbedNavigated(ctx app.Context, a app.Action) {
	if path, _ := a.Value.(string); Embedded() && path != "" {
		postHost(map[string]any{"type": "navigated", "path": path})
	}
}

// handleEmbedUnread tells the host the unread replies, in all and per
// record ("claim:CLM-26-04711"), so its Get Help buttons can show them.
func handleEmbedUnread(ctx app.Context, a app.Action) {
	if !Embedded() || !CurrentSession(ctx).LoggedIn {
		return
	}
	var u ticket.RecordUnread
	if err := call(context.Background(), "GET", "/api/v1/records/unread", nil, &u); err != nil {
		return
	}
	if u.ByRecord == nil {
		u.ByRecord = map[string]int{}
	}
	// Told once per change.
	key := fmt.Sprint(u.Total, u.ByRecord)
	if lastUnread.Swap(key) == key {
		return
	}
	byRecord := map[string]any{}
	for k, n := range u.ByRecord {
		byRecord[k] = n
	}
	postHost(map[string]any{"type": "unread", "total": u.Total, "byRecord": byRecord})
}

var lastUnread atomic.Value // string: the unread counts last told

// notifyHost tells the host something happened in the frame (no-op
// outside a frame).
func notifyHost(msg map[string]any) {
	if Embedded() {
		postHost(msg)
	}
}

// postHost posts msg to the parent page, at its origin only.
func postHost(msg map[string]any) {
	origin, _ := embedParent.Load().(string)
	if origin == "" {
		return
	}
	msg["supportal"] = ProtocolVersion
	postParent(origin, msg)
}
