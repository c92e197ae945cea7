package pages

import (
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
)

var (
	praxis  = ticket.Organization{ID: 1, Name: "Praxis Sonnenschein", AccountNumber: "100200"}
	potsdam = ticket.Organization{ID: 2, Name: "Praxis Sonnenschein – Filiale Potsdam", AccountNumber: "100201", ParentID: 1}
)

func annaSession(lang string) state.Session {
	return state.Session{
		Status: state.Loaded, LoggedIn: true, Lang: lang, Account: praxis.ID,
		User: ticket.User{ID: 1, Name: "Anna Admin", Email: "anna@example.com", Locale: lang},
		Memberships: []ticket.Membership{
			{Organization: praxis, Role: ticket.RoleAdmin, TicketAccess: true},
			{Organization: potsdam, Role: ticket.RoleAdmin, TicketAccess: true},
		},
	}
}

func tv(n int64, subject string, st ticket.Status, updated time.Time) ticket.TicketView {
	return ticket.TicketView{
		Number: n, Subject: subject, Type: "login_problem", Category: "password",
		Organization: praxis.Ref(), Requester: ticket.UserRef{ID: 1, Name: "Anna Admin"},
		Status: st.Portal(), CreatedAt: updated.Add(-time.Hour), UpdatedAt: updated,
	}
}

// openingTag returns the opening tag of html that contains attr, "" if none.
func openingTag(html, attr string) string {
	i := strings.Index(html, attr)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(html[:i], "<")
	end := strings.Index(html[i:], ">")
	if start < 0 || end < 0 {
		return ""
	}
	return html[start : i+end+1]
}

// render loads c into a test engine and returns its HTML.
func render(t *testing.T, c app.Composer) string {
	t.Helper()
	e := app.NewTestEngine()
	if err := e.Load(c); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	return app.HTMLString(c)
}

func mustContain(t *testing.T, html string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(html, w) {
			t.Errorf("HTML lacks %q", w)
		}
	}
}

func TestDashboardGerman(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	p := newDashboardPage()
	p.session = annaSession("de")
	p.counts = state.Counts{Status: state.Loaded, Counts: map[ticket.PortalStatus]int{
		ticket.PortalResponseExpected: 2, ticket.PortalInProgress: 5, ticket.PortalClosed: 7,
	}}
	p.open = state.TicketList{Status: state.Loaded, Tickets: []ticket.TicketView{
		tv(10005, "Drucker druckt nicht", ticket.StatusOpen, now),
		tv(10003, "Rechnung doppelt erhalten", ticket.StatusWaitingExternal, now.Add(-48*time.Hour)),
	}}
	html := render(t, p)
	mustContain(t, html,
		"Support-Dashboard", "Antwort erwartet", "In Bearbeitung", "Geschlossen", "Verschoben",
		`>2<`, `>5<`, `>7<`, "2 offene Tickets",
		"Praxis Sonnenschein (100200)", "Praxis Sonnenschein – Filiale Potsdam (100201)",
		"Offene Tickets", "Anna Admin", `aria-expanded="false"`, `lang="fr"`, "Français")
	// Tickets awaiting the customer's response come first, even if older.
	if i, j := strings.Index(html, "Rechnung doppelt erhalten"), strings.Index(html, "Drucker druckt nicht"); i < 0 || j < 0 || i > j {
		t.Errorf("response-expected ticket at %d, in-progress ticket at %d: want response expected first", i, j)
	}
	if strings.Contains(html, "internal-status") {
		t.Error("a customer's dashboard shows internal statuses")
	}
}

func TestDashboardRevokedAccess(t *testing.T) {
	p := newDashboardPage()
	p.session = state.Session{Status: state.Loaded, LoggedIn: true, Lang: "es",
		User:        ticket.User{ID: 3, Name: "Carla"},
		Memberships: []ticket.Membership{{Organization: praxis, Role: ticket.RoleMember, TicketAccess: false}},
	}
	html := render(t, p)
	mustContain(t, html, `id="access-revoked"`, "Su acceso a los tickets ha sido revocado", "Sin acceso a tickets")
	for _, usable := range []string{`id="account-select"`, `id="nav-open-heading"`, `id="start-assistant"`, `id="plus-menu-button"`, `id="count-closed"`} {
		if strings.Contains(html, usable) {
			t.Errorf("a user without ticket access is offered %s", usable)
		}
	}
}

