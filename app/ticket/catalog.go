package ticket

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"

	"github.com/supportal/supportal/locales"
)

// Catalog is the ticket catalog: which kinds of tickets exist, who may
// raise them, their categories and the data fields each category asks for.
// It is data: the Support Assistant, the one-page form, the server's
// validation and the API all read it. Labels are translation ids derived
// from the ids (Type_<id>, Category_<id>, Field_<id>, FieldHelp_<id>),
// present in every locale for the built-in entries; an operator's catalog
// brings its own (Labels, HelpTexts; see CheckLabels), which win over the
// locales'.
type Catalog struct {
	Types []Type `json:"types"`
}

// Type is a kind of ticket.
type Type struct {
	ID        string `json:"id"`
	Labels    Labels `json:"labels,omitempty"`    // the label per language (else Type_<id>)
	AdminOnly bool   `json:"adminOnly,omitempty"` // only organization admins may use it
	// Records: a ticket about a record, filed from the record's "Get
	// Help" (it needs a link to one); the Assistant and the one-page form
	// do not offer it.
	Records bool `json:"records,omitempty"`
	// DescriptionOptional: the subject is enough, a message may follow
	// (seed 004: "muss lediglich den Betreff angeben").
	DescriptionOptional bool       `json:"descriptionOptional,omitempty"`
	Categories          []Category `json:"categories"`
}

// Category is a subdivision of a type with its data fields.
type Category struct {
	ID     string  `json:"id"`
	Labels Labels  `json:"labels,omitempty"` // the label per language (else Category_<id>)
	Fields []Field `json:"fields,omitempty"`
	// Evidence, when set, asks for proof in some cases (see Evidence).
	Evidence *Evidence `json:"evidence,omitempty"`
}

// Evidence is a rule of a category: when field Field holds one of Values,
// the ticket needs an attached file or a value in field Alternative. A
// missing remittance of UnitedHealthcare or Cigna is only investigated
// with an EOB (or another image of the payment) or the DDAR / bank
// transaction id.
type Evidence struct {
	Field       string   `json:"field"`
	Values      []string `json:"values"`
	Alternative string   `json:"alternative"`
}

// FieldKind says what a field holds and how it is checked.
type FieldKind string

const (
	KindText   FieldKind = "text"   // one line of text
	KindNumber FieldKind = "number" // whole number
	KindDate   FieldKind = "date"   // YYYY-MM-DD
	KindMoney  FieldKind = "money"  // amount with up to two decimals
	KindSelect FieldKind = "select" // one of Options
	KindRows   FieldKind = "rows"   // repeatable rows of Columns: a JSON array of objects of strings
	KindRecord FieldKind = "record" // the external id of a record of kind Record of the ticket's account
)

var fieldKinds = map[FieldKind]bool{KindText: true, KindNumber: true, KindDate: true, KindMoney: true, KindSelect: true, KindRows: true, KindRecord: true}

// DefaultMaxRows is how many rows a rows field takes unless it says.
const DefaultMaxRows = 20

// Field is a data field a category asks for.
type Field struct {
	ID        string     `json:"id"`
	Kind      FieldKind  `json:"kind"`
	Required  bool       `json:"required,omitempty"`
	MaxLength int        `json:"maxLength,omitempty"` // text: at most this many characters (default 100)
	Pattern   string     `json:"pattern,omitempty"`   // text: a regular expression the whole value must match
	Options   []string   `json:"options,omitempty"`   // select: the allowed values (labels: Option_<field>_<value>)
	Labels    Labels     `json:"labels,omitempty"`    // the label per language (else Field_<id>)
	Help      bool       `json:"help,omitempty"`      // a help text FieldHelp_<id> exists
	HelpTexts Labels     `json:"helpTexts,omitempty"` // the help text per language (else FieldHelp_<id>); shown like Help
	Currency  string     `json:"currency,omitempty"`  // money: the ISO currency of the amount (shown with it)
	Record    RecordKind `json:"record,omitempty"`    // record: the kind of record chosen
	Columns   []Field    `json:"columns,omitempty"`   // rows: the fields of each row
	MaxRows   int        `json:"maxRows,omitempty"`   // rows: at most this many (default 20)

	pattern *regexp.Regexp
}

