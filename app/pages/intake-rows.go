package pages

// Rows fields of a draft (the missing checks): one small group of labelled
// inputs per row, "add" and "remove" buttons. The value is a JSON array of
// objects of strings, as ticket.Rows reads it; rows left blank are kept
// while editing and dropped by the check and the send.

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// editRows reads a rows value for editing: blank rows kept, at least one
// row. A value that is no rows value starts afresh.
func editRows(value string) []map[string]string {
	var rows []map[string]string
	if strings.TrimSpace(value) != "" {
		if err := json.Unmarshal([]byte(value), &rows); err != nil {
			rows = nil
		}
	}
	if len(rows) == 0 {
		rows = []map[string]string{{}}
	}
	for i := range rows {
		if rows[i] == nil {
			rows[i] = map[string]string{}
		}
	}
	return rows
}

// rowsValue writes rows as a field value.
func rowsValue(rows []map[string]string) string {
	b, _ := json.Marshal(rows)
	return string(b)
}

func blankRow(r map[string]string) bool {
	for _, v := range r {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// checkedIndex is the index ticket.Validate gives row i of rows (blank
// rows are not counted), -1 for a blank row.
func checkedIndex(rows []map[string]string, i int) int {
	if blankRow(rows[i]) {
		return -1
	}
	n := 0
	for _, r := range rows[:i] {
		if !blankRow(r) {
			n++
		}
	}
	return n
}

func maxRows(f ticket.Field) int {
	if f.MaxRows > 0 {
		return f.MaxRows
	}
	return ticket.DefaultMaxRows
}

// cellID is the DOM id of the input of column col in row i of the rows
// field with DOM id id.
func cellID(id string, i int, col string) string { return id + "-" + strconv.Itoa(i) + "-" + col }

// rowsField is a rows field: a fieldset with the field's label and help,
// a group per row, the add button and the field's own error.
func (c *intake) rowsField(lang string, f ticket.Field, problems map[string]string) app.UI {
	field := ticket.FieldKey(f.ID)
	id := domID(field)
	problem := c.visible(problems, field)
	rows := editRows(c.draft.Fields[f.ID])
	limit := maxRows(f)
	describedBy := "err-" + id
	if f.HasHelp() {
		describedBy = "help-" + id + " " + describedBy
	}
	marker := "Optional"
	if f.Required {
		marker = "Required"
	}
	return app.FieldSet().ID(id).Class("field rows-field").Aria("describedby", describedBy).Body(
		app.Legend().Body(
			app.Text(fieldLabel(lang, f)),
			app.Span().Class("marker").Text(" ("+t(lang, marker)+")"),
		),
		app.If(f.HasHelp(), func() app.UI {
			return app.P().ID("help-" + id).Class("help").Text(fieldHelp(lang, f))
		}),
		app.Div().ID(id+"-rows").Class("rows-list").Body(
			app.Range(rows).Slice(func(i int) app.UI {
				return c.renderRow(lang, f, id, rows, i, problem, problems)
			}),
		),
		app.If(len(rows) < limit, func() app.UI {
			return app.Button().ID(id+"-add").Type("button").Class("secondary rows-add").
				DataSet("field", field).OnClick(c.onAddRow).
				Text(tOr(lang, "RowsAdd_"+f.ID, "RowsAdd"))
		}).Else(func() app.UI {
			return app.P().ID(id + "-max").Class("muted small").Role("status").
				Text(tOr(lang, "RowsMax_"+f.ID, "RowsMax", "Count", limit))
		}),
		fieldError(lang, id, problem),
	)
}

// renderRow is row i: its inputs, each with its label and its error, and
// its remove button (not on the only row).
func (c *intake) renderRow(lang string, f ticket.Field, id string, rows []map[string]string, i int, fieldProblem string, problems map[string]string) app.UI {
	n := i + 1
	checked := checkedIndex(rows, i)
	rowID := id + "-row-" + strconv.Itoa(i)
	return app.FieldSet().ID(rowID).Class("rows-row").Body(
		app.Legend().Class("rows-row-legend").Text(tOr(lang, "RowsItem_"+f.ID, "RowsItem", "Number", n)),
		app.Div().Class("rows-cells").Body(
			app.Range(f.Columns).Slice(func(j int) app.UI {
				col := f.Columns[j]
				cid := cellID(id, i, col.ID)
				problem := ""
				if checked >= 0 && (c.attempted || c.touched["cell:"+cid]) {
					problem = problems[ticket.CellKey(f.ID, checked, col.ID)]
				}
				describedBy := "err-" + cid
				invalid := problem != ""
				if fieldProblem != "" && i == 0 {
					// The field's own error (nothing entered) marks the
					// first row, where the user starts.
					describedBy += " err-" + id
					invalid = true
				}
				label := fieldLabel(lang, col)
				if col.Kind == ticket.KindMoney && col.Currency != "" {
					label = t(lang, "LabelWithCurrency", "Label", label, "Currency", col.Currency)
				}
				return app.Div().Class("field rows-cell").Class("cell-"+string(col.Kind)).Body(
					app.Label().For(cid).Body(
						app.Text(label),
						app.If(col.Required, func() app.UI { return app.Span().Class("marker").Text(" (" + t(lang, "Required") + ")") }),
					),
					c.cellInput(lang, cid, col, rows[i][col.ID], invalid, describedBy).
						DataSet("field", ticket.FieldKey(f.ID)).DataSet("row", strconv.Itoa(i)).DataSet("col", col.ID),
					fieldError(lang, cid, problem),
				)
			}),
			app.If(len(rows) > 1, func() app.UI {
				return app.Button().ID(rowID+"-remove").Type("button").Class("link rows-remove").
					DataSet("field", ticket.FieldKey(f.ID)).DataSet("row", strconv.Itoa(i)).
					Aria("label", tOr(lang, "RowsRemove_"+f.ID, "RowsRemoveRow", "Number", n)).
					OnClick(c.onRemoveRow).Text(t(lang, "RemoveButton"))
			}),
		),
	)
}

// cellInput is the input of one cell, of its column's kind.
func (c *intake) cellInput(lang, id string, col ticket.Field, value string, invalid bool, describedBy string) app.HTMLInput {
	in := app.Input().ID(id).Type("text").Required(col.Required).
		Aria("invalid", ariaBool(invalid)).Aria("describedby", describedBy).OnInput(c.onCell)
	switch col.Kind {
	case ticket.KindDate:
		return in.Type("date").Value(typed(id, value))
	case ticket.KindMoney:
		return in.Attr("inputmode", "decimal").Attr("autocomplete", "off").Value(typed(id, moneyInput(lang, value)))
	case ticket.KindNumber:
		return in.Attr("inputmode", "numeric").Value(typed(id, value))
	}
	max := col.MaxLength
	if max == 0 {
		max = ticket.DefaultFieldLimit
	}
	return in.MaxLength(max).Attr("autocomplete", "off").Value(typed(id, value))
}

// rowsSpec returns the rows field named by a draft field key.
func (c *intake) rowsSpec(field string) (ticket.Field, bool) {
	cat, ok := c.category()
	if !ok {
		return ticket.Field{}, false
	}
	f, ok := cat.Field(strings.TrimPrefix(field, "fields."))
	return f, ok && f.Kind == ticket.KindRows
}

// onCell copies a cell's input into its row (amounts in the canonical
// form 1234.50, whatever separators the user's language writes).
func (c *intake) onCell(ctx app.Context, e app.Event) {
	el := ctx.JSSrc()
	ds := el.Get("dataset")
	field, col := ds.Get("field").String(), ds.Get("col").String()
	i, err := strconv.Atoi(ds.Get("row").String())
	f, ok := c.rowsSpec(field)
	if err != nil || !ok {
		return
	}
	value := el.Get("value").String()
	for _, cl := range f.Columns {
		if cl.ID == col && cl.Kind == ticket.KindMoney {
			value = normalizeMoney(value)
		}
	}
	rows := editRows(c.draft.Fields[f.ID])
	if i < 0 || i >= len(rows) {
		return
	}
	rows[i][col] = value
	c.touched["cell:"+el.Get("id").String()] = true
	c.set(ctx, field, rowsValue(rows))
}

// onAddRow adds a blank row and moves the focus to its first input.
func (c *intake) onAddRow(ctx app.Context, e app.Event) {
	field := ctx.JSSrc().Get("dataset").Get("field").String()
	f, ok := c.rowsSpec(field)
	if !ok {
		return
	}
	rows, at, ok := addRow(editRows(c.draft.Fields[f.ID]), maxRows(f))
	if !ok {
		return
	}
	c.set(ctx, field, rowsValue(rows))
	// The component's own context: the pressed button may be gone.
	focusLater(c.ui, cellID(domID(field), at, f.Columns[0].ID))
}

// addRow appends a blank row unless rows has max already; at is the new
// row's index.
func addRow(rows []map[string]string, max int) (out []map[string]string, at int, ok bool) {
	if len(rows) >= max {
		return rows, 0, false
	}
	return append(rows, map[string]string{}), len(rows), true
}

// removeRow removes row i, never the only row; at is the row that takes
// the focus (the one now in its place, or the one before).
func removeRow(rows []map[string]string, i int) (out []map[string]string, at int, ok bool) {
	if len(rows) <= 1 || i < 0 || i >= len(rows) {
		return rows, 0, false
	}
	out = append(append([]map[string]string{}, rows[:i]...), rows[i+1:]...)
	return out, min(i, len(out)-1), true
}

// onRemoveRow removes a row; the focus goes to the row that takes its
// place (or the one before).
func (c *intake) onRemoveRow(ctx app.Context, e app.Event) {
	ds := ctx.JSSrc().Get("dataset")
	field := ds.Get("field").String()
	i, err := strconv.Atoi(ds.Get("row").String())
	f, ok := c.rowsSpec(field)
	if err != nil || !ok {
		return
	}
	rows, at, ok := removeRow(editRows(c.draft.Fields[f.ID]), i)
	if !ok {
		return
	}
	c.set(ctx, field, rowsValue(rows))
	// The component's own context: the pressed button may be gone.
	focusLater(c.ui, cellID(domID(field), at, f.Columns[0].ID))
}

var canonicalMoney = regexp.MustCompile(`^[0-9]{1,12}(\.[0-9]{1,2})?$`)

// moneyInput shows a canonical amount with the language's decimal
// separator ("1234,50" in German); anything else as typed.
func moneyInput(lang, v string) string {
	if !canonicalMoney.MatchString(v) {
		return v
	}
	return strings.Replace(v, ".", locales.T(lang, "DecimalSeparator", nil), 1)
}

// normalizeMoney reads an amount as people write it in any of the
// portal's languages — "1.234,50", "1,234.50", "1 234,50", "12,5",
// "$ 80" — as 1234.50. A separator followed by one or two digits at the
// end is the decimal one; groups of three digits are thousands. What
// cannot be read stays as typed (the check then says so).
func normalizeMoney(v string) string {
	s := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\'', '$', '€', '£':
			return -1
		}
		return r
	}, strings.TrimSpace(v))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "USD"), "EUR")
	dec := strings.LastIndexAny(s, ".,")
	if dec >= 0 {
		whole, frac := s[:dec], s[dec+1:]
		sep := s[dec : dec+1]
		switch {
		case len(frac) >= 1 && len(frac) <= 2 && strings.Trim(frac, "0123456789") == "":
			// decimal: every other separator groups thousands
			whole = ungroup(whole)
			if whole == "" {
				return v
			}
			s = whole + "." + frac
		case len(frac) == 3 && !strings.Contains(whole, otherSep(sep)):
			s = ungroup(s)
			if s == "" {
				return v
			}
		default:
			return v
		}
	}
	if !canonicalMoney.MatchString(s) {
		return v
	}
	return s
}

func otherSep(sep string) string {
	if sep == "." {
		return ","
	}
	return "."
}

// ungroup removes thousands separators from s if its groups are of three
// digits ("1.234.567"), "" if they are not.
func ungroup(s string) string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == ',' })
	if len(parts) == 0 || strings.HasSuffix(s, ".") || strings.HasSuffix(s, ",") || strings.HasPrefix(s, ".") || strings.HasPrefix(s, ",") {
		return ""
	}
	for k, p := range parts {
		if strings.Trim(p, "0123456789") != "" || (k > 0 && len(p) != 3) || (k == 0 && len(parts) > 1 && len(p) > 3) {
			return ""
		}
	}
	// Both separators mixed in the whole part are no grouping.
	if strings.Contains(s, ".") && strings.Contains(s, ",") {
		return ""
	}
	return strings.Join(parts, "")
}
