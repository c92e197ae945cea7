package ticket

import "testing"

func TestWorkflow(t *testing.T) {
	tests := []struct {
		actor  Actor
		action Action
		from   Status
		want   Status
		ok     bool
	}{
		{ActorCustomer, ActionReply, StatusWaitingExternal, StatusOpen, true},
		{ActorCustomer, ActionReply, StatusResolved, StatusOpen, true},
		{ActorCustomer, ActionReply, StatusNew, StatusNew, true},
		{ActorCustomer, ActionReply, StatusOpen, StatusOpen, true},
		{ActorCustomer, ActionReply, StatusWaitingInternal, StatusWaitingInternal, true},
		{ActorCustomer, ActionReply, StatusPostponed, StatusPostponed, true},
		{ActorCustomer, ActionReply, StatusClosed, StatusClosed, false},
		{ActorCustomer, ActionClose, StatusWaitingExternal, StatusClosed, true},
		{ActorCustomer, ActionClose, StatusClosed, StatusClosed, false},
		{ActorCustomer, ActionReopen, StatusClosed, StatusClosed, false},
		{ActorAgent, ActionReply, StatusWaitingInternal, StatusWaitingInternal, true},
		{ActorAgent, ActionReply, StatusClosed, StatusClosed, false},
		{ActorAgent, ActionClose, StatusOpen, StatusClosed, true},
		{ActorAgent, ActionReopen, StatusClosed, StatusOpen, true},
		{ActorAgent, ActionReopen, StatusOpen, StatusOpen, false},
	}
	for _, tt := range tests {
		got, err := Next(tt.actor, tt.action, tt.from)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("Next(%s, %s, %s) = %s, %v; want %s, ok %v", tt.actor, tt.action, tt.from, got, err, tt.want, tt.ok)
		}
	}
	// Every status is covered for a customer's reply: allowed everywhere but closed.
	for _, s := range Statuses() {
		if got, want := Allowed(ActorCustomer, ActionReply, s), s != StatusClosed; got != want {
			t.Errorf("customer reply on %s allowed = %v, want %v", s, got, want)
		}
	}
	if AgentMaySet(StatusClosed, StatusOpen) || !AgentMaySet(StatusOpen, StatusWaitingExternal) || AgentMaySet(StatusOpen, "bogus") || AgentMaySet(StatusOpen, StatusOpen) {
		t.Error("AgentMaySet disagrees with the workflow")
	}
}