// Reference numbers as the seed portals write them: letters, digits and
// separators, 3 to 40 characters.
const referencePattern = `[A-Za-z0-9][A-Za-z0-9/_.-]{2,39}`

// DefaultCatalog is the catalog supportal ships with.
var DefaultCatalog = mustCatalog(Catalog{Types: []Type{
	{ID: "admin_request", AdminOnly: true, Categories: []Category{
		{ID: "invoice", Fields: []Field{{ID: "invoiceNumber", Kind: KindText, Required: true, Pattern: referencePattern, Help: true}}},
		{ID: "payment", Fields: []Field{{ID: "invoiceNumber", Kind: KindText, Required: true, Pattern: referencePattern, Help: true}}},
		{ID: "contract", Fields: []Field{{ID: "orderNumber", Kind: KindText, Required: true, Pattern: referencePattern, Help: true}}},
		{ID: "general", Fields: []Field{{ID: "referenceNumber", Kind: KindText, Pattern: referencePattern}}},
	}},
	{ID: "login_problem", Categories: []Category{
		{ID: "password"}, {ID: "locked_account"}, {ID: "two_factor"},
	}},
	{ID: "web_interface_problem", Categories: []Category{
		{ID: "error_message"}, {ID: "display"}, {ID: "performance"},
	}},
	{ID: "user_management", Categories: []Category{
		{ID: "new_user"}, {ID: "permissions"}, {ID: "remove_user"},
	}},
	{ID: "provider_enrollment", Categories: []Category{
		{ID: "new_enrollment"}, {ID: "enrollment_change"}, {ID: "enrollment_status"},
	}},
	// Missing remittance (ERA) / ERA enrollment, after the billing
	// clearinghouse's help article: provider and payer, one example of a
	// missing check is enough; UHC and Cigna need an EOB or the DDAR.
	{ID: "missing_remittance", Categories: []Category{
		{ID: "missing_era", Fields: remittanceFields(true), Evidence: &Evidence{Field: "payer", Values: []string{"UHC", "CIGNA"}, Alternative: "ddarTransactionId"}},
		{ID: "era_enrollment", Fields: remittanceFields(false)},
	}},
	// Get Help from a claim, an ERA, an eligibility check or an asset:
	// the record says what it is about, the subject what is wrong.
	{ID: RecordHelpType, Records: true, DescriptionOptional: true, Categories: []Category{{ID: "general"}}},
}})

// remittanceFields are the fields of a missing-remittance ticket: the
// provider, the payer and, for missing ERAs, the checks and the DDAR id.
func remittanceFields(checks bool) []Field {
	fs := []Field{
		{ID: "provider", Kind: KindRecord, Record: RecordProvider, Required: true},
		{ID: "payer", Kind: KindRecord, Record: RecordPayer, Required: true},
	}
	if checks {
		fs = append(fs,
			Field{ID: "checks", Kind: KindRows, Required: true, Help: true, MaxRows: 10, Columns: []Field{
				{ID: "checkNumber", Kind: KindText, Required: true, Pattern: referencePattern},
				{ID: "checkAmount", Kind: KindMoney, Required: true, Currency: "USD"},
				{ID: "checkDate", Kind: KindDate, Required: true},
			}},
			Field{ID: "ddarTransactionId", Kind: KindText, Pattern: referencePattern, Help: true},
		)
	}
	return fs
}

// RecordHelpType is the type of the tickets "Get Help" files about a
// record in the default catalog.
const RecordHelpType = "record_help"

// RecordType returns the type "Get Help" files with: the first type for
// records, if the catalog has one.
func (c Catalog) RecordType() (Type, bool) {
	for _, t := range c.Types {
		if t.Records {
			return t, true
		}
	}
	return Type{}, false
}

