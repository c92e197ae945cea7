package api

import (
	"crypto/rand"
	"encoding/base64"
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/mail"
	"github.com/supportal/supportal/server/passwords"
	"github.com/supportal/supportal/server/store"
)

// Errors of the password routes.
var (
	// errNoPassword: a user a host portal created signs in through it and
	// has no password here.
	errNoPassword = ticket.Errorf(ticket.CodeForbidden, "ErrNoPassword", "")
	// errPasswordChanged: the session ended because its user changed their
	// password (here or on another device).
	errPasswordChanged = ticket.Errorf(ticket.CodeUnauthorized, "ErrPasswordChangedLogin", "")
	// errTooManyResets: one client asked for too many reset links.
	errTooManyResets = ticket.Errorf(ticket.CodeTooMany, "ErrTooManyResets", "")
)

// checkNewPassword applies the password rules to a new password of u.
func checkNewPassword(field, pw string, u ticket.User, p ticket.Profile) error {
	if id := ticket.CheckPassword(pw, passwords.Common, u.Email, p.FirstName, p.LastName, u.Name); id != "" {
		return ticket.ValidationFailed(field, id)
	}
	return nil
}

// changePassword answers POST /api/v1/me/password: with the current
// password right and the new one good, the new one is stored and every
// session of the user ends, this one included — their live sockets close
// and the login page says why. Wrong current passwords count as failed
// logins (a stolen session must not try passwords here unthrottled).
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	var req ticket.PasswordChange
	if err := decode(w, r, &req); err != nil {
		return err
	}
	v := viewerOf(r)
	p, err := s.store.Profile(r.Context(), v.User.ID, s.cfg.Now())
	if err != nil {
		return err
	}
	if !p.HasPassword || sessionOf(r).Embedded() {
		return errNoPassword
	}
	if req.Current == "" {
		return ticket.ValidationFailed("current", "ErrPasswordRequired")
	}
	if err := checkNewPassword("new", req.New, v.User, p); err != nil {
		return err
	}
	if req.New == req.Current {
		return ticket.ValidationFailed("new", "ErrPasswordUnchanged")
	}
	if err := s.verifyPassword(w, r, v.User, "current", req.Current); err != nil {
		return err
	}
	hash, err := HashPassword(req.New)
	if err != nil {
		return err
	}
	if err := s.endSessionsWithPassword(r, v.User.ID, hash); err != nil {
		return err
	}
	// The cookie stays: every tab of this browser, asking with it, hears
	// why the session ended (the next login replaces it).
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// verifyPassword checks that password is u's (a change of the password
// or the email asks for it): a wrong one is 422 on field and counts as a
// failed login, throttled like logins (a stolen session must not try
// passwords here).
func (s *Server) verifyPassword(w http.ResponseWriter, r *http.Request, u ticket.User, field, password string) error {
	if password == "" {
		return ticket.ValidationFailed(field, "ErrPasswordRequired")
	}
	now := s.cfg.Now()
	client := clientKey(s.ClientAddr(r))
	wait, why, err := s.throttle.admit(r.Context(), client, u.Email, now)
	if err != nil {
		return err
	}
	if wait > 0 {
		s.log.Debug("password check refused: throttled", "by", why, "client", client, "user", u.ID)
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		return ticket.ErrTooManyLogins
	}
	if _, err := s.checkPassword(r.Context(), u.Email, password); err != nil {
		if err == ticket.ErrBadCredentials {
			return ticket.ValidationFailed(field, "ErrCurrentPasswordWrong")
		}
		if err := s.throttle.takeBack(r.Context(), client, u.Email, now); err != nil {
			s.log.Error("login throttle", "err", err)
		}
		return err
	}
	return s.throttle.takeBack(r.Context(), client, u.Email, now)
}

// endSessionsWithPassword stores the new password hash and ends every
// session of the user, closing their live sockets.
func (s *Server) endSessionsWithPassword(r *http.Request, userID int64, hash string) error {
	ended, err := s.store.SetPassword(r.Context(), userID, hash, store.EndedPasswordChanged, s.cfg.Now())
	if err != nil {
		return err
	}
	for _, h := range ended {
		s.endSession(r.Context(), h)
	}
	s.log.Info("password changed: sessions ended", "user", userID, "sessions", len(ended))
	return nil
}

// resetValid is how long a password reset link works.
const resetValid = 30 * time.Minute

// Reset requests one client address may make in resetWindow (beyond:
// 429, whatever the addresses asked for).
const (
	resetsPerClient = 10
	resetWindow     = 15 * time.Minute
)

