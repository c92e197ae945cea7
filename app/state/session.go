package state

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// Load is where a piece of state is in its life.
type Load int

const (
	Idle Load = iota
	Loading
	Loaded
	Failed
	// Queued: a send the server could not take now waits in the outbox.
	Queued
)

// State names.
const (
	SessionState = "session"
	LoginState   = "login"
)

// Action names: what components may ask for.
const (
	LoadSession   = "/session/load"
	Login         = "/session/login"
	Logout        = "/session/logout"
	SetLang       = "/session/lang"
	SwitchAccount = "/session/account"
)

// Session is who uses the app and how: the user, their accounts, the
// account they work in and their language.
type Session struct {
	Status      Load
	LoggedIn    bool
	User        ticket.User
	Memberships []ticket.Membership
	// VendorAccounts: a vendor user's customer accounts, with the access
	// each customer gave (none included).
	VendorAccounts []ticket.VendorAccount
	// RecordKinds: per account, the kinds of records it has.
	RecordKinds map[int64][]ticket.RecordKind
	Account     int64 // the organization the user works in; 0 for agents
	Lang        string
	Err         *Error
	// Expired: the user was logged in and the session ended (expired or
	// logged out elsewhere); the login page says so.
	Expired bool
	// EndedBy: why the session ended, when the user should hear of it
	// (ErrPasswordChangedLogin); the login page says it instead.
	EndedBy string
	// Profile: what the user says about themselves (Your information).
	Profile ticket.Profile
	// MailLog: the demo mail view is there for this user (ticket.Me.MailLog).
	MailLog bool
	// LoggedOutElsewhere: the user logged out in another tab of this
	// browser; the login page says so (their drafts are gone).
	LoggedOutElsewhere bool
	// Store identifies the server's store (ticket.Me.StoreID).
	Store string
	// Offline: the server could not be reached when the app started; the
	// session is the one this browser kept, checked once the server is back.
	Offline bool
}

// Viewer returns the session's user as the policy sees them.
func (s Session) Viewer() ticket.Viewer {
	return ticket.Viewer{User: s.User, Memberships: s.Memberships, VendorAccounts: s.VendorAccounts}
}

// KindsOfRecords returns the kinds of records of the account the user works
// in (agents: of every account), in the order of ticket.RecordKinds.
func (s Session) KindsOfRecords() []ticket.RecordKind {
	has := map[ticket.RecordKind]bool{}
	for org, kinds := range s.RecordKinds {
		if s.Account == 0 || org == s.Account {
			for _, k := range kinds {
				has[k] = true
			}
		}
	}
	var out []ticket.RecordKind
	for _, k := range ticket.RecordKinds() {
		if has[k] {
			out = append(out, k)
		}
	}
	return out
}

// Accounts returns the organizations whose tickets the user may see.
func (s Session) Accounts() []ticket.Organization { return s.Viewer().Accounts() }

// OnBehalf returns, when the user works in a customer account as a vendor,
// that access (the top bar warns: tickets created now belong to the
// customer).
func (s Session) OnBehalf() (ticket.VendorAccount, bool) {
	v := s.Viewer()
	if _, ok := v.OnBehalf(s.Account); !ok {
		return ticket.VendorAccount{}, false
	}
	for _, a := range s.VendorAccounts {
		if a.Organization.ID == s.Account {
			return a, true
		}
	}
	return ticket.VendorAccount{}, false
}

// CanWrite reports whether the user may file and reply in the account
// they work in (a vendor the customer lets read may not).
func (s Session) CanWrite() bool { return s.Viewer().CanWrite(s.Account) }

// VendorOrg returns the vendor organization the user works for, 0 for
// users of no vendor.
func (s Session) VendorOrg() int64 {
	for _, m := range s.Memberships {
		if m.TicketAccess && m.Organization.Kind == ticket.KindVendor {
			return m.Organization.ID
		}
	}
	return 0
}

// CurrentAccount returns the organization the user works in.
func (s Session) CurrentAccount() (ticket.Organization, bool) {
	for _, o := range s.Accounts() {
		if o.ID == s.Account {
			return o, true
		}
	}
	return ticket.Organization{}, false
}

// Membership returns the user's membership in the current account, if any
// (also when ticket access is revoked).
func (s Session) Membership() (ticket.Membership, bool) {
	for _, m := range s.Memberships {
		if m.Organization.ID == s.Account || (s.Account == 0 && !m.TicketAccess) {
			return m, true
		}
	}
	return ticket.Membership{}, false
}

