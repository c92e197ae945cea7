package ticket

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// good returns a valid draft of type/category for org with the category's
// required fields filled.
func good(org int64, typ, cat string) Draft {
	d := Draft{OrganizationID: org, Type: typ, Category: cat, Subject: "Rechnung doppelt", Description: "Wir haben die Rechnung zweimal erhalten.", Fields: map[string]string{}}
	t, _ := DefaultCatalog.Type(typ)
	c, _ := t.Category(cat)
	for _, f := range c.Fields {
		if f.Required {
			d.Fields[f.ID] = goodValue(f)
		}
	}
	if t.Records {
		d.Links = []int64{7}
	}
	return d
}

// goodValue is a valid value of a required field f.
func goodValue(f Field) string {
	switch f.Kind {
	case KindRows:
		return `[{"checkNumber":"CHK-88213","checkAmount":"1250.00","checkDate":"2026-10-30"}]`
	case KindRecord:
		return "AETNA"
	}
	return "RE-2026-10452"
}

// TestValidateEveryCatalogEntryAndRole runs every type and category of the
// default catalog for an admin, a member, a revoked member and an outsider.
func TestValidateEveryCatalogEntryAndRole(t *testing.T) {
	for _, typ := range DefaultCatalog.Types {
		for _, cat := range typ.Categories {
			for _, who := range []struct {
				name   string
				viewer Viewer
				org    int64
				want   error // nil: valid
			}{
				{"admin", admin, orgA.ID, nil},
				{"admin of branch", admin, orgBranch.ID, nil},
				{"member", member, orgA.ID, map[bool]error{true: ErrTypeForbidden, false: nil}[typ.AdminOnly]},
				{"revoked", revoked, orgA.ID, ErrNoSuchAccount},
				{"other organization", other, orgA.ID, ErrNoSuchAccount},
				{"agent", agent, orgA.ID, ErrNoSuchAccount},
			} {
				t.Run(typ.ID+"/"+cat.ID+"/"+who.name, func(t *testing.T) {
					err := Validate(DefaultCatalog, who.viewer, good(who.org, typ.ID, cat.ID))
					if err != who.want {
						t.Fatalf("Validate = %v, want %v", err, who.want)
					}
				})
				// Every required field, left empty, is reported at that field.
				for _, f := range cat.Fields {
					if !f.Required || who.want != nil {
						continue
					}
					d := good(who.org, typ.ID, cat.ID)
					delete(d.Fields, f.ID)
					var ve *ValidationError
					if err := Validate(DefaultCatalog, who.viewer, d); !errors.As(err, &ve) || ve.For(FieldKey(f.ID)) != "ErrFieldRequired" {
						t.Errorf("%s/%s without %s: %v, want ErrFieldRequired at %s", typ.ID, cat.ID, f.ID, err, FieldKey(f.ID))
					}
				}
			}
		}
	}
}

