package ticket

import "time"

// EventType names a change others should see.
type EventType string

const (
	EventTicketCreated  EventType = "ticket.created"
	EventTicketUpdated  EventType = "ticket.updated"
	EventMessageCreated EventType = "message.created"
	EventTicketRead     EventType = "ticket.read" // the user read the ticket (their other devices clear the badge)

	// Frames about the stream itself, with the id the browser is at.
	EventSync  EventType = "sync"  // caught up: live events follow
	EventReset EventType = "reset" // the position is unknown here: reload everything
)

// Event is a change as the server keeps it: the ticket as it is now, the
// message the change added, and who may learn of it. Events are numbered
// in commit order.
type Event struct {
	ID       int64
	Type     EventType
	Ticket   Ticket
	Message  *Message
	Internal bool  // invisible to portal users: an internal note, an assignment, an internal status step
	UserID   int64 // not 0: only this user's devices receive it (read state)
	At       time.Time
}

// EventView is an event as one recipient receives it over the websocket:
// the data is shaped like the REST resources for that caller.
type EventView struct {
	ID     int64     `json:"id"`
	Type   EventType `json:"type"`
	Ticket int64     `json:"ticket"`
	Data   EventData `json:"data"`
}

// EventData is the resources an event carries.
type EventData struct {
	Ticket  *TicketView  `json:"ticket,omitempty"`
	Message *MessageView `json:"message,omitempty"`
}