// LoginForm is the state of the login form.
type LoginForm struct {
	Busy bool
	Err  *Error
	// RetryAfter: refused for too many attempts, the seconds to wait.
	RetryAfter int
}

// shownUser is the user the app shows (0: nobody); every API request names
// them (ticket.UserHeader), so a tab left showing one user never acts as
// another who logged in in another window.
var shownUser atomic.Int64

// sessionChanged: another user logged in in another window of this
// browser (the session cookie is theirs now). Whatever this tab was doing
// stops, and it starts again as that user; the drafts of the user it
// showed stay theirs, for their next login.
func sessionChanged() {
	dropPreloads()
	sessionGen.Add(1)
	shownUser.Store(0)
	stopLive()
	if app.IsClient {
		app.Window().Get("location").Call("assign", "/")
	}
}

// LoginInput is the value of the Login action.
type LoginInput = ticket.Credentials

// logoutPendingKey marks a logout the server has not heard of yet (the
// user logged out offline): the session is ended before any other call.
const logoutPendingKey = "supportal-logout-pending" // no user data: outside storagePrefix, it outlives forgetBrowserData

// endPendingLogout ends at the server a session the user left offline; it
// reports false while the server cannot be reached.
func endPendingLogout(ctx app.Context) bool {
	if !ctx.LocalStorage().Contains(logoutPendingKey) {
		return true
	}
	dropPreloads() // asked for the session being ended
	if err := call(context.Background(), "POST", "/api/v1/logout", nil, nil); err == errOffline {
		return false
	}
	ctx.LocalStorage().Del(logoutPendingKey)
	return true
}

// accountKey keeps the chosen account in the browser across reloads.
const accountKey = storagePrefix + "account"

var sessionLoading atomic.Bool

func init() {
	app.Handle(LoadSession, handleLoadSession)
	app.Handle(Login, handleLogin)
	app.Handle(Logout, handleLogout)
	app.Handle(SetLang, handleSetLang)
	app.Handle(SwitchAccount, handleSwitchAccount)
}

// CurrentSession returns the session state as it is now.
func CurrentSession(ctx app.Context) Session {
	var s Session
	ctx.GetState(SessionState, &s)
	return s
}

// InitialLang is the language before anybody logged in: the language cookie
// the user chose earlier, else the browser's languages, else English.
func InitialLang() string {
	if app.IsServer {
		return locales.Default
	}
	for _, part := range strings.Split(app.Window().Get("document").Get("cookie").String(), ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		if k == "lang" && locales.Supports(v) {
			return v
		}
	}
	if l := BrowserLang(); l != "" {
		return l
	}
	return locales.Default
}

// BrowserLang is the supported language the browser asks for first, ""
// when it asks for none of them. The server found it (locales.Match on the page request's
// Accept-Language, which browsers build from navigator.languages) and put
// it into the page's head (locales.BrowserLangMeta): x/text's matcher stays
// out of app.wasm, and browser and server agree.
func BrowserLang() string {
	if app.IsServer {
		return locales.Default
	}
	meta := app.Window().Get("document").Call("querySelector", `meta[name="`+locales.BrowserLangMeta+`"]`)
	if meta.Truthy() {
		if l := meta.Call("getAttribute", "content").String(); locales.Supports(l) {
			return l
		}
	}
	return ""
}

// expired handles an API error: when the session has ended (idle expiry,
// logout in another tab), the app forgets the user, and the shell sends them
// to the login page, which brings them back here. It reports whether it did.
func expired(ctx app.Context, err *Error) bool {
	if err == nil || err.Code != ticket.CodeUnauthorized {
		return false
	}
	dropPreloads()
	if err.MessageID == ticket.ErrSessionChanged.MessageID {
		sessionChanged()
		return true
	}
	if err.MessageID == errPasswordChanged && !Embedded() {
		endedByPassword(ctx)
		return true
	}
	sessionGen.Add(1) // a send under way stops
	cur := CurrentSession(ctx)
	// Nothing of the session opens the app offline any more; the outbox
	// stays for the user's next login.
	forgetKeptAnswers(cur)
	if Embedded() {
		// The host signs the user in again; their drafts stay.
		embedExpired(ctx)
		return true
	}
	if cur.LoggedIn {
		ctx.SetState(SessionState, Session{Status: Loaded, Lang: cur.Lang, Expired: true})
	}
	forgetBrowserData(ctx)
	return true
}

