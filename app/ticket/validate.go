package ticket

import (
	"encoding/json"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Draft is a ticket as the user is writing it, in the Support Assistant or
// the one-page form, and as it is sent to POST /api/v1/tickets.
type Draft struct {
	OrganizationID int64             `json:"organizationId"`
	Type           string            `json:"type"`
	Category       string            `json:"category"`
	Subject        string            `json:"subject"`
	Description    string            `json:"description"`
	Fields         map[string]string `json:"fields,omitempty"`
	// ExistingTicket, when set, adds the description as a new public
	// message to that open ticket instead of creating a ticket.
	ExistingTicket int64 `json:"existingTicket,omitempty"`
	// FollowUpOf, when set, names the closed ticket of the same account
	// this new ticket follows up ("Create follow-up").
	FollowUpOf int64 `json:"followUpOf,omitempty"`
	// Attachments are ids of the caller's uploads (POST /api/v1/uploads).
	Attachments []string `json:"attachments,omitempty"`
	// Links are ids of records of the account the ticket is about ("Get
	// Help" from a claim or an asset): linked in the same transaction.
	Links []int64 `json:"links,omitempty"`
}

// Limits of a draft's texts, in characters.
const (
	MaxSubject        = 200
	MaxDescription    = 20000
	DefaultFieldLimit = 100
)

// FieldError is one problem with one field of a draft.
type FieldError struct {
	Field     string `json:"field"`
	MessageID string `json:"messageId"`
	// Message is MessageID in the caller's language, filled in when the
	// server answers (ErrorAnswer).
	Message string `json:"message,omitempty"`
}

// ValidationError lists every problem of a draft, in form order.
type ValidationError struct {
	Fields []FieldError
}

// Code makes a ValidationError an "unprocessable" error on the wire.
func (e *ValidationError) Code() Code { return CodeUnprocessable }

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.MessageID
	}
	return "invalid draft: " + strings.Join(parts, ", ")
}

// ValidationFailed is a ValidationError of one field.
func ValidationFailed(field, messageID string) *ValidationError {
	return &ValidationError{Fields: []FieldError{{Field: field, MessageID: messageID}}}
}

// For returns the translation id of the problem with field, "" if none.
func (e *ValidationError) For(field string) string {
	if e == nil {
		return ""
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return f.MessageID
		}
	}
	return ""
}

// Errors of Validate that are not about one field.
var (
	ErrTypeForbidden = Errorf(CodeForbidden, "ErrTypeForbidden", "type")
	ErrNoSuchAccount = Errorf(CodeNotFound, "ErrNoSuchAccount", "organizationId")
	// ErrReadOnly: the account's tickets are visible to v's vendor, but
	// the customer did not let it file or reply there.
	ErrReadOnly = Errorf(CodeForbidden, "ErrReadOnlyAccess", "organizationId")
)

// FieldKey is how a category field is named in FieldError.Field.
func FieldKey(id string) string { return "fields." + id }