// requestPasswordReset answers POST /api/v1/password-reset: when the
// address is a user's who logs in with a password, a single-use link
// valid for 30 minutes is mailed to it, in their language. The answer is
// 202 either way (nobody learns whether an address has an account), and
// takes about as long; a user is sent at most three links an hour.
func (s *Server) requestPasswordReset(w http.ResponseWriter, r *http.Request) error {
	var req ticket.PasswordResetRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	email := strings.ToLower(strings.TrimSpace(req.Email))
	if id := ticket.CheckEmail(email); id != "" {
		return ticket.ValidationFailed("email", id)
	}
	now := s.cfg.Now()
	if ok, wait := s.resetRate.allow(clientID(clientKey(s.ClientAddr(r))), now); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		return errTooManyResets
	}
	start := time.Now()
	if err := s.sendResetLink(r, email, now); err != nil {
		s.log.Error("password reset: not sent", "err", err, "emailHash", emailHash(email))
	}
	// Known and unknown addresses answer alike, after the same pause.
	if d := resetAnswerAfter - time.Since(start); d > 0 {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
		}
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}

// resetAnswerAfter is how long a reset request takes at least: longer
// than looking up the user and storing the link and its mail.
const resetAnswerAfter = 300 * time.Millisecond

// sendResetLink stores a reset link for the user of email, if any, and
// queues its mail.
func (s *Server) sendResetLink(r *http.Request, email string, now time.Time) error {
	u, p, err := s.store.PasswordResetFor(r.Context(), email)
	if ticket.ErrorCode(err) == ticket.CodeNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	token, err := newToken()
	if err != nil {
		return err
	}
	letter := mail.PasswordReset(u.Locale, p.FirstName, s.linkBase(r)+"/reset-password#"+token)
	text, html := letter.Render()
	sent, err := s.store.CreatePasswordReset(r.Context(), u.ID, tokenHash(token), now.Add(resetValid),
		store.Mail{To: u.Email, ToName: mail.OneLine(u.Name), Subject: letter.Subject, Text: text, HTML: html, Kind: ticket.MailPasswordReset}, now)
	if err == nil && !sent {
		s.log.Warn("password reset: too many links for one user this hour", "user", u.ID)
	}
	return err
}

// checkPasswordReset answers GET /api/v1/password-reset/{token}: 204
// while the link holds, else 404 (unknown) or 410 (used, expired), so the
// page says so before a new password is typed.
func (s *Server) checkPasswordReset(w http.ResponseWriter, r *http.Request) error {
	if err := s.store.CheckPasswordReset(r.Context(), tokenHash(r.PathValue("token")), s.cfg.Now()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// resetPassword answers POST /api/v1/password-reset/{token}: the new
// password, good by the rules, replaces the old; the link is used up and
// every session of the user ends (204; then 410 for the link).
func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) error {
	var req ticket.PasswordReset
	if err := decode(w, r, &req); err != nil {
		return err
	}
	hash := tokenHash(r.PathValue("token"))
	now := s.cfg.Now()
	userID, err := s.store.PasswordResetUser(r.Context(), hash, now)
	if err != nil {
		return err
	}
	u, err := s.store.User(r.Context(), userID)
	if err != nil {
		return err
	}
	p, err := s.store.Profile(r.Context(), userID, now)
	if err != nil {
		return err
	}
	if err := checkNewPassword("new", req.New, u, p); err != nil {
		return err
	}
	pwHash, err := HashPassword(req.New)
	if err != nil {
		return err
	}
	_, ended, err := s.store.ResetPassword(r.Context(), hash, pwHash, now)
	if err != nil {
		return err
	}
	for _, h := range ended {
		s.endSession(r.Context(), h)
	}
	s.log.Info("password reset: sessions ended", "user", u.ID, "sessions", len(ended))
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// newToken is a fresh random token for a link (256 bits, URL-safe).
func newToken() (string, error) {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(raw[:]), nil
}

// linkBase is where the portal's links in mails point: the address users
// reach it at (Config.LinkBase), else the address this request reached
// (only hosts the server answers get here).
func (s *Server) linkBase(r *http.Request) string {
	if s.cfg.LinkBase != "" {
		return strings.TrimSuffix(s.cfg.LinkBase, "/")
	}
	scheme := "http"
	if s.Secure(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// clientID is a client address's key in a rate (which counts by number).
func clientID(key string) int64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return int64(h.Sum64())
}
