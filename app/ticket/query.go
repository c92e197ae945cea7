package ticket

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Query is a search of the ticket list: what the address bar of /tickets
// holds, what GET /api/v1/tickets reads and what a saved view stores. One
// type, parsed and checked by ParseQuery on both sides.
type Query struct {
	Search         string         `json:"q,omitempty"`
	Open           string         `json:"open,omitempty"`   // "true", "false" or "" (both)
	Status         []PortalStatus `json:"status,omitempty"` // portal statuses
	InternalStatus []Status       `json:"internalStatus,omitempty"`
	Type           string         `json:"type,omitempty"`
	Category       string         `json:"category,omitempty"`
	OrganizationID int64          `json:"organizationId,omitempty"`
	CreatedFrom    string         `json:"createdFrom,omitempty"` // YYYY-MM-DD or RFC 3339
	CreatedTo      string         `json:"createdTo,omitempty"`   // YYYY-MM-DD (inclusive) or RFC 3339 (exclusive)
	Awaiting       string         `json:"awaiting,omitempty"`    // "me": tickets waiting for the caller
	Assignee       string         `json:"assignee,omitempty"`    // agents: "me", "none" or ""
	Sort           Sort           `json:"sort,omitempty"`
	// Record: only tickets linked to the record "kind:externalId".
	Record string `json:"record,omitempty"`
}

// Sort orders a ticket list.
type Sort string

const (
	SortUpdated   Sort = "updated"   // last update, newest first (the default)
	SortCreated   Sort = "created"   // creation, newest first
	SortNumber    Sort = "number"    // ticket number, highest first
	SortStatus    Sort = "status"    // what needs the customer first, then last update
	SortRelevance Sort = "relevance" // best search match first (the default with a search)
)

// Sorts lists the sort orders in the order the list offers them.
func Sorts() []Sort {
	return []Sort{SortUpdated, SortCreated, SortNumber, SortStatus, SortRelevance}
}

// MessageID returns the translation id of s's label.
func (s Sort) MessageID() string { return "Sort_" + string(s) }

// MaxSearch is the longest search text, in characters.
const MaxSearch = 200

// Effective returns the sort q is listed in: its own, or relevance when it
// searches and updated when not.
func (q Query) Effective() Sort {
	switch {
	case q.Sort == SortRelevance && strings.TrimSpace(q.Search) == "":
		return SortUpdated
	case q.Sort != "":
		return q.Sort
	case strings.TrimSpace(q.Search) != "":
		return SortRelevance
	}
	return SortUpdated
}

// Values encodes q as URL parameters (the inverse of ParseQuery).
func (q Query) Values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("q", q.Search)
	set("open", q.Open)
	var ps []string
	for _, s := range q.Status {
		ps = append(ps, string(s))
	}
	set("status", strings.Join(ps, ","))
	var is []string
	for _, s := range q.InternalStatus {
		is = append(is, string(s))
	}
	set("internalStatus", strings.Join(is, ","))
	set("type", q.Type)
	set("category", q.Category)
	if q.OrganizationID != 0 {
		v.Set("organizationId", strconv.FormatInt(q.OrganizationID, 10))
	}
	set("createdFrom", q.CreatedFrom)
	set("createdTo", q.CreatedTo)
	set("awaiting", q.Awaiting)
	set("assignee", q.Assignee)
	set("sort", string(q.Sort))
	set("record", q.Record)
	return v
}

// Filtered reports whether q narrows the list beyond open/closed and search.
func (q Query) Filtered() bool {
	return len(q.Status) > 0 || len(q.InternalStatus) > 0 || q.Type != "" || q.Category != "" ||
		q.OrganizationID != 0 || q.CreatedFrom != "" || q.CreatedTo != "" || q.Awaiting != "" || q.Assignee != "" || q.Record != ""
}

func badParameter(name string) *Error { return Errorf(CodeInvalid, "ErrBadParameter", name) }

// ParseQuery reads a Query from URL parameters and checks each of them;
// the error names the first bad parameter. Unknown parameters (cursor,
// limit) are left to the caller.
func ParseQuery(v url.Values) (Query, error) {
	q := Query{
		Search:   strings.TrimSpace(v.Get("q")),
		Open:     v.Get("open"),
		Type:     v.Get("type"),
		Category: v.Get("category"),
		Awaiting: v.Get("awaiting"),
		Assignee: v.Get("assignee"),
		Sort:     Sort(v.Get("sort")),
		Record:   v.Get("record"),
	}
	if s := v.Get("status"); s != "" {
		for _, part := range strings.Split(s, ",") {
			q.Status = append(q.Status, PortalStatus(strings.TrimSpace(part)))
		}
	}
	if s := v.Get("internalStatus"); s != "" {
		for _, part := range strings.Split(s, ",") {
			q.InternalStatus = append(q.InternalStatus, Status(strings.TrimSpace(part)))
		}
	}
	if s := v.Get("organizationId"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return q, badParameter("organizationId")
		}
		q.OrganizationID = id
	}
	q.CreatedFrom, q.CreatedTo = v.Get("createdFrom"), v.Get("createdTo")
	return q, q.Check()
}

