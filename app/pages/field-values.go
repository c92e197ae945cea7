package pages

// The values of a ticket's data fields as the preview and the ticket page
// show them: amounts and dates per language, select options by their
// label, records by their title, rows as a small table.

import (
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// fieldText is a plain field's value as shown.
func fieldText(lang string, f ticket.Field, v string) string {
	switch f.Kind {
	case ticket.KindMoney:
		return locales.Money(lang, v, f.Currency)
	case ticket.KindDate:
		if d, err := time.Parse(time.DateOnly, v); err == nil {
			return locales.Date(lang, d, nil)
		}
	case ticket.KindSelect:
		return labelOr(lang, ticket.OptionMessageID(f.ID, v), v)
	}
	return ticket.CleanText(v)
}

// rowsTable shows a rows value as a table with the columns' labels; id
// names the table. A value that is no rows value shows as text.
func rowsTable(lang, id string, f ticket.Field, value string) app.UI {
	rows, err := ticket.Rows(value)
	if err != nil {
		return app.Text(ticket.CleanText(value))
	}
	// A narrow column scrolls the table rather than spill over.
	return app.Div().Class("rows-scroll").Body(app.Table().ID(id).Class("rows-table").Body(
		app.THead().Body(app.Tr().Body(
			app.Range(f.Columns).Slice(func(j int) app.UI {
				c := f.Columns[j]
				th := app.Th().Scope("col")
				if c.Kind == ticket.KindMoney || c.Kind == ticket.KindNumber {
					th = th.Class("num")
				}
				return th.Text(fieldLabel(lang, c))
			}),
		)),
		app.TBody().Body(
			app.Range(rows).Slice(func(i int) app.UI {
				return app.Tr().ID(id + "-" + strconv.Itoa(i)).Body(
					app.Range(f.Columns).Slice(func(j int) app.UI {
						c := f.Columns[j]
						td := app.Td().Dir("auto")
						if c.Kind == ticket.KindMoney || c.Kind == ticket.KindNumber {
							td = td.Class("num")
						}
						return td.Text(fieldText(lang, c, rows[i][c.ID]))
					}),
				)
			}),
		),
	))
}

// categoryFields returns the fields of a ticket's category: from the
// catalog the user has, else the one supportal ships with.
func categoryFields(catalogs []ticket.Catalog, typ, category string) []ticket.Field {
	for _, c := range catalogs {
		if tt, ok := c.Type(typ); ok {
			if cat, ok := tt.Category(category); ok {
				return cat.Fields
			}
		}
	}
	return nil
}

// shownField is a field of a ticket with its catalog entry (Kind empty
// when the catalog does not know it: shown as text).
type shownField struct {
	spec  ticket.Field
	value string
}

// shownFields lists a ticket's fields in the catalog's order, then those
// the catalog does not know, by name; empty values are left out.
func shownFields(specs []ticket.Field, values map[string]string) []shownField {
	var out []shownField
	for _, f := range specs {
		if v, ok := values[f.ID]; ok && v != "" {
			out = append(out, shownField{spec: f, value: v})
		}
	}
	var rest []string
	for k, v := range values {
		if v != "" && !slices.ContainsFunc(specs, func(f ticket.Field) bool { return f.ID == k }) {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		out = append(out, shownField{spec: ticket.Field{ID: k, Kind: ticket.KindText}, value: values[k]})
	}
	return out
}

// linkedRecord returns the ticket's link to the record of kind with
// external id.
func linkedRecord(links []ticket.Link, kind ticket.RecordKind, externalID string) (ticket.RecordRef, bool) {
	for _, l := range links {
		if l.Record.Kind == kind && l.Record.ExternalID == externalID {
			return l.Record, true
		}
	}
	return ticket.RecordRef{}, false
}
