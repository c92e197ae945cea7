package state

import (
	"context"
	"encoding/json"
	"maps"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
)

// State names.
const (
	LiveState   = "live"   // the event stream's connection
	UnreadState = "unread" // unread messages per ticket: every badge
)

// Action names.
const (
	StartLive  = "/live/start"  // after login: connect (once per user)
	LoadUnread = "/unread/load" // reload the unread counts
	MarkRead   = "/ticket/read" // value int64: the ticket the user reads now
)

// Live is the event stream's connection as the page shows it.
type Live struct {
	Connected    bool
	Reconnecting bool // lost, trying again: the page says so
}

// Unread counts the unseen messages per ticket.
type Unread struct {
	UserID   int64
	ByTicket map[int64]int
	// Account gives the organization of each ticket in ByTicket.
	Account map[int64]int64
}

// In is the number of unread messages on tickets of organization account
// (0: of every account).
func (u Unread) In(account int64) int {
	n := 0
	for number, c := range u.ByTicket {
		if account == 0 || u.Account[number] == account {
			n += c
		}
	}
	return n
}

// Total is the number of unread messages over all tickets.
func (u Unread) Total() int {
	n := 0
	for _, c := range u.ByTicket {
		n += c
	}
	return n
}

// For returns the unread messages of ticket number.
func (u Unread) For(number int64) int { return u.ByTicket[number] }

func init() {
	app.Handle(StartLive, handleStartLive)
	app.Handle(LoadUnread, handleLoadUnread)
	app.Handle(MarkRead, handleMarkRead)
}

// viewing is the ticket whose page is open (0: none): its messages are
// read as they arrive.
var viewing atomic.Int64

// SetViewing tells which ticket's page is open (0 when it closes).
func SetViewing(number int64) { viewing.Store(number) }

// ticketPageEvents counts the live events of the ticket that the ticket
// page shows or loads, recordPageEvents those of the tickets the record
// page may show: an answer asked for before one of them may not have its
// change (see loadPage).
var ticketPageEvents, recordPageEvents atomic.Int64

// loadPage asks get for what a page shows. A live event of the page (one
// of events) that comes in meanwhile may be newer than the answer (read
// before the event's change) and was not put on the page (it is
// loading): then it asks again.
func loadPage[T any](events *atomic.Int64, get func() (T, *Error)) (T, *Error) {
	for {
		seen := events.Load()
		res, err := get()
		if err != nil || events.Load() == seen {
			return res, err
		}
	}
}

// liveRun is the running stream: one per tab, for one user.
var liveRun struct {
	sync.Mutex
	userID int64
	stop   context.CancelFunc
}

func lastEventKey(userID int64) string {
	return strings.TrimSuffix(userKey("events", userID), ".")
}

// handleStartLive connects the event stream of the logged-in user and
// keeps it connected: on loss it reconnects with backoff and jitter and
// resumes after the last event it saw (kept in browser storage, so a
// reload resumes too). A different user (after logout/login) restarts it.
func handleStartLive(ctx app.Context, a app.Action) {
	if !app.IsClient {
		return
	}
	s := CurrentSession(ctx)
	liveRun.Lock()
	if !s.LoggedIn || liveRun.userID == s.User.ID {
		liveRun.Unlock()
		return
	}
	if liveRun.stop != nil {
		liveRun.stop()
	}
	runCtx, stop := context.WithCancel(context.Background())
	liveRun.userID, liveRun.stop = s.User.ID, stop
	liveRun.Unlock()
	ctx.NewAction(LoadUnread)
	ctx.Async(func() { runLive(runCtx, ctx, s.User.ID, dialSocket) })
}

// stopLive ends the stream (logout).
func stopLive() {
	liveRun.Lock()
	defer liveRun.Unlock()
	if liveRun.stop != nil {
		liveRun.stop()
	}
	liveRun.userID, liveRun.stop = 0, nil
}