// Check reports the first bad part of q, as ParseQuery does; saved views
// are checked with it too.
func (q Query) Check() error {
	if utf8.RuneCountInString(q.Search) > MaxSearch || !utf8.ValidString(q.Search) {
		return badParameter("q")
	}
	switch q.Open {
	case "", "true", "false":
	default:
		return badParameter("open")
	}
	for _, s := range q.Status {
		if !s.Valid() {
			return badParameter("status")
		}
	}
	for _, s := range q.InternalStatus {
		if !s.Valid() {
			return badParameter("internalStatus")
		}
	}
	if len(q.Type) > 100 {
		return badParameter("type")
	}
	if len(q.Category) > 100 {
		return badParameter("category")
	}
	if q.OrganizationID < 0 {
		return badParameter("organizationId")
	}
	if _, err := dateBound(q.CreatedFrom, false); err != nil {
		return badParameter("createdFrom")
	}
	if _, err := dateBound(q.CreatedTo, true); err != nil {
		return badParameter("createdTo")
	}
	if q.Awaiting != "" && q.Awaiting != "me" {
		return badParameter("awaiting")
	}
	switch q.Assignee {
	case "", "me", "none":
	default:
		return badParameter("assignee")
	}
	switch q.Sort {
	case "", SortUpdated, SortCreated, SortNumber, SortStatus, SortRelevance:
	default:
		return badParameter("sort")
	}
	if q.Record != "" {
		if _, _, ok := q.RecordKey(); !ok {
			return badParameter("record")
		}
	}
	return nil
}

// RecordKey returns the kind and external id of q.Record; ok is false
// when q names no record or a malformed one.
func (q Query) RecordKey() (kind RecordKind, externalID string, ok bool) {
	k, id, found := strings.Cut(q.Record, ":")
	if !found || !RecordKind(k).Valid() || !ValidExternalID(id) {
		return "", "", false
	}
	return RecordKind(k), id, true
}

// CreatedRange returns the instants q's creation dates bound: from is
// inclusive, to exclusive; zero times are open ends. A plain date is a UTC
// day (browsers send RFC 3339 instants for the user's own days).
func (q Query) CreatedRange() (from, to time.Time) {
	from, _ = dateBound(q.CreatedFrom, false)
	to, _ = dateBound(q.CreatedTo, true)
	return from, to
}

// dateBound reads a YYYY-MM-DD date or an RFC 3339 instant; a plain date
// as the end of a range means the day after it.
func dateBound(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		if end {
			d = d.AddDate(0, 0, 1)
		}
		return d, nil
	}
	return time.Parse(time.RFC3339, s)
}

// Statuses returns the internal statuses q selects: nil for any, empty
// for none (e.g. the open tab filtered on "closed").
func (q Query) Statuses() []Status {
	if q.Open == "" && len(q.Status) == 0 && len(q.InternalStatus) == 0 {
		return nil
	}
	out := []Status{}
	for _, s := range Statuses() {
		closed := s.Portal() == PortalClosed
		if (q.Open == "true" && closed) || (q.Open == "false" && !closed) {
			continue
		}
		if len(q.Status) > 0 && !contains(q.Status, s.Portal()) {
			continue
		}
		if len(q.InternalStatus) > 0 && !contains(q.InternalStatus, s) {
			continue
		}
		out = append(out, s)
	}
	return out
}

func contains[T comparable](list []T, x T) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

// AwaitingStatuses returns the statuses in which a ticket waits for the
// viewer: the customer's answer (response expected) or, for agents, work
// on a ticket assigned to them.
func (v Viewer) AwaitingStatuses() []Status {
	if v.Agent() {
		return []Status{StatusNew, StatusOpen}
	}
	return PortalResponseExpected.InternalStatuses()
}

// View is a saved search of the ticket list, per user.
type View struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Query Query  `json:"query"`
}

// MaxViewName is the longest view name, in characters.
const MaxViewName = 60

// CheckViewName reports what is wrong with a view name, nil if nothing.
func CheckViewName(name string) error {
	switch n := utf8.RuneCountInString(strings.TrimSpace(name)); {
	case n == 0:
		return &ValidationError{Fields: []FieldError{{Field: "name", MessageID: "ErrViewNameRequired"}}}
	case n > MaxViewName || !utf8.ValidString(name):
		return &ValidationError{Fields: []FieldError{{Field: "name", MessageID: "ErrViewNameTooLong"}}}
	}
	return nil
}
