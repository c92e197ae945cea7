package ticket

import (
	"net/url"
	"reflect"
	"testing"
	"time"
)

func TestQueryRoundTrip(t *testing.T) {
	q := Query{
		Search: "Rechnung Mai", Open: "true", Status: []PortalStatus{PortalResponseExpected, PortalPostponed},
		InternalStatus: []Status{StatusNew}, Type: "admin_request", Category: "invoice", OrganizationID: 7,
		CreatedFrom: "2026-01-01", CreatedTo: "2026-01-31T00:00:00+01:00", Awaiting: "me", Assignee: "none", Sort: SortStatus,
	}
	got, err := ParseQuery(q.Values())
	if err != nil || !reflect.DeepEqual(got, q) {
		t.Fatalf("ParseQuery(Values()) = %+v, %v; want %+v", got, err, q)
	}
	if got, err := ParseQuery(url.Values{}); err != nil || !reflect.DeepEqual(got, Query{}) {
		t.Fatalf("empty query = %+v, %v", got, err)
	}
}

func TestQueryBadParameters(t *testing.T) {
	long := make([]rune, MaxSearch+1)
	for i := range long {
		long[i] = 'a'
	}
	for param, value := range map[string]string{
		"q": string(long), "open": "yes", "status": "new", "internalStatus": "in_progress",
		"organizationId": "-1", "createdFrom": "1.1.2026", "createdTo": "2026-13-01",
		"awaiting": "you", "assignee": "bob", "sort": "random",
	} {
		_, err := ParseQuery(url.Values{param: {value}})
		if e := AsError(err); e.Code != CodeInvalid || e.Field != param {
			t.Errorf("%s=%s: %v, want invalid %s", param, value, err, param)
		}
	}
}

func TestQueryStatuses(t *testing.T) {
	for _, tt := range []struct {
		q    Query
		want []Status
	}{
		{Query{}, nil},
		{Query{Open: "true"}, []Status{StatusNew, StatusOpen, StatusWaitingExternal, StatusWaitingInternal, StatusPostponed}},
		{Query{Open: "false"}, []Status{StatusResolved, StatusClosed}},
		{Query{Status: []PortalStatus{PortalResponseExpected}}, []Status{StatusWaitingExternal}},
		{Query{Open: "true", Status: []PortalStatus{PortalClosed}}, []Status{}},
		{Query{Open: "false", InternalStatus: []Status{StatusResolved, StatusNew}}, []Status{StatusResolved}},
		{Query{InternalStatus: []Status{StatusPostponed}}, []Status{StatusPostponed}},
	} {
		if got := tt.q.Statuses(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%+v: Statuses() = %#v, want %#v", tt.q, got, tt.want)
		}
	}
}

func TestQueryEffectiveSortAndRange(t *testing.T) {
	if s := (Query{}).Effective(); s != SortUpdated {
		t.Errorf("default sort = %s", s)
	}
	if s := (Query{Search: "x"}).Effective(); s != SortRelevance {
		t.Errorf("default sort with a search = %s", s)
	}
	if s := (Query{Sort: SortRelevance}).Effective(); s != SortUpdated {
		t.Errorf("relevance without a search = %s", s)
	}
	from, to := Query{CreatedFrom: "2026-03-01", CreatedTo: "2026-03-31"}.CreatedRange()
	if !from.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) || !to.Equal(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("range = %v .. %v", from, to)
	}
}

func TestQueryForCustomers(t *testing.T) {
	customer := Viewer{User: User{ID: 1}}
	agent := Viewer{User: User{ID: 2, Agent: true}}
	for _, q := range []Query{{InternalStatus: []Status{StatusNew}}, {Assignee: "me"}} {
		if e := AsError(customer.QueryFor(q)); e.Code != CodeForbidden {
			t.Errorf("customer asks %+v: %v, want forbidden", q, e)
		}
		if err := agent.QueryFor(q); err != nil {
			t.Errorf("agent asks %+v: %v", q, err)
		}
	}
	if err := CheckViewName(" "); err == nil {
		t.Error("blank view name accepted")
	}
	if err := CheckViewName("Rechnungen"); err != nil {
		t.Error(err)
	}
}

// FuzzParseQuery: any address is either refused or read into a query that
// goes back into the address bar (Values) and reads the same again.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", "q=Rechnung&open=true", "status=response_expected,in_progress&sort=status",
		"organizationId=17&createdFrom=2026-01-01&createdTo=2026-12-31", "internalStatus=new&assignee=me", "q=%23100&sort=relevance",
		"createdFrom=2026-02-30", "organizationId=-1", "status=,", "awaiting=me&type=login_problem&category=password"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := ParseQuery(v)
		if err != nil {
			if ErrorCode(err) != CodeInvalid {
				t.Fatalf("ParseQuery(%q): error %v is not invalid", raw, err)
			}
			return
		}
		again, err := ParseQuery(q.Values())
		if err != nil {
			t.Fatalf("ParseQuery(%q) = %+v, whose Values %q are refused: %v", raw, q, q.Values().Encode(), err)
		}
		if !reflect.DeepEqual(again, q) {
			t.Fatalf("ParseQuery(%q) = %+v, read back from its Values as %+v", raw, q, again)
		}
	})
}
