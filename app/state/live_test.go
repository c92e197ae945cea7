//go:build !(js && wasm)

package state

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
)

func TestUnreadPerAccount(t *testing.T) {
	u := Unread{
		ByTicket: map[int64]int{10001: 2, 10002: 1, 10003: 4},
		Account:  map[int64]int64{10001: 7, 10002: 8, 10003: 7},
	}
	for _, c := range []struct {
		account int64
		want    int
	}{{7, 6}, {8, 1}, {9, 0}, {0, 7}} {
		if got := u.In(c.account); got != c.want {
			t.Errorf("In(%d) = %d, want %d", c.account, got, c.want)
		}
	}
	if u.Total() != 7 || u.For(10003) != 4 || u.For(10004) != 0 {
		t.Errorf("Total %d, For(10003) %d, For(10004) %d", u.Total(), u.For(10003), u.For(10004))
	}
}

// A live reply keeps what the page showed: the description's files (the
// event's ticket has none, they are on the detail only) and the earlier
// messages with theirs; the reply is added once.
func TestUpdatedDetailKeepsFiles(t *testing.T) {
	pdf := ticket.Attachment{ID: "a1", Name: "rechnung.pdf"}
	png := ticket.Attachment{ID: "a2", Name: "bildschirm.png"}
	cur := TicketDetail{Status: Loaded, Number: 10036,
		Ticket:   ticket.TicketView{Number: 10036, Status: ticket.PortalInProgress, Attachments: []ticket.Attachment{pdf}},
		Messages: []ticket.MessageView{{ID: 7, Body: "Anbei", Attachments: []ticket.Attachment{png}}},
	}
	reply := &ticket.MessageView{ID: 8, Body: "Danke, wir prüfen das."}
	event := ticket.TicketView{Number: 10036, Status: ticket.PortalResponseExpected}
	next := updatedDetail(cur, event, reply)
	if next.Ticket.Status != ticket.PortalResponseExpected {
		t.Errorf("status %s, want the event's %s", next.Ticket.Status, ticket.PortalResponseExpected)
	}
	if len(next.Ticket.Attachments) != 1 || next.Ticket.Attachments[0] != pdf {
		t.Errorf("description's files %+v, want %+v", next.Ticket.Attachments, pdf)
	}
	if len(next.Messages) != 2 || len(next.Messages[0].Attachments) != 1 || next.Messages[1].ID != 8 {
		t.Errorf("messages %+v, want the earlier one with its file, then the reply", next.Messages)
	}
	if again := updatedDetail(next, event, reply); len(again.Messages) != 2 {
		t.Errorf("the same reply twice: %d messages, want 2", len(again.Messages))
	}
}

// A record's life record follows changes of its tickets: a ticket now
// linked comes in, newest first; a changed one keeps its place; one whose
// links (known in full) no longer include the record leaves; others are
// not its business.
func TestLifeRecordFollowsTickets(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 9, 0, 0, 0, time.UTC) }
	link := []ticket.Link{{Record: ticket.RecordRef{ID: 42}}}
	cur := RecordDetail{Status: Loaded, ID: 42, Tickets: []ticket.TicketView{
		{Number: 3, CreatedAt: day(20), Links: link}, {Number: 1, CreatedAt: day(10), Links: link},
	}}
	numbers := func(d RecordDetail) []int64 {
		var out []int64
		for _, tk := range d.Tickets {
			out = append(out, tk.Number)
		}
		return out
	}
	for _, c := range []struct {
		name       string
		tv         ticket.TicketView
		linksKnown bool
		changed    bool
		want       []int64
	}{
		{"linked now", ticket.TicketView{Number: 2, CreatedAt: day(15), Links: link}, true, true, []int64{3, 2, 1}},
		{"newest", ticket.TicketView{Number: 4, CreatedAt: day(25), Links: link}, true, true, []int64{4, 3, 1}},
		{"changed", ticket.TicketView{Number: 1, CreatedAt: day(10), Status: ticket.PortalClosed}, false, true, []int64{3, 1}},
		{"unlinked", ticket.TicketView{Number: 1, CreatedAt: day(10), Links: []ticket.Link{{Record: ticket.RecordRef{ID: 7}}}}, true, true, []int64{3}},
		{"another record's", ticket.TicketView{Number: 9, Links: []ticket.Link{{Record: ticket.RecordRef{ID: 7}}}}, true, false, []int64{3, 1}},
	} {
		next, changed := withTicket(cur, c.tv, c.linksKnown)
		if got := numbers(next); changed != c.changed || !slices.Equal(got, c.want) {
			t.Errorf("%s: %v (changed %v), want %v (changed %v)", c.name, got, changed, c.want, c.changed)
		}
	}
	if next, _ := withTicket(cur, ticket.TicketView{Number: 1, Status: ticket.PortalClosed}, false); next.Record.OpenTickets != 1 || len(next.Tickets[1].Links) != 1 {
		t.Errorf("after closing #1: %d open, links %v; want 1 open and #1's link kept", next.Record.OpenTickets, next.Tickets[1].Links)
	}
	// The red marker counts the unread replies of the record's tickets.
	u := Unread{UserID: 5, ByTicket: map[int64]int{3: 2, 8: 4}}
	if got := cur.Unread(u, 5); got != 2 {
		t.Errorf("Unread = %d, want 2 (ticket 8 is not about the record)", got)
	}
	if got := (RecordDetail{Record: ticket.RecordView{Unread: 3}}).Unread(Unread{}, 5); got != 3 {
		t.Errorf("Unread before the unread counts load = %d, want the server's 3", got)
	}
}