func TestTicketPageShowsTextNotHTML(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	p := newTicketPage()
	p.session = annaSession("fr")
	p.number = 10007
	internal := true
	tk := tv(10007, "Facture <b>double</b>", ticket.StatusWaitingExternal, now)
	tk.Type, tk.Category, tk.Fields = "admin_request", "invoice", map[string]string{"invoiceNumber": "RE-2026-0042"}
	p.detail = state.TicketDetail{Status: state.Loaded, Number: 10007, Ticket: tk, Messages: []ticket.MessageView{
		{ID: 1, Author: ticket.UserRef{Name: "Sam Agent"}, Body: "Bonjour,\n<script>alert(1)</script>", CreatedAt: now},
		{ID: 2, Author: ticket.UserRef{Name: "Sam Agent"}, Body: "note", Internal: &internal, CreatedAt: now},
	}}
	html := render(t, p)
	mustContain(t, html, "#10007", "Réponse attendue", "Assistance administrative", "Facture", "Numéro de facture", "RE-2026-0042",
		"&lt;script&gt;alert(1)&lt;/script&gt;", "Facture &lt;b&gt;double&lt;/b&gt;", "Détails de la demande", "20/11/2026")
	if strings.Contains(html, "<script>") || strings.Contains(html, "<b>double") {
		t.Error("message text was rendered as HTML")
	}
	// The page marks what the data says is internal (only agents ever receive it).
	mustContain(t, html, "message-internal", "Note interne")
}

func TestTicketPageNotFound(t *testing.T) {
	p := newTicketPage()
	p.session = annaSession("en")
	p.number = 99
	p.detail = state.TicketDetail{Status: state.Failed, Number: 99, Err: ticket.ErrNotFound}
	html := render(t, p)
	mustContain(t, html, `role="alert"`, "This ticket does not exist or you may not see it.", `href="/tickets"`)
}

func TestTicketTableAgentColumn(t *testing.T) {
	now := time.Now()
	row := tv(10001, "Login", ticket.StatusWaitingInternal, now)
	row.InternalStatus = ticket.StatusWaitingInternal
	for _, agent := range []bool{false, true} {
		html := render(t, newTicketTable().WithLang("de").WithAgent(agent).WithTickets([]ticket.TicketView{row}))
		if got := strings.Contains(html, "Wartend intern"); got != agent {
			t.Errorf("agent=%v: internal status shown = %v", agent, got)
		}
		mustContain(t, html, `href="/tickets/10001"`, "In Bearbeitung", "status-orange")
	}
}

func TestLoginPageSpanish(t *testing.T) {
	p := newLoginPage()
	p.session = state.Session{Status: state.Loaded, Lang: "es"}
	p.form = state.LoginForm{Err: ticket.ErrBadCredentials}
	html := render(t, p)
	mustContain(t, html, "Iniciar sesión", "Correo electrónico", "Contraseña", `for="login-email"`, `for="login-password"`,
		"El correo electrónico o la contraseña no son correctos.", `role="alert"`, `autocomplete="current-password"`)
}

