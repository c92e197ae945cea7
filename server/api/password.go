package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/supportal/supportal/app/ticket"
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
	now := s.cfg.Now()
	client := clientKey(s.ClientAddr(r))
	if wait, why := s.throttle.admit(client, v.User.Email, now); wait > 0 {
		s.log.Debug("password change refused: throttled", "by", why, "client", client, "user", v.User.ID)
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		return ticket.ErrTooManyLogins
	}
	if _, err := s.checkPassword(r.Context(), v.User.Email, req.Current); err != nil {
		if err == ticket.ErrBadCredentials {
			return ticket.ValidationFailed("current", "ErrCurrentPasswordWrong")
		}
		s.throttle.takeBack(client, v.User.Email, now)
		return err
	}
	s.throttle.takeBack(client, v.User.Email, now)
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

// endSessionsWithPassword stores the new password hash and ends every
// session of the user, closing their live sockets.
func (s *Server) endSessionsWithPassword(r *http.Request, userID int64, hash string) error {
	ended, err := s.store.SetPassword(r.Context(), userID, hash, store.EndedPasswordChanged, s.cfg.Now())
	if err != nil {
		return err
	}
	for _, h := range ended {
		s.hub.EndSession(string(h))
	}
	s.log.Info("password changed: sessions ended", "user", userID, "sessions", len(ended))
	return nil
}
