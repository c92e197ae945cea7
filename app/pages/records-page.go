package pages

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// recordsPage lists the records of the current account (agents: of every
// account): claims, ERAs, eligibility checks, assets… with a search by
// number or title and a kind filter, both in the address
// (/records?kind=asset&q=…). Each row offers "Get Help" (seed 002's ERA
// list: "Acción seleccionada" → "GetHelp"), marked while a ticket about
// the record has a reply the user has not read.
type recordsPage struct {
	app.Compo

	session   state.Session
	list      state.RecordList
	kind      ticket.RecordKind
	search    string // from the address
	typed     string // the search box as typed
	badKind   bool   // the address names no kind that exists
	urlRead   bool
	loadedFor string
	status    string // what "Show more" brought (read out)
	more      int    // the rows shown when "Show more" was pressed (0: not pressed)
}

func newRecordsPage() *recordsPage { return &recordsPage{} }

// recordsHref is the address of the records list of kind, searching q.
func recordsHref(kind ticket.RecordKind, q string) string {
	v := url.Values{}
	if kind != "" {
		v.Set("kind", string(kind))
	}
	if q != "" {
		v.Set("q", q)
	}
	if len(v) == 0 {
		return PathRecords
	}
	return PathRecords + "?" + v.Encode()
}

func (p *recordsPage) OnPreRender(ctx app.Context) {
	p.session.Lang = sessionLang(ctx, p.session)
	p.readURL(ctx)
}

func (p *recordsPage) OnNav(ctx app.Context) {
	p.readURL(ctx)
	p.load(ctx)
}

func (p *recordsPage) readURL(ctx app.Context) {
	if ctx.Page().URL().Path != PathRecords {
		return // not this page's address (host tests)
	}
	p.urlRead = true
	q := ctx.Page().URL().Query()
	p.kind, p.badKind = ticket.RecordKind(q.Get("kind")), false
	if p.kind != "" && !p.kind.Valid() {
		p.kind, p.badKind = "", true
	}
	p.search = strings.TrimSpace(q.Get("q"))
	p.typed = p.search
}

func (p *recordsPage) OnMount(ctx app.Context) {
	ctx.ObserveState(state.RecordsState, &p.list).OnChange(func() {
		// After "Show more" the focus goes to the first new row (the
		// button may be gone), which says how many came.
		if p.more == 0 || p.list.Status == state.Loading {
			return
		}
		if n := p.more; n < len(p.list.Records) {
			p.status = locales.N(p.session.Lang, "RecordsShownMore", len(p.list.Records)-n, nil)
			focusLater(ctx, "record-link-"+strconv.FormatInt(p.list.Records[n].ID, 10))
		}
		p.more = 0
	})
	observeSession(ctx, &p.session, p.load)
}

// query is what the list asks the server: within the current account
// (agents: every account).
func (p *recordsPage) query() state.RecordQuery {
	q := state.RecordQuery{Kind: p.kind, Search: p.search}
	if !p.session.User.Agent {
		q.OrganizationID = p.session.Account
	}
	return q
}

func (p *recordsPage) load(ctx app.Context) {
	if !p.session.LoggedIn || !p.urlRead {
		return
	}
	q := p.query()
	key := strconv.FormatInt(p.session.User.ID, 10) + "?" + q.Values().Encode()
	if key != p.loadedFor {
		p.loadedFor = key
		ctx.NewActionWithValue(state.LoadRecords, q)
	}
}

func (p *recordsPage) onInput(ctx app.Context, e app.Event) {
	p.typed = ctx.JSSrc().Get("value").String()
}

func (p *recordsPage) onSearch(ctx app.Context, e app.Event) {
	e.PreventDefault()
	ctx.Navigate(recordsHref(p.kind, strings.TrimSpace(p.typed)))
}

func (p *recordsPage) onKind(ctx app.Context, e app.Event) {
	ctx.Navigate(recordsHref(ticket.RecordKind(ctx.JSSrc().Get("value").String()), strings.TrimSpace(p.typed)))
}

func (p *recordsPage) onMore(ctx app.Context, e app.Event) {
	p.more, p.status = len(p.list.Records), ""
	ctx.NewAction(state.LoadMoreRecords)
}

