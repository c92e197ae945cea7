package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/files"
	"github.com/supportal/supportal/server/store"
)

// getCatalog answers the types, categories and fields the caller may use,
// each type with the accounts it may be used in, and the catalog's other
// types, so that tickets of them show by their labels.
func (s *Server) getCatalog(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	resp := ticket.CatalogAnswer{Types: []ticket.CatalogType{}, Attachments: ticket.AttachmentLimits{
		MaxFileBytes: s.cfg.MaxFileBytes, MaxFiles: s.cfg.MaxFiles, Extensions: files.Extensions(),
	}}
	for _, t := range s.cfg.Catalog.Types {
		ct := ticket.CatalogType{Type: t}
		for _, o := range v.Accounts() {
			if v.CanWrite(o.ID) && (!t.AdminOnly || v.IsAdmin(o.ID)) {
				ct.OrganizationIDs = append(ct.OrganizationIDs, o.ID)
			}
		}
		// Agents file no tickets but filter by every type.
		if len(ct.OrganizationIDs) > 0 || v.Agent() {
			if ct.OrganizationIDs == nil {
				ct.OrganizationIDs = []int64{}
			}
			resp.Types = append(resp.Types, ct)
		} else if len(v.Accounts()) > 0 {
			// Tickets of it may be seen (raised by an admin, or before
			// the caller's access became read-only).
			resp.Others = append(resp.Others, t)
		}
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// createTicket raises a ticket, or with existingTicket adds the description
// to an open ticket of the same account. The draft is checked by the same
// ticket.Validate the browser runs.
func (s *Server) createTicket(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	var d ticket.Draft
	if err := decode(w, r, &d); err != nil {
		return err
	}
	d.Clean()
	once, err := onceOf(r, v.User.ID, kindCreate, d)
	if err != nil {
		return err
	}
	once.OldHash = oldCreateHash(d)
	end, err := s.startOnce(w, once)
	defer end()
	if err != nil {
		return err
	}
	ctx := r.Context()
	// A retry is answered with what the first request was, even if the
	// ticket was closed or a record it links was archived since.
	again := func(p store.Replay) (any, error) { return s.ticketAnswer(r, v, p.Number, p.MessageID) }
	if ok, err := s.replayed(w, r, once, again); ok || err != nil {
		return err
	}
	if err := ticket.Validate(s.cfg.Catalog, v, d); err != nil {
		return err
	}
	attachments, err := s.attachmentsOf(d.Attachments)
	if err != nil {
		return err
	}
	now := s.cfg.Now()
	if d.ExistingTicket != 0 {
		t, err := s.store.Ticket(ctx, d.ExistingTicket)
		if err != nil && ticket.ErrorCode(err) != ticket.CodeNotFound {
			return err
		}
		if err != nil || !v.CanSeeTicket(t) || t.Organization.ID != d.OrganizationID || t.Status.Closed() {
			return &ticket.ValidationError{Fields: []ticket.FieldError{{Field: "existingTicket", MessageID: "ErrExistingTicket"}}}
		}
		m, replayed, err := s.store.AddMessageOnce(ctx, once, ticket.Message{TicketNumber: t.Number, Author: v.User.Ref(), Body: d.Description, CreatedAt: now, Attachments: attachments})
		if err != nil {
			return err
		}
		if replayed {
			return s.replay(w, r, once, again)
		}
		resp, err := s.ticketAnswer(r, v, m.TicketNumber, m.ID)
		if err != nil {
			return err
		}
		s.answerOnce(w, r, once, http.StatusCreated, resp)
		return nil
	}
	var prev ticket.Ticket
	if d.FollowUpOf != 0 {
		// A follow-up names a closed ticket of the same account.
		var err error
		prev, err = s.store.Ticket(ctx, d.FollowUpOf)
		if err != nil && ticket.ErrorCode(err) != ticket.CodeNotFound {
			return err
		}
		if err != nil || !v.CanSeeTicket(prev) || prev.Organization.ID != d.OrganizationID || !prev.Status.Closed() {
			return ticket.ValidationFailed("followUpOf", "ErrFollowUpOf")
		}
	}
	fields := map[string]string{}
	typ, _ := s.cfg.Catalog.Type(d.Type)
	cat, _ := typ.Category(d.Category)
	for k, val := range d.Fields {
		if f, ok := cat.Field(k); ok && f.Kind == ticket.KindRows {
			val = ticket.NormalizeRows(val) // blank rows are not kept
		}
		if strings.TrimSpace(val) != "" {
			fields[k] = val
		}
	}
	links, err := s.draftLinks(r, v, d)
	if err != nil {
		return err
	}
	// A follow-up is about what the ticket it follows was about.
	for _, l := range prev.Links {
		if !l.Record.Archived && len(links) < ticket.MaxLinks && !slices.ContainsFunc(links, func(k ticket.Link) bool { return k.Record.ID == l.Record.ID }) {
			links = append(links, ticket.Link{Record: l.Record})
		}
	}
	var onBehalf *ticket.OrgRef
	if vendor, ok := v.OnBehalf(d.OrganizationID); ok {
		onBehalf = &vendor
	}
	// The answer is made from the ticket as written and kept with the key
	// in the same commit.
	var answer []byte
	once.Answer = func(w store.Written) (int, []byte) {
		if !v.CanSeeTicket(w.Ticket) {
			return 0, nil
		}
		answer = encodeJSON(ticket.TicketAnswer{Ticket: v.View(w.Ticket)})
		return http.StatusCreated, answer
	}
	_, replayed, err := s.store.CreateTicketOnce(ctx, once, ticket.Ticket{
		Organization: ticket.OrgRef{ID: d.OrganizationID}, Requester: v.User.Ref(), OnBehalfOf: onBehalf,
		Type: d.Type, Category: d.Category, Subject: d.Subject, Description: d.Description, Fields: fields,
		Status: ticket.StatusNew, CreatedAt: now, FollowUpOf: d.FollowUpOf, Attachments: attachments, Links: links,
	})
	if err != nil {
		return err
	}
	// The store found the key in its transaction: another server took the
	// first request (see inFlight).
	if replayed {
		return s.replay(w, r, once, again)
	}
	if answer == nil {
		return ticket.ErrNotFound // created, but not for the creator's eyes
	}
	writeRaw(w, http.StatusCreated, answer)
	return nil
}

// draftLinks reads the records a new ticket is to be linked to: records of
// the draft's account that v may link (another account's are not found).
func (s *Server) draftLinks(r *http.Request, v ticket.Viewer, d ticket.Draft) ([]ticket.Link, error) {
	var links []ticket.Link
	seen := map[int64]bool{}
	draft := ticket.Ticket{Organization: ticket.OrgRef{ID: d.OrganizationID}}
	for _, id := range d.Links {
		if seen[id] {
			continue
		}
		seen[id] = true
		rec, err := s.linkable(r, v, draft, id)
		if err != nil {
			if e := ticket.AsError(err); e.Field == "recordId" {
				return nil, ticket.Errorf(e.Code, e.MessageID, "links")
			}
			return nil, err
		}
		links = append(links, ticket.Link{Record: rec.Ref()})
	}
	// A field that names a record (the provider and payer of a missing
	// remittance) names one of the account's records, and links it.
	typ, _ := s.cfg.Catalog.Type(d.Type)
	cat, _ := typ.Category(d.Category)
	for _, f := range cat.Fields {
		value := strings.TrimSpace(d.Fields[f.ID])
		if f.Kind != ticket.KindRecord || value == "" {
			continue
		}
		rec, err := s.store.RecordByKey(r.Context(), d.OrganizationID, f.Record, value)
		if ticket.ErrorCode(err) == ticket.CodeNotFound || (err == nil && rec.Archived) {
			return nil, ticket.ValidationFailed(ticket.FieldKey(f.ID), "ErrFieldRecordUnknown")
		}
		if err != nil {
			return nil, err
		}
		if !seen[rec.ID] {
			seen[rec.ID] = true
			links = append(links, ticket.Link{Record: rec.Ref()})
		}
	}
	return links, nil
}

// respondTicket answers the ticket number as v sees it, with the message
// msgID the change added (0: none).
func (s *Server) respondTicket(w http.ResponseWriter, r *http.Request, v ticket.Viewer, status int, number, msgID int64) error {
	resp, err := s.ticketAnswer(r, v, number, msgID)
	if err != nil {
		return err
	}
	writeJSON(w, status, resp)
	return nil
}

// ticketAnswer is the ticket number as v sees it, with the message msgID
// the change added (0: none).
func (s *Server) ticketAnswer(r *http.Request, v ticket.Viewer, number, msgID int64) (ticket.TicketAnswer, error) {
	t, err := s.store.Ticket(r.Context(), number)
	if err != nil {
		return ticket.TicketAnswer{}, err
	}
	if !v.CanSeeTicket(t) {
		return ticket.TicketAnswer{}, ticket.ErrNotFound
	}
	resp := ticket.TicketAnswer{Ticket: v.View(t)}
	if msgID != 0 {
		m, err := s.store.Message(r.Context(), msgID)
		if err != nil {
			return ticket.TicketAnswer{}, err
		}
		if views := v.ViewMessages([]ticket.Message{m}); len(views) == 1 {
			resp.Message = &views[0]
		}
	}
	return resp, nil
}