// TestIntakeFieldKinds renders the details of an operator's catalog whose
// labels no locale knows: each kind gets its control, ids stand in for the
// missing labels, known labels are translated.
func TestIntakeFieldKinds(t *testing.T) {
	cat := ticket.Catalog{Types: []ticket.Type{{ID: "claims", Categories: []ticket.Category{{ID: "era_missing", Fields: []ticket.Field{
		{ID: "payer", Kind: ticket.KindSelect, Required: true, Options: []string{"aok", "tk"}},
		{ID: "checkDate", Kind: ticket.KindDate},
		{ID: "amount", Kind: ticket.KindMoney},
		{ID: "invoiceNumber", Kind: ticket.KindText, Help: true},
	}}}}}}
	if err := cat.Check(); err != nil {
		t.Fatal(err)
	}
	c := newIntake(state.FlowForm)
	c.session = annaSession("de")
	c.catalog = state.Catalog{Status: state.Loaded, Types: []state.CatalogType{{Type: cat.Types[0], OrganizationIDs: []int64{praxis.ID}}}}
	c.draftFor = 1
	c.touched = map[string]bool{}
	c.draft = state.Draft{Flow: state.FlowForm, Draft: ticket.Draft{OrganizationID: praxis.ID, Type: "claims", Category: "era_missing",
		Fields: map[string]string{"payer": "tk", "amount": "12,5"}}}
	html := render(t, c)
	// go-app writes attributes in any order: look at one tag at a time.
	if tag := openingTag(html, `id="f-fields-payer"`); !strings.HasPrefix(tag, "<select") {
		t.Errorf("payer control = %q, want a select", tag)
	}
	if tag := openingTag(html, `value="tk"`); !strings.Contains(tag, "selected") {
		t.Errorf("option tk = %q, want it selected", tag)
	}
	if tag := openingTag(html, `id="f-fields-checkDate"`); !strings.Contains(tag, `type="date"`) {
		t.Errorf("date control = %q, want type date", tag)
	}
	if tag := openingTag(html, `id="f-fields-amount"`); !strings.Contains(tag, `inputmode="decimal"`) {
		t.Errorf("money control = %q, want inputmode decimal", tag)
	}
	mustContain(t, html,
		">aok<",                     // option labels fall back to the value
		">claims<", ">era_missing<", // type and category ids stand in for missing labels
		"Rechnungsnummer", "Die Rechnungsnummer finden Sie", // known labels and help are translated
		"So hilft Ihr Ticket am besten")
}

// closedTicketPage is a closed ticket of Anna's with a conversation, seen by
// the session given.
func closedTicketPage(s state.Session) *ticketPage {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	p := newTicketPage()
	p.session = s
	p.number = 10004
	tk := tv(10004, "Passwort abgelaufen", ticket.StatusClosed, now)
	tk.InternalStatus = ticket.StatusClosed
	p.detail = state.TicketDetail{Status: state.Loaded, Number: 10004, Ticket: tk, Messages: []ticket.MessageView{
		{ID: 1, Author: ticket.UserRef{ID: 9, Name: "Sam Agent"}, Body: "Erledigt.", CreatedAt: now},
	}}
	return p
}

