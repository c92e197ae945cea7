package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

var (
	errInternalForbidden = ticket.Errorf(ticket.CodeForbidden, "ErrInternalForbidden", "internal")
	errCloseOwnOnly      = ticket.Errorf(ticket.CodeForbidden, "ErrCloseOwnOnly", "status")
	errStatusForbidden   = ticket.Errorf(ticket.CodeForbidden, "ErrStatusForbidden", "status")
	errUnknownStatus     = ticket.Errorf(ticket.CodeInvalid, "ErrUnknownStatus", "status")
)

// ticketNumber is the request's {number}; not found when it is none.
func ticketNumber(r *http.Request) (int64, error) {
	number, err := strconv.ParseInt(strings.TrimPrefix(r.PathValue("number"), "#"), 10, 64)
	if err != nil || number <= 0 {
		return 0, ticket.ErrNotFound
	}
	return number, nil
}

// visibleTicket reads the ticket of the request's {number} as v may see it:
// a ticket v may not see is not found, exactly like a missing one.
func (s *Server) visibleTicket(r *http.Request, v ticket.Viewer) (ticket.Ticket, error) {
	number, err := ticketNumber(r)
	if err != nil {
		return ticket.Ticket{}, err
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

// addMessage adds a reply (or, for agents, an internal note) to a ticket
// and moves its status as the workflow says. With an Idempotency-Key, a
// retry adds nothing and is answered as the first request was.
func (s *Server) addMessage(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	var req ticket.ReplyRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	req.Body = ticket.CleanText(req.Body)
	number, err := ticketNumber(r)
	if err != nil {
		return err
	}
	once, err := onceOf(r, v.User.ID, kindReply, number, req)
	if err != nil {
		return err
	}
	end, err := s.startOnce(w, once)
	defer end()
	if err != nil {
		return err
	}
	// A retry is answered with what the first request was, even if the
	// ticket moved on since (closed, say).
	again := func(p store.Replay) (any, error) { return s.replyAnswer(r, v, p.MessageID) }
	if ok, err := s.replayed(w, r, once, again); ok || err != nil {
		return err
	}
	t, err := s.visibleTicket(r, v)
	if err != nil {
		return err
	}
	if !v.CanWrite(t.Organization.ID) {
		return ticket.ErrReadOnly // a vendor the customer lets read only
	}
	if req.Internal && !v.Agent() {
		return errInternalForbidden
	}
	attachments, err := s.attachmentsOf(req.Attachments)
	if err != nil {
		return err
	}
	if id := ticket.CheckReply(req.Body, len(attachments)); id != "" {
		return ticket.ValidationFailed("body", id)
	}
	// The answer is made from what the reply wrote (the ticket as read
	// before it, with its status and update time after) and kept with the
	// key in the same commit.
	var answer []byte
	once.Answer = func(w store.Written) (int, []byte) {
		views := v.ViewMessages([]ticket.Message{w.Message})
		if len(views) != 1 {
			return 0, nil
		}
		after := t
		after.Status, after.UpdatedAt = w.Status, w.UpdatedAt
		answer = encodeJSON(ticket.ReplyAnswer{Message: views[0], Ticket: v.View(after)})
		return http.StatusCreated, answer
	}
	for attempt := 0; ; attempt++ {
		next := t.Status // internal notes never move the status
		if !req.Internal {
			if next, err = v.MayReply(t); err != nil {
				return err
			}
		}
		_, replayed, err := s.store.ReplyOnce(r.Context(), once, ticket.Message{TicketNumber: t.Number, Author: v.User.Ref(), Body: req.Body, Internal: req.Internal, CreatedAt: s.cfg.Now(), Attachments: attachments}, t.Status, next)
		if err == store.ErrChanged && attempt < 3 {
			if t, err = s.store.Ticket(r.Context(), t.Number); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if replayed { // another server took the first request (see inFlight)
			return s.replay(w, r, once, again)
		}
		if answer == nil {
			return ticket.ErrNotFound
		}
		writeRaw(w, http.StatusCreated, answer)
		return nil
	}
}

// replyAnswer is the answer to a reply, message msgID, as v sees it now.
func (s *Server) replyAnswer(r *http.Request, v ticket.Viewer, msgID int64) (ticket.ReplyAnswer, error) {
	m, err := s.store.Message(r.Context(), msgID)
	if err != nil {
		return ticket.ReplyAnswer{}, err
	}
	t, err := s.store.Ticket(r.Context(), m.TicketNumber)
	if err != nil {
		return ticket.ReplyAnswer{}, err
	}
	views := v.ViewMessages([]ticket.Message{m})
	if !v.CanSeeTicket(t) || len(views) != 1 {
		return ticket.ReplyAnswer{}, ticket.ErrNotFound
	}
	return ticket.ReplyAnswer{Message: views[0], Ticket: v.View(t)}, nil
}

type patchTicketRequest struct {
	Status         *string `json:"status"`
	AssigneeID     *int64  `json:"assigneeId"`     // agents: 0 unassigns
	PostponedUntil *string `json:"postponedUntil"` // agents, with status postponed: YYYY-MM-DD or RFC 3339
}

var (
	errAssigneeForbidden = ticket.Errorf(ticket.CodeForbidden, "ErrForbidden", "assigneeId")
	errPostponeForbidden = ticket.Errorf(ticket.CodeForbidden, "ErrForbidden", "postponedUntil")
)

// patchTicket changes a ticket's status and assignee: customers may only
// close their own ticket ("Problem solved"); agents move it along the
// workflow, postpone it to a date and assign it.
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
	if !v.CanWrite(t.Organization.ID) {
		return ticket.ErrReadOnly
	}
	if !v.Agent() && req.AssigneeID != nil {
		return errAssigneeForbidden
	}
	if !v.Agent() && req.PostponedUntil != nil {
		return errPostponeForbidden
	}
	now := s.cfg.Now()
	u := store.Update{From: t.Status, At: now, By: v.User.ID}
	if req.Status != nil {
		to := ticket.Status(*req.Status)
		if !v.Agent() {
			// Customers speak portal statuses: only "closed".
			if *req.Status != string(ticket.PortalClosed) {
				return errStatusForbidden
			}
			if !v.MaySolve(t.Requester) {
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
			case to == ticket.StatusPostponed && t.Status == to:
				// a new date for a postponed ticket
			case !ticket.AgentMaySet(t.Status, to):
				return ticket.ErrTransition
			}
		}
		u.To = to
	}
	// A postponed ticket needs the day it comes back, in the future.
	if u.To == ticket.StatusPostponed || req.PostponedUntil != nil {
		if u.To != ticket.StatusPostponed {
			return ticket.ValidationFailed("postponedUntil", "ErrPostponeStatus")
		}
		var until time.Time
		if req.PostponedUntil != nil {
			until, _ = ticket.Query{CreatedFrom: *req.PostponedUntil}.CreatedRange()
		}
		if until.IsZero() {
			return ticket.ValidationFailed("postponedUntil", "ErrPostponeDate")
		}
		if !until.After(now) {
			return ticket.ValidationFailed("postponedUntil", "ErrPostponePast")
		}
		u.Until = until
	}
	if req.AssigneeID != nil {
		if id := *req.AssigneeID; id != 0 {
			agent, err := s.store.User(r.Context(), id)
			if err != nil && ticket.ErrorCode(err) != ticket.CodeNotFound {
				return err
			}
			if err != nil || !agent.Agent {
				return ticket.ValidationFailed("assigneeId", "ErrAssignee")
			}
		}
		u.Assign, u.Assignee = true, *req.AssigneeID
	}
	if err := s.store.UpdateTicket(r.Context(), t.Number, u); err != nil {
		return err
	}
	if t, err = s.store.Ticket(r.Context(), t.Number); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Ticket ticket.TicketView `json:"ticket"`
	}{v.View(t)})
	return nil
}
