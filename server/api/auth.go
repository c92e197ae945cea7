package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

// Session cookies: "__Host-" prefixed and Secure when the browser speaks
// HTTPS (see Server.Secure), HttpOnly and SameSite=Lax always.
const (
	sessionCookie       = "supportal_session"
	sessionCookieSecure = "__Host-supportal_session"
)

// sessionTouch is how often a session's last use is written down.
const sessionTouch = time.Minute

// HashPassword hashes a password for storage.
func HashPassword(pw string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	return string(h), err
}

// dummyHash is compared against when an email is unknown, so that unknown
// and known emails take the same time.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a password"), bcrypt.DefaultCost)

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// sessionToken is the session cookie of r: a host's session (the
// partitioned cookie of a frame, setEmbedCookie), else the login's, by the
// one name the server sets for r (setSessionCookie): over https only the
// __Host- cookie, which no sibling host and no plain-http page can have set
// (a planted cookie would log the user into the planter's account).
func (s *Server) sessionToken(r *http.Request) string {
	if c, err := r.Cookie(embedCookie); err == nil && c.Value != "" {
		return c.Value
	}
	name := sessionCookie
	if s.Secure(r) {
		name = sessionCookieSecure
	}
	if c, err := r.Cookie(name); err == nil {
		return c.Value
	}
	return ""
}

// sessionViewer returns who is logged in on r, the store's version before
// their access was read, and the session.
func (s *Server) sessionViewer(r *http.Request) (ticket.Viewer, int64, store.Session, error) {
	token := s.sessionToken(r)
	if token == "" {
		return ticket.Viewer{}, 0, store.Session{}, ticket.ErrUnauthorized
	}
	now := s.cfg.Now()
	hash := tokenHash(token)
	// Before reading: what is read is at least this new. The viewer is
	// kept while nothing of who is who was written (IdentityVersion); the
	// answers read for it, while nothing at all was (Version).
	vs, err := s.store.Versions(r.Context())
	if err != nil {
		return ticket.Viewer{}, 0, store.Session{}, err
	}
	version, identity := vs.Store, vs.Identity
	if c, ok := s.sessions.get(identity, string(hash), now); ok {
		return c.v, version, c.session, nil
	}
	sess, err := s.liveSession(r.Context(), hash, now, sessionTouch)
	if ticket.ErrorCode(err) == ticket.CodeNotFound {
		return ticket.Viewer{}, 0, store.Session{}, s.whyEnded(r, hash, now)
	}
	if err != nil {
		return ticket.Viewer{}, 0, store.Session{}, err
	}
	v, err := s.viewerIn(r.Context(), sess)
	if errors.Is(err, errHostGone) {
		// Gone for good: the host's entry coming back must not revive it.
		if _, err := s.store.DeleteSession(r.Context(), hash); err != nil {
			return ticket.Viewer{}, 0, store.Session{}, err
		}
		s.endSession(r.Context(), hash)
	}
	if ticket.ErrorCode(err) == ticket.CodeNotFound {
		return ticket.Viewer{}, 0, store.Session{}, ticket.ErrUnauthorized
	}
	if err == nil {
		s.sessions.put(identity, string(hash), cachedViewer{v: v, session: sess, at: now})
	}
	return v, version, sess, err
}

// whyEnded is the error for a session cookie that opens no session: why
// it ended, when the user should hear of it (their password was changed),
// else ErrUnauthorized.
func (s *Server) whyEnded(r *http.Request, hash []byte, now time.Time) error {
	reason, err := s.store.EndedSession(r.Context(), hash, now)
	if err == nil && reason == store.EndedPasswordChanged {
		return errPasswordChanged
	}
	return ticket.ErrUnauthorized
}

// kioskTouch is how often a kiosk session's use is written down: its idle
// time is counted on the server too.
const kioskTouch = 10 * time.Second

