package ticket

import (
	"net/url"
	"regexp"
	"time"
	"unicode/utf8"
)

// A Record is a thing outside supportal that a ticket can be about: a
// claim, a remittance (ERA), an eligibility check of a patient, an asset
// (a machine or installation), a provider, a payer, an article (a product
// or spare part) or a contact. Records come from the customer's own systems
// (the integration API) and belong to one organization; tickets link to
// them ("Get Help" from a claim, an asset's life record).
type Record struct {
	ID           int64         `json:"id"`
	Organization OrgRef        `json:"organization"`
	Kind         RecordKind    `json:"kind"`
	ExternalID   string        `json:"externalId"`
	Title        string        `json:"title"`
	Fields       []RecordField `json:"fields"`
	// URL leads back to the record in the system it comes from.
	URL string `json:"url,omitempty"`
	// Archived: the system it comes from deleted it. Links to it stay
	// readable; no new ones are made.
	Archived  bool      `json:"archived,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// RecordKind says what a record is.
type RecordKind string

const (
	RecordClaim       RecordKind = "claim"
	RecordRemittance  RecordKind = "remittance" // an ERA (electronic remittance advice)
	RecordEligibility RecordKind = "eligibility"
	RecordAsset       RecordKind = "asset"
	RecordProvider    RecordKind = "provider"
	RecordPayer       RecordKind = "payer"
	RecordArticle     RecordKind = "article"
	RecordContact     RecordKind = "contact"
)

// RecordKinds lists the kinds in the order the portal offers them.
func RecordKinds() []RecordKind {
	return []RecordKind{RecordClaim, RecordRemittance, RecordEligibility, RecordAsset,
		RecordArticle, RecordProvider, RecordPayer, RecordContact}
}

// Valid reports whether k is a known kind.
func (k RecordKind) Valid() bool {
	for _, known := range RecordKinds() {
		if k == known {
			return true
		}
	}
	return false
}

// MessageID is the translation id of one record of kind k ("Claim").
func (k RecordKind) MessageID() string { return "RecordKind_" + string(k) }

// PluralMessageID is the translation id of the records of kind k
// ("Claims"), as the navigation and the filter name them.
func (k RecordKind) PluralMessageID() string { return "RecordKinds_" + string(k) }

// ErrRecordKind is the error for a kind that does not exist.
func ErrRecordKind(field string) *Error { return Errorf(CodeInvalid, "ErrRecordKind", field) }

// ParseRecordKind reads a kind; the error names field.
func ParseRecordKind(s, field string) (RecordKind, error) {
	k := RecordKind(s)
	if !k.Valid() {
		return "", ErrRecordKind(field)
	}
	return k, nil
}

// RecordField is one displayed value of a record. Label is an id
// ("serialNumber"): its translation is RecordFieldMessageID(Label). Kind
// says how Value is written and shown: text (the default), number, date
// (YYYY-MM-DD, shown per locale) or money (1234.50 with Currency, shown per
// locale).
type RecordField struct {
	Label    string    `json:"label"`
	Value    string    `json:"value"`
	Kind     FieldKind `json:"kind,omitempty"`
	Currency string    `json:"currency,omitempty"`
}

// RecordFieldMessageID is the translation id of a record field's label.
func RecordFieldMessageID(label string) string { return "RecordField_" + label }

// RecordRef is how a link names its record.
type RecordRef struct {
	ID           int64      `json:"id"`
	Organization int64      `json:"organizationId"`
	Kind         RecordKind `json:"kind"`
	ExternalID   string     `json:"externalId"`
	Title        string     `json:"title"`
	Archived     bool       `json:"archived,omitempty"`
}

// Ref returns the short form of r.
func (r Record) Ref() RecordRef {
	return RecordRef{ID: r.ID, Organization: r.Organization.ID, Kind: r.Kind, ExternalID: r.ExternalID, Title: r.Title, Archived: r.Archived}
}

// Link ties a ticket to a record: who made it and when.
type Link struct {
	Record   RecordRef `json:"record"`
	LinkedBy UserRef   `json:"linkedBy"`
	LinkedAt time.Time `json:"linkedAt"`
}

// Limits of a record.
const (
	MaxRecordFields     = 10
	MaxRecordTitle      = 200
	MaxRecordFieldValue = 500
	MaxRecordURL        = 2000
	MaxLinks            = 20 // links a new ticket may be created with
)

// externalIDRE is an external id as the systems records come from write
// them: a letter or digit, then letters, digits and . _ : - (1 to 100).
var externalIDRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$`)

// ValidExternalID reports whether id is a well-formed external id.
func ValidExternalID(id string) bool { return externalIDRE.MatchString(id) }

// RecordInput is the body of PUT /api/v1/integration/records/{kind}/{id}:
// a record as the customer's system sends it. Organization is the account
// number it belongs to.
type RecordInput struct {
	Organization string        `json:"organization"`
	Title        string        `json:"title"`
	Fields       []RecordField `json:"fields,omitempty"`
	URL          string        `json:"url,omitempty"`
}

// Check returns nil or a *ValidationError naming every field at fault
// ("fields.2.value").
func (in RecordInput) Check() error {
	var errs []FieldError
	add := func(field, id string) { errs = append(errs, FieldError{Field: field, MessageID: id}) }
	if len(in.Organization) > 40 {
		add("organization", "ErrRecordOrganization")
	}
	checkText(add, "title", in.Title, MaxRecordTitle, "ErrRecordTitleRequired", "ErrRecordTitleTooLong")
	if len(in.Fields) > MaxRecordFields {
		add("fields", "ErrRecordTooManyFields")
	}
	for i, f := range in.Fields {
		key := "fields." + itoa(i)
		if !catalogID.MatchString(f.Label) {
			add(key+".label", "ErrRecordFieldLabel")
		}
		if id := f.check(); id != "" {
			add(key+".value", id)
		}
	}
	if in.URL != "" {
		u, err := url.Parse(in.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(in.URL) > MaxRecordURL {
			add("url", "ErrRecordURL")
		}
	}
	if len(errs) > 0 {
		return &ValidationError{Fields: errs}
	}
	return nil
}

// check returns the translation id of what is wrong with f's value.
func (f RecordField) check() string {
	if utf8.RuneCountInString(f.Value) > MaxRecordFieldValue {
		return "ErrFieldTooLong"
	}
	if !utf8.ValidString(f.Value) {
		return "ErrBadText"
	}
	if f.Currency != "" && (f.Kind != KindMoney || !currencyRE.MatchString(f.Currency)) {
		return "ErrRecordCurrency" // a currency belongs to an amount
	}
	switch f.Kind {
	case "", KindText:
		return ""
	case KindNumber, KindDate, KindMoney:
		return Field{Kind: f.Kind}.Check(f.Value)
	}
	return "ErrRecordFieldKind"
}

var currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// Clean drops from in's texts what CleanText drops.
func (in *RecordInput) Clean() {
	in.Title = CleanText(in.Title)
	for i := range in.Fields {
		in.Fields[i].Value = CleanText(in.Fields[i].Value)
	}
}
