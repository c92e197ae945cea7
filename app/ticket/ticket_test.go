package ticket

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestStatusMapping(t *testing.T) {
	tests := []struct {
		internal Status
		portal   PortalStatus
		light    Light
		closed   bool
	}{
		{StatusNew, PortalInProgress, LightOrange, false},
		{StatusOpen, PortalInProgress, LightOrange, false},
		{StatusWaitingExternal, PortalResponseExpected, LightRed, false},
		{StatusWaitingInternal, PortalInProgress, LightOrange, false},
		{StatusResolved, PortalClosed, LightGreen, true},
		{StatusClosed, PortalClosed, LightGreen, true},
		{StatusPostponed, PortalPostponed, LightGrey, false},
	}
	if got, want := len(Statuses()), len(tests); got != want {
		t.Fatalf("len(Statuses()) = %d, want %d", got, want)
	}
	for _, tt := range tests {
		t.Run(string(tt.internal), func(t *testing.T) {
			if !tt.internal.Valid() {
				t.Errorf("Valid() = false")
			}
			if got := tt.internal.Portal(); got != tt.portal {
				t.Errorf("Portal() = %q, want %q", got, tt.portal)
			}
			if got := tt.internal.Portal().Light(); got != tt.light {
				t.Errorf("Light() = %q, want %q", got, tt.light)
			}
			if got := tt.internal.Closed(); got != tt.closed {
				t.Errorf("Closed() = %v, want %v", got, tt.closed)
			}
			found := false
			for _, s := range tt.portal.InternalStatuses() {
				found = found || s == tt.internal
			}
			if !found {
				t.Errorf("%q.InternalStatuses() misses %q", tt.portal, tt.internal)
			}
		})
	}
	if Status("bogus").Valid() || PortalStatus("bogus").Valid() {
		t.Error("unknown statuses must not be valid")
	}
	if got, want := PortalStatuses()[0], PortalResponseExpected; got != want {
		t.Errorf("most urgent portal status = %q, want %q", got, want)
	}
}

// Organizations and users of the policy table.
var (
	orgA      = Organization{ID: 1, Name: "A", AccountNumber: "100"}
	orgBranch = Organization{ID: 2, Name: "A branch", AccountNumber: "101", ParentID: 1}
	orgB      = Organization{ID: 3, Name: "B", AccountNumber: "200"}

	admin   = Viewer{User: User{ID: 1}, Memberships: []Membership{{orgA, RoleAdmin, true}, {orgBranch, RoleAdmin, true}}}
	member  = Viewer{User: User{ID: 2}, Memberships: []Membership{{orgA, RoleMember, true}}}
	revoked = Viewer{User: User{ID: 3}, Memberships: []Membership{{orgA, RoleMember, false}}}
	other   = Viewer{User: User{ID: 4}, Memberships: []Membership{{orgB, RoleAdmin, true}}}
	agent   = Viewer{User: User{ID: 5, Agent: true}}
	nobody  = Viewer{}
)

func TestPolicy(t *testing.T) {
	tickets := map[string]Ticket{
		"A":      {Number: 1, Organization: orgA.Ref(), Status: StatusWaitingInternal},
		"branch": {Number: 2, Organization: orgBranch.Ref(), Status: StatusNew},
		"B":      {Number: 3, Organization: orgB.Ref(), Status: StatusClosed},
	}
	tests := []struct {
		name   string
		viewer Viewer
		sees   map[string]bool
	}{
		{"admin of A and branch", admin, map[string]bool{"A": true, "branch": true}},
		{"member of A", member, map[string]bool{"A": true}},
		{"revoked member of A", revoked, map[string]bool{}},
		{"admin of B", other, map[string]bool{"B": true}},
		{"agent", agent, map[string]bool{"A": true, "branch": true, "B": true}},
		{"nobody", nobody, map[string]bool{}},
	}
	for _, tt := range tests {
		for name, tk := range tickets {
			t.Run(tt.name+"/"+name, func(t *testing.T) {
				if got, want := tt.viewer.CanSeeTicket(tk), tt.sees[name]; got != want {
					t.Fatalf("CanSeeTicket = %v, want %v", got, want)
				}
				if got, want := tt.viewer.Scope().Includes(tk.Organization.ID), tt.sees[name]; got != want {
					t.Fatalf("Scope().Includes = %v, want %v", got, want)
				}
				v := tt.viewer.View(tk)
				if got, want := v.Status, tk.Status.Portal(); got != want {
					t.Errorf("View().Status = %q, want %q", got, want)
				}
				b, _ := json.Marshal(v)
				hasInternal := strings.Contains(string(b), `"internalStatus"`)
				if hasInternal != tt.viewer.Agent() {
					t.Errorf("JSON %s: internalStatus present = %v, want %v", b, hasInternal, tt.viewer.Agent())
				}
			})
		}
	}
	if !revoked.Scope().Empty() || !nobody.Scope().Empty() {
		t.Error("revoked and anonymous viewers must have an empty scope")
	}
}

