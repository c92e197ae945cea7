package api

import (
	"net/http"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// me answers GET /api/v1/me.
func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	return s.writeMe(w, r, viewerOf(r))
}

// updateMe saves what the user says about themselves (Settings → Your
// information): names, phone, language, which mails they want — every
// field checked by the rules the browser checks too, every bad one named
// (422). A new email is used only once confirmed from the link sent to
// it. The answer is GET /me's.
func (s *Server) updateMe(w http.ResponseWriter, r *http.Request) error {
	var req ticket.ProfileChange
	if err := decode(w, r, &req); err != nil {
		return err
	}
	req = req.Normalized()
	if err := req.Validate(locales.Supports); err != nil {
		return err
	}
	v := viewerOf(r)
	changesEmail := req.Email != nil && *req.Email != v.User.Email
	if changesEmail {
		// The login moves with the email: only its owner, with the
		// password, and never a host's session (the host knows its users by
		// their email).
		if sessionOf(r).Embedded() {
			return errEmailEmbedded
		}
		if err := s.verifyPassword(w, r, v.User, "currentPassword", req.CurrentPassword); err != nil {
			return err
		}
		if err := s.requestEmailChange(r, v.User, *req.Email); err != nil {
			return err
		}
	}
	if req.Email != nil && !changesEmail {
		// The email as it is: a new one asked for is not wanted any more.
		if err := s.store.CancelEmailChange(r.Context(), v.User.ID); err != nil {
			return err
		}
	}
	if req.Locale != nil {
		v.User.Locale = *req.Locale
		if sessionOf(r).Embedded() {
			// The host's language is the session's; the user's own stays.
			if err := s.store.SetSessionLocale(r.Context(), tokenHash(s.sessionToken(r)), *req.Locale); err != nil {
				return err
			}
			req.Locale = nil
		} else {
			http.SetCookie(w, &http.Cookie{Name: LangCookie, Value: v.User.Locale, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, Secure: s.Secure(r)})
		}
	}
	if err := s.store.UpdateProfile(r.Context(), v.User.ID, req); err != nil {
		return err
	}
	if req.FirstName != nil || req.LastName != nil {
		u, err := s.store.User(r.Context(), v.User.ID)
		if err != nil {
			return err
		}
		v.User.Name = u.Name
	}
	return s.writeMe(w, r, v)
}

// errEmailEmbedded: a host portal's session cannot change the user's
// email (the host signs its users in by it).
var errEmailEmbedded = ticket.Errorf(ticket.CodeForbidden, "ErrEmailChangeEmbedded", "email")

// writeMe answers who v is: the user and their profile, memberships,
// vendor accounts and the kinds of records of each account, and which
// store they are in.
func (s *Server) writeMe(w http.ResponseWriter, r *http.Request, v ticket.Viewer) error {
	last, err := s.store.LastEventID(r.Context())
	if err != nil {
		return err
	}
	kinds, err := s.store.RecordKinds(r.Context(), v.Scope())
	if err != nil {
		return err
	}
	p, err := s.store.Profile(r.Context(), v.User.ID, s.cfg.Now())
	if err != nil {
		return err
	}
	p.Locale = v.User.Locale // a host's session speaks the host's language
	writeJSON(w, http.StatusOK, ticket.Me{User: v.User, Profile: &p, Memberships: v.Memberships, VendorAccounts: v.VendorAccounts, RecordKinds: kinds,
		Embed: s.embedInfo(sessionOf(r)), StoreID: s.store.ID(), LastEvent: last, MailLog: s.cfg.MailLog && v.CanReadMailLog()})
	return nil
}
