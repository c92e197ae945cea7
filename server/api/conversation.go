package api

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

var (
	errInternalForbidden = ticket.Errorf(ticket.CodeForbidden, "ErrInternalForbidden", "internal")
	errCloseOwnOnly      = ticket.Errorf(ticket.CodeForbidden, "ErrCloseOwnOnly", "status")
	errStatusForbidden   = ticket.Errorf(ticket.CodeForbidden, "ErrStatusForbidden", "status")
	errUnknownStatus     = ticket.Errorf(ticket.CodeInvalid, "ErrUnknownStatus", "status")
)

// visibleTicket reads the ticket of the request's {number} as v may see it:
// a ticket v may not see is not found, exactly like a missing one.
func (s *Server) visibleTicket(r *http.Request, v ticket.Viewer) (ticket.Ticket, error) {
	number, err := strconv.ParseInt(strings.TrimPrefix(r.PathValue("number"), "#"), 10, 64)
	if err != nil || number <= 0 {
		return ticket.Ticket{}, ticket.ErrNotFound
	}
	t, err := s.store.Ticket(r.Context(), number)
	if err != nil {
		return t, err
	}
	if !v.CanSeeTicket(t) {
		return t, ticket.ErrNotFound
	}
	return t, nil
}

func actorOf(v ticket.Viewer) ticket.Actor {
	if v.Agent() {
		return ticket.ActorAgent
	}
	return ticket.ActorCustomer
}

type replyRequest struct {
	Body     string `json:"body"`
	Internal bool   `json:"internal"`
}

type replyResponse struct {
	Message ticket.MessageView `json:"message"`
	Ticket  ticket.TicketView  `json:"ticket"`
}

// addMessage adds a reply (or, for agents, an internal note) to a ticket
// and moves its status as the workflow says.
func (s *Server) addMessage(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	var req replyRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	t, err := s.visibleTicket(r, v)
	if err != nil {
		return err
	}
	if req.Internal && !v.Agent() {
		return errInternalForbidden
	}
	switch {
	case strings.TrimSpace(req.Body) == "":
		return &ticket.ValidationError{Fields: []ticket.FieldError{{Field: "body", MessageID: "ErrReplyRequired"}}}
	case utf8.RuneCountInString(req.Body) > ticket.MaxDescription:
		return &ticket.ValidationError{Fields: []ticket.FieldError{{Field: "body", MessageID: "ErrReplyTooLong"}}}
	case !utf8.ValidString(req.Body):
		return &ticket.ValidationError{Fields: []ticket.FieldError{{Field: "body", MessageID: "ErrBadText"}}}
	}
	for attempt := 0; ; attempt++ {
		next := t.Status // internal notes never move the status
		if !req.Internal {
			if next, err = ticket.Next(actorOf(v), ticket.ActionReply, t.Status); err != nil {
				return err
			}
		}
		m, err := s.store.Reply(r.Context(), ticket.Message{TicketNumber: t.Number, Author: v.User.Ref(), Body: req.Body, Internal: req.Internal, CreatedAt: s.cfg.Now()}, t.Status, next)
		if err == store.ErrChanged && attempt < 3 {
			if t, err = s.store.Ticket(r.Context(), t.Number); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if t, err = s.store.Ticket(r.Context(), t.Number); err != nil {
			return err
		}
		writeJSON(w, http.StatusCreated, replyResponse{Message: v.ViewMessages([]ticket.Message{m})[0], Ticket: v.View(t)})
		return nil
	}
}

type patchTicketRequest struct {
	Status *string `json:"status"`
}

// patchTicket changes a ticket's status: customers may only close their own
// ticket ("Problem solved"); agents move it along the workflow.
func (s *Server) patchTicket(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	var req patchTicketRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	t, err := s.visibleTicket(r, v)
	if err != nil {
		return err
	}
	if req.Status != nil {
		to := ticket.Status(*req.Status)
		if !v.Agent() {
			// Customers speak portal statuses: only "closed".
			if *req.Status != string(ticket.PortalClosed) {
				return errStatusForbidden
			}
			if t.Requester.ID != v.User.ID {
				return errCloseOwnOnly
			}
			to, err = ticket.Next(ticket.ActorCustomer, ticket.ActionClose, t.Status)
			if err != nil {
				return err
			}
		} else {
			if !to.Valid() {
				return errUnknownStatus
			}
			switch {
			case t.Status == ticket.StatusClosed && to == ticket.StatusOpen:
				if _, err := ticket.Next(ticket.ActorAgent, ticket.ActionReopen, t.Status); err != nil {
					return err
				}
			case !ticket.AgentMaySet(t.Status, to):
				return ticket.ErrTransition
			}
		}
		if err := s.store.SetStatus(r.Context(), t.Number, t.Status, to, s.cfg.Now()); err != nil {
			return err
		}
		if t, err = s.store.Ticket(r.Context(), t.Number); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, struct {
		Ticket ticket.TicketView `json:"ticket"`
	}{v.View(t)})
	return nil
}
