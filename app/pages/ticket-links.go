package pages

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// ticketLinks is the ticket page's right column (seed 004: "Rechte Spalte:
// Verknüpfungen zu Kontakten, Anlagen und Artikeln"): the people of the
// ticket and the records it is about, grouped by kind, each a link to the
// record's page. Who may write to the ticket's account links a record of
// it (a search over the account's records) and removes what the policy
// lets them; other open pages follow by events.
type ticketLinks struct {
	app.Compo

	Session  state.Session
	Ticket   ticket.TicketView
	Messages []ticket.MessageView

	ui      app.Context
	search  state.RecordList // the records found to link
	link    state.Link
	typed   string // the search as typed
	tried   bool   // a search was asked for this ticket
	number  int64  // the ticket the search belongs to
	message string // what the last link or unlink did (read out)
}

func newTicketLinks() *ticketLinks { return &ticketLinks{} }

// WithSession, WithTicket and WithMessages set its props.
func (c *ticketLinks) WithSession(s state.Session) *ticketLinks { c.Session = s; return c }

func (c *ticketLinks) WithTicket(tk ticket.TicketView) *ticketLinks { c.Ticket = tk; return c }

func (c *ticketLinks) WithMessages(ms []ticket.MessageView) *ticketLinks { c.Messages = ms; return c }

func (c *ticketLinks) OnMount(ctx app.Context) {
	c.ui = ctx
	ctx.ObserveState(state.RecordSearchState, &c.search)
	ctx.ObserveState(state.LinkState, &c.link).OnChange(func() {
		if c.link.Number != c.Ticket.Number || c.link.Status != state.Loaded {
			return
		}
		lang := c.Session.Lang
		if c.link.Unlink {
			c.message = t(lang, "UnlinkedRecord")
			focusLater(ctx, "link-search")
			return
		}
		c.message = t(lang, "LinkedRecord")
		focusLater(ctx, "linked-record-"+strconv.FormatInt(c.link.RecordID, 10))
	})
}

// OnUpdate: another ticket, another search.
func (c *ticketLinks) OnUpdate(ctx app.Context) {
	if c.number != c.Ticket.Number {
		c.number, c.typed, c.tried, c.message = c.Ticket.Number, "", false, ""
	}
}

// linkKinds is the order of the record sections after the contacts.
var linkKinds = []ticket.RecordKind{ticket.RecordAsset, ticket.RecordArticle, ticket.RecordClaim,
	ticket.RecordRemittance, ticket.RecordEligibility, ticket.RecordProvider, ticket.RecordPayer}

// sectionID names a kind's section; assets and articles keep the ids
// they had before records existed.
func sectionID(k ticket.RecordKind) string {
	switch k {
	case ticket.RecordAsset:
		return "linked-assets"
	case ticket.RecordArticle:
		return "linked-articles"
	}
	return "linked-" + string(k)
}

// owned is the ticket as the policy reads it.
func (c *ticketLinks) owned() ticket.Ticket {
	return ticket.Ticket{Number: c.Ticket.Number, Organization: c.Ticket.Organization}
}

// mayLink reports whether the user may link records to the ticket at all.
func (c *ticketLinks) mayLink() bool {
	return c.Session.Viewer().MayLink(c.owned(), ticket.Record{Organization: c.Ticket.Organization})
}

