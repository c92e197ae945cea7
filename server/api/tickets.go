package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

type listResponse struct {
	Tickets    []ticket.TicketView `json:"tickets"`
	NextCursor string              `json:"nextCursor,omitempty"`
}

// listQuery reads the filters shared by the list and the counts:
// organizationId, status (portal statuses, comma separated), open=true|false.
func listQuery(r *http.Request, v ticket.Viewer) (store.ListQuery, error) {
	q := store.ListQuery{Scope: v.Scope()}
	p := r.URL.Query()
	if s := p.Get("organizationId"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return q, ticket.Errorf(ticket.CodeInvalid, "ErrBadParameter", "organizationId")
		}
		q.OrganizationID = id
	}
	if search := p.Get("q"); search != "" {
		if len([]rune(search)) > 200 {
			return q, ticket.Errorf(ticket.CodeInvalid, "ErrBadParameter", "q")
		}
		q.Search = search
	}
	var portal []ticket.PortalStatus
	if s := p.Get("status"); s != "" {
		for _, part := range strings.Split(s, ",") {
			ps := ticket.PortalStatus(strings.TrimSpace(part))
			if !ps.Valid() {
				return q, ticket.Errorf(ticket.CodeInvalid, "ErrBadParameter", "status")
			}
			portal = append(portal, ps)
		}
	}
	switch p.Get("open") {
	case "":
	case "true":
		for _, ps := range ticket.PortalStatuses() {
			if ps != ticket.PortalClosed {
				portal = append(portal, ps)
			}
		}
	case "false":
		portal = append(portal, ticket.PortalClosed)
	default:
		return q, ticket.Errorf(ticket.CodeInvalid, "ErrBadParameter", "open")
	}
	for _, ps := range portal {
		q.Statuses = append(q.Statuses, ps.InternalStatuses()...)
	}
	return q, nil
}

func (s *Server) listTickets(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	q, err := listQuery(r, v)
	if err != nil {
		return err
	}
	p := r.URL.Query()
	if c := p.Get("cursor"); c != "" {
		n, err := strconv.ParseInt(c, 10, 64)
		if err != nil || n <= 0 {
			return ticket.Errorf(ticket.CodeInvalid, "ErrBadParameter", "cursor")
		}
		q.Before = n
	}
	if l := p.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			return ticket.Errorf(ticket.CodeInvalid, "ErrBadParameter", "limit")
		}
		q.Limit = n
	}
	resp := listResponse{Tickets: []ticket.TicketView{}}
	if !q.Scope.Empty() {
		ts, next, err := s.store.ListTickets(r.Context(), q)
		if err != nil {
			return err
		}
		for _, t := range ts {
			resp.Tickets = append(resp.Tickets, v.View(t))
		}
		if next != 0 {
			resp.NextCursor = strconv.FormatInt(next, 10)
		}
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
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
	resp := countsResponse{Counts: map[ticket.PortalStatus]int{}}
	for _, ps := range ticket.PortalStatuses() {
		resp.Counts[ps] = 0
	}
	if !q.Scope.Empty() {
		byStatus, err := s.store.CountByStatus(r.Context(), q)
		if err != nil {
			return err
		}
		for st, n := range byStatus {
			resp.Counts[st.Portal()] += n
		}
		if v.Agent() {
			resp.InternalCounts = byStatus
		}
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
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
	writeJSON(w, http.StatusOK, ticketResponse{Ticket: v.View(t), Messages: v.ViewMessages(ms)})
	return nil
}
