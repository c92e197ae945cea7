package ticket

import (
	"strings"
	"testing"
)

func TestRecordKinds(t *testing.T) {
	want := map[RecordKind]bool{"claim": true, "remittance": true, "eligibility": true, "asset": true,
		"provider": true, "payer": true, "article": true, "contact": true}
	if got := RecordKinds(); len(got) != len(want) {
		t.Fatalf("RecordKinds() = %v, want the %d kinds", got, len(want))
	}
	for _, k := range RecordKinds() {
		if !want[k] || !k.Valid() {
			t.Errorf("kind %q", k)
		}
	}
	for _, bad := range []string{"", "Claim", "claims", "spaceship", "asset "} {
		if _, err := ParseRecordKind(bad, "kind"); ErrorCode(err) != CodeInvalid || AsError(err).Field != "kind" {
			t.Errorf("ParseRecordKind(%q) = %v, want invalid naming kind", bad, err)
		}
	}
}

func TestRecordInputCheck(t *testing.T) {
	ok := RecordInput{Organization: "100200", Title: "Autoklav", URL: "https://assets.example/1",
		Fields: []RecordField{{Label: "serialNumber", Value: "SN-1"}, {Label: "installedOn", Value: "2021-04-01", Kind: KindDate},
			{Label: "billedAmount", Value: "1234.50", Kind: KindMoney, Currency: "USD"}, {Label: "count", Value: "3", Kind: KindNumber}}}
	if err := ok.Check(); err != nil {
		t.Fatalf("a good record: %v", err)
	}
	tests := []struct {
		name   string
		change func(*RecordInput)
		field  string
		id     string
	}{
		{"organization too long", func(in *RecordInput) { in.Organization = strings.Repeat("1", 41) }, "organization", "ErrRecordOrganization"},
		{"currency on text", func(in *RecordInput) { in.Fields[0].Currency = "\u202e<script>" }, "fields.0.value", "ErrRecordCurrency"},
		{"currency on a number", func(in *RecordInput) { in.Fields[3].Currency = "USD" }, "fields.3.value", "ErrRecordCurrency"},
		{"no title", func(in *RecordInput) { in.Title = "" }, "title", "ErrRecordTitleRequired"},
		{"long title", func(in *RecordInput) { in.Title = strings.Repeat("ü", MaxRecordTitle+1) }, "title", "ErrRecordTitleTooLong"},
		{"eleven fields", func(in *RecordInput) { in.Fields = make([]RecordField, 11) }, "fields", "ErrRecordTooManyFields"},
		{"bad label", func(in *RecordInput) { in.Fields[0].Label = "serial number" }, "fields.0.label", "ErrRecordFieldLabel"},
		{"bad date", func(in *RecordInput) { in.Fields[1].Value = "2021-13-01" }, "fields.1.value", "ErrFieldDate"},
		{"bad money", func(in *RecordInput) { in.Fields[2].Value = "12.345" }, "fields.2.value", "ErrFieldMoney"},
		{"bad currency", func(in *RecordInput) { in.Fields[2].Currency = "usd" }, "fields.2.value", "ErrRecordCurrency"},
		{"bad number", func(in *RecordInput) { in.Fields[3].Value = "3a" }, "fields.3.value", "ErrFieldNumber"},
		{"unknown kind", func(in *RecordInput) { in.Fields[0].Kind = "html" }, "fields.0.value", "ErrRecordFieldKind"},
		{"long value", func(in *RecordInput) { in.Fields[0].Value = strings.Repeat("x", MaxRecordFieldValue+1) }, "fields.0.value", "ErrFieldTooLong"},
		{"script link", func(in *RecordInput) { in.URL = "javascript:alert(1)" }, "url", "ErrRecordURL"},
		{"relative link", func(in *RecordInput) { in.URL = "/claims/1" }, "url", "ErrRecordURL"},
		{"long link", func(in *RecordInput) { in.URL = "https://x.example/" + strings.Repeat("a", MaxRecordURL) }, "url", "ErrRecordURL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ok
			in.Fields = append([]RecordField(nil), ok.Fields...)
			tt.change(&in)
			var ve *ValidationError
			err := in.Check()
			if e, is := err.(*ValidationError); is {
				ve = e
			}
			if got := ve.For(tt.field); got != tt.id {
				t.Fatalf("Check() = %v, want %s on %s", err, tt.id, tt.field)
			}
		})
	}
}

