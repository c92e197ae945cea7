package ticket

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
)

// Catalog is the ticket catalog: which kinds of tickets exist, who may
// raise them, their categories and the data fields each category asks for.
// It is data: the Support Assistant, the one-page form, the server's
// validation and the API all read it. Labels are translation ids derived
// from the ids (Type_<id>, Category_<id>, Field_<id>, FieldHelp_<id>),
// present in every locale.
type Catalog struct {
	Types []Type `json:"types"`
}

// Type is a kind of ticket.
type Type struct {
	ID        string `json:"id"`
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
	Fields []Field `json:"fields,omitempty"`
}

// FieldKind says what a field holds and how it is checked.
type FieldKind string

const (
	KindText   FieldKind = "text"   // one line of text
	KindNumber FieldKind = "number" // whole number
	KindDate   FieldKind = "date"   // YYYY-MM-DD
	KindMoney  FieldKind = "money"  // amount with up to two decimals
	KindSelect FieldKind = "select" // one of Options
	KindRows   FieldKind = "rows"   // repeatable rows: a JSON array of objects of strings
)

var fieldKinds = map[FieldKind]bool{KindText: true, KindNumber: true, KindDate: true, KindMoney: true, KindSelect: true, KindRows: true}

// Field is a data field a category asks for.
type Field struct {
	ID        string    `json:"id"`
	Kind      FieldKind `json:"kind"`
	Required  bool      `json:"required,omitempty"`
	MaxLength int       `json:"maxLength,omitempty"` // text: at most this many characters (default 100)
	Pattern   string    `json:"pattern,omitempty"`   // text: a regular expression the whole value must match
	Options   []string  `json:"options,omitempty"`   // select: the allowed values (labels: Option_<field>_<value>)
	Help      bool      `json:"help,omitempty"`      // a help text FieldHelp_<id> exists

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
	// Get Help from a claim, an ERA, an eligibility check or an asset:
	// the record says what it is about, the subject what is wrong.
	{ID: RecordHelpType, Records: true, DescriptionOptional: true, Categories: []Category{{ID: "general"}}},
}})

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
		}
	}
	return nil
}

// ReadCatalog reads a catalog from JSON and checks it.
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