func TestValidateFields(t *testing.T) {
	long := strings.Repeat("x", MaxSubject+1)
	tests := []struct {
		name   string
		change func(*Draft)
		want   []FieldError
	}{
		{"valid", func(d *Draft) {}, nil},
		{"subject with markup is just text", func(d *Draft) { d.Subject = "<script>alert(1)</script>" }, nil},
		{"empty subject", func(d *Draft) { d.Subject = "  " }, []FieldError{{Field: "subject", MessageID: "ErrSubjectRequired"}}},
		{"long subject", func(d *Draft) { d.Subject = long }, []FieldError{{Field: "subject", MessageID: "ErrSubjectTooLong"}}},
		{"200 runes is fine", func(d *Draft) { d.Subject = strings.Repeat("ü", MaxSubject) }, nil},
		{"empty description", func(d *Draft) { d.Description = "" }, []FieldError{{Field: "description", MessageID: "ErrDescriptionRequired"}}},
		{"long description", func(d *Draft) { d.Description = strings.Repeat("a", MaxDescription+1) }, []FieldError{{Field: "description", MessageID: "ErrDescriptionTooLong"}}},
		{"no type", func(d *Draft) { d.Type = "" }, []FieldError{{Field: "type", MessageID: "ErrTypeRequired"}}},
		{"nothing chosen or typed: every required field", func(d *Draft) { *d = Draft{OrganizationID: d.OrganizationID} },
			[]FieldError{{Field: "type", MessageID: "ErrTypeRequired"}, {Field: "subject", MessageID: "ErrSubjectRequired"}, {Field: "description", MessageID: "ErrDescriptionRequired"}}},
		{"unknown type", func(d *Draft) { d.Type = "coffee" }, []FieldError{{Field: "type", MessageID: "ErrUnknownType"}}},
		{"no category", func(d *Draft) { d.Category = "" }, []FieldError{{Field: "category", MessageID: "ErrCategoryRequired"}}},
		{"unknown category", func(d *Draft) { d.Category = "contract2" }, []FieldError{{Field: "category", MessageID: "ErrUnknownCategory"}}},
		{"unknown field", func(d *Draft) { d.Fields["color"] = "blue" }, []FieldError{{Field: "fields.color", MessageID: "ErrUnknownField"}}},
		{"missing invoice number", func(d *Draft) { delete(d.Fields, "invoiceNumber") }, []FieldError{{Field: "fields.invoiceNumber", MessageID: "ErrFieldRequired"}}},
		{"bad invoice number", func(d *Draft) { d.Fields["invoiceNumber"] = "RE 2026 10452!" }, []FieldError{{Field: "fields.invoiceNumber", MessageID: "ErrFieldPattern"}}},
		{"several problems in form order", func(d *Draft) { d.Subject = ""; d.Description = ""; d.Fields["invoiceNumber"] = "" },
			[]FieldError{{Field: "subject", MessageID: "ErrSubjectRequired"}, {Field: "fields.invoiceNumber", MessageID: "ErrFieldRequired"}, {Field: "description", MessageID: "ErrDescriptionRequired"}}},
		{"existing ticket needs only the description", func(d *Draft) { d.ExistingTicket = 10001; d.Subject = ""; d.Category = ""; d.Fields = nil }, nil},
		{"existing ticket still needs a description", func(d *Draft) { d.ExistingTicket = 10001; d.Description = "" }, []FieldError{{Field: "description", MessageID: "ErrDescriptionRequired"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := good(orgA.ID, "admin_request", "invoice")
			tt.change(&d)
			err := Validate(DefaultCatalog, admin, d)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate = %v, want a ValidationError", err)
			}
			if !reflect.DeepEqual(ve.Fields, tt.want) {
				t.Fatalf("errors = %v, want %v", ve.Fields, tt.want)
			}
		})
	}
}

func TestFieldKinds(t *testing.T) {
	tests := []struct {
		field Field
		value string
		want  string
	}{
		{Field{Kind: KindNumber}, "12345", ""},
		{Field{Kind: KindNumber}, "12a", "ErrFieldNumber"},
		{Field{Kind: KindDate}, "2026-02-28", ""},
		{Field{Kind: KindDate}, "2026-02-30", "ErrFieldDate"},
		{Field{Kind: KindDate}, "28.02.2026", "ErrFieldDate"},
		{Field{Kind: KindMoney}, "1234,50", ""},
		{Field{Kind: KindMoney}, "1234.5", ""},
		{Field{Kind: KindMoney}, "12.345", "ErrFieldMoney"},
		{Field{Kind: KindSelect, Options: []string{"aok", "tk"}}, "tk", ""},
		{Field{Kind: KindSelect, Options: []string{"aok", "tk"}}, "barmer", "ErrFieldOption"},
		{Field{Kind: KindRows, Columns: []Field{{ID: "check"}, {ID: "amount"}}}, `[{"check":"123","amount":"10.00"}]`, ""},
		{Field{Kind: KindRows, Columns: []Field{{ID: "check"}}}, `[{"check":"123","amount":"10.00"}]`, "ErrFieldRows"},
		{Field{Kind: KindRows}, `[1,2]`, "ErrFieldRows"},
		{Field{Kind: KindText, MaxLength: 5}, "abcdef", "ErrFieldTooLong"},
		{Field{Kind: KindText}, strings.Repeat("é", DefaultFieldLimit), ""},
		{Field{Kind: KindText, Required: true}, " ", "ErrFieldRequired"},
		{Field{Kind: KindText, Pattern: "[0-9]+"}, "12x", "ErrFieldPattern"},
	}
	for _, tt := range tests {
		if got := tt.field.Check(tt.value); got != tt.want {
			t.Errorf("%s %q: %q, want %q", tt.field.Kind, tt.value, got, tt.want)
		}
	}
}