func setLangCookie(lang string) {
	if app.IsServer {
		return
	}
	app.Window().Get("document").Set("cookie", "lang="+lang+"; path=/; max-age=31536000; samesite=lax")
}

// refreshAccess takes the memberships and vendor accounts of me when they
// changed, keeping the account the user works in if it is still theirs.
func refreshAccess(ctx app.Context, me ticket.Me) {
	cur := CurrentSession(ctx)
	if !cur.LoggedIn || cur.User.ID != me.User.ID {
		return
	}
	was, _ := json.Marshal([]any{cur.Memberships, cur.VendorAccounts})
	now, _ := json.Marshal([]any{me.Memberships, me.VendorAccounts})
	if bytes.Equal(was, now) {
		return
	}
	next := loggedIn(ctx, me)
	next.Lang = cur.Lang
	ctx.SetState(SessionState, next)
}

// loggedIn turns the API's answer into a session, keeping the account the
// user chose last time when it is still theirs.
func loggedIn(ctx app.Context, me ticket.Me) Session {
	s := Session{Status: Loaded, LoggedIn: true, User: me.User, Memberships: me.Memberships, VendorAccounts: me.VendorAccounts, RecordKinds: me.RecordKinds, Lang: me.User.Locale, Store: me.StoreID}
	if me.Profile != nil {
		s.Profile = *me.Profile
	}
	s.MailLog = me.MailLog
	if !locales.Supports(s.Lang) {
		s.Lang = InitialLang()
	}
	storeID.Store(me.StoreID)
	shownUser.Store(me.User.ID)
	adoptUnkeyedDrafts(ctx, me.User.ID)
	openDrafts(ctx)
	var saved string
	ctx.LocalStorage().Get(accountKey, &saved)
	id, _ := strconv.ParseInt(saved, 10, 64)
	accounts := s.Accounts()
	for _, o := range accounts {
		if o.ID == id {
			s.Account = id
		}
	}
	if s.Account == 0 && len(accounts) > 0 {
		s.Account = accounts[0].ID
	}
	return s
}

var listening atomic.Bool

func handleLoadSession(ctx app.Context, a app.Action) {
	if !sessionLoading.CompareAndSwap(false, true) {
		return
	}
	if listening.CompareAndSwap(false, true) {
		watchNet(ctx)
		listenTabs(func(msg string) {
			switch {
			case strings.HasPrefix(msg, tabLogin):
				uid, _ := strconv.ParseInt(strings.TrimPrefix(msg, tabLogin), 10, 64)
				if id := shownUser.Load(); id != 0 && id != uid {
					sessionChanged()
				}
			case strings.HasPrefix(msg, tabDraft):
				go drafts.reread(strings.TrimPrefix(msg, tabDraft))
			case msg == tabPasswordChanged:
				ctx.Dispatch(endedByPassword)
			case msg == tabOutbox:
				ctx.NewAction(LoadOutbox)
			case msg == tabLogout:
				ctx.Dispatch(func(ctx app.Context) {
					cur := CurrentSession(ctx)
					if !cur.LoggedIn {
						return
					}
					stopLive()
					forgetBrowserData(ctx)
					ctx.SetState(SessionState, Session{Status: Loaded, Lang: cur.Lang, LoggedOutElsewhere: true})
					forgetUserState(ctx)
				})
			}
		})
	}
	defer sessionLoading.Store(false)
	cur := CurrentSession(ctx)
	lang := cur.Lang
	if lang == "" {
		lang = InitialLang()
	}
	ctx.SetState(SessionState, Session{Status: Loading, Lang: lang})
	if !endPendingLogout(ctx) {
		// Logged out offline, and still offline: logged out here too.
		ctx.SetState(SessionState, Session{Status: Loaded, Lang: lang})
		return
	}
	me, err := getMe()
	switch {
	case err == nil:
		s := loggedIn(ctx, me)
		if cur.LoggedIn && cur.Offline && cur.Account != 0 && cur.User.ID == me.User.ID {
			s.Account = cur.Account // checked after an offline start: the user may have switched
		}
		ctx.SetState(SessionState, s)
		keepSession(me) // for an offline start; after the state, which starts the pages' loads
		startOutbox(ctx)
	case err.Code == ticket.CodeUnauthorized:
		forgetBrowserData(ctx) // a session that ended while the app was closed
		forgetAllKept()
		ctx.SetState(SessionState, Session{Status: Loaded, Lang: lang})
	case err == errOffline:
		// The server cannot be reached: the app opens with the session
		// this browser kept, to write tickets and replies for later.
		if me, ok := keptSession(); ok {
			s := loggedIn(ctx, me)
			s.Offline = true
			ctx.SetState(SessionState, s)
			ctx.NewAction(LoadOutbox)
			return
		}
		ctx.SetState(SessionState, Session{Status: Failed, Lang: lang, Err: err})
	default:
		ctx.SetState(SessionState, Session{Status: Failed, Lang: lang, Err: err})
	}
}

