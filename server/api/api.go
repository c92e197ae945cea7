// Package api is supportal's JSON API (v1). Every handler has the same
// shape: decode -> check through the policy -> store -> respond, and every
// error leaves through writeError as {"error":{code,messageId,field,message}}.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
	"github.com/supportal/supportal/server/addrs"
	"github.com/supportal/supportal/server/embed"
	"github.com/supportal/supportal/server/files"
	"github.com/supportal/supportal/server/live"
	"github.com/supportal/supportal/server/store"
)

// Config tunes a Server; zero values take the defaults.
type Config struct {
	// SessionIdle ends a session unused for this long (default 12h).
	SessionIdle time.Duration
	// LoginFailures is how many failed logins from one client address for
	// one email are answered normally within LoginWindow; after that the
	// client waits LoginDelay for that email, then twice as long after
	// each further failure, at most LoginWindow (defaults 5, 15 minutes,
	// 1s). LoginClientFailures failures from one address for any emails
	// (a sprayer) make the address wait likewise for every email (default
	// 20: the typos of a practice behind one router stay below it).
	// LoginAccountFailures failures against one email from all clients
	// together make the clients that failed on it wait likewise (default
	// 10); a client without failures for an email is never kept from
	// logging in to it.
	LoginFailures        int
	LoginClientFailures  int
	LoginAccountFailures int
	LoginWindow          time.Duration
	LoginDelay           time.Duration
	// LoginHashers is how many password comparisons (bcrypt, ~50 ms of a
	// core each) may run at once (default half the cores, at least 1); a
	// login waits at most LoginQueueWait (default 2s) for its turn, then
	// is answered 429.
	LoginHashers   int
	LoginQueueWait time.Duration
	// PublicURL is the address users reach the portal at (-public-url):
	// its scheme decides the cookie flags and HSTS, its host the only Host
	// answered. Nil: loopback and IP-literal hosts only, cookies Secure
	// when the request came over TLS.
	PublicURL *url.URL
	// LinkBase is the portal's address in the links mails carry (reset,
	// confirmation, tickets), e.g. https://support.example.com (default:
	// the address a request reached).
	LinkBase string
	// ReplyDomain is the domain of the reply addresses (-reply-domain):
	// a notification about a ticket says Reply-To
	// mail.ReplyAddress(token, ReplyDomain), the token made by
	// store.replyToken in the transaction that queues it, and a reply
	// sent there becomes a message (server/mailin). "": notifications
	// carry no Reply-To.
	ReplyDomain string
	// TrustedProxies may tell the client's address and scheme in
	// X-Forwarded-For and X-Forwarded-Proto; nobody else may.
	TrustedProxies addrs.List
	// Hosts are the portals that may show this one in a frame and sign
	// their users in (-hosts; nil: none).
	Hosts *embed.Hosts
	// EmbedSessionLife ends a session a host opened after this long,
	// however busy (default 8h; the frame asks its host for a new token).
	EmbedSessionLife time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Log receives internal errors (default slog.Default()).
	Log *slog.Logger
	// Catalog is the ticket catalog (default ticket.DefaultCatalog).
	Catalog ticket.Catalog
	// Hub sends live events; the caller runs it (default: a hub started
	// here that runs as long as the process).
	Hub *live.Hub
	// Blobs keeps uploaded files (default: in memory).
	Blobs files.Blobs
	// MaxFileBytes and MaxFiles limit uploads: per file, and per ticket or
	// message (defaults 25 MB and 10).
	MaxFileBytes int64
	MaxFiles     int
	// UploadIdle and UploadMinBytes require progress of an upload: each
	// UploadIdle it must bring at least UploadMinBytes more, else it ends
	// with 408 and nothing of it is kept (defaults 30 s and 16 KB).
	// UploadTime caps the whole upload (default: a minute plus the largest
	// file at 64 KB/s).
	UploadIdle     time.Duration
	UploadMinBytes int64
	UploadTime     time.Duration
	// UploadsPerUser and UploadsTotal limit the uploads in progress, of
	// one user and in all (defaults 4 and 64); more are answered 429.
	UploadsPerUser int
	UploadsTotal   int
	// UploadQuota is the most bytes of one user's uploads not attached yet
	// (default 200 MB, negative: no quota); more is answered 413.
	UploadQuota int64
	// UploadRate uploads per UploadRateWindow may one user start (default
	// 60 per 10 minutes, negative: no limit); more are answered 429.
	UploadRate       int
	UploadRateWindow time.Duration
	// CatchUpEvents and CatchUpAge bound what a browser coming back is sent
	// of what it missed: further behind (in events, or the age of the
	// first missed event) it is told to reload instead (defaults 10,000
	// and 7 days, negative: no bound).
	CatchUpEvents int64
	CatchUpAge    time.Duration
	// StreamOpens is how often one user may open the event stream per
	// StreamWindow (default 30 a minute, negative: no limit); more are
	// answered 429 before any upgrade.
	StreamOpens  int
	StreamWindow time.Duration
	// MailLog lists the outgoing mails to agents at GET
	// /api/v1/admin/mail (the demo mail view). main sets it with -demo and
	// no -smtp, when mails are kept in the database and nothing sends them:
	// never where mails really go out, since a mail may carry a password
	// reset link. Off: that path answers 404 to everybody.
	MailLog bool
	// AnswerCache bounds the memory of answers kept until the next write
	// (the ticket list and its counts; default 32 MB, negative: none).
	AnswerCache int
}