func TestCatalogFor(t *testing.T) {
	has := func(c Catalog, id string) bool { _, ok := c.Type(id); return ok }
	if !has(DefaultCatalog.For(admin, orgA.ID), "admin_request") {
		t.Error("admin is not offered admin_request")
	}
	if has(DefaultCatalog.For(member, orgA.ID), "admin_request") {
		t.Error("member is offered admin_request")
	}
	if got, want := len(DefaultCatalog.For(member, orgA.ID).Types), len(DefaultCatalog.Types)-1; got != want {
		t.Errorf("member is offered %d types, want %d (all but admin_request)", got, want)
	}
}

// TestValidateRecordHelp: a ticket filed from a record's "Get Help" needs
// only a subject and the link to the record; the other types still need a
// description, and the record type is no way round a description when the
// text goes to an existing ticket.
func TestValidateRecordHelp(t *testing.T) {
	typ, ok := DefaultCatalog.RecordType()
	if !ok || typ.ID != RecordHelpType || !typ.DescriptionOptional {
		t.Fatalf("RecordType() = %+v, %v; want %s with an optional description", typ, ok, RecordHelpType)
	}
	help := func(mod func(*Draft)) Draft {
		d := Draft{OrganizationID: orgA.ID, Type: RecordHelpType, Category: "general", Subject: "Ablehnung CO-97", Links: []int64{7}}
		mod(&d)
		return d
	}
	tests := []struct {
		name  string
		draft Draft
		field string // "" valid
		want  string
	}{
		{"subject only", help(func(*Draft) {}), "", ""},
		{"with a description", help(func(d *Draft) { d.Description = "Seit Montag" }), "", ""},
		{"no subject", help(func(d *Draft) { d.Subject = " " }), "subject", "ErrSubjectRequired"},
		{"no link", help(func(d *Draft) { d.Links = nil }), "links", "ErrLinksRequired"},
		{"no category", help(func(d *Draft) { d.Category = "" }), "category", "ErrCategoryRequired"},
		{"description too long", help(func(d *Draft) { d.Description = strings.Repeat("x", MaxDescription+1) }), "description", "ErrDescriptionTooLong"},
		{"too many links", help(func(d *Draft) { d.Links = make([]int64, MaxLinks+1) }), "links", "ErrTooManyLinks"},
		{"other type, no description", func() Draft { d := good(orgA.ID, "login_problem", "password"); d.Description = ""; return d }(), "description", "ErrDescriptionRequired"},
		{"existing ticket, no text", help(func(d *Draft) { d.ExistingTicket = 10001 }), "description", "ErrDescriptionRequired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(DefaultCatalog, member, tt.draft)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.For(tt.field) != tt.want {
				t.Fatalf("Validate = %v, want %s at %s", err, tt.want, tt.field)
			}
		})
	}
}

