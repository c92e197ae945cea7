package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/live"
	"github.com/supportal/supportal/server/store"
)

var errBadAfter = ticket.Errorf(ticket.CodeInvalid, "ErrBadParameter", "after")

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
	sub, err := s.hub.Subscribe(r.Context(), v.User.ID)
	if err != nil {
		return err
	}
	userID := v.User.ID
	live.Serve(w, r, s.hub, sub, live.Client{
		UserID:        userID,
		Viewer:        func(ctx context.Context) (ticket.Viewer, error) { return s.store.Viewer(ctx, userID) },
		AccessVersion: s.store.AccessVersion,
	}, after, func() { s.hub.Unsubscribe(sub) })
	return nil
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
func (s *Server) unreadOf(ctx context.Context, v ticket.Viewer, numbers []int64) (map[int64]int, error) {
	return s.store.Unread(ctx, store.UnreadQuery{UserID: v.User.ID, Agent: v.Agent(), Scope: v.Scope(), Numbers: numbers})
}

type unreadResponse struct {
	Unread map[string]int `json:"unread"` // ticket number -> unread messages
	Total  int            `json:"total"`
}

// listUnread answers the caller's unread messages per ticket: the badges
// of the navigation, the dashboard and the page title.
func (s *Server) listUnread(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	counts, err := s.unreadOf(r.Context(), v, nil)
	if err != nil {
		return err
	}
	resp := unreadResponse{Unread: map[string]int{}}
	for n, c := range counts {
		resp.Unread[strconv.FormatInt(n, 10)] = c
		resp.Total += c
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}