// getMe asks the server who is logged in. Nobody (the server's 204: the
// browser sent no session cookie) is ErrUnauthorized here, as a session
// that ended: both mean logged out.
func getMe() (ticket.Me, *Error) {
	var me ticket.Me
	status, _, err := send(context.Background(), "GET", "/api/v1/me", nil, nil, &me)
	if err == nil && status == 204 {
		return ticket.Me{}, ticket.ErrUnauthorized
	}
	return me, err
}

// startOutbox shows the user's outbox and sends what waits in it.
func startOutbox(ctx app.Context) {
	ctx.NewAction(LoadOutbox)
	ctx.NewAction(FlushOutbox)
}

func handleLogin(ctx app.Context, a app.Action) {
	in, _ := a.Value.(LoginInput)
	dropPreloads() // what the page asked for before, it asked for nobody
	ctx.SetState(LoginState, LoginForm{Busy: true})
	endPendingLogout(ctx)
	var me ticket.Me
	if _, body, err := send(context.Background(), "POST", "/api/v1/login", in, nil, &me); err != nil {
		ctx.SetState(LoginState, LoginForm{Err: err, RetryAfter: body.RetryAfter})
		return
	}
	s := loggedIn(ctx, me)
	tellTabs(tabLogin + strconv.FormatInt(me.User.ID, 10))
	setLangCookie(s.Lang)
	ctx.SetState(LoginState, LoginForm{})
	ctx.SetState(SessionState, s)
	keepSession(me) // for an offline start; after the state, which starts the pages' loads
	startOutbox(ctx)
}

// LogoutInput is the value of Logout: KeepOutbox keeps the items waiting
// in the outbox for the user's next login (everything else of theirs is
// erased from this browser).
type LogoutInput struct {
	KeepOutbox bool
}

func handleLogout(ctx app.Context, a app.Action) {
	in, _ := a.Value.(LogoutInput)
	cur := CurrentSession(ctx)
	dropPreloads()
	sessionGen.Add(1) // a send under way stops before it writes anything back
	stopLive()
	defer shownUser.Store(0) // after the logout call, which names the user
	// The other tabs first: the server closes their live sockets as it
	// ends the session, and they must not take that for an expiry.
	tellTabs(tabLogout)
	err := call(context.Background(), "POST", "/api/v1/logout", nil, nil)
	forgetBrowserData(ctx)
	forgetKeptData(cur, in.KeepOutbox)
	drafts.flush() // erased before the next person can reload
	if err == errOffline {
		// The session's cookie cannot be removed here: the server ends
		// it as soon as it can be reached, before anything else.
		ctx.LocalStorage().Set(logoutPendingKey, true)
	}
	ctx.SetState(SessionState, Session{Status: Loaded, Lang: cur.Lang})
	forgetUserState(ctx)
	ctx.Dispatch(func(ctx app.Context) { ctx.Navigate("/login") })
}

func handleSetLang(ctx app.Context, a app.Action) {
	lang, _ := a.Value.(string)
	if !locales.Supports(lang) {
		return
	}
	s := CurrentSession(ctx)
	s.Lang = lang
	s.User.Locale = lang
	setLangCookie(lang)
	ctx.SetState(SessionState, s)
	if s.LoggedIn {
		var me ticket.Me
		if err := call(context.Background(), "PATCH", "/api/v1/me", map[string]string{"locale": lang}, &me); err != nil {
			if expired(ctx, err) {
				return
			}
			s.Err = err
			ctx.SetState(SessionState, s)
		}
	}
}

func handleSwitchAccount(ctx app.Context, a app.Action) {
	id, _ := a.Value.(int64)
	s := CurrentSession(ctx)
	for _, o := range s.Accounts() {
		if o.ID == id {
			s.Account = id
			ctx.LocalStorage().Set(accountKey, strconv.FormatInt(id, 10))
			ctx.SetState(SessionState, s)
			return
		}
	}
}