// runLive follows the event stream of user userID until runCtx ends,
// connecting with dial.
func runLive(runCtx context.Context, ctx app.Context, userID int64, dial func(path string, s *socket) (close func())) {
	attempt := 0
	connected := false // once: a later sync is a reconnection
	for runCtx.Err() == nil {
		var last int64
		ctx.LocalStorage().Get(lastEventKey(userID), &last)
		if !connected {
			// The lists the page preloaded were read at the place it found
			// then; another tab's stream may have moved the kept place
			// past events they do not show.
			if p, ok := preloadedPlace(userID); ok && p < last {
				last = p
			}
		}
		path := "/api/v1/events?" + ticket.UserParam + "=" + strconv.FormatInt(userID, 10)
		if last > 0 {
			path += "&after=" + strconv.FormatInt(last, 10)
		}
		sock := newSocket()
		closeSocket := dial(path, sock)
	read:
		for {
			select {
			case <-runCtx.Done():
				break read
			case data, ok := <-sock.frames:
				if !ok {
					break read
				}
				var ev ticket.EventView
				if json.Unmarshal(data, &ev) != nil {
					continue
				}
				if ev.Type == ticket.EventSync || ev.Type == ticket.EventReset {
					attempt = 0
					ctx.SetState(LiveState, Live{Connected: true})
					if connected && ev.Type == ticket.EventSync {
						// Back after a lost connection: what changed meanwhile
						// came as events, but not a change of access (the
						// server closes the socket for it): reload.
						reloadAll(ctx)
					}
					connected = true
				}
				applyEvent(ctx, userID, ev)
				if ev.ID > 0 {
					ctx.LocalStorage().Set(lastEventKey(userID), ev.ID)
				}
			}
		}
		closeSocket()
		if runCtx.Err() != nil {
			ctx.SetState(LiveState, Live{})
			return
		}
		if expiredSession(ctx) {
			return
		}
		ctx.SetState(LiveState, Live{Reconnecting: true})
		attempt++
		select {
		case <-time.After(backoff(attempt)):
		case <-liveWake:
		case <-runCtx.Done():
		}
	}
}

// liveWake ends the stream's wait before reconnecting: the server was
// found back (reached), so the live updates resume at once, not after a
// backoff that grew while it was away.
var liveWake = make(chan struct{}, 1)

// wakeLive tells a waiting stream to reconnect now; it never blocks.
func wakeLive() {
	select {
	case liveWake <- struct{}{}:
	default:
	}
}

// backoff is the wait before reconnect attempt n: doubling from half a
// second up to 30 s, with ±50 % jitter so many browsers do not come back
// at the same instant.
func backoff(n int) time.Duration {
	d := 500 * time.Millisecond << min(n-1, 6)
	d = min(d, 30*time.Second)
	return time.Duration(float64(d) * (0.5 + rand.Float64()))
}

// expiredSession checks, after a lost connection, whether the session
// still holds; when it ended, the app goes to login and the stream stops.
// When it holds, the user's accounts and access are taken as they are now
// (a vendor's access may have changed: that closed the connection).
func expiredSession(ctx app.Context) bool {
	me, err := getMe()
	if err != nil && expired(ctx, err) {
		stopLive()
		return true
	}
	if err == nil {
		refreshAccess(ctx, me)
	}
	return false
}

// applyEvent puts what an event says into every state that shows it.
func applyEvent(ctx app.Context, userID int64, ev ticket.EventView) {
	switch ev.Type {
	case ticket.EventReset:
		reloadAll(ctx)
		return
	case ticket.EventSync:
		ctx.NewAction(LoadUnread) // what changed while away
		return
	case ticket.EventTicketRead:
		setUnread(ctx, userID, ev.Ticket, 0, 0)
		applyRecordEvent(ctx, userID, ev)
		return
	}
	if ev.Data.Ticket == nil {
		return
	}
	tv := *ev.Data.Ticket
	var cur TicketDetail
	ctx.GetState(TicketState, &cur)
	if cur.Number == ev.Ticket {
		ticketPageEvents.Add(1)
	}
	open := cur.Number == ev.Ticket && cur.Status == Loaded
	if open && ev.Type != ticket.EventTicketUpdated && tv.Links == nil {
		// Only a change of the ticket says what its links are now.
		tv.Links = cur.Ticket.Links
	}
	if open {
		ctx.SetState(TicketState, updatedDetail(cur, tv, ev.Data.Message))
	}
	if m := ev.Data.Message; m != nil && m.Author.ID != userID {
		unread := func(ctx app.Context) {
			var u Unread
			ctx.GetState(UnreadState, &u)
			setUnread(ctx, userID, ev.Ticket, tv.Organization.ID, u.For(ev.Ticket)+1)
		}
		if viewing.Load() == ev.Ticket && open {
			// Read only where the ticket is shown (not over an error).
			whenSeen(ctx, func(ctx app.Context) { ctx.NewActionWithValue(MarkRead, ev.Ticket) }, unread)
		} else {
			unread(ctx)
		}
	}
	updateRow(ctx, tv)
	applyRecordEvent(ctx, userID, ev)
	if ev.Type == ticket.EventTicketCreated {
		var list TicketList
		ctx.GetState(TicketsState, &list)
		if list.Status == Loaded {
			ctx.NewActionWithValue(LoadTickets, list.Query)
		}
	}
	s := CurrentSession(ctx)
	ctx.NewActionWithValue(LoadOpen, TicketQuery{OrganizationID: s.Account, Open: "true"})
	ctx.NewActionWithValue(LoadCounts, TicketQuery{OrganizationID: s.Account})
}

