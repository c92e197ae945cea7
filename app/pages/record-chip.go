package pages

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
)

// recordChip shows the ticket list's filter by a linked record
// (record=kind:externalId, from a record page's "tickets about this
// record") as a chip; its button-like link removes the filter. href is
// the list's address for a query.
func recordChip(lang string, q ticket.Query, href func(ticket.Query) string) app.UI {
	kind, id, ok := q.RecordKey()
	if !ok {
		return nil
	}
	name := recordName(lang, ticket.RecordRef{Kind: kind, ExternalID: id})
	without := q
	without.Record = ""
	return app.P().ID("record-filter").Class("filter-chips").Body(
		app.Span().Class("chip").Body(
			app.Span().Text(t(lang, "FilterRecord", "Record", name)),
			app.A().ID("record-filter-remove").Class("chip-remove").Href(href(without)).
				Aria("label", t(lang, "RemoveFilterRecord", "Record", name)).Title(t(lang, "RemoveFilterRecord", "Record", name)).Text("✕"),
		),
	)
}
