package api

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
	"github.com/supportal/supportal/server/embed"
	"github.com/supportal/supportal/server/store"
)

// A host portal shows this one in a frame and signs its user in with a
// short-lived token it hands the frame by postMessage (server/embed). The
// frame exchanges it here for a session of its own.
//
// The session lives in a partitioned cookie (CHIPS: Partitioned; Secure;
// SameSite=None): a frame on another site gets no other cookie in a
// browser that blocks third-party cookies, and a partitioned one is kept
// for that host's site only, so no other site's page can use it. Every
// request of the frame carries it — fetches, the websocket, the links of
// attachments — as the login's cookie does; the API's cross-origin
// protection still refuses writes from any page but the portal's own.
const embedCookie = "__Host-supportal_embed"

func (s *Server) setEmbedCookie(w http.ResponseWriter, value string, maxAge int) {
	// Browsers treat http://localhost as secure: the demo runs without TLS.
	http.SetCookie(w, &http.Cookie{Name: embedCookie, Value: value, Path: "/", HttpOnly: true, Secure: true,
		SameSite: http.SameSiteNoneMode, Partitioned: true, MaxAge: maxAge})
}

var (
	errEmbedSignIn  = ticket.Errorf(ticket.CodeUnauthorized, "ErrEmbedSignIn", "")
	errEmbedExpired = ticket.Errorf(ticket.CodeUnauthorized, "ErrEmbedExpired", "")
	errEmbedReplay  = ticket.Errorf(ticket.CodeUnauthorized, "ErrEmbedReplay", "")
	errEmbedOrigin  = ticket.Errorf(ticket.CodeForbidden, "ErrEmbedOrigin", "")
	errEmbedAccount = ticket.Errorf(ticket.CodeForbidden, "ErrEmbedAccount", "")
	// errEmbedNoAccess: an unknown user (the host may not create users),
	// one without ticket access in the account, or support staff. One
	// answer for all: a host learns nothing of who uses the portal
	// elsewhere (the log says which).
	errEmbedNoAccess = ticket.Errorf(ticket.CodeForbidden, "ErrEmbedNoAccess", "")
	errEmbedNoToken  = ticket.Errorf(ticket.CodeInvalid, "ErrEmbedSignIn", "token")
)

// refusalError is what a user is told of a refused token: what they can do
// about it (the log says why).
func refusalError(r embed.Reason) error {
	switch r {
	case embed.Expired:
		return errEmbedExpired
	case embed.WrongOrigin:
		return errEmbedOrigin
	case embed.Organization:
		return errEmbedAccount
	}
	return errEmbedSignIn
}

// FrameAncestors are the origins that may show the embed pages in a
// frame: every host's.
func (s *Server) FrameAncestors() []string { return s.cfg.Hosts.Origins() }

// audience is this portal's origin as a host's token must name it (aud):
// the public URL, else the address the frame was loaded from.
func (s *Server) audience(r *http.Request) string {
	if s.cfg.PublicURL != nil {
		return s.cfg.PublicURL.String()
	}
	scheme := "http"
	if s.Secure(r) {
		scheme = "https"
	}
	return scheme + "://" + strings.ToLower(r.Host)
}