func TestTicketPageColumns(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	p := newTicketPage()
	p.session = annaSession("en")
	p.number = 10012
	tk := tv(10012, "Printer again", ticket.StatusOpen, now)
	tk.FollowUpOf = 10004
	p.detail = state.TicketDetail{Status: state.Loaded, Number: 10012, Ticket: tk, Messages: []ticket.MessageView{
		{ID: 1, Author: ticket.UserRef{ID: 9, Name: "Sam Agent"}, Body: "Which printer?", CreatedAt: now},
		{ID: 2, Author: ticket.UserRef{ID: 1, Name: "Anna Admin"}, Body: "The one at the desk.", CreatedAt: now},
		{ID: 3, Author: ticket.UserRef{ID: 9, Name: "Sam Agent"}, Body: "Thanks.", CreatedAt: now},
		{ID: 4, Author: ticket.UserRef{ID: 5, Name: "Paula Partner"}, Body: "Driver updated.", CreatedAt: now},
	}}
	html := render(t, p)

	// Each column is a landmark named by its heading (the data by a label).
	for _, c := range []struct{ attr, heading string }{
		{`class="ticket-meta"`, ""},
		{`aria-labelledby="conversation-heading"`, `id="conversation-heading"`},
		{`aria-labelledby="linked-heading"`, `id="linked-heading"`},
		{`aria-labelledby="linked-contacts-heading"`, `id="linked-contacts-heading"`},
	} {
		tag := openingTag(html, c.attr)
		if !strings.HasPrefix(tag, "<section") && !strings.HasPrefix(tag, "<aside") {
			t.Errorf("column %s = %q, want a section or aside", c.attr, tag)
		}
		if c.heading != "" && !strings.Contains(html, c.heading) {
			t.Errorf("column %s: its heading %s is missing", c.attr, c.heading)
		}
	}
	if tag := openingTag(html, `class="ticket-meta"`); !strings.Contains(tag, `aria-label="Ticket data"`) {
		t.Errorf("data column = %q, want it labelled", tag)
	}
	if tag := openingTag(html, `aria-labelledby="linked-heading"`); !strings.HasPrefix(tag, "<aside") {
		t.Errorf("linked column = %q, want an aside", tag)
	}
	// The columns come in reading order: data, conversation, linked.
	meta, conv, linked := strings.Index(html, `class="ticket-meta"`), strings.Index(html, `id="conversation-heading"`), strings.Index(html, `id="linked-heading"`)
	if !(meta >= 0 && meta < conv && conv < linked) {
		t.Errorf("columns at %d, %d, %d: want data, conversation, linked in this order", meta, conv, linked)
	}

	mustContain(t, html, ">Linked<", ">Contacts<")
	// Only the kinds linked get a group: none empty.
	for _, s := range []string{">Assets<", ">Articles<", "No assets linked", "No articles linked"} {
		if strings.Contains(html, s) {
			t.Errorf("an empty group is shown: %s", s)
		}
	}
	if tag := openingTag(html, `id="ticket-follow-up-of"`); !strings.HasPrefix(tag, "<a") || !strings.Contains(tag, `href="/tickets/10004"`) {
		t.Errorf("follow-up link = %q, want a link to /tickets/10004", tag)
	}
	mustContain(t, html, "Follow-up to #10004")

	// Contacts: the requester first, then every author once.
	contacts := html[strings.Index(html, `id="linked-contacts"`):]
	contacts = contacts[:strings.Index(contacts, "</section>")]
	var names []string
	for _, part := range strings.Split(contacts, `class="contact-name">`)[1:] {
		names = append(names, part[:strings.Index(part, "<")])
	}
	if got, want := strings.Join(names, ", "), "Anna Admin, Sam Agent, Paula Partner"; got != want {
		t.Errorf("contacts = %s, want %s", got, want)
	}
	if n := strings.Count(contacts, "contact-role"); n != 1 {
		t.Errorf("%d contacts marked as requester, want 1", n)
	}

	// Without a follow-up, no follow-up line.
	q := newTicketPage()
	q.session, q.number, q.detail = p.session, p.number, p.detail
	q.detail.Ticket.FollowUpOf = 0
	if html := render(t, q); strings.Contains(html, "ticket-follow-up-of") {
		t.Error("a ticket that follows up nothing shows a follow-up link")
	}
}

func TestTicketPageLinksAddresses(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	p := newTicketPage()
	p.session = annaSession("de")
	p.number = 10013
	tk := tv(10013, "Link", ticket.StatusOpen, now)
	tk.Description = "Anleitung: https://example.com/hilfe?a=1&b=2.\nZweite Zeile"
	p.detail = state.TicketDetail{Status: state.Loaded, Number: 10013, Ticket: tk, Messages: []ticket.MessageView{
		{ID: 1, Author: ticket.UserRef{Name: "Sam Agent"}, Body: "Siehe (http://docs.example/x_(y)) und javascript:alert(1) <script>x</script>", CreatedAt: now},
	}}
	html := render(t, p)
	for _, href := range []string{`href="https://example.com/hilfe?a=1&b=2"`, `href="http://docs.example/x_(y)"`} {
		tag := openingTag(html, href)
		if !strings.HasPrefix(tag, "<a") {
			t.Errorf("link %s = %q, want an a element", href, tag)
			continue
		}
		for _, attr := range []string{`target="_blank"`, `rel="noopener noreferrer nofollow"`} {
			if !strings.Contains(tag, attr) {
				t.Errorf("link %s = %q, want %s", href, tag, attr)
			}
		}
	}
	// (HTMLString indents elements; the browser gets the text as it is.)
	mustContain(t, html, "Anleitung: ", ">https://example.com/hilfe?a=1&amp;b=2</a>", ".\nZweite Zeile",
		"Siehe (", ">http://docs.example/x_(y)</a>", ") und javascript:alert(1) &lt;script&gt;x&lt;/script&gt;")
	if strings.Contains(html, `href="javascript`) || strings.Contains(html, "<script>") {
		t.Error("a message made a javascript link or a script element")
	}
	if n := strings.Count(html, `rel="noopener noreferrer nofollow"`); n != 2 {
		t.Errorf("%d links in the messages, want 2", n)
	}
}