// A reply that comes live while the ticket's page loads (a reconnection
// reloads it) is on the page once it has loaded, though the API read the
// ticket before the reply was written.
func TestLiveReplyWhileTicketLoads(t *testing.T) {
	ctx := testContext(t)
	const anna, sam = 8, 9
	before := ticket.TicketView{Number: 10033, Status: ticket.PortalInProgress}
	after := ticket.TicketView{Number: 10033, Status: ticket.PortalResponseExpected}
	drei := ticket.MessageView{ID: 82, Author: ticket.UserRef{ID: sam}, Body: "Live-Antwort drei"}
	vier := ticket.MessageView{ID: 84, Author: ticket.UserRef{ID: sam}, Body: "Live-Antwort vier"}
	ctx.SetState(TicketState, TicketDetail{Status: Loaded, Number: 10033, Ticket: before, Messages: []ticket.MessageView{drei}})

	gets := 0
	loadTicket(ctx, 10033, func(number int64) (ticketAnswer, *Error) {
		gets++
		if gets == 1 {
			// The API has read the ticket; Sam's reply is written and its
			// event comes in before the answer.
			applyEvent(ctx, anna, ticket.EventView{ID: 125, Type: ticket.EventMessageCreated, Ticket: 10033,
				Data: ticket.EventData{Ticket: &after, Message: &vier}})
			return ticketAnswer{Ticket: before, Messages: []ticket.MessageView{drei}}, nil
		}
		return ticketAnswer{Ticket: after, Messages: []ticket.MessageView{drei, vier}}, nil
	})

	var got TicketDetail
	ctx.GetState(TicketState, &got)
	if got.Status != Loaded || !hasMessage(got.Messages, vier.ID) || got.Ticket.Status != after.Status {
		t.Errorf("after loading: status %v, ticket %s, messages %+v; want loaded, %s, with the live reply %d",
			got.Status, got.Ticket.Status, got.Messages, after.Status, vier.ID)
	}
}

// A socket whose frames come faster than they are handled ends rather
// than dropping one: the stream then resumes after the last event handled
// and the server sends the rest again. (Had it dropped a frame and gone
// on, a later frame would have moved the last event id past the dropped
// one, lost for good.)
func TestLiveOverflowResumesAfterLastHandled(t *testing.T) {
	frame := func(id int64) []byte {
		return []byte(`{"id":` + strconv.FormatInt(id, 10) + `,"type":"message.created","ticket":10033}`)
	}
	s := newSocket()
	for id := int64(1); id <= socketBuffer; id++ {
		if !s.deliver(frame(id)) {
			t.Fatalf("frame %d refused with room left", id)
		}
	}
	if s.deliver(frame(socketBuffer + 1)) {
		t.Fatal("a frame was taken with the buffer full")
	}
	<-s.frames // room again
	if s.deliver(frame(socketBuffer + 2)) {
		t.Fatal("a frame was taken after one was refused")
	}

	ctx := testContext(t)
	const anna = 8
	runCtx, stop := context.WithCancel(context.Background())
	defer stop()
	paths := make(chan string, 2)
	runLive(runCtx, ctx, anna, func(path string, s *socket) func() {
		paths <- path
		if len(paths) == 1 {
			// More than the socket holds before runLive reads any.
			for id := int64(1); id <= socketBuffer+2; id++ {
				s.deliver(frame(id))
			}
		} else {
			stop()
		}
		return func() {}
	})
	first, again := <-paths, <-paths
	base := "/api/v1/events?user=" + strconv.Itoa(anna)
	if want := base + "&after=" + strconv.Itoa(socketBuffer); first != base || again != want {
		t.Errorf("connected to %s, then %s; want %s after the socket overflowed", first, again, want)
	}
}

