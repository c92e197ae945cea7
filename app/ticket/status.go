package ticket

// Status is a ticket's internal status, as agents work with it.
type Status string

const (
	StatusNew             Status = "new"
	StatusOpen            Status = "open"
	StatusWaitingExternal Status = "waiting_external"
	StatusWaitingInternal Status = "waiting_internal"
	StatusResolved        Status = "resolved"
	StatusClosed          Status = "closed"
	StatusPostponed       Status = "postponed"
)

// PortalStatus is the simplified status portal users see.
type PortalStatus string

const (
	PortalInProgress       PortalStatus = "in_progress"
	PortalResponseExpected PortalStatus = "response_expected"
	PortalClosed           PortalStatus = "closed"
	PortalPostponed        PortalStatus = "postponed"
)

// Light is the traffic-light colour of a portal status.
type Light string

const (
	LightRed    Light = "red"
	LightOrange Light = "orange"
	LightGreen  Light = "green"
	LightGrey   Light = "grey"
)

// statusTable is the one mapping of internal statuses to what portal users
// see. Every other function here reads it.
var statusTable = []struct {
	internal Status
	portal   PortalStatus
}{
	{StatusNew, PortalInProgress},
	{StatusOpen, PortalInProgress},
	{StatusWaitingExternal, PortalResponseExpected},
	{StatusWaitingInternal, PortalInProgress},
	{StatusResolved, PortalClosed},
	{StatusClosed, PortalClosed},
	{StatusPostponed, PortalPostponed},
}

// portalTable lists the portal statuses in the order dashboards show them
// (what needs the customer first) with their colours.
var portalTable = []struct {
	status PortalStatus
	light  Light
}{
	{PortalResponseExpected, LightRed},
	{PortalInProgress, LightOrange},
	{PortalPostponed, LightGrey},
	{PortalClosed, LightGreen},
}

// Statuses returns every internal status in workflow order.
func Statuses() []Status {
	out := make([]Status, len(statusTable))
	for i, r := range statusTable {
		out[i] = r.internal
	}
	return out
}

// PortalStatuses returns every portal status, most urgent for the customer first.
func PortalStatuses() []PortalStatus {
	out := make([]PortalStatus, len(portalTable))
	for i, r := range portalTable {
		out[i] = r.status
	}
	return out
}

// Valid reports whether s is a known internal status.
func (s Status) Valid() bool {
	for _, r := range statusTable {
		if r.internal == s {
			return true
		}
	}
	return false
}

// Portal returns what portal users see of s. Unknown statuses show as in progress.
func (s Status) Portal() PortalStatus {
	for _, r := range statusTable {
		if r.internal == s {
			return r.portal
		}
	}
	return PortalInProgress
}

// Closed reports whether a ticket in status s counts as closed for its customer.
func (s Status) Closed() bool { return s.Portal() == PortalClosed }

// InternalStatuses returns the internal statuses shown as p.
func (p PortalStatus) InternalStatuses() []Status {
	var out []Status
	for _, r := range statusTable {
		if r.portal == p {
			out = append(out, r.internal)
		}
	}
	return out
}

// Valid reports whether p is a known portal status.
func (p PortalStatus) Valid() bool {
	for _, r := range portalTable {
		if r.status == p {
			return true
		}
	}
	return false
}

// Light returns the traffic-light colour of p.
func (p PortalStatus) Light() Light {
	for _, r := range portalTable {
		if r.status == p {
			return r.light
		}
	}
	return LightGrey
}

// MessageID returns the translation id of p's label.
func (p PortalStatus) MessageID() string { return "PortalStatus_" + string(p) }

// MessageID returns the translation id of s's label (agents only).
func (s Status) MessageID() string { return "Status_" + string(s) }
