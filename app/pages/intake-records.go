package pages

// Record fields of a draft (the provider, the payer): a choice among the
// records of the draft's account, loaded through state when the category
// is chosen and when the account changes. The value is the record's
// external id.

import (
	"slices"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// recordFilterMin is how many records a choice lists before it offers a
// filter box above the list.
const recordFilterMin = 12

// observeChoices makes the component follow the record lists of every kind.
func (c *intake) observeChoices(ctx app.Context) {
	for _, k := range ticket.RecordKinds() {
		ctx.ObserveState(state.RecordChoicesState(k), c.choices[k])
	}
}

// loadChoices asks for the records the draft's record fields offer, once
// per account (again when the account changes).
func (c *intake) loadChoices(ctx app.Context) {
	cat, ok := c.category()
	org := c.draft.OrganizationID
	if !ok || org == 0 || c.draft.ExistingTicket != 0 {
		return
	}
	for _, f := range cat.Fields {
		if f.Kind != ticket.KindRecord || c.choicesFor[f.Record] == org {
			continue
		}
		c.choicesFor[f.Record] = org
		ctx.NewActionWithValue(state.LoadRecordChoices, state.RecordQuery{Kind: f.Record, OrganizationID: org, Limit: state.RecordChoicesLimit})
	}
}

// choiceList returns the loaded records of kind for the draft's account,
// and whether they are known (loaded for that account).
func (c *intake) choiceList(kind ticket.RecordKind) (state.RecordList, bool) {
	l := c.choices[kind]
	if l == nil || l.Query.OrganizationID != c.draft.OrganizationID || l.Query.Kind != kind {
		return state.RecordList{}, false
	}
	return *l, true
}

// recordTitle is what a record field's value shows: the record's option
// text when the record is known, else the external id.
func (c *intake) recordTitle(lang string, kind ticket.RecordKind, id string) string {
	if r, ok := c.known[string(kind)+":"+id]; ok {
		return recordOption(lang, r)
	}
	if l, ok := c.choiceList(kind); ok {
		for _, r := range l.Records {
			if r.Kind == kind && r.ExternalID == id {
				return recordOption(lang, r.Record)
			}
		}
	}
	return id
}

// recordOption is a record as a choice names it: a provider with its NPI,
// others by their title.
func recordOption(lang string, r ticket.Record) string {
	for _, f := range r.Fields {
		if f.Label == "npi" && f.Value != "" {
			return t(lang, "RecordOptionNPI", "Title", ticket.CleanText(r.Title), "NPI", f.Value)
		}
	}
	return ticket.CleanText(r.Title)
}

// recordControl is the choice of a record field: a select of the
// account's records of the field's kind, with a filter box when there
// are many; while loading, when none exist or when the load failed it
// says so.
func (c *intake) recordControl(lang, id, field, value, problem, describedBy string, f ticket.Field) app.UI {
	list, known := c.choiceList(f.Record)
	kind := string(f.Record)
	switch {
	case c.draft.OrganizationID == 0:
		return app.Select().ID(id).Disabled(true).Aria("describedby", describedBy).Body(
			app.Option().Value("").Text(t(lang, "RecordChoicesAccountFirst")),
		)
	case !known || list.Status == state.Loading || list.Status == state.Idle:
		return app.Div().Class("record-choice").Body(
			app.Select().ID(id).Disabled(true).Aria("busy", "true").Aria("describedby", describedBy).Body(
				app.Option().Value("").Text(t(lang, "Loading")),
			),
		)
	case list.Status == state.Failed:
		return app.Div().ID(id+"-failed").Class("record-choice").Role("alert").Body(
			app.P().Class("field-error").Text(t(lang, "RecordChoicesFailed", "Kinds", t(lang, f.Record.PluralMessageID()))),
			app.Button().ID(id+"-retry").Type("button").DataSet("kind", kind).OnClick(c.onRetryChoices).Text(t(lang, "RecordChoicesRetry")),
		)
	case len(list.Records) == 0 && list.Query.Search == "":
		return app.Div().ID(id+"-empty").Class("record-choice empty").Body(
			app.P().Class("record-empty").Text(tOr(lang, "RecordChoicesEmpty_"+kind, "RecordChoicesEmpty", "Kinds", t(lang, f.Record.PluralMessageID()))),
			app.P().Class("muted small").Text(t(lang, "RecordChoicesEmptyHint")),
		)
	}
	filter := c.recordFilter[field]
	records := filterRecords(list.Records, f.Record, filter)
	// The chosen record stays offered, whatever the filter.
	if value != "" && !slices.ContainsFunc(records, func(r ticket.RecordView) bool { return r.ExternalID == value }) {
		records = append([]ticket.RecordView{{Record: ticket.Record{Kind: f.Record, ExternalID: value, Title: c.recordTitle(lang, f.Record, value)}}}, records...)
	}
	many := len(list.Records) >= recordFilterMin || list.Next != "" || list.Query.Search != ""
	return app.Div().Class("record-choice").Body(
		app.If(many, func() app.UI {
			return app.Div().Class("record-filter").Body(
				app.Label().For(id+"-filter").Class("small").Text(t(lang, "RecordChoicesFilter", "Kinds", t(lang, f.Record.PluralMessageID()))),
				app.Input().ID(id+"-filter").Type("search").Value(typed(id+"-filter", filter)).
					Aria("controls", id).DataSet("field", field).DataSet("kind", kind).OnInput(c.onRecordFilter),
			)
		}),
		app.Select().ID(id).Required(f.Required).
			Aria("invalid", ariaBool(problem != "")).Aria("describedby", describedBy).
			DataSet("field", field).DataSet("kind", kind).OnChange(c.onRecordChoice).Body(
			app.Option().Value("").Selected(value == "").Text(t(lang, "ChooseOne")),
			app.Range(records).Slice(func(i int) app.UI {
				r := records[i]
				return app.Option().Value(r.ExternalID).Selected(r.ExternalID == value).Text(recordOption(lang, r.Record))
			}),
		),
		app.If(many && len(records) == 0, func() app.UI {
			return app.P().ID(id + "-none").Class("muted small").Role("status").Text(t(lang, "RecordChoicesNoMatch"))
		}),
	)
}

// filterRecords returns the records of kind whose title, external id or
// field values contain q (any case).
func filterRecords(rs []ticket.RecordView, kind ticket.RecordKind, q string) []ticket.RecordView {
	q = strings.ToLower(strings.TrimSpace(q))
	var out []ticket.RecordView
	for _, r := range rs {
		if r.Kind != kind || r.Archived {
			continue
		}
		if q == "" || strings.Contains(strings.ToLower(r.Title), q) || strings.Contains(strings.ToLower(r.ExternalID), q) ||
			slices.ContainsFunc(r.Fields, func(f ticket.RecordField) bool { return strings.Contains(strings.ToLower(f.Value), q) }) {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b ticket.RecordView) int {
		return strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title))
	})
	return out
}