// openEmbedSession exchanges a host's token for a session bound to that
// host, its user and the one account the token names. The answer is
// GET /me's, with the session's embed part.
func (s *Server) openEmbedSession(w http.ResponseWriter, r *http.Request) error {
	var req ticket.EmbedRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	// A refused token signs the frame's earlier user out too: a host that
	// switches users must never leave the last one signed in.
	signedIn := false
	defer func() {
		if !signedIn {
			s.endFrameSession(w, r)
		}
	}()
	if req.Token == "" {
		return errEmbedNoToken
	}
	now := s.cfg.Now()
	host, c, err := s.cfg.Hosts.Verify(req.Token, s.audience(r), req.Origin, now)
	if err != nil {
		var ref *embed.Refusal
		if !errors.As(err, &ref) {
			return err
		}
		hostID := ""
		if host != nil {
			hostID = host.ID
		}
		s.log.Warn("embed: token refused", "reason", ref.Reason, "host", hostID, "why", ref.Err, "client", s.ClientAddr(r))
		return refusalError(ref.Reason)
	}
	refuse := func(e error, why string) error {
		s.log.Warn("embed: session refused", "host", host.ID, "why", why, "org", c.Org, "emailHash", emailHash(c.Email()))
		return e
	}
	org, err := s.store.OrganizationByAccount(r.Context(), c.Org)
	if ticket.ErrorCode(err) == ticket.CodeNotFound {
		return refuse(errEmbedAccount, "no such account")
	}
	if err != nil {
		return err
	}
	lang := locales.Match(c.Locale)
	name := c.Name
	if name == "" {
		name, _, _ = strings.Cut(c.Email(), "@")
	}
	var rec *ticket.Record
	if x := c.Ctx; x != nil {
		in := x.Input()
		in.Clean()
		rec = &ticket.Record{Kind: x.Kind, ExternalID: x.ExternalID, Title: in.Title, Fields: in.Fields, URL: in.URL, UpdatedAt: now}
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return err
	}
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	hash := tokenHash(token)
	sess := store.Session{Host: host.ID, OrganizationID: org.ID, Kiosk: c.Kiosk, Locale: lang, ExpiresAt: now.Add(s.cfg.EmbedSessionLife)}
	u, created, err := s.store.OpenEmbedSession(r.Context(), hash, store.EmbedLogin{
		Host: host.ID, TokenID: c.ID, TokenEnds: c.Expiry.Time().Add(embed.Skew),
		User: ticket.User{Email: c.Email(), Name: name, Locale: lang}, Provision: host.ProvisionUsers,
		Record: rec, Session: sess,
	}, now)
	switch {
	case errors.Is(err, store.ErrTokenUsed):
		return refuse(errEmbedReplay, "token id used before (replay)")
	case ticket.ErrorCode(err) == ticket.CodeNotFound:
		return refuse(errEmbedNoAccess, "unknown user, and the host may not create users")
	case err != nil:
		return err
	}
	sess, err = s.store.Session(r.Context(), hash, now, now.Add(-s.cfg.SessionIdle), sessionTouch)
	if err != nil {
		return err
	}
	v, err := s.viewerIn(r.Context(), sess)
	if u.Agent || ticket.ErrorCode(err) == ticket.CodeNotFound || (err == nil && len(v.Accounts()) == 0) {
		if _, err := s.store.DeleteSession(r.Context(), hash); err != nil {
			return err
		}
		if u.Agent {
			return refuse(errEmbedNoAccess, "support staff sign in to the portal itself")
		}
		return refuse(errEmbedNoAccess, "the user has no ticket access in the account")
	}
	if err != nil {
		return err
	}
	// The frame's earlier session (another user of the host, or the same
	// one signed in again) ends.
	if err := s.endEarlierSession(r); err != nil {
		return err
	}
	signedIn = true
	s.log.Info("embed: session opened", "host", host.ID, "user", u.ID, "org", c.Org, "created", created, "kiosk", c.Kiosk, "record", sess.RecordID)
	s.setEmbedCookie(w, token, 0)
	vs, err := s.store.Versions(r.Context())
	if err != nil {
		return err
	}
	r = r.WithContext(withViewer(r.Context(), viewerAt{v: v, version: vs.Store, session: sess}))
	return s.writeMe(w, r, v)
}

// endEarlierSession ends the session of the frame's cookie, if any: the
// server forgets it and its websockets close.
func (s *Server) endEarlierSession(r *http.Request) error {
	c, err := r.Cookie(embedCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	hash := tokenHash(c.Value)
	deleted, err := s.store.DeleteSession(context.WithoutCancel(r.Context()), hash)
	if err == nil && deleted {
		s.endSession(r.Context(), hash)
	}
	return err
}

// endFrameSession ends the frame's earlier session after a refusal, and
// clears its cookie.
func (s *Server) endFrameSession(w http.ResponseWriter, r *http.Request) {
	if _, err := r.Cookie(embedCookie); err != nil {
		return
	}
	if err := s.endEarlierSession(r); err != nil {
		s.log.Error("embed: ending the frame's session", "err", err)
	}
	s.setEmbedCookie(w, "", -1)
}

// keepAlive is a kiosk's sign of use: its frame sends it while someone
// types or taps, so that the server's count of its idle time (see
// liveSession) agrees with the frame's.
func (s *Server) keepAlive(w http.ResponseWriter, r *http.Request) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// embedInfo is the embed part of /me for a host's session (nil for a login).
func (s *Server) embedInfo(sess store.Session) *ticket.EmbedSession {
	if !sess.Embedded() {
		return nil
	}
	h := s.cfg.Hosts.Host(sess.Host)
	if h == nil {
		return nil // the host was removed from the configuration
	}
	e := &ticket.EmbedSession{Host: h.ID, HostName: h.Name, Origins: h.Origins, Account: sess.OrganizationID,
		Kiosk: sess.Kiosk, Record: sess.RecordID, ExpiresAt: sess.ExpiresAt}
	if sess.Kiosk {
		e.IdleSeconds = int(h.Kiosk.Idle() / time.Second)
	}
	return e
}