// Server answers /api/v1/.
type Server struct {
	store    store.Store
	cfg      Config
	log      *slog.Logger
	throttle *loginThrottle
	hashers  hashSlots
	compare  func(hash, password []byte) error // bcrypt's; tests count calls
	mux      *http.ServeMux
	cop      *http.CrossOriginProtection
	hub      *live.Hub
	answers  *answers // nil: not kept
	sessions sessions
	blobs    files.Blobs
	// streamOpens limits how often a user opens the event stream;
	// uploadRate how often they upload; uploading counts uploads in
	// progress.
	streamOpens *rate
	uploadRate  *rate
	// resetRate limits the reset links one client address asks for.
	resetRate *rate
	uploading *slots
	// uploaderLocks holds a *sync.Mutex per uploader: their uploads are
	// checked against their quota and recorded one at a time.
	uploaderLocks sync.Map
	// uploads is held (read) while a file is stored and recorded, and
	// (write) while stale uploads and their bytes are removed.
	uploads sync.RWMutex
	// inFlight holds the idempotency keys of requests being handled.
	inFlight inFlight
}

// New returns the API over db.
func New(db store.Store, cfg Config) *Server {
	if cfg.SessionIdle == 0 {
		cfg.SessionIdle = 12 * time.Hour
	}
	if cfg.LoginFailures == 0 {
		cfg.LoginFailures = 5
	}
	if cfg.LoginClientFailures == 0 {
		cfg.LoginClientFailures = 20
	}
	if cfg.LoginAccountFailures == 0 {
		cfg.LoginAccountFailures = 10
	}
	if cfg.LoginWindow == 0 {
		cfg.LoginWindow = 15 * time.Minute
	}
	if cfg.LoginDelay == 0 {
		cfg.LoginDelay = time.Second
	}
	if cfg.LoginHashers == 0 {
		cfg.LoginHashers = max(1, runtime.GOMAXPROCS(0)/2)
	}
	if cfg.LoginQueueWait == 0 {
		cfg.LoginQueueWait = 2 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.EmbedSessionLife == 0 {
		cfg.EmbedSessionLife = 8 * time.Hour
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if len(cfg.Catalog.Types) == 0 {
		cfg.Catalog = ticket.DefaultCatalog
	}
	if cfg.Blobs == nil {
		cfg.Blobs = files.NewMemory()
	}
	if cfg.MaxFileBytes == 0 {
		cfg.MaxFileBytes = ticket.DefaultMaxFileBytes
	}
	if cfg.MaxFiles == 0 {
		cfg.MaxFiles = ticket.DefaultMaxFiles
	}
	if cfg.UploadIdle == 0 {
		cfg.UploadIdle = 30 * time.Second
	}
	if cfg.UploadMinBytes == 0 {
		cfg.UploadMinBytes = 16 << 10
	}
	if cfg.UploadTime == 0 {
		cfg.UploadTime = time.Minute + time.Duration(cfg.MaxFileBytes/uploadRate)*time.Second
	}
	if cfg.UploadsPerUser == 0 {
		cfg.UploadsPerUser = 4
	}
	if cfg.UploadsTotal == 0 {
		cfg.UploadsTotal = 64
	}
	if cfg.UploadQuota == 0 {
		cfg.UploadQuota = 200 << 20
	}
	if cfg.UploadRate == 0 {
		cfg.UploadRate = 60
	}
	if cfg.UploadRateWindow == 0 {
		cfg.UploadRateWindow = 10 * time.Minute
	}
	if cfg.CatchUpEvents == 0 {
		cfg.CatchUpEvents = 10000
	}
	if cfg.CatchUpAge == 0 {
		cfg.CatchUpAge = 7 * 24 * time.Hour
	}
	if cfg.StreamOpens == 0 {
		cfg.StreamOpens = 30
	}
	if cfg.StreamWindow == 0 {
		cfg.StreamWindow = time.Minute
	}
	s := &Server{store: db, cfg: cfg, log: cfg.Log, hub: cfg.Hub, blobs: cfg.Blobs,
		streamOpens: newRate(cfg.StreamOpens, cfg.StreamWindow), uploadRate: newRate(cfg.UploadRate, cfg.UploadRateWindow),
		uploading: newSlots(cfg.UploadsPerUser, cfg.UploadsTotal), resetRate: newRate(resetsPerClient, resetWindow)}
	s.throttle = newLoginThrottle(db, cfg.LoginFailures, cfg.LoginClientFailures, cfg.LoginAccountFailures, cfg.LoginWindow, cfg.LoginDelay)
	s.hashers = make(hashSlots, cfg.LoginHashers)
	s.compare = bcrypt.CompareHashAndPassword
	switch {
	case cfg.AnswerCache == 0:
		s.answers = newAnswers(32 << 20)
	case cfg.AnswerCache > 0:
		s.answers = newAnswers(cfg.AnswerCache)
	}
	if s.hub == nil {
		s.hub = live.NewHub(db, cfg.Log, 0)
		go s.hub.Run(context.Background())
	}
	// The hub may have read where the event log ends before this (the
	// server starts it first): it looks again for what was committed
	// since, which no notification told it of.
	db.OnEvents(s.hub.Notify)
	db.OnSignal(func(sig store.Signal) { go s.hear(sig) }) // the hub's methods wait for its loop
	s.hub.Notify()
	s.cop = http.NewCrossOriginProtection()
	s.cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, errCrossOrigin)
	}))
	s.mux = http.NewServeMux()
	s.routes()
	return s
}

