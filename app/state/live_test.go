package state

import (
	"testing"

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
