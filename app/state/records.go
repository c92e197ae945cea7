package state

import (
	"context"
	"net/url"
	"slices"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
)

// State names.
const (
	RecordsState      = "records"       // the records list
	RecordState       = "record"        // the record page: the record and its life record
	RecordSearchState = "record-search" // the ticket page's search for a record to link
	LinkState         = "link"          // the last link, unlink or example added
)

// RecordChoicesState is the state of the records of kind a ticket field
// offers to choose from (the intake's provider and payer): one list per
// kind, so that several record fields load side by side.
func RecordChoicesState(kind ticket.RecordKind) string { return "record-choices." + string(kind) }

// RecordChoicesLimit is how many records a choice list loads at once;
// beyond it the list searches the server.
const RecordChoicesLimit = 200

// Action names.
const (
	LoadRecords     = "/records/load"
	LoadMoreRecords = "/records/more"
	SearchRecords   = "/records/search" // value RecordQuery: records to link to a ticket
	LoadRecord      = "/record/load"    // value int64: the record's id
	LinkRecord      = "/ticket/link"    // value LinkInput
	UnlinkRecord    = "/ticket/unlink"  // value LinkInput
	// LoadRecordChoices loads the records a record field offers (value
	// RecordQuery with Kind and OrganizationID) into RecordChoicesState.
	LoadRecordChoices = "/records/choices"
)

// RecordQuery selects records: GET /api/v1/records?kind=&q=&organizationId=.
type RecordQuery struct {
	Kind           ticket.RecordKind
	Search         string
	OrganizationID int64
	Limit          int // 0: the server's page size
}