func TestViewMessagesHidesInternalNotes(t *testing.T) {
	ms := []Message{
		{ID: 1, Body: "public", Internal: false},
		{ID: 2, Body: "secret note", Internal: true},
		{ID: 3, Body: "public again"},
	}
	for _, tt := range []struct {
		name   string
		viewer Viewer
		ids    []int64
	}{
		{"customer", member, []int64{1, 3}},
		{"agent", agent, []int64{1, 2, 3}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.viewer.ViewMessages(ms)
			if len(got) != len(tt.ids) {
				t.Fatalf("got %d messages, want %d", len(got), len(tt.ids))
			}
			for i, m := range got {
				if m.ID != tt.ids[i] {
					t.Errorf("message %d id = %d, want %d", i, m.ID, tt.ids[i])
				}
				if (m.Internal != nil) != tt.viewer.Agent() {
					t.Errorf("message %d: internal flag present = %v, want %v", i, m.Internal != nil, tt.viewer.Agent())
				}
			}
			b, _ := json.Marshal(got)
			if leaked := strings.Contains(string(b), "secret"); leaked != tt.viewer.Agent() {
				t.Errorf("internal note in JSON = %v, want %v", leaked, tt.viewer.Agent())
			}
		})
	}
}

func TestTicketJSONNeverCarriesInternalStatus(t *testing.T) {
	b, err := json.Marshal(Ticket{Number: 1, Status: StatusWaitingInternal})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "waiting_internal") {
		t.Fatalf("Ticket JSON %s carries the internal status", b)
	}
}

func TestAccounts(t *testing.T) {
	if got := admin.Accounts(); len(got) != 2 || got[0].ID != orgA.ID || got[1].ID != orgBranch.ID {
		t.Errorf("admin.Accounts() = %+v, want A and branch", got)
	}
	if got := revoked.Accounts(); len(got) != 0 {
		t.Errorf("revoked.Accounts() = %+v, want none", got)
	}
}

func TestCatalog(t *testing.T) {
	typ, ok := DefaultCatalog.Type("admin_request")
	if !ok || !typ.AdminOnly {
		t.Fatalf("admin_request: found %v, adminOnly %v; want found and admin only", ok, typ.AdminOnly)
	}
	cat, ok := typ.Category("invoice")
	if !ok || len(cat.Fields) != 1 || cat.Fields[0].ID != "invoiceNumber" || !cat.Fields[0].Required {
		t.Fatalf("invoice category = %+v, want required invoiceNumber", cat)
	}
	if _, ok := DefaultCatalog.Type("nope"); ok {
		t.Error("unknown type found")
	}
}

func TestErrors(t *testing.T) {
	if got := ErrorCode(ErrNotFound); got != CodeNotFound {
		t.Errorf("ErrorCode(ErrNotFound) = %q", got)
	}
	if got := AsError(errString("boom")); got != ErrInternal {
		t.Errorf("AsError(plain) = %v, want ErrInternal", got)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestMaySolve(t *testing.T) {
	for _, c := range []struct {
		name      string
		v         Viewer
		requester UserRef
		want      bool
	}{
		{"the requester", member, UserRef{ID: 2}, true},
		{"a colleague, even an admin", admin, UserRef{ID: 2}, false},
		{"an agent", agent, UserRef{ID: 2}, false},
	} {
		if got := c.v.MaySolve(c.requester); got != c.want {
			t.Errorf("%s: MaySolve = %v, want %v", c.name, got, c.want)
		}
	}
}