func TestTicketPageClosedOffersFollowUp(t *testing.T) {
	// A customer: no reply box, no "Problem solved", but a follow-up.
	html := render(t, closedTicketPage(annaSession("de")))
	for _, gone := range []string{`id="reply-body"`, `id="reply-send"`, `id="problem-solved"`} {
		if strings.Contains(html, gone) {
			t.Errorf("a customer's closed ticket offers %s", gone)
		}
	}
	if tag := openingTag(html, `id="create-follow-up"`); !strings.HasPrefix(tag, "<a") || !strings.Contains(tag, `href="/tickets/new?followUp=10004"`) {
		t.Errorf("follow-up action = %q, want a link to /tickets/new?followUp=10004", tag)
	}
	mustContain(t, html, "Folgeticket erstellen", "Dieses Ticket ist geschlossen und kann nicht mehr beantwortet werden.")

	// An agent still answers a closed ticket and is offered no follow-up.
	sam := state.Session{Status: state.Loaded, LoggedIn: true, Lang: "en", User: ticket.User{ID: 9, Name: "Sam Agent", Agent: true}}
	html = render(t, closedTicketPage(sam))
	mustContain(t, html, `id="reply-body"`, `id="agent-status"`)
	if strings.Contains(html, "create-follow-up") {
		t.Error("an agent is offered a follow-up")
	}

	// An open ticket of the customer's: reply box and "Problem solved", no follow-up.
	p := closedTicketPage(annaSession("en"))
	p.detail.Ticket.Status = ticket.PortalInProgress
	html = render(t, p)
	mustContain(t, html, `id="reply-body"`, `id="problem-solved"`)
	if strings.Contains(html, "create-follow-up") {
		t.Error("an open ticket offers a follow-up")
	}
}

// followUpForm is the ticket form of Anna's with a draft that follows up
// ticket 10004.
func followUpForm(lang string) *intake {
	c := newIntake(state.FlowForm)
	c.session = annaSession(lang)
	c.catalog = state.Catalog{Status: state.Loaded, Types: []state.CatalogType{{
		Type:            ticket.Type{ID: "login_problem", Categories: []ticket.Category{{ID: "password"}}},
		OrganizationIDs: []int64{praxis.ID, potsdam.ID},
	}}}
	c.draftFor = 1
	c.touched = map[string]bool{}
	c.draft = state.Draft{Flow: state.FlowForm, Draft: ticket.Draft{OrganizationID: praxis.ID, Type: "login_problem", FollowUpOf: 10004}}
	c.existing = state.TicketList{Status: state.Loaded, Query: state.TicketQuery{OrganizationID: praxis.ID, Open: "true"},
		Tickets: []ticket.TicketView{tv(10009, "Offen", ticket.StatusOpen, time.Now())}}
	return c
}

