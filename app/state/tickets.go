package state

import (
	"context"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
)

// State names.
const (
	TicketsState = "tickets" // the ticket list page
	OpenState    = "open"    // open tickets of the account: navigation and dashboard
	CountsState  = "counts"  // tickets per portal status: dashboard
	TicketState  = "ticket"  // the ticket page
)

// Action names.
const (
	LoadTickets    = "/tickets/load"
	LoadMoreTicket = "/tickets/more"
	LoadOpen       = "/tickets/open"
	LoadCounts     = "/tickets/counts"
	LoadTicket     = "/ticket/load"
)

// TicketQuery selects tickets: the search of the list as the address bar
// holds it (see ticket.Query).
type TicketQuery = ticket.Query

// apiValues encodes q for the API: the user's own days become instants
// of their time zone (the server reads a plain date as a UTC day).
func apiValues(q TicketQuery) url.Values {
	v := q.Values()
	if q.CreatedFrom != "" {
		v.Set("createdFrom", localDay(q.CreatedFrom, 0))
	}
	if q.CreatedTo != "" {
		v.Set("createdTo", localDay(q.CreatedTo, 1))
	}
	return v
}

// localDay returns the start of day (YYYY-MM-DD) plus days in the
// browser's time zone as an RFC 3339 instant; other input is kept.
func localDay(day string, days int) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil || !app.IsClient {
		return day
	}
	d = d.AddDate(0, 0, days)
	// The offset of that day's midnight, daylight saving included.
	date := app.Window().Get("Date").New(d.Year(), int(d.Month())-1, d.Day())
	minutes := date.Call("getTimezoneOffset").Int()
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.FixedZone("", -minutes*60)).Format(time.RFC3339)
}

// TicketList is a loaded list of tickets.
type TicketList struct {
	Status  Load
	Query   TicketQuery
	Tickets []ticket.TicketView
	Next    string
	// Truncated: the search matched so much that only its newest matches
	// are listed.
	Truncated bool
	Err       *Error
	// Kept: the server could not be reached; the list is the one this
	// browser kept then.
	Kept time.Time
}

// Counts is the number of tickets per portal status.
type Counts struct {
	Status         Load
	OrganizationID int64
	Counts         map[ticket.PortalStatus]int
	Err            *Error
	Kept           time.Time // shown from the browser's store, as of then
}

// TicketDetail is one ticket with its conversation.
type TicketDetail struct {
	Status   Load
	Number   int64
	Ticket   ticket.TicketView
	Messages []ticket.MessageView
	Err      *Error
	Kept     time.Time // shown from the browser's store, as of then
}

func init() {
	app.Handle(LoadTickets, func(ctx app.Context, a app.Action) { loadList(ctx, a, TicketsState, false) })
	app.Handle(LoadMoreTicket, func(ctx app.Context, a app.Action) { loadList(ctx, a, TicketsState, true) })
	app.Handle(LoadOpen, func(ctx app.Context, a app.Action) { loadList(ctx, a, OpenState, false) })
	app.Handle(LoadCounts, handleLoadCounts)
	app.Handle(LoadTicket, handleLoadTicket)
}

// loadList loads the first page of a list, or with more the next page of
// the list already loaded.
func loadList(ctx app.Context, a app.Action, name string, more bool) {
	var cur TicketList
	ctx.GetState(name, &cur)
	q, _ := a.Value.(TicketQuery)
	params := apiValues(q)
	if more {
		if cur.Next == "" {
			return
		}
		q = cur.Query
		params = apiValues(q)
		params.Set("cursor", cur.Next)
	} else {
		same := cur.Query.Values().Encode() == q.Values().Encode()
		cur = TicketList{Query: q, Tickets: cur.Tickets}
		if !same {
			cur.Tickets = nil
		}
	}
	cur.Status, cur.Err = Loading, nil
	ctx.SetState(name, cur)
	var res ticket.TicketPage
	s := CurrentSession(ctx)
	if err := call(context.Background(), "GET", "/api/v1/tickets?"+params.Encode(), nil, &res); err != nil {
		expired(ctx, err)
		if kept, at, ok := keptValue[[]ticket.TicketView](s.listKey(name, q)); ok && err == errOffline && !more {
			// Offline: the list as it was, with its age.
			ctx.SetState(name, TicketList{Status: Loaded, Query: q, Tickets: kept, Kept: at})
			return
		}
		cur.Status, cur.Err = Failed, err
		ctx.SetState(name, cur)
		return
	}
	// A newer query (the user moved on) wins over this late answer.
	var now TicketList
	ctx.GetState(name, &now)
	if now.Query.Values().Encode() == q.Values().Encode() {
		tickets := res.Tickets
		if more {
			tickets = append(append([]ticket.TicketView{}, cur.Tickets...), res.Tickets...)
		}
		ctx.SetState(name, TicketList{Status: Loaded, Query: q, Tickets: tickets, Next: res.NextCursor, Truncated: res.Truncated || (more && cur.Truncated)})
	}
	// Kept for an offline start once shown: the write to the browser's
	// database took 70-430 ms at the app's start.
	if !more && name != ExistingState {
		keepValue(s.listKey(name, q), res.Tickets)
	}
}

