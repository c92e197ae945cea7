package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

// listQuery reads the search of the list and the counts (ticket.Query's
// parameters) and turns it into a store query within v's scope.
func listQuery(r *http.Request, v ticket.Viewer) (store.ListQuery, error) {
	q, err := ticket.ParseQuery(r.URL.Query())
	if err != nil {
		return store.ListQuery{}, err
	}
	return storeQuery(q, v)
}

// storeQuery turns q, asked by v, into a store query within v's scope.
func storeQuery(q ticket.Query, v ticket.Viewer) (store.ListQuery, error) {
	if err := v.QueryFor(q); err != nil {
		return store.ListQuery{}, err
	}
	lq := store.ListQuery{
		Scope: v.Scope(), OrganizationID: q.OrganizationID, Statuses: q.Statuses(),
		Type: q.Type, Category: q.Category, Search: q.Search, Sort: q.Effective(),
	}
	lq.CreatedFrom, lq.CreatedTo = q.CreatedRange()
	lq.RecordKind, lq.RecordExternalID, _ = q.RecordKey()
	switch q.Assignee {
	case "me":
		lq.AssigneeID = v.User.ID
	case "none":
		lq.AssigneeID = store.Unassigned
	}
	if q.Awaiting == "me" {
		// Waiting for the caller: a customer's answer on their own
		// tickets, an agent's work on the tickets assigned to them.
		if v.Agent() {
			lq.AssigneeID = v.User.ID
		} else {
			lq.RequesterID = v.User.ID
		}
		lq.Statuses = intersect(lq.Statuses, v.AwaitingStatuses())
	}
	return lq, nil
}

// intersect returns the statuses in both a (nil: any) and b.
func intersect(a, b []ticket.Status) []ticket.Status {
	if a == nil {
		return b
	}
	out := []ticket.Status{}
	for _, x := range a {
		for _, y := range b {
			if x == y {
				out = append(out, x)
			}
		}
	}
	return out
}

func (s *Server) listTickets(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	q, err := listQuery(r, v)
	if err != nil {
		return err
	}
	if q.Cursor, q.Limit, err = pageOf(r); err != nil {
		return err
	}
	return s.cachedJSON(w, r, func(ctx context.Context) (any, error) { return s.list(ctx, v, q) })
}

// pageOf reads the page parameters of a list: the cursor of the previous
// page (at most 1,000 characters; the store checks the rest) and the
// limit, 1 to 500 (0: the list's default).
func pageOf(r *http.Request) (cursor string, limit int, err error) {
	p := r.URL.Query()
	if cursor = p.Get("cursor"); len(cursor) > 1000 {
		return "", 0, store.ErrBadCursor
	}
	if l := p.Get("limit"); l != "" {
		if limit, err = strconv.Atoi(l); err != nil || limit < 1 || limit > 500 {
			return "", 0, ticket.Errorf(ticket.CodeInvalid, "ErrBadParameter", "limit")
		}
	}
	return cursor, limit, nil
}

// list reads the page q selects for v.
func (s *Server) list(ctx context.Context, v ticket.Viewer, q store.ListQuery) (ticket.TicketPage, error) {
	resp := ticket.TicketPage{Tickets: []ticket.TicketView{}}
	if q.Scope.Empty() {
		return resp, nil
	}
	ts, next, err := s.store.ListTickets(ctx, q)
	if err != nil {
		return resp, err
	}
	numbers := make([]int64, len(ts))
	for i, t := range ts {
		numbers[i] = t.Number
	}
	unread, err := s.unreadOf(ctx, v, numbers)
	if err != nil {
		return resp, err
	}
	for _, t := range ts {
		tv := v.View(t)
		tv.Unread = unread[t.Number].Count
		resp.Tickets = append(resp.Tickets, tv)
	}
	resp.NextCursor = next
	if q.Search != "" && q.Cursor == "" {
		if resp.Truncated, err = s.store.SearchTruncated(ctx, q); err != nil {
			return resp, err
		}
	}
	return resp, nil
}

// countsResponse counts tickets per portal status (and, for agents, per
// internal status).
type countsResponse struct {
	Counts         map[ticket.PortalStatus]int `json:"counts"`
	InternalCounts map[ticket.Status]int       `json:"internalCounts,omitempty"`
}

func (s *Server) countTickets(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	q, err := listQuery(r, v)
	if err != nil {
		return err
	}
	return s.cachedJSON(w, r, func(ctx context.Context) (any, error) {
		resp := countsResponse{Counts: map[ticket.PortalStatus]int{}}
		for _, ps := range ticket.PortalStatuses() {
			resp.Counts[ps] = 0
		}
		if q.Scope.Empty() {
			return resp, nil
		}
		byStatus, err := s.store.CountByStatus(ctx, q)
		if err != nil {
			return resp, err
		}
		for st, n := range byStatus {
			resp.Counts[st.Portal()] += n
		}
		if v.Agent() {
			resp.InternalCounts = byStatus
		}
		return resp, nil
	})
}

type ticketResponse struct {
	Ticket   ticket.TicketView    `json:"ticket"`
	Messages []ticket.MessageView `json:"messages"`
}

func (s *Server) getTicket(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	number, err := strconv.ParseInt(strings.TrimPrefix(r.PathValue("number"), "#"), 10, 64)
	if err != nil || number <= 0 {
		return ticket.ErrNotFound
	}
	t, err := s.store.Ticket(r.Context(), number)
	if err != nil {
		return err
	}
	if !v.CanSeeTicket(t) {
		return ticket.ErrNotFound // exactly like a ticket that does not exist
	}
	ms, err := s.store.Messages(r.Context(), number)
	if err != nil {
		return err
	}
	unread, err := s.unreadOf(r.Context(), v, []int64{number})
	if err != nil {
		return err
	}
	tv := v.View(t)
	tv.Unread = unread[number].Count
	writeJSON(w, http.StatusOK, ticketResponse{Ticket: tv, Messages: v.ViewMessages(ms)})
	return nil
}