func (c *ticketLinks) Render() app.UI {
	lang := c.Session.Lang
	tk := c.Ticket
	byKind := map[ticket.RecordKind][]ticket.Link{}
	for _, l := range tk.Links {
		byKind[l.Record.Kind] = append(byKind[l.Record.Kind], l)
	}
	people := contacts(tk, c.Messages)
	return app.Aside().Class("ticket-linked").Aria("labelledby", "linked-heading").Body(
		app.H2().ID("linked-heading").Text(t(lang, "LinkedHeading")),
		app.Section().ID("linked-contacts").Class("linked-section").Aria("labelledby", "linked-contacts-heading").Body(
			app.H3().ID("linked-contacts-heading").Text(t(lang, "LinkedContacts")),
			app.Ul().Class("linked-list").Body(
				app.Range(people).Slice(func(i int) app.UI {
					return app.Li().Body(
						app.Span().Class("contact-name").Text(people[i].Name),
						app.If(people[i] == tk.Requester, func() app.UI {
							return app.Span().Class("contact-role muted").Text(t(lang, "Requester"))
						}),
						// The vendor's user who filed it for the customer.
						app.If(tk.CreatedBy != nil && tk.CreatedBy.ID == people[i].ID, func() app.UI {
							return app.Span().ID("linked-vendor-filer").Class("contact-role muted").Text(t(lang, "ContactVendorFiler", "Vendor", tk.CreatedBy.Organization.Name))
						}),
						// The support team: its assignee, the agent reading.
						app.If(people[i] != tk.Requester && c.support(people[i]), func() app.UI {
							return app.Span().Class("contact-role muted").Text(t(lang, "ContactSupport"))
						}),
					)
				}),
				app.Range(byKind[ticket.RecordContact]).Slice(func(i int) app.UI {
					return c.renderLink(lang, byKind[ticket.RecordContact][i])
				}),
			),
		),
		app.Range(linkKinds).Slice(func(i int) app.UI {
			k := linkKinds[i]
			links := byKind[k]
			if len(links) == 0 {
				return nil // only the kinds linked: no empty groups
			}
			id := sectionID(k)
			return app.Section().ID(id).Class("linked-section").Aria("labelledby", id+"-heading").Body(
				app.H3().ID(id+"-heading").Text(t(lang, k.PluralMessageID())),
				app.Ul().Class("linked-list").Body(
					app.Range(links).Slice(func(j int) app.UI { return c.renderLink(lang, links[j]) }),
				),
			)
		}),
		app.If(c.mayLink(), func() app.UI { return c.renderLinkForm(lang) }),
	)
}

// support reports whether u is of the support team as far as the ticket
// tells: its assignee, or the agent reading it.
func (c *ticketLinks) support(u ticket.UserRef) bool {
	a := c.Ticket.Assignee
	return (a != nil && a.ID == u.ID) || (c.Session.User.Agent && c.Session.User.ID == u.ID)
}

// recordName is how a record is named in a sentence: its kind and external
// id ("Claim CLM-2026-0042").
func recordName(lang string, r ticket.RecordRef) string {
	return t(lang, "RecordName", "Kind", t(lang, r.Kind.MessageID()), "ID", r.ExternalID)
}

// renderLink is one linked record: a link to its page, archived ones
// marked, and the unlink button where the policy allows it.
func (c *ticketLinks) renderLink(lang string, l ticket.Link) app.UI {
	r := l.Record
	id := strconv.FormatInt(r.ID, 10)
	busy := c.link.Status == state.Loading
	return app.Li().Class("linked-record").Body(
		app.A().ID("linked-record-"+id).Href(recordHref(r.ID)).
			Title(t(lang, "LinkedByOn", "Name", l.LinkedBy.Name, "When", when(lang, l.LinkedAt))).Body(
			app.Span().Class("record-id").Text(r.ExternalID),
			app.Text(" "),
			app.Span().Class("record-title").Dir("auto").Text(ticket.CleanText(r.Title)),
		),
		app.If(r.Archived, func() app.UI {
			return app.Span().Class("archived-badge").Text(t(lang, "RecordArchived"))
		}),
		app.If(c.Session.Viewer().MayUnlink(c.owned(), l), func() app.UI {
			return app.Button().ID("unlink-"+id).Type("button").Class("link-button small").DataSet("record", id).
				Disabled(busy).Aria("label", t(lang, "UnlinkRecordNamed", "Record", recordName(lang, r))).
				OnClick(c.onUnlink).Text(t(lang, "UnlinkRecord"))
		}),
	)
}