func TestIntakeFollowUpNotice(t *testing.T) {
	for _, tt := range []struct{ lang, want string }{
		{"en", "Follow-up to ticket #10004"},
		{"de", "Folgeticket zu Ticket #10004"},
		{"fr", "Suite de la demande n° 10004"},
		{"es", "Seguimiento del ticket n.º 10004"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			html := render(t, followUpForm(tt.lang))
			if tag := openingTag(html, `id="follow-up-link"`); !strings.HasPrefix(tag, "<a") || !strings.Contains(tag, `href="/tickets/10004"`) {
				t.Errorf("follow-up notice link = %q, want a link to /tickets/10004", tag)
			}
			mustContain(t, html, ">"+tt.want+"<", `id="follow-up-remove"`)
			// The notice comes before the form; a follow-up is a new
			// ticket, so the account's open tickets are not offered.
			if i, j := strings.Index(html, `id="follow-up-notice"`), strings.Index(html, `id="ticket-form"`); i < 0 || j < 0 || i > j {
				t.Errorf("notice at %d, form at %d: want the notice above the form", i, j)
			}
			if strings.Contains(html, `id="f-existingTicket`) {
				t.Error("a follow-up offers to add to an open ticket")
			}
		})
	}

	// A draft that follows nothing up has no notice, and is offered the open tickets.
	c := followUpForm("en")
	c.draft.FollowUpOf = 0
	html := render(t, c)
	if strings.Contains(html, "follow-up-notice") {
		t.Error("an ordinary draft shows a follow-up notice")
	}
	mustContain(t, html, `id="f-existingTicket"`)
}