// updatedDetail is the open ticket's page after an event: the ticket as
// the event has it, but with the description's files, which only the
// detail carries (they never change), and the event's message once.
func updatedDetail(cur TicketDetail, tv ticket.TicketView, m *ticket.MessageView) TicketDetail {
	if tv.Attachments == nil {
		tv.Attachments = cur.Ticket.Attachments
	}
	next := TicketDetail{Status: Loaded, Number: cur.Number, Ticket: tv, Messages: cur.Messages}
	if m != nil && !hasMessage(cur.Messages, m.ID) {
		next.Messages = append(append([]ticket.MessageView{}, cur.Messages...), *m)
	}
	return next
}

func hasMessage(ms []ticket.MessageView, id int64) bool {
	for _, m := range ms {
		if m.ID == id {
			return true
		}
	}
	return false
}

// reloadAll reloads what the pages show, after the stream lost its place.
func reloadAll(ctx app.Context) {
	s := CurrentSession(ctx)
	ctx.NewAction(LoadUnread)
	ctx.NewActionWithValue(LoadOpen, TicketQuery{OrganizationID: s.Account, Open: "true"})
	ctx.NewActionWithValue(LoadCounts, TicketQuery{OrganizationID: s.Account})
	reloadPages(ctx, func(l Load) bool { return l == Loaded }, func(Load) bool { return true })
}

// reloadPages loads again the lists whose load lists admits and the
// ticket or record on screen whose load details admits.
func reloadPages(ctx app.Context, lists, details func(Load) bool) {
	var list TicketList
	ctx.GetState(TicketsState, &list)
	if lists(list.Status) {
		ctx.NewActionWithValue(LoadTickets, list.Query)
	}
	var cur TicketDetail
	ctx.GetState(TicketState, &cur)
	if cur.Number != 0 && details(cur.Status) {
		ctx.NewActionWithValue(LoadTicket, cur.Number)
	}
	var records RecordList
	ctx.GetState(RecordsState, &records)
	if lists(records.Status) {
		ctx.NewActionWithValue(LoadRecords, records.Query)
	}
	var record RecordDetail
	ctx.GetState(RecordState, &record)
	if record.ID != 0 && details(record.Status) {
		ctx.NewActionWithValue(LoadRecord, record.ID)
	}
}

// setUnread sets the unread count of ticket number, of organization
// account, to n.
func setUnread(ctx app.Context, userID, number, account int64, n int) {
	var u Unread
	ctx.GetState(UnreadState, &u)
	next := Unread{UserID: userID, ByTicket: map[int64]int{}, Account: map[int64]int64{}}
	if u.UserID == userID {
		maps.Copy(next.ByTicket, u.ByTicket)
		maps.Copy(next.Account, u.Account)
	}
	if n > 0 {
		next.ByTicket[number] = n
		next.Account[number] = account
	} else {
		delete(next.ByTicket, number)
		delete(next.Account, number)
	}
	ctx.SetState(UnreadState, next)
}

func handleLoadUnread(ctx app.Context, a app.Action) {
	s := CurrentSession(ctx)
	if !s.LoggedIn {
		return
	}
	var res struct {
		Unread        map[string]int   `json:"unread"`
		Organizations map[string]int64 `json:"organizations"`
	}
	if err := call(context.Background(), "GET", "/api/v1/tickets/unread", nil, &res); err != nil {
		expired(ctx, err)
		return
	}
	u := Unread{UserID: s.User.ID, ByTicket: map[int64]int{}, Account: map[int64]int64{}}
	for k, v := range res.Unread {
		if n, err := strconv.ParseInt(k, 10, 64); err == nil && v > 0 {
			u.ByTicket[n] = v
			u.Account[n] = res.Organizations[k]
		}
	}
	// The ticket on screen is read (its read marker may be on its way),
	// when it is shown: not while its page shows an error.
	var shown TicketDetail
	ctx.GetState(TicketState, &shown)
	if n := viewing.Load(); n != 0 && u.ByTicket[n] > 0 && shown.Number == n && shown.Status == Loaded {
		if !Embedded() {
			delete(u.ByTicket, n) // seen, in a frame once drawn (MarkRead)
		}
		ctx.NewActionWithValue(MarkRead, n)
	}
	ctx.SetState(UnreadState, u)
}

// handleMarkRead tells the server the user has read a ticket (their other
// devices clear its badge) and clears it here.
func handleMarkRead(ctx app.Context, a app.Action) {
	number, _ := a.Value.(int64)
	if number == 0 {
		return
	}
	whenSeen(ctx, func(ctx app.Context) {
		if viewing.Load() == number || !Embedded() {
			ctx.Async(func() { markRead(ctx, number) })
		}
	}, nil)
}

// markRead tells the server the user has read a ticket and clears it here.
func markRead(ctx app.Context, number int64) {
	s := CurrentSession(ctx)
	if !s.LoggedIn {
		return
	}
	setUnread(ctx, s.User.ID, number, 0, 0)
	if err := call(context.Background(), "POST", "/api/v1/tickets/"+strconv.FormatInt(number, 10)+"/read", nil, nil); err != nil {
		expired(ctx, err)
	}
}