// renderLinkForm searches the account's records and links one (seed 004:
// "können jedoch manuell hinzugefügt werden").
func (c *ticketLinks) renderLinkForm(lang string) app.UI {
	mine := c.search.Query.OrganizationID == c.Ticket.Organization.ID && c.tried
	var found []ticket.RecordView
	if mine {
		for _, r := range c.search.Records {
			if !state.LinksRecord(c.Ticket.Links, r.ID) && c.Session.Viewer().MayLink(c.owned(), r.Record) {
				found = append(found, r)
			}
		}
	}
	var failed *state.Error
	if c.link.Number == c.Ticket.Number && c.link.Status == state.Failed {
		failed = c.link.Err
	}
	busy := c.link.Status == state.Loading
	return app.Section().ID("link-record").Class("linked-section link-record").Aria("labelledby", "link-record-heading").Body(
		app.H3().ID("link-record-heading").Text(t(lang, "LinkRecord")),
		app.Form().ID("link-search-form").Role("search").Class("link-search").OnSubmit(c.onSearch).Body(
			app.Label().For("link-search").Text(t(lang, "LinkRecordSearch")),
			app.Div().Class("inline-field").Body(
				app.Input().ID("link-search").Type("search").MaxLength(100).Value(typed("link-search", c.typed)).OnInput(c.onInput),
				app.Button().ID("link-search-button").Type("submit").Class("secondary").Text(t(lang, "SearchButton")),
			),
		),
		app.If(mine && c.search.Status == state.Loading, func() app.UI { return loading(lang) }),
		app.If(mine, func() app.UI { return errorBox(lang, c.search.Err) }),
		app.If(mine && c.search.Status == state.Loaded && len(found) == 0, func() app.UI {
			return app.P().ID("link-search-none").Class("muted").Text(t(lang, "NoRecordsToLink"))
		}),
		// What the search found, read out (the live region is there before).
		app.P().ID("link-search-status").Class("visually-hidden").Role("status").Text(c.found(lang, mine, len(found))),
		app.Ul().ID("link-results").Class("linked-list").Body(
			app.Range(found).Slice(func(i int) app.UI {
				r := found[i]
				id := strconv.FormatInt(r.ID, 10)
				return app.Li().Body(
					app.Span().Class("record-kind muted").Text(t(lang, r.Kind.MessageID())),
					app.Span().Class("record-id").Text(r.ExternalID),
					app.Span().Class("record-title").Dir("auto").Text(ticket.CleanText(r.Title)),
					app.Button().ID("link-"+id).Type("button").Class("small").DataSet("record", id).Disabled(busy).
						Aria("label", t(lang, "LinkRecordNamed", "Record", recordName(lang, r.Ref()))).
						OnClick(c.onLink).Text(t(lang, "LinkButton")),
				)
			}),
		),
		errorBox(lang, failed),
		app.P().ID("link-status").Class("visually-hidden").Role("status").Text(c.message),
	)
}

// found is what a search found, said: nothing before it is done.
func (c *ticketLinks) found(lang string, mine bool, n int) string {
	switch {
	case !mine || c.search.Status != state.Loaded:
		return ""
	case n == 0:
		return t(lang, "NoRecordsToLink")
	}
	return locales.N(lang, "LinkSearchFound", n, nil)
}

func (c *ticketLinks) onInput(ctx app.Context, e app.Event) {
	c.typed = ctx.JSSrc().Get("value").String()
}

func (c *ticketLinks) onSearch(ctx app.Context, e app.Event) {
	e.PreventDefault()
	c.tried, c.message = true, ""
	ctx.NewActionWithValue(state.SearchRecords, state.RecordQuery{OrganizationID: c.Ticket.Organization.ID, Search: strings.TrimSpace(c.typed)})
}

// dataRecord reads the record id of the pressed button (handlers must not
// capture it: go-app keeps an element's first handler).
func dataRecord(ctx app.Context) int64 {
	id, _ := strconv.ParseInt(ctx.JSSrc().Get("dataset").Get("record").String(), 10, 64)
	return id
}

func (c *ticketLinks) onLink(ctx app.Context, e app.Event) {
	if id := dataRecord(ctx); id != 0 {
		c.message = ""
		ctx.NewActionWithValue(state.LinkRecord, state.LinkInput{Number: c.Ticket.Number, RecordID: id})
	}
}

func (c *ticketLinks) onUnlink(ctx app.Context, e app.Event) {
	if id := dataRecord(ctx); id != 0 {
		c.message = ""
		ctx.NewActionWithValue(state.UnlinkRecord, state.LinkInput{Number: c.Ticket.Number, RecordID: id})
	}
}

// recordHref is the address of a record's page.
func recordHref(id int64) string { return "/records/" + strconv.FormatInt(id, 10) }

// contacts are the people of a ticket: its requester first, then the
// authors of the messages the viewer sees, in order, each name once.
func contacts(tk ticket.TicketView, messages []ticket.MessageView) []ticket.UserRef {
	seen := map[string]bool{}
	var out []ticket.UserRef
	add := func(u ticket.UserRef) {
		if u.Name != "" && !seen[u.Name] {
			seen[u.Name] = true
			out = append(out, u)
		}
	}
	add(tk.Requester)
	for _, m := range messages {
		add(m.Author)
	}
	return out
}
