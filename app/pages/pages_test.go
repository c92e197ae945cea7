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