// Validate checks a draft against the catalog and what v may do. The
// browser runs it as the user types; the server runs it again before
// storing. It returns nil, ErrNoSuchAccount (the account is not v's: 404),
// ErrReadOnly (v's vendor may only read there: 403),
// ErrTypeForbidden (v may not use the type there: 403) or a
// *ValidationError listing every problem.
func Validate(c Catalog, v Viewer, d Draft) error {
	if !v.CanFileFor(d.OrganizationID) {
		if v.Scope().Includes(d.OrganizationID) && !v.Agent() {
			return ErrReadOnly
		}
		return ErrNoSuchAccount
	}
	var errs []FieldError
	add := func(field, id string) { errs = append(errs, FieldError{Field: field, MessageID: id}) }

	typ, ok := c.Type(d.Type)
	switch {
	case d.Type == "":
		add("type", "ErrTypeRequired")
	case !ok:
		add("type", "ErrUnknownType")
	case typ.AdminOnly && !v.IsAdmin(d.OrganizationID):
		return ErrTypeForbidden
	}

	existing := d.ExistingTicket != 0
	if d.ExistingTicket < 0 {
		add("existingTicket", "ErrExistingTicket")
	}
	var cat Category
	catOK := false
	if !existing && ok {
		cat, catOK = typ.Category(d.Category)
		switch {
		case d.Category == "":
			add("category", "ErrCategoryRequired")
		case !catOK:
			add("category", "ErrUnknownCategory")
		}
	}
	if !existing {
		// Every new ticket has a subject, whatever its type: asked for
		// even before a type is chosen, as the form shows the field.
		checkText(add, "subject", d.Subject, MaxSubject, "ErrSubjectRequired", "ErrSubjectTooLong")
	}
	if !existing && ok {
		if catOK {
			for name := range d.Fields {
				if _, known := cat.Field(name); !known {
					add(FieldKey(name), "ErrUnknownField")
				}
			}
			for _, f := range cat.Fields {
				if id := f.Check(d.Fields[f.ID]); id != "" {
					add(FieldKey(f.ID), id)
				} else if f.Kind == KindRows {
					f.checkCells(add, d.Fields[f.ID])
				}
			}
			if e := cat.Evidence; e != nil && e.Needed(d) {
				add("attachments", "ErrEvidenceRequired")
				add(FieldKey(e.Alternative), "ErrEvidenceRequired")
			}
		}
	}
	if !existing && ok && typ.DescriptionOptional && strings.TrimSpace(d.Description) == "" {
		// Only the subject is asked for.
	} else {
		checkText(add, "description", d.Description, MaxDescription, "ErrDescriptionRequired", "ErrDescriptionTooLong")
	}
	switch {
	case len(d.Links) > MaxLinks:
		add("links", "ErrTooManyLinks")
	case existing && len(d.Links) > 0:
		// An existing ticket gets a record as an example (POST …/links).
		add("links", "ErrLinksNewTicketOnly")
	}
	if !existing && ok && typ.Records && len(d.Links) == 0 {
		add("links", "ErrLinksRequired")
	}
	if len(errs) > 0 {
		return &ValidationError{Fields: errs}
	}
	return nil
}

// CheckReply returns the translation id of what is wrong with a reply (or
// an internal note) of body with files attached, "" when it may be sent:
// text or at least one file, at most MaxDescription characters. The reply
// box and the server ask it both.
func CheckReply(body string, files int) string {
	switch {
	case strings.TrimSpace(body) == "" && files == 0:
		return "ErrReplyRequired"
	case utf8.RuneCountInString(body) > MaxDescription:
		return "ErrReplyTooLong"
	case !utf8.ValidString(body):
		return "ErrBadText"
	}
	return ""
}

func checkText(add func(field, id string), field, value string, max int, required, tooLong string) {
	switch {
	case strings.TrimSpace(value) == "":
		add(field, required)
	case utf8.RuneCountInString(value) > max:
		add(field, tooLong)
	case !utf8.ValidString(value):
		add(field, "ErrBadText")
	}
}

var (
	numberRE = regexp.MustCompile(`^[0-9]{1,18}$`)
	moneyRE  = regexp.MustCompile(`^[0-9]{1,12}([.,][0-9]{1,2})?$`)
)