// Values encodes q as URL parameters.
func (q RecordQuery) Values() url.Values {
	v := url.Values{}
	if q.Kind != "" {
		v.Set("kind", string(q.Kind))
	}
	if q.Search != "" {
		v.Set("q", q.Search)
	}
	if q.OrganizationID != 0 {
		v.Set("organizationId", strconv.FormatInt(q.OrganizationID, 10))
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	return v
}

// RecordList is a loaded list of records.
type RecordList struct {
	Status  Load
	Query   RecordQuery
	Records []ticket.RecordView
	Next    string
	Err     *Error
}

// RecordDetail is the record page: the record and its life record, every
// ticket about it the user may see, newest first.
type RecordDetail struct {
	Status  Load
	ID      int64
	Record  ticket.RecordView
	Tickets []ticket.TicketView
	Err     *Error
}

// Unread is the number of replies on the record's tickets the user has
// not read (the red marker on Get Help): the unread model of every badge,
// u, once it is loaded for the user; the server's count before.
func (d RecordDetail) Unread(u Unread, userID int64) int {
	if u.UserID != userID || u.ByTicket == nil {
		return d.Record.Unread
	}
	n := 0
	for _, tk := range d.Tickets {
		n += u.For(tk.Number)
	}
	return n
}

// Has reports whether ticket number is in the life record.
func (d RecordDetail) Has(number int64) bool {
	return slices.ContainsFunc(d.Tickets, func(tk ticket.TicketView) bool { return tk.Number == number })
}

// mayShow reports whether the record page d shows ticket tv, or may
// once it has loaded: the ticket is in the life record, its links name
// the record, or the record is not known yet (its first load).
func (d RecordDetail) mayShow(tv ticket.TicketView) bool {
	return d.ID != 0 && (d.Has(tv.Number) || LinksRecord(tv.Links, d.ID) || d.Record.ID == 0)
}

// LinkInput is the value of LinkRecord and UnlinkRecord: record RecordID
// and ticket Number; Example announces the link in the conversation
// ("Example added: …", Get Help's "add as an example").
type LinkInput struct {
	Number   int64
	RecordID int64
	Example  bool
}

// Link is the outcome of the last link, unlink or example added.
type Link struct {
	Status   Load
	Number   int64
	RecordID int64
	Unlink   bool
	Example  bool
	Ticket   ticket.TicketView
	Err      *Error
}

// RecordFlow is the draft flow of a ticket filed from a record's Get
// Help: one draft per record, kept like the Assistant's and the form's.
func RecordFlow(recordID int64) string { return "record." + strconv.FormatInt(recordID, 10) }

// LinksRecord reports whether links include record id.
func LinksRecord(links []ticket.Link, id int64) bool {
	return slices.ContainsFunc(links, func(l ticket.Link) bool { return l.Record.ID == id })
}

func init() {
	app.Handle(LoadRecords, func(ctx app.Context, a app.Action) { loadRecords(ctx, a, RecordsState, false) })
	app.Handle(LoadMoreRecords, func(ctx app.Context, a app.Action) { loadRecords(ctx, a, RecordsState, true) })
	app.Handle(SearchRecords, func(ctx app.Context, a app.Action) { loadRecords(ctx, a, RecordSearchState, false) })
	app.Handle(LoadRecordChoices, func(ctx app.Context, a app.Action) {
		q, _ := a.Value.(RecordQuery)
		loadRecords(ctx, a, RecordChoicesState(q.Kind), false)
	})
	app.Handle(LoadRecord, handleLoadRecord)
	app.Handle(LinkRecord, func(ctx app.Context, a app.Action) { handleLink(ctx, a, false) })
	app.Handle(UnlinkRecord, func(ctx app.Context, a app.Action) { handleLink(ctx, a, true) })
}

// loadRecords loads the first page of a list of records, or with more the
// next page of the list already loaded.
func loadRecords(ctx app.Context, a app.Action, name string, more bool) {
	var cur RecordList
	ctx.GetState(name, &cur)
	q, _ := a.Value.(RecordQuery)
	params := q.Values()
	if more {
		if cur.Next == "" {
			return
		}
		q = cur.Query
		params = q.Values()
		params.Set("cursor", cur.Next)
	} else {
		same := cur.Query == q
		cur = RecordList{Query: q, Records: cur.Records}
		if !same {
			cur.Records = nil
		}
	}
	cur.Status, cur.Err = Loading, nil
	ctx.SetState(name, cur)
	var res ticket.RecordPage
	if err := call(context.Background(), "GET", "/api/v1/records?"+params.Encode(), nil, &res); err != nil {
		expired(ctx, err)
		cur.Status, cur.Err = Failed, err
		ctx.SetState(name, cur)
		return
	}
	// A newer query (the user typed on) wins over this late answer.
	var now RecordList
	ctx.GetState(name, &now)
	if now.Query != q {
		return
	}
	records := res.Records
	if more {
		records = append(append([]ticket.RecordView{}, cur.Records...), res.Records...)
	}
	ctx.SetState(name, RecordList{Status: Loaded, Query: q, Records: records, Next: res.NextCursor})
}

func handleLoadRecord(ctx app.Context, a app.Action) {
	id, _ := a.Value.(int64)
	loadRecord(ctx, id, getRecord)
}

// getRecord asks the API for record id with its life record.
func getRecord(id int64) (ticket.RecordAnswer, *Error) {
	var res ticket.RecordAnswer
	err := call(context.Background(), "GET", "/api/v1/records/"+strconv.FormatInt(id, 10), nil, &res)
	return res, err
}

// loadRecord loads the page of record id with get (see loadPage). An
// answer that comes when the page shows another record is dropped.
func loadRecord(ctx app.Context, id int64, get func(id int64) (ticket.RecordAnswer, *Error)) {
	var cur RecordDetail
	ctx.GetState(RecordState, &cur)
	if cur.ID != id {
		cur = RecordDetail{ID: id}
	}
	cur.Status, cur.Err = Loading, nil
	ctx.SetState(RecordState, cur)
	res, err := loadPage(&recordPageEvents, func() (ticket.RecordAnswer, *Error) { return get(id) })
	if err != nil {
		expired(ctx, err)
	}
	var now RecordDetail
	ctx.GetState(RecordState, &now)
	if now.ID != id {
		return // the user went on to another record
	}
	if err != nil {
		ctx.SetState(RecordState, RecordDetail{Status: Failed, ID: id, Err: err})
		return
	}
	ctx.SetState(RecordState, RecordDetail{Status: Loaded, ID: id, Record: res.Record, Tickets: res.Tickets})
}

// handleLink links a record to a ticket (POST …/links), as an example
// when asked, or removes the link (DELETE …/links/{recordId}). The ticket
// page and the record page take the answer at once; the event that
// follows changes nothing more.
func handleLink(ctx app.Context, a app.Action, unlink bool) {
	in, _ := a.Value.(LinkInput)
	out := Link{Status: Loading, Number: in.Number, RecordID: in.RecordID, Unlink: unlink, Example: in.Example}
	ctx.SetState(LinkState, out)
	path := "/api/v1/tickets/" + strconv.FormatInt(in.Number, 10) + "/links"
	var res ticket.TicketAnswer
	var err *Error
	if unlink {
		err = call(context.Background(), "DELETE", path+"/"+strconv.FormatInt(in.RecordID, 10), nil, &res)
	} else {
		err = call(context.Background(), "POST", path, ticket.LinkRequest{RecordID: in.RecordID, Example: in.Example}, &res)
	}
	if err != nil {
		expired(ctx, err)
		out.Status, out.Err = Failed, err
		ctx.SetState(LinkState, out)
		return
	}
	updateDetail(ctx, in.Number, res.Ticket, res.Message)
	updateRow(ctx, res.Ticket)
	applyToRecord(ctx, res.Ticket, true)
	out.Status, out.Ticket = Loaded, res.Ticket
	ctx.SetState(LinkState, out)
}

// applyToRecord puts a changed ticket into the open record page: it
// replaces the ticket's row, or comes in at the top when its links now
// include the record. With linksKnown (a link answer, a ticket.updated
// event: tv carries every link), a ticket no longer linked leaves.
func applyToRecord(ctx app.Context, tv ticket.TicketView, linksKnown bool) {
	var cur RecordDetail
	ctx.GetState(RecordState, &cur)
	if cur.mayShow(tv) {
		recordPageEvents.Add(1)
	}
	if cur.Status != Loaded {
		return
	}
	next, changed := withTicket(cur, tv, linksKnown)
	if changed {
		ctx.SetState(RecordState, next)
	}
}

// withTicket is applyToRecord's change of the life record d.
func withTicket(d RecordDetail, tv ticket.TicketView, linksKnown bool) (RecordDetail, bool) {
	linked := LinksRecord(tv.Links, d.ID)
	i := slices.IndexFunc(d.Tickets, func(tk ticket.TicketView) bool { return tk.Number == tv.Number })
	tickets := slices.Clone(d.Tickets)
	switch {
	case i >= 0 && linksKnown && !linked:
		tickets = slices.Delete(tickets, i, i+1)
	case i >= 0:
		tv.Unread = tickets[i].Unread
		if tv.Links == nil {
			tv.Links = tickets[i].Links
		}
		tickets[i] = tv
	case linked:
		// Newest first, as the server lists it.
		at := slices.IndexFunc(tickets, func(tk ticket.TicketView) bool { return tk.CreatedAt.Before(tv.CreatedAt) })
		if at < 0 {
			at = len(tickets)
		}
		tickets = slices.Insert(tickets, at, tv)
	default:
		return d, false
	}
	d.Tickets = tickets
	d.Record.OpenTickets = 0
	for _, tk := range tickets {
		if tk.Status != ticket.PortalClosed {
			d.Record.OpenTickets++
		}
	}
	return d, true
}

// applyRecordEvent keeps the record pages in step with an event: the open
// record's life record takes the ticket (status, a new link, an unlink);
// a row of the records list counts a reply the user has not read.
func applyRecordEvent(ctx app.Context, userID int64, ev ticket.EventView) {
	if ev.Type == ticket.EventTicketRead {
		// The list's counts come from the server: ask it again.
		var list RecordList
		ctx.GetState(RecordsState, &list)
		if list.Status == Loaded && slices.ContainsFunc(list.Records, func(r ticket.RecordView) bool { return r.Unread > 0 }) {
			ctx.NewActionWithValue(LoadRecords, list.Query)
		}
		return
	}
	if ev.Data.Ticket == nil {
		return
	}
	tv := *ev.Data.Ticket
	applyToRecord(ctx, tv, ev.Type == ticket.EventTicketUpdated && tv.Links != nil)
	if ev.Type == ticket.EventTicketUpdated && tv.Links == nil {
		// Links not sent (events always send them): the server knows.
		var cur RecordDetail
		ctx.GetState(RecordState, &cur)
		if cur.Status == Loaded && cur.Has(tv.Number) {
			ctx.NewActionWithValue(LoadRecord, cur.ID)
		}
	}
	if m := ev.Data.Message; m != nil && m.Author.ID != userID && viewing.Load() != ev.Ticket {
		var list RecordList
		ctx.GetState(RecordsState, &list)
		rows, changed := slices.Clone(list.Records), false
		for i, r := range rows {
			if LinksRecord(tv.Links, r.ID) {
				rows[i].Unread++
				changed = true
			}
		}
		if changed {
			list.Records = rows
			ctx.SetState(RecordsState, list)
		}
	}
}
