package ticket

import "testing"

func TestViewEvent(t *testing.T) {
	a, b := Organization{ID: 1}, Organization{ID: 2}
	customer := Viewer{User: User{ID: 10}, Memberships: []Membership{{Organization: a, TicketAccess: true}}}
	revoked := Viewer{User: User{ID: 11}, Memberships: []Membership{{Organization: a, TicketAccess: false}}}
	other := Viewer{User: User{ID: 12}, Memberships: []Membership{{Organization: b, TicketAccess: true}}}
	agent := Viewer{User: User{ID: 20, Agent: true}}
	tk := Ticket{Number: 10001, Organization: a.Ref(), Status: StatusWaitingInternal}
	public := &Message{ID: 1, TicketNumber: 10001, Body: "Hallo"}
	note := &Message{ID: 2, TicketNumber: 10001, Body: "intern", Internal: true}
	for _, tt := range []struct {
		name string
		e    Event
		want map[string]bool // viewer -> receives
	}{
		{"public reply", Event{Type: EventMessageCreated, Ticket: tk, Message: public},
			map[string]bool{"customer": true, "revoked": false, "other": false, "agent": true}},
		{"internal note", Event{Type: EventMessageCreated, Ticket: tk, Message: note, Internal: true},
			map[string]bool{"customer": false, "revoked": false, "other": false, "agent": true}},
		{"note not marked internal", Event{Type: EventMessageCreated, Ticket: tk, Message: note},
			map[string]bool{"customer": false, "agent": true}},
		{"assignment", Event{Type: EventTicketUpdated, Ticket: tk, Internal: true},
			map[string]bool{"customer": false, "agent": true}},
		{"read by the customer", Event{Type: EventTicketRead, Ticket: tk, UserID: 10},
			map[string]bool{"customer": true, "agent": false, "other": false}},
	} {
		for name, v := range map[string]Viewer{"customer": customer, "revoked": revoked, "other": other, "agent": agent} {
			want, ok := tt.want[name]
			if !ok {
				continue
			}
			ev, got := v.ViewEvent(tt.e)
			if got != want {
				t.Errorf("%s to %s: received %v, want %v", tt.name, name, got, want)
			}
			if got && !v.Agent() && (ev.Data.Ticket.InternalStatus != "" || (ev.Data.Message != nil && ev.Data.Message.Internal != nil)) {
				t.Errorf("%s to %s: internal data %+v", tt.name, name, ev.Data)
			}
			if got && v.Agent() && ev.Data.Ticket.InternalStatus != StatusWaitingInternal {
				t.Errorf("%s to the agent: no internal status", tt.name)
			}
		}
	}
}