func mustCatalog(c Catalog) Catalog {
	if err := c.Check(); err != nil {
		panic(err)
	}
	return c
}

// CatalogError names the catalog entry at fault.
type CatalogError struct {
	Entry  string // e.g. `type "admin_request" category "invoice" field "invoiceNumber"`
	Reason string
}

func (e *CatalogError) Error() string { return "catalog: " + e.Entry + ": " + e.Reason }

var catalogID = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_]{0,63}$`)

// Check verifies the catalog and prepares its patterns. It names the first
// offending entry.
func (c *Catalog) Check() error {
	if len(c.Types) == 0 {
		return &CatalogError{Entry: "types", Reason: "no ticket types"}
	}
	types := map[string]bool{}
	for ti := range c.Types {
		t := &c.Types[ti]
		entry := fmt.Sprintf("type %q", t.ID)
		if !catalogID.MatchString(t.ID) {
			return &CatalogError{Entry: fmt.Sprintf("type #%d %q", ti+1, t.ID), Reason: "id must be letters, digits and _ (starting with a letter)"}
		}
		if types[t.ID] {
			return &CatalogError{Entry: entry, Reason: "defined twice"}
		}
		types[t.ID] = true
		if len(t.Categories) == 0 {
			return &CatalogError{Entry: entry, Reason: "has no categories"}
		}
		cats := map[string]bool{}
		for ci := range t.Categories {
			cat := &t.Categories[ci]
			centry := fmt.Sprintf("%s category %q", entry, cat.ID)
			if !catalogID.MatchString(cat.ID) {
				return &CatalogError{Entry: centry, Reason: "id must be letters, digits and _ (starting with a letter)"}
			}
			if cats[cat.ID] {
				return &CatalogError{Entry: centry, Reason: "defined twice"}
			}
			cats[cat.ID] = true
			fields := map[string]bool{}
			for fi := range cat.Fields {
				f := &cat.Fields[fi]
				fentry := fmt.Sprintf("%s field %q", centry, f.ID)
				if !catalogID.MatchString(f.ID) {
					return &CatalogError{Entry: fentry, Reason: "id must be letters, digits and _ (starting with a letter)"}
				}
				if fields[f.ID] {
					return &CatalogError{Entry: fentry, Reason: "defined twice"}
				}
				fields[f.ID] = true
				if !fieldKinds[f.Kind] {
					return &CatalogError{Entry: fentry, Reason: fmt.Sprintf("unknown kind %q (text, number, date, money, select, rows)", f.Kind)}
				}
				if f.Kind == KindSelect && len(f.Options) == 0 {
					return &CatalogError{Entry: fentry, Reason: "a select field needs options"}
				}
				if f.Kind == KindRecord && !f.Record.Valid() {
					return &CatalogError{Entry: fentry, Reason: fmt.Sprintf("a record field needs a record kind (%v)", RecordKinds())}
				}
				if f.Kind == KindRows {
					if err := checkColumns(fentry, f); err != nil {
						return err
					}
				}
				if f.MaxLength < 0 {
					return &CatalogError{Entry: fentry, Reason: "maxLength must not be negative"}
				}
				if f.Pattern != "" {
					re, err := regexp.Compile(`^(?:` + f.Pattern + `)$`)
					if err != nil {
						return &CatalogError{Entry: fentry, Reason: "bad pattern: " + err.Error()}
					}
					f.pattern = re
				}
			}
			if err := checkEvidence(centry, cat); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkColumns checks the columns of rows field f: plain fields (no rows,
// no records), each id once.
func checkColumns(entry string, f *Field) error {
	if len(f.Columns) == 0 {
		return &CatalogError{Entry: entry, Reason: "a rows field needs columns"}
	}
	if f.MaxRows < 0 {
		return &CatalogError{Entry: entry, Reason: "maxRows must not be negative"}
	}
	ids := map[string]bool{}
	for ci := range f.Columns {
		c := &f.Columns[ci]
		centry := fmt.Sprintf("%s column %q", entry, c.ID)
		switch {
		case !catalogID.MatchString(c.ID):
			return &CatalogError{Entry: centry, Reason: "id must be letters, digits and _ (starting with a letter)"}
		case ids[c.ID]:
			return &CatalogError{Entry: centry, Reason: "defined twice"}
		case !fieldKinds[c.Kind] || c.Kind == KindRows || c.Kind == KindRecord:
			return &CatalogError{Entry: centry, Reason: fmt.Sprintf("kind %q cannot be a column (text, number, date, money, select)", c.Kind)}
		case c.Kind == KindSelect && len(c.Options) == 0:
			return &CatalogError{Entry: centry, Reason: "a select field needs options"}
		}
		ids[c.ID] = true
		if c.Pattern != "" {
			re, err := regexp.Compile(`^(?:` + c.Pattern + `)$`)
			if err != nil {
				return &CatalogError{Entry: centry, Reason: "bad pattern: " + err.Error()}
			}
			c.pattern = re
		}
	}
	return nil
}

// checkEvidence checks that an evidence rule names fields of its category.
func checkEvidence(entry string, cat *Category) error {
	e := cat.Evidence
	if e == nil {
		return nil
	}
	if _, ok := cat.Field(e.Field); !ok {
		return &CatalogError{Entry: entry + " evidence", Reason: fmt.Sprintf("field %q is not a field of the category", e.Field)}
	}
	if _, ok := cat.Field(e.Alternative); !ok {
		return &CatalogError{Entry: entry + " evidence", Reason: fmt.Sprintf("alternative %q is not a field of the category", e.Alternative)}
	}
	if len(e.Values) == 0 {
		return &CatalogError{Entry: entry + " evidence", Reason: "no values"}
	}
	return nil
}

// ReadCatalog reads a catalog from JSON and checks it: its entries
// (Check), and that each can be named in every supported language, by its
// own labels or the locales' messages (CheckLabels).
func ReadCatalog(r io.Reader) (Catalog, error) {
	var c Catalog
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Catalog{}, fmt.Errorf("catalog: %w", err)
	}
	if err := c.Check(); err != nil {
		return Catalog{}, err
	}
	if err := c.CheckLabels(locales.Supported, locales.Has); err != nil {
		return Catalog{}, err
	}
	return c, nil
}

// Type returns the type with id.
func (c Catalog) Type(id string) (Type, bool) {
	for _, t := range c.Types {
		if t.ID == id {
			return t, true
		}
	}
	return Type{}, false
}

// For returns the part of the catalog v may use in organization orgID:
// admin-only types only for admins of orgID.
func (c Catalog) For(v Viewer, orgID int64) Catalog {
	admin := v.IsAdmin(orgID)
	out := Catalog{}
	for _, t := range c.Types {
		if t.AdminOnly && !admin {
			continue
		}
		out.Types = append(out.Types, t)
	}
	return out
}

// Category returns the category with id of type t.
func (t Type) Category(id string) (Category, bool) {
	for _, c := range t.Categories {
		if c.ID == id {
			return c, true
		}
	}
	return Category{}, false
}

// Field returns the field with id of category c.
func (c Category) Field(id string) (Field, bool) {
	for _, f := range c.Fields {
		if f.ID == id {
			return f, true
		}
	}
	return Field{}, false
}

// TypeMessageID is the translation id of a type's label.
func TypeMessageID(id string) string { return "Type_" + id }

// CategoryMessageID is the translation id of a category's label.
func CategoryMessageID(id string) string { return "Category_" + id }

// FieldMessageID is the translation id of a field's label.
func FieldMessageID(id string) string { return "Field_" + id }

// FieldHelpMessageID is the translation id of a field's help text.
func FieldHelpMessageID(id string) string { return "FieldHelp_" + id }

// OptionMessageID is the translation id of a select field's option.
func OptionMessageID(field, value string) string { return "Option_" + field + "_" + value }