// Check returns the translation id of what is wrong with value for f, ""
// when it is fine. Values are checked as typed, without trimming.
func (f Field) Check(value string) string {
	if strings.TrimSpace(value) == "" {
		if f.Required {
			return "ErrFieldRequired"
		}
		return ""
	}
	if !utf8.ValidString(value) {
		return "ErrBadText"
	}
	switch f.Kind {
	case KindNumber:
		if !numberRE.MatchString(value) {
			return "ErrFieldNumber"
		}
	case KindDate:
		if _, err := time.Parse("2006-01-02", value); err != nil {
			return "ErrFieldDate"
		}
	case KindMoney:
		if !moneyRE.MatchString(value) {
			return "ErrFieldMoney"
		}
	case KindSelect:
		for _, o := range f.Options {
			if o == value {
				return ""
			}
		}
		return "ErrFieldOption"
	case KindRows:
		// Blank rows count too: what is sent is what is bounded.
		if len(value) > f.maxRows()*(len(f.Columns)*rowCellBytes+8)+2 {
			return "ErrFieldTooLong"
		}
		var raw []map[string]string
		if json.Unmarshal([]byte(value), &raw) != nil {
			return "ErrFieldRows"
		}
		if len(raw) > f.maxRows() {
			return "ErrFieldTooManyRows"
		}
		for _, r := range raw {
			for name := range r {
				if _, ok := f.column(name); !ok {
					return "ErrFieldRows"
				}
			}
		}
		if rows, _ := Rows(value); len(rows) == 0 && f.Required {
			return "ErrFieldRequired"
		}
	case KindRecord:
		if !ValidExternalID(value) {
			return "ErrFieldRecord"
		}
	default: // text
		limit := f.MaxLength
		if limit == 0 {
			limit = DefaultFieldLimit
		}
		if utf8.RuneCountInString(value) > limit {
			return "ErrFieldTooLong"
		}
		if re := f.compiled(); re != nil && !re.MatchString(value) {
			return "ErrFieldPattern"
		}
	}
	return ""
}

// Rows reads the rows of a rows field's value, leaving out rows whose
// cells are all blank (a row the user added and left empty).
func Rows(value string) ([]map[string]string, error) {
	if strings.TrimSpace(value) == "" {
		return nil, nil
	}
	var rows []map[string]string
	if err := json.Unmarshal([]byte(value), &rows); err != nil {
		return nil, err
	}
	out := rows[:0]
	for _, r := range rows {
		for _, v := range r {
			if strings.TrimSpace(v) != "" {
				out = append(out, r)
				break
			}
		}
	}
	return out, nil
}

func (f Field) maxRows() int {
	if f.MaxRows > 0 {
		return f.MaxRows
	}
	return DefaultMaxRows
}

// CellKey is how a cell of a rows field is named in FieldError.Field:
// "fields.checks.0.checkAmount" (rows counted without the blank ones).
func CellKey(field string, row int, column string) string {
	return FieldKey(field) + "." + itoa(row) + "." + column
}

// rowCellBytes bounds the JSON of one cell of a rows field (its name,
// value and quotes): a value sent beyond it is refused as too long.
const rowCellBytes = 240

// NormalizeRows is a rows value as it is kept: the rows that are not
// blank, re-encoded. The value has passed Check.
func NormalizeRows(value string) string {
	rows, err := Rows(value)
	if err != nil || len(rows) == 0 {
		return ""
	}
	b, _ := json.Marshal(rows)
	return string(b)
}

// checkCells checks each cell of the rows of value (which Check found
// well-formed, with known columns only) against its column.
func (f Field) checkCells(add func(field, id string), value string) {
	rows, _ := Rows(value)
	for i, r := range rows {
		for _, c := range f.Columns {
			if id := c.Check(r[c.ID]); id != "" {
				add(CellKey(f.ID, i, c.ID), id)
			}
		}
	}
}

func (f Field) column(id string) (Field, bool) {
	for _, c := range f.Columns {
		if c.ID == id {
			return c, true
		}
	}
	return Field{}, false
}

// Needed reports whether draft d lacks the evidence e asks for: its field
// holds one of e's values, and d has no file and no alternative.
func (e Evidence) Needed(d Draft) bool {
	v := strings.TrimSpace(d.Fields[e.Field])
	applies := false
	for _, x := range e.Values {
		if strings.EqualFold(v, x) {
			applies = true
		}
	}
	return applies && len(d.Attachments) == 0 && strings.TrimSpace(d.Fields[e.Alternative]) == ""
}

// compiled returns the field's pattern, compiling it if the catalog came
// from JSON and was not checked.
func (f Field) compiled() *regexp.Regexp {
	if f.pattern != nil || f.Pattern == "" {
		return f.pattern
	}
	re, err := regexp.Compile(`^(?:` + f.Pattern + `)$`)
	if err != nil {
		return nil
	}
	return re
}