// liveSession returns the session with the token hash if it still holds:
// used within the idle time (a kiosk's: its host's idle minutes and the
// countdown, with a minute to spare for a slow network), not past its end.
// Its use is written down at most every touch (kiosks: kioskTouch).
func (s *Server) liveSession(ctx context.Context, hash []byte, now time.Time, touch time.Duration) (store.Session, error) {
	sess, err := s.store.Session(ctx, hash, now, now.Add(-s.cfg.SessionIdle), touch)
	if err != nil || !sess.Kiosk {
		return sess, err
	}
	idle := s.cfg.SessionIdle
	if h := s.cfg.Hosts.Host(sess.Host); h != nil {
		idle = h.Kiosk.Idle() + kioskCountdown + time.Minute
	}
	if now.Sub(sess.LastSeen) > idle {
		if _, err := s.store.DeleteSession(ctx, hash); err != nil {
			return store.Session{}, err
		}
		s.endSession(ctx, hash)
		return store.Session{}, ticket.ErrNotFound
	}
	if touch != math.MaxInt64 && now.Sub(sess.LastSeen) >= kioskTouch && now.Sub(sess.LastSeen) < sessionTouch {
		// Used: written down sooner than other sessions' use (store.Session
		// wrote it down already when it was older than sessionTouch).
		if _, err := s.store.Session(ctx, hash, now, now.Add(-s.cfg.SessionIdle), 0); err != nil {
			return store.Session{}, err
		}
	}
	return sess, nil
}

// kioskCountdown is how long a kiosk asks "Still here?" (the browser's
// state.KioskCountdown) before its session ends.
const kioskCountdown = 20 * time.Second

// errHostGone: the session's host was removed from the hosts file, or no
// longer speaks for the session's account.
var errHostGone = ticket.Errorf(ticket.CodeNotFound, "ErrNotFound", "")

// viewerIn reads the user of sess as the policy sees them in that
// session: a host's session works in its one account, in the language the
// host asked for.
func (s *Server) viewerIn(ctx context.Context, sess store.Session) (ticket.Viewer, error) {
	v, err := s.store.Viewer(ctx, sess.UserID)
	if err != nil || !sess.Embedded() {
		return v, err
	}
	// A host removed from the configuration, or no longer speaking for the
	// account, has no sessions any more.
	h := s.cfg.Hosts.Host(sess.Host)
	v = v.Within(sess.OrganizationID)
	if h == nil {
		return ticket.Viewer{}, errHostGone
	}
	if len(v.Memberships) == 0 {
		return ticket.Viewer{}, ticket.ErrNotFound
	}
	if !h.SpeaksFor(v.Memberships[0].Organization.AccountNumber) {
		return ticket.Viewer{}, errHostGone
	}
	if sess.Locale != "" {
		v.User.Locale = sess.Locale
	}
	return v, nil
}

// sessions remembers for a second who a session belongs to, while nothing
// of who is who is written (store.IdentityVersion: a logout, a membership
// change and a session's own "last used" are such writes; a new ticket is
// not): a burst of requests reads the session, the user and the
// memberships once.
type sessions struct {
	mu      sync.Mutex
	version int64
	m       map[string]cachedViewer
}

type cachedViewer struct {
	v       ticket.Viewer
	session store.Session
	at      time.Time
}

// sessionsKept bounds how many sessions are remembered.
const sessionsKept = 10000

func (c *sessions) get(version int64, hash string, now time.Time) (cachedViewer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[hash]
	if !ok || c.version != version || now.Before(e.at) || now.Sub(e.at) >= time.Second {
		return cachedViewer{}, false
	}
	return e, true
}