// The answer for a ticket the user has left (they opened another one
// meanwhile) does not replace the other ticket's page, nor does its
// failure.
func TestTicketAnswerAfterLeaving(t *testing.T) {
	ctx := testContext(t)
	other := TicketDetail{Status: Loaded, Number: 10040, Ticket: ticket.TicketView{Number: 10040}}
	for _, fail := range []bool{false, true} {
		ctx.SetState(TicketState, TicketDetail{Status: Loaded, Number: 10033, Ticket: ticket.TicketView{Number: 10033}})
		loadTicket(ctx, 10033, func(number int64) (ticketAnswer, *Error) {
			ctx.SetState(TicketState, other) // the user opened ticket 10040
			if fail {
				return ticketAnswer{}, errOffline
			}
			return ticketAnswer{Ticket: ticket.TicketView{Number: 10033}}, nil
		})
		var got TicketDetail
		ctx.GetState(TicketState, &got)
		if got.Number != other.Number || got.Status != Loaded || got.Ticket.Number != other.Number {
			t.Errorf("failed %v: the page is ticket %d (%v) after the late answer of 10033, want ticket 10040's", fail, got.Number, got.Status)
		}
	}
}

// A change of a record's ticket that comes live while the record's page
// loads (a reconnection reloads it) is on the page once it has loaded,
// though the API read the record before the change.
func TestLiveChangeWhileRecordLoads(t *testing.T) {
	ctx := testContext(t)
	const anna, sam = 8, 9
	link := []ticket.Link{{Record: ticket.RecordRef{ID: 42}}}
	record := ticket.RecordView{Record: ticket.Record{ID: 42}, OpenTickets: 1}
	before := ticket.TicketView{Number: 10033, Status: ticket.PortalInProgress, Links: link}
	after := ticket.TicketView{Number: 10033, Status: ticket.PortalResponseExpected, Links: link}
	ctx.SetState(RecordState, RecordDetail{Status: Loaded, ID: 42, Record: record, Tickets: []ticket.TicketView{before}})

	gets := 0
	loadRecord(ctx, 42, func(id int64) (ticket.RecordAnswer, *Error) {
		gets++
		if gets == 1 {
			// The API has read the record; Sam's reply is written and its
			// event comes in before the answer.
			applyEvent(ctx, anna, ticket.EventView{ID: 126, Type: ticket.EventMessageCreated, Ticket: 10033,
				Data: ticket.EventData{Ticket: &after, Message: &ticket.MessageView{ID: 85, Author: ticket.UserRef{ID: sam}}}})
			return ticket.RecordAnswer{Record: record, Tickets: []ticket.TicketView{before}}, nil
		}
		return ticket.RecordAnswer{Record: record, Tickets: []ticket.TicketView{after}}, nil
	})

	var got RecordDetail
	ctx.GetState(RecordState, &got)
	if got.Status != Loaded || len(got.Tickets) != 1 || got.Tickets[0].Status != after.Status {
		t.Errorf("after loading: status %v, %d tickets (%+v); want loaded, with #10033 %s", got.Status, len(got.Tickets), got.Tickets, after.Status)
	}
}

// When the server is found back, a stream waiting to reconnect (its
// backoff grown while the server was away: up to 45 s) connects at once.
func TestLiveReconnectsWhenServerBack(t *testing.T) {
	ctx := testContext(t)
	runCtx, stop := context.WithCancel(context.Background())
	defer stop()
	const tries = 8 // without the wake-up: more than a minute of backoff
	dials := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		runLive(runCtx, ctx, 8, func(path string, s *socket) func() {
			if dials++; dials == tries {
				stop()
			}
			s.end()    // the server is not there
			wakeLive() // and then found back (as reached does)
			return func() {}
		})
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		stop()
		<-done
		t.Fatalf("%d connection attempts in 20 s; want %d: the stream waited out its backoff", dials, tries)
	}
}