func TestIntakeFollowUpAccount(t *testing.T) {
	closed := func(org ticket.Organization) state.TicketDetail {
		tk := tv(10004, "Passwort", ticket.StatusClosed, time.Now())
		tk.Organization = org.Ref()
		return state.TicketDetail{Status: state.Loaded, Number: 10004, Ticket: tk}
	}
	tests := []struct {
		name   string
		ticket state.TicketDetail
		types  []int64 // accounts the draft's type may be used in
		want   int64
		ok     bool
	}{
		{"the ticket's account", closed(potsdam), []int64{praxis.ID, potsdam.ID}, potsdam.ID, true},
		{"type not allowed there", closed(potsdam), []int64{praxis.ID}, 0, false},
		{"another ticket loaded", state.TicketDetail{Status: state.Loaded, Number: 10005, Ticket: closed(potsdam).Ticket}, []int64{praxis.ID, potsdam.ID}, 0, false},
		{"not loaded", state.TicketDetail{Status: state.Failed, Number: 10004}, []int64{praxis.ID, potsdam.ID}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := followUpForm("en")
			c.catalog.Types[0].OrganizationIDs = tt.types
			c.followTicket = tt.ticket
			if got, ok := c.followUpAccount(); got != tt.want || ok != tt.ok {
				t.Errorf("followUpAccount() = %d, %v; want %d, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// The list's filters and sort are labelled in the user's language, show
// the query of the address, and a saved view names the page.
func TestTicketsPageFiltersAndView(t *testing.T) {
	for _, lang := range []string{"en", "de", "fr", "es"} {
		p := newTicketsPage()
		p.session = annaSession(lang)
		p.query = ticket.Query{Open: "true", Category: "invoice", Sort: ticket.SortStatus}
		p.catalog = state.Catalog{Status: state.Loaded, Types: []state.CatalogType{{Type: ticket.DefaultCatalog.Types[0]}}}
		p.views = state.Views{Status: state.Loaded, Views: []ticket.View{{ID: 4, Name: "Rechnungen", Query: ticket.Query{Category: "invoice"}}}}
		p.viewID = 4
		html := render(t, p)
		mustContain(t, html, ">Rechnungen</h1>", t_(lang, "FilterAndSortActive", "Count", 1), t_(lang, "RenameView"), t_(lang, "DeleteView"),
			t_(lang, "CreatedFrom"), t_(lang, "SortBy"), t_(lang, "AwaitingMe"))
		// The category and the sort of the address are selected.
		if tag := openingTag(html, `value="invoice"`); !strings.Contains(tag, "selected") {
			t.Errorf("%s: invoice not selected: %s", lang, tag)
		}
		if tag := openingTag(html, `value="status"`); !strings.Contains(tag, "selected") {
			t.Errorf("%s: sort by status not selected: %s", lang, tag)
		}
		// Customers get no agent filters; the closed status is not offered on the open tab.
		for _, absent := range []string{`id="filter-internal-status"`, `id="filter-assignee"`, `value="closed"`} {
			if strings.Contains(html, absent) {
				t.Errorf("%s: customer list has %s", lang, absent)
			}
		}
		// The query differs from the view's (sort): the view can be updated.
		mustContain(t, html, `id="view-update"`)
	}
}

// t_ translates like t; named apart from the test's t.
func t_(lang, id string, kv ...any) string { return t(lang, id, kv...) }

// Files in the conversation: pictures as thumbnails that open the
// picture, other files as downloads with name, size and kind; names are
// text, never markup.
func TestTicketPageAttachments(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	p := newTicketPage()
	p.session = annaSession("de")
	p.number = 10008
	tk := tv(10008, "Fehler beim Export", ticket.StatusOpen, now)
	tk.Attachments = []ticket.Attachment{{ID: "pdf1", Name: "Export <b>.pdf", Size: 1536 * 1024, ContentType: "application/pdf"}}
	p.detail = state.TicketDetail{Status: state.Loaded, Number: 10008, Ticket: tk, Messages: []ticket.MessageView{
		{ID: 1, Author: ticket.UserRef{Name: "Anna Admin"}, Body: "", CreatedAt: now,
			Attachments: []ticket.Attachment{{ID: "png1", Name: "screen.png", Size: 2048, ContentType: "image/png"}}},
	}}
	html := render(t, p)
	mustContain(t, html, `href="/api/v1/attachments/pdf1"`, "Export &lt;b&gt;.pdf", "1,5 MB", ">PDF<",
		`src="/api/v1/attachments/png1"`, `href="/api/v1/attachments/png1?inline=1"`, `alt="screen.png"`, "thumbnail",
		// The reply box's paperclip, its hint and the privacy dialog.
		`id="reply-files-input"`, "Dateien anhängen", `id="reply-files-privacy"`)
	// (In the browser attributes are set as values; the text must be text.)
	if i := strings.Index(html, ">Export <b>"); i >= 0 {
		t.Errorf("a file name was rendered as HTML: …%s…", html[max(0, i-120):i+20])
	}
	if strings.Contains(html, `src="/api/v1/attachments/pdf1"`) {
		t.Error("a PDF was shown as a picture")
	}
}

func TestFileKind(t *testing.T) {
	for name, want := range map[string]string{"a.pdf": "PDF", "b.JPEG": "JPEG", "c": "FILE", "d.verylongext": "FILE"} {
		if got := fileKind(name); got != want {
			t.Errorf("fileKind(%q) = %q, want %q", name, got, want)
		}
	}
}

// "Manage accounts" is for vendors' users: a customer who opens its
// address is told they may not, and sees no account list.
func TestVendorAccountsOnlyForVendors(t *testing.T) {
	forbidden, intro := tr("es", "ErrForbidden"), tr("es", "ManageAccountsIntro")
	p := newVendorAccountsPage()
	p.session = annaSession("es")
	html := render(t, p)
	mustContain(t, html, forbidden)
	if strings.Contains(html, intro) {
		t.Error("a customer sees the vendor's account list")
	}

	vendor := ticket.Organization{ID: 900, Name: "MedSoft Solutions", AccountNumber: "900100", Kind: ticket.KindVendor}
	v := newVendorAccountsPage()
	v.session = annaSession("es")
	v.session.Memberships = []ticket.Membership{{Organization: vendor, Role: ticket.RoleMember, TicketAccess: true}}
	v.session.VendorAccounts = []ticket.VendorAccount{{Organization: praxis, Vendor: vendor.Ref(), Access: ticket.AccessRead}}
	html = render(t, v)
	mustContain(t, html, intro, `id="vendor-account-`)
}

// tr is the page's translation (t), for tests whose t is the test.
var tr = func(lang, id string) string { return t(lang, id) }