// onRecordChoice takes the chosen record (its external id) and remembers
// it, so that the preview names it whatever the list shows later.
func (c *intake) onRecordChoice(ctx app.Context, e app.Event) {
	el := ctx.JSSrc()
	kind := ticket.RecordKind(el.Get("dataset").Get("kind").String())
	value := el.Get("value").String()
	if el.Get("selectedIndex").Int() <= 0 {
		value = ""
	}
	if l, ok := c.choiceList(kind); ok {
		for _, r := range l.Records {
			if r.ExternalID == value {
				c.known[string(kind)+":"+value] = r.Record
			}
		}
	}
	c.set(ctx, el.Get("dataset").Get("field").String(), value)
}

// onRecordFilter narrows the list as the user types; a list the server
// cut short is searched on the server.
func (c *intake) onRecordFilter(ctx app.Context, e app.Event) {
	el := ctx.JSSrc()
	field := el.Get("dataset").Get("field").String()
	kind := ticket.RecordKind(el.Get("dataset").Get("kind").String())
	q := el.Get("value").String()
	c.recordFilter[field] = q
	if l, ok := c.choiceList(kind); ok && (l.Next != "" || l.Query.Search != "") {
		ctx.NewActionWithValue(state.LoadRecordChoices, state.RecordQuery{Kind: kind, OrganizationID: c.draft.OrganizationID,
			Search: strings.TrimSpace(q), Limit: state.RecordChoicesLimit})
	}
}

// onRetryChoices loads a record list again after a failure.
func (c *intake) onRetryChoices(ctx app.Context, e app.Event) {
	kind := ticket.RecordKind(ctx.JSSrc().Get("dataset").Get("kind").String())
	delete(c.choicesFor, kind)
	c.loadChoices(ctx)
}

// tOr translates id, or fallback when no language has id.
func tOr(lang, id, fallback string, kv ...any) string {
	if locales.Has(lang, id) {
		return t(lang, id, kv...)
	}
	return t(lang, fallback, kv...)
}