func (c *sessions) put(version int64, hash string, e cachedViewer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version < c.version {
		return
	}
	if version > c.version || c.m == nil || len(c.m) >= sessionsKept {
		c.m = map[string]cachedViewer{}
		c.version = version
	}
	c.m[hash] = e
}

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, value string, maxAge int) {
	c := &http.Cookie{Name: sessionCookie, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: maxAge}
	if s.Secure(r) {
		c.Name = sessionCookieSecure
		c.Secure = true
	}
	http.SetCookie(w, c)
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	var req ticket.Credentials
	if err := decode(w, r, &req); err != nil {
		return err
	}
	email := strings.ToLower(strings.TrimSpace(req.Email))
	if email == "" {
		return ticket.Errorf(ticket.CodeInvalid, "ErrEmailRequired", "email")
	}
	if req.Password == "" {
		return ticket.Errorf(ticket.CodeInvalid, "ErrPasswordRequired", "password")
	}
	now := s.cfg.Now()
	client := clientKey(s.ClientAddr(r))
	wait, why, err := s.throttle.admit(r.Context(), client, email, now)
	if err != nil {
		return err
	}
	if wait > 0 {
		secs := int((wait + time.Second - 1) / time.Second)
		s.log.Debug("login refused: throttled", "by", why, "client", client, "emailHash", emailHash(email), "retryAfter", secs)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		return ticket.ErrTooManyLogins
	}
	u, err := s.checkPassword(r.Context(), email, req.Password)
	switch {
	case errors.Is(err, ticket.ErrBadCredentials):
		if np, nc, na := s.throttle.counts(r.Context(), client, email, now); np >= s.cfg.LoginFailures || nc >= s.cfg.LoginClientFailures || na >= s.cfg.LoginAccountFailures {
			s.log.Warn("login failures: throttling", "client", client, "failures", np, "clientFailures", nc, "emailHash", emailHash(email), "emailFailures", na)
		}
		return err
	case err != nil:
		if err := s.throttle.takeBack(r.Context(), client, email, now); err != nil { // no password was compared
			s.log.Error("login throttle", "err", err)
		}
		if errors.Is(err, errLoginBusy) && r.Context().Err() == nil {
			s.log.Warn("login refused: password checks busy", "client", client, "hashers", cap(s.hashers))
			w.Header().Set("Retry-After", "1")
		}
		return err
	}
	if err := s.throttle.takeBack(r.Context(), client, email, now); err != nil { // the password was right
		return err
	}

	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return err
	}
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	if err := s.store.CreateSession(r.Context(), tokenHash(token), store.Session{UserID: u.ID}, now); err != nil {
		return err
	}
	v, err := s.store.Viewer(r.Context(), u.ID)
	if err != nil {
		return err
	}
	s.setSessionCookie(w, r, token, 0)
	return s.writeMe(w, r, v)
}

// checkPassword returns the user whose email and password these are, or
// ErrBadCredentials. An unknown email costs the same comparison. It waits
// for one of the hashers, and gives up with errLoginBusy.
func (s *Server) checkPassword(ctx context.Context, email, password string) (ticket.User, error) {
	u, hash, err := s.store.UserByEmail(ctx, email)
	known := err == nil
	if !known && ticket.ErrorCode(err) != ticket.CodeNotFound {
		return ticket.User{}, err
	}
	if !known {
		hash = string(dummyHash)
	}
	if !s.hashers.acquire(ctx, s.cfg.LoginQueueWait) {
		return ticket.User{}, errLoginBusy
	}
	defer s.hashers.release()
	if s.compare([]byte(hash), []byte(password)) != nil || !known {
		return ticket.User{}, ticket.ErrBadCredentials
	}
	return u, nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if token := s.sessionToken(r); token != "" {
		hash := tokenHash(token)
		deleted, err := s.store.DeleteSession(r.Context(), hash)
		if err != nil {
			return err
		}
		if deleted {
			s.endSession(r.Context(), hash) // the session's sockets close too
		}
	}
	if _, err := r.Cookie(embedCookie); err == nil {
		s.setEmbedCookie(w, "", -1)
	} else {
		s.setSessionCookie(w, r, "", -1)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// whoIs answers GET /me. A browser that sends no session cookie has
// nobody logged in: that is an answer (204, no body), not an error, so
// the login page of a visitor logs no failed request. A session cookie
// that no longer holds is 401, as on every route.
func (s *Server) whoIs(w http.ResponseWriter, r *http.Request) {
	if !sentSessionCookie(r) {
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	s.authed(s.me)(w, r)
}

// sentSessionCookie reports whether r carries a session cookie of any
// name (one the server would not take for r included: that is 401).
func sentSessionCookie(r *http.Request) bool {
	for _, name := range []string{sessionCookie, sessionCookieSecure, embedCookie} {
		if c, err := r.Cookie(name); err == nil && c.Value != "" {
			return true
		}
	}
	return false
}