func TestReadCatalogNamesTheBadEntry(t *testing.T) {
	tests := []struct{ json, want string }{
		{`{"types":[{"id":"a","categories":[{"id":"c","fields":[{"id":"f","kind":"colour"}]}]}]}`, `type "a" category "c" field "f": unknown kind "colour"`},
		{`{"types":[{"id":"a","categories":[]}]}`, `type "a": has no categories`},
		{`{"types":[{"id":"a","categories":[{"id":"c"}]},{"id":"a","categories":[{"id":"c"}]}]}`, `type "a": defined twice`},
		{`{"types":[{"id":"a","categories":[{"id":"c","fields":[{"id":"f","kind":"text","pattern":"(["}]}]}]}`, `field "f": bad pattern`},
		{`{"types":[{"id":"a","categories":[{"id":"c","fields":[{"id":"f","kind":"select"}]}]}]}`, `field "f": a select field needs options`},
		{`{"types":[{"id":"a","categories":[{"id":"c"}],"color":1}]}`, `unknown field "color"`},
		{`{"types":[]}`, `no ticket types`},
		{`{"types":[{"id":"a","categories":[{"id":"c","fields":[{"id":"p","kind":"record"}]}]}]}`, `field "p": a record field needs a record kind`},
		{`{"types":[{"id":"a","categories":[{"id":"c","fields":[{"id":"p","kind":"record","record":"spaceship"}]}]}]}`, `field "p": a record field needs a record kind`},
		{`{"types":[{"id":"a","categories":[{"id":"c","fields":[{"id":"r","kind":"rows"}]}]}]}`, `field "r": a rows field needs columns`},
		{`{"types":[{"id":"a","categories":[{"id":"c","fields":[{"id":"r","kind":"rows","columns":[{"id":"x","kind":"rows"}]}]}]}]}`, `field "r" column "x": kind "rows" cannot be a column`},
		{`{"types":[{"id":"a","categories":[{"id":"c","fields":[{"id":"r","kind":"rows","columns":[{"id":"x","kind":"text"},{"id":"x","kind":"date"}]}]}]}]}`, `column "x": defined twice`},
		{`{"types":[{"id":"a","categories":[{"id":"c","fields":[{"id":"r","kind":"rows","columns":[{"id":"x","kind":"text","pattern":"("}]}]}]}]}`, `column "x": bad pattern`},
		{`{"types":[{"id":"a","categories":[{"id":"c","fields":[{"id":"p","kind":"text"}],"evidence":{"field":"payer","values":["UHC"],"alternative":"p"}}]}]}`, `category "c" evidence: field "payer" is not a field`},
		{`{"types":[{"id":"a","categories":[{"id":"c","fields":[{"id":"p","kind":"text"}],"evidence":{"field":"p","values":["UHC"],"alternative":"q"}}]}]}`, `alternative "q" is not a field`},
	}
	for _, tt := range tests {
		_, err := ReadCatalog(strings.NewReader(tt.json))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ReadCatalog(%s) = %v, want an error containing %q", tt.json, err, tt.want)
		}
	}
	l := `"labels":{"en":"L","de":"L","fr":"L","es":"L"}`
	c, err := ReadCatalog(strings.NewReader(`{"types":[{"id":"a",` + l + `,"categories":[{"id":"c",` + l + `,"fields":[{"id":"n",` + l + `,"kind":"text","required":true,"pattern":"[0-9]+"}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	d := Draft{OrganizationID: orgA.ID, Type: "a", Category: "c", Subject: "s", Description: "d", Fields: map[string]string{"n": "x1"}}
	var ve *ValidationError
	if err := Validate(c, member, d); !errors.As(err, &ve) || ve.For("fields.n") != "ErrFieldPattern" {
		t.Errorf("a catalog read from JSON does not apply its pattern: %v", err)
	}
}

func TestCheckReply(t *testing.T) {
	for _, c := range []struct {
		body  string
		files int
		want  string
	}{
		{"Danke!", 0, ""},
		{"  \n ", 0, "ErrReplyRequired"},
		{"", 1, ""},
		{strings.Repeat("ä", MaxDescription), 0, ""},
		{strings.Repeat("ä", MaxDescription+1), 0, "ErrReplyTooLong"},
		{"a\xffb", 0, "ErrBadText"},
	} {
		if got := CheckReply(c.body, c.files); got != c.want {
			t.Errorf("CheckReply(%.20q…, %d) = %q, want %q", c.body, c.files, got, c.want)
		}
	}
}

// TestMissingRemittance: the seed's rule for missing ERAs — provider,
// payer and one example check; UHC and Cigna need an attached EOB or the
// DDAR / bank transaction id.
func TestMissingRemittance(t *testing.T) {
	base := func() Draft { return good(orgA.ID, "missing_remittance", "missing_era") }
	tests := []struct {
		name   string
		change func(*Draft)
		want   map[string]string // field -> message id; nil: valid
	}{
		{"another payer needs no evidence", func(d *Draft) {}, nil},
		{"UHC without evidence", func(d *Draft) { d.Fields["payer"] = "UHC" },
			map[string]string{"attachments": "ErrEvidenceRequired", "fields.ddarTransactionId": "ErrEvidenceRequired"}},
		{"Cigna, any case, without evidence", func(d *Draft) { d.Fields["payer"] = "cigna" },
			map[string]string{"attachments": "ErrEvidenceRequired"}},
		{"UHC with an EOB", func(d *Draft) { d.Fields["payer"] = "UHC"; d.Attachments = []string{"upload-1"} }, nil},
		{"UHC with the DDAR id", func(d *Draft) { d.Fields["payer"] = "UHC"; d.Fields["ddarTransactionId"] = "TRN-1-0012345678" }, nil},
		{"no check", func(d *Draft) { d.Fields["checks"] = `[]` }, map[string]string{"fields.checks": "ErrFieldRequired"}},
		{"only a blank row", func(d *Draft) { d.Fields["checks"] = `[{"checkNumber":" ","checkAmount":"","checkDate":""}]` },
			map[string]string{"fields.checks": "ErrFieldRequired"}},
		{"a blank row besides a good one", func(d *Draft) {
			d.Fields["checks"] = `[{"checkNumber":"","checkAmount":"","checkDate":""},{"checkNumber":"CHK-1","checkAmount":"12,50","checkDate":"2026-10-01"}]`
		}, nil},
		{"bad cells", func(d *Draft) {
			d.Fields["checks"] = `[{"checkNumber":"CHK-1","checkAmount":"12.345","checkDate":"30.10.2026"}]`
		},
			map[string]string{"fields.checks.0.checkAmount": "ErrFieldMoney", "fields.checks.0.checkDate": "ErrFieldDate"}},
		{"a missing cell", func(d *Draft) { d.Fields["checks"] = `[{"checkNumber":"CHK-1","checkDate":"2026-10-30"}]` },
			map[string]string{"fields.checks.0.checkAmount": "ErrFieldRequired"}},
		{"an unknown column", func(d *Draft) {
			d.Fields["checks"] = `[{"checkNumber":"CHK-1","checkAmount":"1","checkDate":"2026-10-30","iban":"DE00"}]`
		}, map[string]string{"fields.checks": "ErrFieldRows"}},
		{"an unknown column in a blank row", func(d *Draft) {
			d.Fields["checks"] = `[{"checkNumber":"CHK-1","checkAmount":"1","checkDate":"2026-10-30"},{"<img>":" "}]`
		}, map[string]string{"fields.checks": "ErrFieldRows"}},
		{"eleven rows, ten of them blank", func(d *Draft) {
			d.Fields["checks"] = `[{"checkNumber":"CHK-1","checkAmount":"1","checkDate":"2026-10-30"}` + strings.Repeat(`,{"checkNumber":""}`, 10) + `]`
		}, map[string]string{"fields.checks": "ErrFieldTooManyRows"}},
		{"a huge blank cell", func(d *Draft) {
			d.Fields["checks"] = `[{"checkNumber":"CHK-1","checkAmount":"1","checkDate":"2026-10-30"},{"checkNumber":"` + strings.Repeat(" ", 100000) + `"}]`
		}, map[string]string{"fields.checks": "ErrFieldTooLong"}},
		{"not rows", func(d *Draft) { d.Fields["checks"] = `{"checkNumber":"1"}` }, map[string]string{"fields.checks": "ErrFieldRows"}},
		{"eleven checks", func(d *Draft) {
			d.Fields["checks"] = "[" + strings.Repeat(`{"checkNumber":"CHK-1","checkAmount":"1","checkDate":"2026-10-30"},`, 10) + `{"checkNumber":"CHK-1","checkAmount":"1","checkDate":"2026-10-30"}]`
		}, map[string]string{"fields.checks": "ErrFieldTooManyRows"}},
		{"no provider", func(d *Draft) { delete(d.Fields, "provider") }, map[string]string{"fields.provider": "ErrFieldRequired"}},
		{"a provider that is no record id", func(d *Draft) { d.Fields["provider"] = "Dr. Weber" }, map[string]string{"fields.provider": "ErrFieldRecord"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := base()
			tt.change(&d)
			err := Validate(DefaultCatalog, member, d)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate = %v, want %v", err, tt.want)
			}
			for field, id := range tt.want {
				if got := ve.For(field); got != id {
					t.Errorf("%s: %q, want %q (all: %v)", field, got, id, err)
				}
			}
		})
	}
	// ERA enrollment asks for provider and payer only.
	if err := Validate(DefaultCatalog, member, good(orgA.ID, "missing_remittance", "era_enrollment")); err != nil {
		t.Fatalf("enrollment: %v", err)
	}
}

func TestNormalizeRows(t *testing.T) {
	for in, want := range map[string]string{
		`[{"checkNumber":"","checkAmount":" "},{"checkNumber":"CHK-1","checkAmount":"12,50"}]`: `[{"checkAmount":"12,50","checkNumber":"CHK-1"}]`,
		`[{"checkNumber":""}]`: "",
		``:                     "",
	} {
		if got := NormalizeRows(in); got != want {
			t.Errorf("NormalizeRows(%s) = %s, want %s", in, got, want)
		}
	}
}