func (p *recordsPage) Render() app.UI {
	lang := p.session.Lang
	sh := newShell().WithTitle("Records").WithSession(p.session)
	if p.kind != "" {
		sh = sh.WithHeading(t(lang, p.kind.PluralMessageID()))
	}
	if p.session.LoggedIn && !p.session.User.Agent && len(p.session.Accounts()) == 0 {
		return sh.Body(app.P().ID("access-revoked").Class("panel").Role("status").Text(t(lang, "TicketAccessRevoked")))
	}
	kinds := ticket.RecordKinds()
	mine := p.list.Query == p.query()
	return sh.Body(
		app.Form().ID("record-search-form").Class("search record-search").Role("search").OnSubmit(p.onSearch).Body(
			app.Div().Class("field").Body(
				app.Label().For("record-search").Text(t(lang, "RecordsSearchLabel")),
				app.Input().ID("record-search").Type("search").MaxLength(100).Value(typed("record-search", p.typed)).OnInput(p.onInput),
			),
			app.Div().Class("field").Body(
				app.Label().For("record-kind").Text(t(lang, "RecordKindLabel")),
				app.Select().ID("record-kind").OnChange(p.onKind).Body(
					app.Option().Value("").Selected(p.kind == "").Text(t(lang, "RecordAllKinds")),
					app.Range(kinds).Slice(func(i int) app.UI {
						k := kinds[i]
						return app.Option().Value(string(k)).Selected(k == p.kind).Text(t(lang, k.PluralMessageID()))
					}),
				),
			),
			app.Button().ID("record-search-button").Type("submit").Text(t(lang, "SearchButton")),
		),
		app.If(p.badKind, func() app.UI { return errorBox(lang, ticket.ErrRecordKind("kind")) }),
		app.If(mine, func() app.UI { return errorBox(lang, p.list.Err) }),
		app.If(p.list.Status == state.Loading && (!mine || len(p.list.Records) == 0), func() app.UI { return loading(lang) }),
		app.If(mine && p.list.Status == state.Loaded && len(p.list.Records) == 0, func() app.UI {
			return app.P().ID("no-records").Class("muted").Role("status").Text(t(lang, "NoRecords"))
		}),
		app.If(mine && len(p.list.Records) > 0, func() app.UI { return p.renderTable(lang) }),
		app.P().ID("records-status").Class("visually-hidden").Role("status").Text(p.status),
		app.If(mine && p.list.Next != "", func() app.UI {
			return app.Button().ID("records-more").Disabled(p.list.Status == state.Loading).OnClick(p.onMore).Text(t(lang, "LoadMore"))
		}),
	)
}

func (p *recordsPage) renderTable(lang string) app.UI {
	agent := p.session.User.Agent
	rows := p.list.Records
	return app.Div().Class("table-wrap").Body(app.Table().ID("records").Class("tickets records").Body(
		app.THead().Body(app.Tr().Body(
			app.Th().Scope("col").Class("col-more").Text(t(lang, "RecordKindLabel")),
			app.Th().Scope("col").Text(t(lang, "RecordNumber")),
			app.Th().Scope("col").Text(t(lang, "RecordTitle")),
			app.If(agent, func() app.UI { return app.Th().Scope("col").Class("col-more").Text(t(lang, "ColAccount")) }),
			app.Th().Scope("col").Class("col-more").Text(t(lang, "OpenTickets")),
			app.Th().Scope("col").Class("col-more").Text(t(lang, "ColUpdated")),
			app.Th().Scope("col").Text(t(lang, "ColActions")),
		)),
		app.TBody().Body(app.Range(rows).Slice(func(i int) app.UI {
			r := rows[i]
			id := strconv.FormatInt(r.ID, 10)
			return app.Tr().ID("record-row-"+id).Body(
				app.Td().Class("record-kind col-more").Text(t(lang, r.Kind.MessageID())),
				app.Td().Class("record-id").Text(r.ExternalID),
				app.Td().Class("record-title").Body(
					app.A().ID("record-link-"+id).Href(recordHref(r.ID)).Dir("auto").Text(ticket.CleanText(r.Title)),
					app.If(r.Archived, func() app.UI { return app.Span().Class("archived-badge").Text(t(lang, "RecordArchived")) }),
				),
				app.If(agent, func() app.UI {
					return app.Td().Class("col-more").Body(app.Span().Text(r.Organization.Name), app.Span().Class("muted small").Text(" "+r.Organization.AccountNumber))
				}),
				app.Td().Class("record-open col-more").Text(strconv.Itoa(r.OpenTickets)),
				app.Td().Class("col-more").Body(app.Time().DateTime(r.UpdatedAt.Format("2006-01-02T15:04:05Z07:00")).Text(when(lang, r.UpdatedAt))),
				app.Td().Class("record-actions").Body(
					app.A().ID("get-help-"+id).Class("button small get-help").Href(recordHref(r.ID)+"?help=1").Body(
						app.Text(t(lang, "GetHelp")),
						app.Span().Class("visually-hidden").Text(" "+recordName(lang, r.Ref())),
						unreadMarker(lang, "", r.Unread),
					),
				),
			)
		})),
	))
}

// unreadMarker is the red marker on Get Help (seed 002: "aparecerá una
// cruz roja… para indicarle que hay una nueva respuesta que aún no se ha
// visto"), read out as what it means; nothing when all is read.
func unreadMarker(lang, id string, n int) app.UI {
	if n <= 0 {
		return nil
	}
	label := locales.N(lang, "GetHelpUnread", n, nil)
	m := app.Span().Class("unread-marker").Title(label)
	if id != "" {
		m = m.ID(id)
	}
	return m.Body(
		app.Span().Aria("hidden", "true").Text("✕"),
		app.Span().Class("visually-hidden").Text(label),
	)
}
