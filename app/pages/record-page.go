package pages

import (
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// recordPage shows one record (a claim, an ERA, an eligibility check, an
// asset…): its fields, the link back to the system it comes from, its life
// record (every ticket about it, newest first) and the Get Help button,
// marked red while a ticket about it has a reply the user has not read.
// Get Help opens its panel on the right (below on narrow screens); the
// address says whether it is open (?help=1), so the records list's row
// action opens the page with the panel.
type recordPage struct {
	app.Compo

	session state.Session
	ui      app.Context
	mounted bool
	detail  state.RecordDetail
	unread  state.Unread
	id      int64
	loaded  int64
	help    bool // the Get Help panel is open
	embed   state.Embed
}

func newRecordPage() *recordPage { return &recordPage{} }

func (p *recordPage) OnPreRender(ctx app.Context) {
	p.session.Lang = sessionLang(ctx, p.session)
	p.readURL(ctx)
}

func (p *recordPage) readURL(ctx app.Context) {
	u := ctx.Page().URL()
	if !recordPath.MatchString(u.Path) {
		return // not this page's address (host tests)
	}
	p.id, _ = strconv.ParseInt(strings.TrimPrefix(u.Path, "/records/"), 10, 64)
	p.help = u.Query().Get("help") == "1"
}

func (p *recordPage) OnNav(ctx app.Context) {
	was := p.help
	p.readURL(ctx)
	if was && !p.help && p.mounted {
		// The panel closed: the focus goes back to what opened it.
		focusLater(p.ui, "get-help-button")
	}
	p.load(ctx)
}

func (p *recordPage) OnMount(ctx app.Context) {
	p.ui, p.mounted = ctx, true
	ctx.ObserveState(state.RecordState, &p.detail)
	ctx.ObserveState(state.UnreadState, &p.unread)
	ctx.ObserveState(state.EmbedState, &p.embed)
	observeSession(ctx, &p.session, p.load)
}

func (p *recordPage) load(ctx app.Context) {
	if !p.session.LoggedIn || p.id == 0 || p.loaded == p.id {
		return
	}
	p.loaded = p.id
	ctx.NewActionWithValue(state.LoadRecord, p.id)
}

// helpHref is the page's address with the panel open or closed.
func (p *recordPage) helpHref(open bool) string {
	if open {
		return recordHref(p.id) + "?help=1"
	}
	return recordHref(p.id)
}

func (p *recordPage) onGetHelp(ctx app.Context, e app.Event) {
	ctx.Navigate(p.helpHref(!p.help))
}

func (p *recordPage) Render() app.UI {
	lang := p.session.Lang
	d := p.detail
	if d.ID != p.id || d.Status == state.Idle || (d.Status == state.Loading && d.Record.ID == 0) {
		return newShell().WithTitle("Records").WithSession(p.session).Body(loading(lang))
	}
	if d.Status == state.Failed {
		err := d.Err
		if err != nil && err.Code == ticket.CodeNotFound {
			err = ticket.Errorf(ticket.CodeNotFound, "ErrRecordNotFound", "")
		}
		return newShell().WithTitle("Records").WithSession(p.session).Body(
			errorBox(lang, err),
			app.P().Body(app.A().Href(PathRecords).Text(t(lang, "BackToRecords"))),
		)
	}
	r := d.Record
	name := recordName(lang, r.Ref())
	if p.help && p.embed.Active && p.embed.Record == p.id {
		// In a host's frame, beside the host's own page of the record:
		// only its Get Help.
		return newShell().WithTitle("Records").WithHeading(name).WithSession(p.session).Body(
			newGetHelpPanel().WithSession(p.session).WithDetail(d).WithUnread(p.unread).WithFixed(true),
		)
	}
	unread := d.Unread(p.unread, p.session.User.ID)
	return newShell().WithTitle("Records").WithHeading(name).WithSession(p.session).WithActions(
		app.Button().ID("get-help-button").Type("button").Class("primary get-help").
			Aria("expanded", ariaBool(p.help)).Aria("controls", "get-help").OnClick(p.onGetHelp).Body(
			app.Text(t(lang, "GetHelp")),
			unreadMarker(lang, "get-help-unread", unread),
		),
	).Body(
		app.Div().Class("record-layout").Class(map[bool]string{true: "with-help"}[p.help]).Body(
			app.Div().Class("record-main").Body(
				p.renderData(lang, r),
				p.renderLifeRecord(lang, d),
			),
			app.If(p.help, func() app.UI {
				return newGetHelpPanel().WithSession(p.session).WithDetail(d).WithUnread(p.unread)
			}),
		),
	)
}

// renderData is the record's title, fields and origin.
func (p *recordPage) renderData(lang string, r ticket.RecordView) app.UI {
	return app.Section().ID("record-data").Class("panel record-data").Aria("labelledby", "record-title").Body(
		app.H2().ID("record-title").Dir("auto").Text(ticket.CleanText(r.Title)),
		app.If(r.Archived, func() app.UI {
			return app.P().ID("record-archived").Class("archived-notice").Body(
				app.Span().Class("archived-badge").Text(t(lang, "RecordArchived")),
				app.Text(" "+t(lang, "RecordArchivedNotice")),
			)
		}),
		app.Dl().Class("record-fields").Body(
			row(dt(lang, "RecordKindLabel"), app.Dd().Text(t(lang, r.Kind.MessageID()))),
			row(dt(lang, "RecordNumber"), app.Dd().ID("record-external-id").Text(r.ExternalID)),
			app.Range(r.Fields).Slice(func(i int) app.UI {
				f := r.Fields[i]
				return row(
					app.Dt().Text(labelOr(lang, ticket.RecordFieldMessageID(f.Label), humanize(f.Label))),
					app.Dd().Class("record-field-"+string(f.Kind)).Dir("auto").Text(fieldValue(lang, f)),
				)
			}),
			row(dt(lang, "ColAccount"), app.Dd().Text(t(lang, "AccountOption", "Name", r.Organization.Name, "Number", r.Organization.AccountNumber))),
			row(dt(lang, "ColUpdated"), app.Dd().Text(when(lang, r.UpdatedAt))),
		),
		app.If(r.URL != "", func() app.UI {
			return app.P().Body(
				app.A().ID("record-source").Href(r.URL).Target("_blank").Rel("noopener noreferrer").Body(
					app.Text(t(lang, "RecordSource")),
					app.Span().Class("visually-hidden").Text(" "+t(lang, "OpensInNewTab")),
				),
			)
		}),
	)
}

// fieldValue is a record field's value as lang writes it: amounts and
// dates per locale, text as it is.
func fieldValue(lang string, f ticket.RecordField) string {
	switch f.Kind {
	case ticket.KindMoney:
		return locales.Money(lang, f.Value, f.Currency)
	case ticket.KindDate:
		if d, err := time.Parse(time.DateOnly, f.Value); err == nil {
			return locales.Date(lang, d, nil)
		}
	}
	return ticket.CleanText(f.Value)
}

// humanize makes a label id without a translation readable: "customLabel"
// and "custom_label" become "Custom label".
func humanize(id string) string {
	var b strings.Builder
	for i, r := range id {
		switch {
		case r == '_' || r == '-':
			r = ' '
		case r >= 'A' && r <= 'Z' && i > 0:
			if prev := id[i-1]; prev >= 'a' && prev <= 'z' {
				b.WriteByte(' ')
			}
			if i+1 < len(id) && id[i+1] >= 'a' && id[i+1] <= 'z' {
				r += 'a' - 'A'
			}
		}
		b.WriteRune(r)
	}
	out := strings.Join(strings.Fields(b.String()), " ")
	if out != "" && out[0] >= 'a' && out[0] <= 'z' {
		out = string(out[0]-('a'-'A')) + out[1:]
	}
	return out
}

// recordQuery is the ticket list's filter of the tickets about r.
func recordQuery(r ticket.RecordRef) string { return string(r.Kind) + ":" + r.ExternalID }

// renderLifeRecord lists the tickets about the record, newest first
// (seed 004: "Anlagen-Lebenslaufakte").
func (p *recordPage) renderLifeRecord(lang string, d state.RecordDetail) app.UI {
	// The record's account too: another account may use the same id.
	all := ticket.Query{Record: recordQuery(d.Record.Ref()), OrganizationID: d.Record.Organization.ID, Open: "false"}
	heading := "LifeRecord" // an asset's is its life record (seed 004)
	if d.Record.Kind == ticket.RecordAsset {
		heading = "LifeRecordAsset"
	}
	return app.Section().ID("life-record").Class("life-record").Aria("labelledby", "life-record-heading").Body(
		app.H2().ID("life-record-heading").Text(t(lang, heading)),
		app.If(len(d.Tickets) == 0, func() app.UI {
			return app.P().ID("life-record-empty").Class("muted").Text(t(lang, "NoLifeRecord"))
		}).Else(func() app.UI {
			return newTicketTable().WithLang(lang).WithTickets(d.Tickets).WithAgent(p.session.User.Agent).WithUserID(p.session.User.ID).WithUnread(p.unread)
		}),
		app.P().Class("life-record-links").Body(
			app.A().ID("record-open-tickets").Href(PathTickets+"?"+ticket.Query{Record: all.Record, OrganizationID: all.OrganizationID}.Values().Encode()).Text(t(lang, "OpenTicketsAboutRecord")),
			app.Text(" · "),
			app.A().ID("record-closed-tickets").Href(PathTickets+"?"+all.Values().Encode()).Text(t(lang, "ClosedTicketsAboutRecord")),
		),
	)
}