// ServeHTTP answers API requests. State-changing requests from another
// origin are refused.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.cop.Handler(s.mux).ServeHTTP(w, r)
}

type viewerKey struct{}

// viewerAt is who is logged in on a request, with the store's version
// their access was read at: an answer computed for them is no newer than
// that (a change of their access after it must not be kept as newer).
type viewerAt struct {
	v       ticket.Viewer
	version int64
	session store.Session
}

// handler is an API handler that may fail with a coded error.
type handler func(w http.ResponseWriter, r *http.Request) error

// public wraps h for routes open to anybody.
func (s *Server) public(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	}
}

// authed wraps h for routes that need a logged-in user; h finds the
// viewer with viewerOf.
func (s *Server) authed(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, version, sess, err := s.sessionViewer(r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if !sameUser(r, v) {
			s.writeError(w, r, ticket.ErrSessionChanged)
			return
		}
		r = r.WithContext(withViewer(r.Context(), viewerAt{v, version, sess}))
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	}
}

// sameUser reports whether the user r names (ticket.UserHeader, or
// ticket.UserParam on the websocket), if any, is v.
func sameUser(r *http.Request, v ticket.Viewer) bool {
	want := r.Header.Get(ticket.UserHeader)
	if want == "" {
		want = r.URL.Query().Get(ticket.UserParam)
	}
	return want == "" || want == strconv.FormatInt(v.User.ID, 10)
}

func viewerOf(r *http.Request) ticket.Viewer {
	v, _ := r.Context().Value(viewerKey{}).(viewerAt)
	return v.v
}

func withViewer(ctx context.Context, v viewerAt) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// sessionOf is the session of r (authed routes).
func sessionOf(r *http.Request) store.Session {
	v, _ := r.Context().Value(viewerKey{}).(viewerAt)
	return v.session
}

// viewerVersion is the store's version the viewer of r was read at.
func viewerVersion(r *http.Request) int64 {
	v, _ := r.Context().Value(viewerKey{}).(viewerAt)
	return v.version
}

// LangCookie is the cookie that keeps a visitor's language choice.
const LangCookie = "lang"

// lang is the language to answer r in: the user's saved choice, then the
// language cookie, then Accept-Language, then English.
func (s *Server) lang(r *http.Request) string {
	if v := viewerOf(r); v.User.Locale != "" && locales.Supports(v.User.Locale) {
		return v.User.Locale
	}
	return RequestLang(r)
}

// RequestLang is the language of an anonymous request: the language cookie,
// then Accept-Language, then English.
func RequestLang(r *http.Request) string {
	if c, err := r.Cookie(LangCookie); err == nil && locales.Supports(c.Value) {
		return c.Value
	}
	return locales.Match(r.Header.Get("Accept-Language"))
}
