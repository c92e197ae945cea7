package api

import (
	"context"
	"math"
	"net/http"
	"strconv"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/live"
	"github.com/supportal/supportal/server/store"
)

var (
	errBadAfter     = ticket.Errorf(ticket.CodeInvalid, "ErrBadParameter", "after")
	errNotWebsocket = ticket.Errorf(ticket.CodeInvalid, "ErrBadRequest", "")
)

// events upgrades to a websocket that sends the caller every event after
// ?after= they may see, then live events. A request without a session is
// answered 401 before any upgrade; a foreign Origin is refused by the
// upgrader.
func (s *Server) events(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	var after int64
	if a := r.URL.Query().Get("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n < 0 {
			return errBadAfter
		}
		after = n
	}
	userID := v.User.ID
	now := s.cfg.Now()
	// Each stream opened reads the viewer and catches up from the store: a
	// browser reconnecting in a loop would keep the server busy.
	if ok, wait := s.streamOpens.allow(userID, now); !ok {
		retryAfter(w, wait)
		return errTooManyReconnects
	}
	var bound live.CatchUp
	if s.cfg.CatchUpEvents > 0 {
		bound.Events = s.cfg.CatchUpEvents
	}
	if s.cfg.CatchUpAge > 0 {
		bound.Since = now.Add(-s.cfg.CatchUpAge)
	}
	hash := tokenHash(s.sessionToken(r))
	sess := sessionOf(r)
	return live.Serve(w, r, s.hub, live.Client{
		Refuse: func(w http.ResponseWriter, r *http.Request, status int) {
			switch status {
			case http.StatusForbidden:
				s.writeError(w, r, errCrossOrigin)
			default:
				s.writeError(w, r, errNotWebsocket)
			}
		},
		UserID:        userID,
		Viewer:        func(ctx context.Context) (ticket.Viewer, error) { return s.viewerIn(ctx, sess) },
		AccessVersion: s.store.AccessVersion,
		Session:       string(hash),
		SessionLive: func(ctx context.Context) bool {
			// An open socket is no use of the session: it does not keep
			// it from expiring.
			now := s.cfg.Now()
			got, err := s.liveSession(ctx, hash, now, math.MaxInt64)
			return err == nil && got.UserID == userID
		},
		CatchUp: bound,
	}, after)
}

// markRead records that the caller has read a ticket; the caller's other
// devices clear its badge.
func (s *Server) markRead(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	t, err := s.visibleTicket(r, v)
	if err != nil {
		return err
	}
	if _, err := s.store.MarkRead(r.Context(), v.User.ID, t.Number, v.Agent(), s.cfg.Now()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// unreadOf counts the caller's unread messages on the given tickets (nil:
// every ticket they follow).
func (s *Server) unreadOf(ctx context.Context, v ticket.Viewer, numbers []int64) (map[int64]store.TicketUnread, error) {
	return s.store.Unread(ctx, store.UnreadQuery{UserID: v.User.ID, Agent: v.Agent(), Scope: v.Scope(), Numbers: numbers})
}

type unreadResponse struct {
	Unread map[string]int `json:"unread"` // ticket number -> unread messages
	// Organizations gives each ticket's organization: the badges of an
	// account count its own tickets.
	Organizations map[string]int64 `json:"organizations"`
	Total         int              `json:"total"`
}

// listUnread answers the caller's unread messages per ticket: the badges
// of the navigation, the dashboard and the page title.
func (s *Server) listUnread(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	counts, err := s.unreadOf(r.Context(), v, nil)
	if err != nil {
		return err
	}
	resp := unreadResponse{Unread: map[string]int{}, Organizations: map[string]int64{}}
	for n, c := range counts {
		key := strconv.FormatInt(n, 10)
		resp.Unread[key] = c.Count
		resp.Organizations[key] = c.OrganizationID
		resp.Total += c.Count
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}
