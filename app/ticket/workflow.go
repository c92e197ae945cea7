package ticket

// The status workflow: who may move a ticket from which status to which,
// and what a reply does to the status. One table; the server enforces it,
// the browser reads it to offer only what is allowed.

// Actor is who acts on a ticket.
type Actor string

const (
	ActorCustomer Actor = "customer"
	ActorAgent    Actor = "agent"
)

// Action is what happens to a ticket.
type Action string

const (
	ActionReply  Action = "reply"  // a public message
	ActionClose  Action = "close"  // "Problem solved" (customers) or closing (agents)
	ActionSet    Action = "set"    // an agent sets any status
	ActionReopen Action = "reopen" // an agent reopens a closed ticket
)

// transition is one row of the workflow: by whom, from which statuses
// (empty: any not listed elsewhere), to which status ("" keeps the status).
type transition struct {
	by     Actor
	action Action
	from   []Status
	to     Status
}

var workflow = []transition{
	// A customer's reply answers support: waiting for the customer ends,
	// a resolved ticket opens again; other statuses stay.
	{ActorCustomer, ActionReply, []Status{StatusWaitingExternal, StatusResolved}, StatusOpen},
	{ActorCustomer, ActionReply, []Status{StatusNew, StatusOpen, StatusWaitingInternal, StatusPostponed}, ""},
	// A customer closes a ticket that is not closed yet.
	{ActorCustomer, ActionClose, []Status{StatusNew, StatusOpen, StatusWaitingExternal, StatusWaitingInternal, StatusResolved, StatusPostponed}, StatusClosed},
	// Agents reply in any status but closed; the status stays (they set it
	// themselves, e.g. to waiting_external when asking something).
	{ActorAgent, ActionReply, []Status{StatusNew, StatusOpen, StatusWaitingExternal, StatusWaitingInternal, StatusResolved, StatusPostponed}, ""},
	{ActorAgent, ActionClose, []Status{StatusNew, StatusOpen, StatusWaitingExternal, StatusWaitingInternal, StatusResolved, StatusPostponed}, StatusClosed},
	{ActorAgent, ActionReopen, []Status{StatusClosed, StatusResolved}, StatusOpen},
}

// ErrTransition is returned for a step the workflow does not allow.
var ErrTransition = Errorf(CodeConflict, "ErrTransition", "status")

// Next returns the status after actor does action on a ticket in status
// from, or ErrTransition.
func Next(actor Actor, action Action, from Status) (Status, error) {
	for _, t := range workflow {
		if t.by != actor || t.action != action {
			continue
		}
		for _, f := range t.from {
			if f == from {
				if t.to == "" {
					return from, nil
				}
				return t.to, nil
			}
		}
	}
	return from, ErrTransition
}

// AgentMaySet reports whether an agent may set a ticket in status from to
// status to directly: any valid status of an open ticket; a closed ticket
// must be reopened first.
func AgentMaySet(from, to Status) bool {
	return to.Valid() && from != to && from != StatusClosed
}

// Allowed reports whether actor may do action on a ticket in status from.
func Allowed(actor Actor, action Action, from Status) bool {
	_, err := Next(actor, action, from)
	return err == nil
}
