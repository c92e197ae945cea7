package api

// Records as portal users and agents see them: the list, one record with
// its life record (the tickets about it).

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

// errRecordNotFound is the answer for a record that does not exist or that
// the caller may not see: the two are not told apart.
var errRecordNotFound = ticket.Errorf(ticket.CodeNotFound, "ErrRecordNotFound", "recordId")

// maxLifeRecord is how many tickets a record's page lists.
const maxLifeRecord = 200

func (s *Server) listRecords(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	p := r.URL.Query()
	q := store.RecordQuery{Scope: v.Scope(), Search: strings.TrimSpace(p.Get("q"))}
	if k := p.Get("kind"); k != "" {
		kind, err := ticket.ParseRecordKind(k, "kind")
		if err != nil {
			return err
		}
		q.Kind = kind
	}
	if utf8.RuneCountInString(q.Search) > ticket.MaxSearch || !utf8.ValidString(q.Search) {
		return ticket.Errorf(ticket.CodeInvalid, "ErrBadParameter", "q")
	}
	if o := p.Get("organizationId"); o != "" {
		id, err := strconv.ParseInt(o, 10, 64)
		if err != nil || id <= 0 {
			return ticket.Errorf(ticket.CodeInvalid, "ErrBadParameter", "organizationId")
		}
		q.OrganizationID = id
	}
	var err error
	if q.Cursor, q.Limit, err = pageOf(r); err != nil {
		return err
	}
	records, next, err := s.store.ListRecords(r.Context(), q)
	if err != nil {
		return err
	}
	views, err := s.recordViews(r.Context(), v, records)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ticket.RecordPage{Records: views, NextCursor: next})
	return nil
}

// recordViews adds to each record what v should know of the tickets about
// it: how many are open and how many replies v has not read.
func (s *Server) recordViews(ctx context.Context, v ticket.Viewer, records []ticket.Record) ([]ticket.RecordView, error) {
	out := make([]ticket.RecordView, len(records))
	ids := make([]int64, len(records))
	at := map[int64]int{}
	for i, rec := range records {
		out[i].Record = rec
		ids[i] = rec.ID
		at[rec.ID] = i
	}
	about, err := s.store.RecordTickets(ctx, ids, v.Scope())
	if err != nil || len(about) == 0 {
		return out, err
	}
	numbers := make([]int64, 0, len(about))
	for _, rt := range about {
		numbers = append(numbers, rt.Number)
	}
	unread, err := s.unreadOf(ctx, v, numbers)
	if err != nil {
		return nil, err
	}
	for _, rt := range about {
		rv := &out[at[rt.RecordID]]
		if !rt.Closed {
			rv.OpenTickets++
		}
		rv.Unread += unread[rt.Number].Count
	}
	return out, nil
}

// visibleRecord reads the record the path names, if v may see it.
func (s *Server) visibleRecord(r *http.Request, v ticket.Viewer, param string) (ticket.Record, error) {
	id, err := strconv.ParseInt(r.PathValue(param), 10, 64)
	if err != nil || id <= 0 {
		return ticket.Record{}, errRecordNotFound
	}
	rec, err := s.store.Record(r.Context(), id)
	if ticket.ErrorCode(err) == ticket.CodeNotFound || (err == nil && !v.CanSeeRecord(rec)) {
		return ticket.Record{}, errRecordNotFound
	}
	return rec, err
}

// listRecordUnread answers the caller's unread replies on tickets about
// records, per record (a host's Get Help buttons show them).
func (s *Server) listRecordUnread(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	counts, err := s.unreadOf(r.Context(), v, nil)
	if err != nil {
		return err
	}
	numbers := make([]int64, 0, len(counts))
	out := ticket.RecordUnread{ByRecord: map[string]int{}}
	for n, c := range counts {
		numbers = append(numbers, n)
		out.Total += c.Count
	}
	links, err := s.store.LinksOf(r.Context(), numbers)
	if err != nil {
		return err
	}
	for n, ls := range links {
		for _, l := range ls {
			out.ByRecord[string(l.Record.Kind)+":"+l.Record.ExternalID] += counts[n].Count
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// getRecord answers a record and its life record: the tickets about it
// that the caller may see, newest first, each with its unread count.
func (s *Server) getRecord(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	rec, err := s.visibleRecord(r, v, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	ts, err := s.store.TicketsAbout(ctx, rec.ID, v.Scope(), maxLifeRecord)
	if err != nil {
		return err
	}
	numbers := make([]int64, len(ts))
	for i, t := range ts {
		numbers[i] = t.Number
	}
	unread, err := s.unreadOf(ctx, v, numbers)
	if err != nil {
		return err
	}
	resp := ticket.RecordAnswer{Record: ticket.RecordView{Record: rec}, Tickets: make([]ticket.TicketView, 0, len(ts))}
	for _, t := range ts {
		tv := v.View(t)
		tv.Unread = unread[t.Number].Count
		resp.Tickets = append(resp.Tickets, tv)
		resp.Record.Unread += tv.Unread
		if !t.Status.Closed() {
			resp.Record.OpenTickets++
		}
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}