// countsAsked numbers the requests for counts: only the answer to the
// latest one is shown (an account switched back and forth quickly must
// not end with the other account's counts).
var countsAsked atomic.Int64

func handleLoadCounts(ctx app.Context, a app.Action) {
	q, _ := a.Value.(TicketQuery)
	asked := countsAsked.Add(1)
	// While they load again, the counts shown stay (a live update reloads
	// them): only another account's are put away.
	var cur Counts
	ctx.GetState(CountsState, &cur)
	loading := Counts{Status: Loading, OrganizationID: q.OrganizationID}
	if cur.OrganizationID == q.OrganizationID {
		loading.Counts, loading.Kept = cur.Counts, cur.Kept
	}
	ctx.SetState(CountsState, loading)
	var res struct {
		Counts map[ticket.PortalStatus]int `json:"counts"`
	}
	s := CurrentSession(ctx)
	err := call(context.Background(), "GET", "/api/v1/tickets/counts?"+apiValues(q).Encode(), nil, &res)
	if countsAsked.Load() != asked {
		return // a later request's answer is the one to show
	}
	if err != nil {
		expired(ctx, err)
		if kept, at, ok := keptValue[map[ticket.PortalStatus]int](s.countsKey(q.OrganizationID)); ok && err == errOffline {
			ctx.SetState(CountsState, Counts{Status: Loaded, OrganizationID: q.OrganizationID, Counts: kept, Kept: at})
			return
		}
		ctx.SetState(CountsState, Counts{Status: Failed, OrganizationID: q.OrganizationID, Err: err})
		return
	}
	ctx.SetState(CountsState, Counts{Status: Loaded, OrganizationID: q.OrganizationID, Counts: res.Counts})
	keepValue(s.countsKey(q.OrganizationID), res.Counts) // once shown, as the lists
}

func handleLoadTicket(ctx app.Context, a app.Action) {
	number, _ := a.Value.(int64)
	loadTicket(ctx, number, getTicket)
}

// ticketAnswer is the API's answer for one ticket.
type ticketAnswer struct {
	Ticket   ticket.TicketView    `json:"ticket"`
	Messages []ticket.MessageView `json:"messages"`
}

// getTicket asks the API for ticket number.
func getTicket(number int64) (ticketAnswer, *Error) {
	var res ticketAnswer
	err := call(context.Background(), "GET", "/api/v1/tickets/"+strconv.FormatInt(number, 10), nil, &res)
	return res, err
}

// loadTicket loads the page of ticket number with get (see loadPage). An
// answer that comes when the page shows another ticket is dropped.
func loadTicket(ctx app.Context, number int64, get func(number int64) (ticketAnswer, *Error)) {
	var cur TicketDetail
	ctx.GetState(TicketState, &cur)
	if cur.Number != number {
		cur = TicketDetail{Number: number}
	}
	cur.Status, cur.Err = Loading, nil
	ctx.SetState(TicketState, cur)
	res, err := loadPage(&ticketPageEvents, func() (ticketAnswer, *Error) { return get(number) })
	seen := ticketPageEvents.Load()
	if err != nil {
		expired(ctx, err)
	}
	var now TicketDetail
	ctx.GetState(TicketState, &now)
	if now.Number != number {
		return // the user went on to another ticket
	}
	s := CurrentSession(ctx)
	if err == errOffline {
		if kept, at, ok := keptValue[ticketAnswer](s.ticketKey(number)); ok {
			// Offline: the ticket as it was when last opened, with its age.
			ctx.SetState(TicketState, TicketDetail{Status: Loaded, Number: number, Ticket: kept.Ticket, Messages: kept.Messages, Kept: at})
			return
		}
	}
	if err != nil {
		ctx.SetState(TicketState, TicketDetail{Status: Failed, Number: number, Err: err})
		return
	}
	keepTicket(s, number, res)
	ctx.SetState(TicketState, TicketDetail{Status: Loaded, Number: number, Ticket: res.Ticket, Messages: res.Messages})
	if ticketPageEvents.Load() != seen {
		// An event of the ticket came between the answer and the page
		// showing it: it found the page loading and was not put on it,
		// and the answer may be older. Ask again.
		ctx.NewActionWithValue(LoadTicket, number)
	}
}
