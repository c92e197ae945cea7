package api

// Links of tickets to records: made and removed by portal users (their
// own) and agents (any), announced live to every open page.

import (
	"net/http"
	"strconv"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
	"github.com/supportal/supportal/server/store"
)

var (
	errRecordArchived = store.ErrRecordArchived
	errLinkNotFound   = ticket.Errorf(ticket.CodeNotFound, "ErrLinkNotFound", "recordId")
)

// linkable reads record id for ticket t, if v may link it there: a record
// of another account is not found, like one that does not exist.
func (s *Server) linkable(r *http.Request, v ticket.Viewer, t ticket.Ticket, id int64) (ticket.Record, error) {
	rec, err := s.store.Record(r.Context(), id)
	if ticket.ErrorCode(err) == ticket.CodeNotFound || (err == nil && (!v.CanSeeRecord(rec) || rec.Organization.ID != t.Organization.ID)) {
		return rec, errRecordNotFound
	}
	if err != nil {
		return rec, err
	}
	if rec.Archived {
		return rec, errRecordArchived
	}
	if !v.MayLink(t, rec) {
		return rec, ticket.ErrForbidden
	}
	return rec, nil
}

// addLink links a record to a ticket; as an example ("add this claim to an
// open ticket") it also says so in the conversation, like a reply.
func (s *Server) addLink(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	var req ticket.LinkRequest
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
	rec, err := s.linkable(r, v, t, req.RecordID)
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		var example *store.Example
		if req.Example {
			next, err := ticket.Next(v.Actor(), ticket.ActionReply, t.Status)
			if err != nil {
				return err
			}
			// The conversation is the customer's: in the requester's language.
			lang := s.lang(r)
			if u, err := s.store.User(r.Context(), t.Requester.ID); err == nil && locales.Supports(u.Locale) {
				lang = u.Locale
			}
			example = &store.Example{From: t.Status, To: next, Body: locales.T(lang, "ExampleAdded", map[string]any{
				"Kind": locales.T(lang, rec.Kind.MessageID(), nil), "ID": rec.ExternalID, "Title": rec.Title,
			})}
		}
		msgID, err := s.store.LinkRecord(r.Context(), t.Number, rec.ID, v.User.Ref(), s.cfg.Now(), example)
		if err == store.ErrChanged && attempt < 3 {
			if t, err = s.store.Ticket(r.Context(), t.Number); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		return s.respondTicket(w, r, v, http.StatusCreated, t.Number, msgID)
	}
}

// removeLink removes a ticket's link to a record: portal users the links
// they made, agents any.
func (s *Server) removeLink(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	t, err := s.visibleTicket(r, v)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("recordId"), 10, 64)
	if err != nil || id <= 0 {
		return errLinkNotFound
	}
	var link *ticket.Link
	for i := range t.Links {
		if t.Links[i].Record.ID == id {
			link = &t.Links[i]
		}
	}
	if link == nil {
		return errLinkNotFound
	}
	if !v.CanWrite(t.Organization.ID) {
		return ticket.ErrReadOnly
	}
	if !v.MayUnlink(t, *link) {
		return ticket.ErrForbidden
	}
	if err := s.store.UnlinkRecord(r.Context(), t.Number, id, s.cfg.Now()); err != nil {
		return err
	}
	return s.respondTicket(w, r, v, http.StatusOK, t.Number, 0)
}