func TestExternalIDs(t *testing.T) {
	for id, want := range map[string]bool{
		"CLM-2024-000123": true, "ERA.77": true, "urn:asset:4711": true, "SN_100": true, "7": true,
		"": false, "-x": false, "a/b": false, "a b": false, "../etc": false, "Ü1": false, strings.Repeat("a", 101): false,
	} {
		if got := ValidExternalID(id); got != want {
			t.Errorf("ValidExternalID(%q) = %v, want %v", id, got, want)
		}
	}
	for record, want := range map[string]bool{
		"claim:CLM-1": true, "asset:urn:x:1": true, "claim:": false, "CLM-1": false, "spaceship:1": false, "asset:a/b": false,
	} {
		_, _, ok := Query{Record: record}.RecordKey()
		if ok != want || (Query{Record: record}.Check() == nil) != want {
			t.Errorf("record=%q: ok %v, want %v", record, ok, want)
		}
	}
}

// TestLinkPolicy states who may link and unlink, from the rules: members
// with ticket access and vendors with full access link records of the
// ticket's own account and remove their own links; agents remove any;
// nobody links an archived record or one of another account.
func TestLinkPolicy(t *testing.T) {
	praxis := Organization{ID: 1, Kind: KindCustomer}
	other := Organization{ID: 2, Kind: KindCustomer}
	vendor := Organization{ID: 3, Kind: KindVendor}
	anna := Viewer{User: User{ID: 10}, Memberships: []Membership{{Organization: praxis, TicketAccess: true}}}
	carla := Viewer{User: User{ID: 11}, Memberships: []Membership{{Organization: praxis, TicketAccess: false}}}
	claire := Viewer{User: User{ID: 12}, Memberships: []Membership{{Organization: other, TicketAccess: true}}}
	veraFull := Viewer{User: User{ID: 13}, Memberships: []Membership{{Organization: vendor, TicketAccess: true}},
		VendorAccounts: []VendorAccount{{Organization: praxis, Access: AccessFull}}}
	veraRead := Viewer{User: User{ID: 13}, Memberships: []Membership{{Organization: vendor, TicketAccess: true}},
		VendorAccounts: []VendorAccount{{Organization: praxis, Access: AccessRead}}}
	sam := Viewer{User: User{ID: 14, Agent: true}}

	tk := Ticket{Organization: praxis.Ref()}
	own := Record{Organization: praxis.Ref()}
	archived := Record{Organization: praxis.Ref(), Archived: true}
	foreign := Record{Organization: other.Ref()}
	annasLink := Link{LinkedBy: UserRef{ID: 10}}
	samsLink := Link{LinkedBy: UserRef{ID: 14}}

	for _, tt := range []struct {
		name                      string
		v                         Viewer
		see, link, unOwn, unOther bool
	}{
		{"member", anna, true, true, true, false},
		{"revoked member", carla, false, false, false, false},
		{"other customer", claire, false, false, false, false},
		{"vendor with full access", veraFull, true, true, true, false},
		{"vendor reading", veraRead, true, false, false, false},
		{"agent", sam, true, true, true, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.CanSeeRecord(own); got != tt.see {
				t.Errorf("CanSeeRecord = %v, want %v", got, tt.see)
			}
			if got := tt.v.MayLink(tk, own); got != tt.link {
				t.Errorf("MayLink = %v, want %v", got, tt.link)
			}
			if tt.v.MayLink(tk, archived) || tt.v.MayLink(tk, foreign) {
				t.Errorf("links an archived record or another account's")
			}
			// Anna's link is "own" for Anna; for Sam, Sam's is.
			mine, theirs := annasLink, samsLink
			if tt.v.User.ID == sam.User.ID {
				mine, theirs = samsLink, annasLink
			}
			if tt.v.User.ID != anna.User.ID && tt.v.User.ID != sam.User.ID {
				mine = Link{LinkedBy: tt.v.User.Ref()}
			}
			if got := tt.v.MayUnlink(tk, mine); got != tt.unOwn {
				t.Errorf("MayUnlink(own) = %v, want %v", got, tt.unOwn)
			}
			if got := tt.v.MayUnlink(tk, theirs); got != tt.unOther {
				t.Errorf("MayUnlink(another's) = %v, want %v", got, tt.unOther)
			}
		})
	}
}
