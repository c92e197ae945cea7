package pages

import (
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
)

// Records: the list, a record's page with Get Help, the ticket page's
// linked records, the ticket list's record filter.

func diegoSession() state.Session {
	sol := ticket.Organization{ID: 3, Name: "Clínica Sol", AccountNumber: "300400"}
	return state.Session{
		Status: state.Loaded, LoggedIn: true, Lang: "es", Account: sol.ID,
		User:        ticket.User{ID: 4, Name: "Diego Durán", Email: "diego@clinica-sol.example", Locale: "es"},
		Memberships: []ticket.Membership{{Organization: sol, Role: ticket.RoleMember, TicketAccess: true}},
		RecordKinds: map[int64][]ticket.RecordKind{sol.ID: {ticket.RecordClaim, ticket.RecordRemittance, ticket.RecordProvider}},
	}
}

func claimView(unread int) ticket.RecordView {
	return ticket.RecordView{Record: ticket.Record{
		ID: 42, Organization: ticket.OrgRef{ID: 3, Name: "Clínica Sol", AccountNumber: "300400"},
		Kind: ticket.RecordClaim, ExternalID: "CLM-2026-0042", Title: "Paciente M. López",
		URL: "https://claims.example/42", Archived: true,
		Fields: []ticket.RecordField{
			{Label: "billedAmount", Value: "1234.50", Kind: ticket.KindMoney, Currency: "USD"},
			{Label: "dateOfService", Value: "2026-11-12", Kind: ticket.KindDate},
			{Label: "vendorCode", Value: "X1"},
		},
	}, OpenTickets: 1, Unread: unread}
}

// The records list: the kind filter and the search are labelled fields,
// each row offers Get Help (opening the record with its panel), marked red
// while a reply is unread.
func TestRecordsPageSpanish(t *testing.T) {
	p := newRecordsPage()
	p.session = diegoSession()
	p.list = state.RecordList{Status: state.Loaded, Query: p.query(), Records: []ticket.RecordView{claimView(2)}}
	html := render(t, p)
	mustContain(t, html, "Registros", `<label for="record-search"`, `<label for="record-kind"`, "Reclamaciones", "ERA (remesas)",
		`href="/records/42?help=1"`, "Obtener ayuda", "Reclamación CLM-2026-0042", "2 respuestas nuevas que aún no se han visto",
		"Archivado", `id="nav-records-claim"`)
	if strings.Contains(html, "placeholder") {
		t.Error("the records page uses placeholder text")
	}
	// The navigation offers the kinds the account has: no assets here.
	if strings.Contains(html, `id="nav-records-asset"`) {
		t.Error("the navigation offers assets to an account without any")
	}
	none := newRecordsPage()
	none.session = diegoSession()
	none.session.RecordKinds = nil
	none.list = p.list
	if html := render(t, none); strings.Contains(html, `id="nav-records"`) {
		t.Error("the navigation offers records to an account without any")
	}
}

// A record's page: its fields per locale, the way back to its system in a
// new tab, the archived marker, the life record and Get Help with its
// marker; with ?help=1 the panel, a labelled dialog.
func TestRecordPageSpanish(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	page := func(unread int, help bool) *recordPage {
		p := newRecordPage()
		p.session = diegoSession()
		p.id, p.help = 42, help
		tk := tv(10040, "Reclamación rechazada", ticket.StatusOpen, now)
		tk.Organization = ticket.OrgRef{ID: 3, Name: "Clínica Sol", AccountNumber: "300400"}
		p.detail = state.RecordDetail{Status: state.Loaded, ID: 42, Record: claimView(0), Tickets: []ticket.TicketView{tk}}
		p.unread = state.Unread{UserID: 4, ByTicket: map[int64]int{10040: unread}, Account: map[int64]int64{10040: 3}}
		return p
	}
	html := render(t, page(1, false))
	mustContain(t, html, "Reclamación CLM-2026-0042", "1234,50\u00a0US$", "12/11/2026", ">Vendor code<", "Importe facturado",
		"Archivado", `id="life-record"`, "#10040", "Reclamación rechazada", `aria-controls="get-help"`, `aria-expanded="false"`,
		"1 respuesta nueva que aún no se ha visto", `href="/tickets?organizationId=3`, `record=claim%3ACLM-2026-0042"`)
	if tag := openingTag(html, `id="record-source"`); !strings.Contains(tag, `target="_blank"`) || !strings.Contains(tag, `rel="noopener noreferrer"`) {
		t.Errorf("link back = %q, want a new tab with rel=noopener", tag)
	}
	if strings.Contains(html, `id="get-help"`) {
		t.Error("the panel shows without ?help=1")
	}

	// Read: no marker.
	if html := render(t, page(0, false)); strings.Contains(html, "get-help-unread") {
		t.Error("the marker shows with every reply read")
	}

	html = render(t, page(0, true))
	if tag := openingTag(html, `id="get-help"`); !strings.Contains(tag, `role="dialog"`) || !strings.Contains(tag, `aria-labelledby="get-help-title"`) {
		t.Errorf("panel = %q, want a labelled dialog", tag)
	}
	if tag := openingTag(html, `id="get-help-button"`); strings.Contains(tag, `aria-expanded="false"`) {
		t.Errorf("Get Help = %q, want it expanded", tag)
	}
	mustContain(t, html, "Obtener ayuda: Reclamación CLM-2026-0042", "Tickets sobre este registro", `id="help-show-10040"`)
	// The record is archived: no new ticket, said why; the tickets about
	// it come first.
	mustContain(t, html, `id="help-no-new"`, "Este registro se archivó en su sistema")
	if strings.Contains(html, `id="help-new"`) {
		t.Error("an archived record offers a new ticket")
	}
	if i, j := strings.Index(html, `id="help-tickets"`), strings.Index(html, `id="help-no-new"`); i < 0 || i > j {
		t.Errorf("tickets at %d, notice at %d: want the tickets first", i, j)
	}
	// An unread answer: its conversation is the one opened by itself.
	u := page(1, true)
	if n := newGetHelpPanel().WithSession(u.session).WithDetail(u.detail).WithUnread(u.unread).unreadTicket(); n != 10040 {
		t.Errorf("ticket opened = %d, want 10040", n)
	}
	if n := newGetHelpPanel().WithSession(u.session).WithDetail(u.detail).unreadTicket(); n != 0 {
		t.Errorf("ticket opened = %d with all read, want none", n)
	}
}

// Get Help for who may not file about the record: a vendor with read
// access is told why; agents get a note and keep the example choice.
func TestGetHelpWithoutForm(t *testing.T) {
	vendor := ticket.Organization{ID: 900, Name: "MedSoft Solutions", AccountNumber: "900100", Kind: ticket.KindVendor}
	sol := ticket.Organization{ID: 3, Name: "Clínica Sol", AccountNumber: "300400"}
	rec := claimView(0)
	rec.Archived = false
	for _, c := range []struct {
		name string
		s    state.Session
		want string
	}{
		{"vendor read", state.Session{Status: state.Loaded, LoggedIn: true, Lang: "en", Account: sol.ID,
			User:           ticket.User{ID: 20, Name: "Vera Vendor"},
			Memberships:    []ticket.Membership{{Organization: vendor, Role: ticket.RoleMember, TicketAccess: true}},
			VendorAccounts: []ticket.VendorAccount{{Organization: sol, Vendor: vendor.Ref(), Access: ticket.AccessRead}}},
			"the customer gave your company read access"},
		{"agent", state.Session{Status: state.Loaded, LoggedIn: true, Lang: "en", User: ticket.User{ID: 9, Name: "Sam Agent", Agent: true}},
			"Agents file no tickets here"},
	} {
		p := newRecordPage()
		p.session, p.id, p.help = c.s, 42, true
		p.detail = state.RecordDetail{Status: state.Loaded, ID: 42, Record: rec}
		html := render(t, p)
		mustContain(t, html, `id="help-no-new"`, c.want, `id="help-tickets"`)
		if strings.Contains(html, `id="help-new"`) {
			t.Errorf("%s: the panel offers a new ticket", c.name)
		}
	}
}

// Labels without a translation read as words.
func TestHumanize(t *testing.T) {
	for in, want := range map[string]string{"customLabel": "Custom label", "price": "Price", "serial_number": "Serial number", "vendorID": "Vendor ID", "": ""} {
		if got := humanize(in); got != want {
			t.Errorf("humanize(%q) = %q, want %q", in, got, want)
		}
	}
}

// A ticket of a subject only shows no empty first message.
func TestSubjectOnlyConversation(t *testing.T) {
	tk := tv(10035, "Cigna", ticket.StatusOpen, time.Now())
	if html := app.HTMLString(app.Div().Body(conversation("en", tk, nil)...)); strings.Contains(html, "message-description") {
		t.Error("an empty first message is shown")
	}
	tk.Description = "Details"
	if html := app.HTMLString(app.Div().Body(conversation("en", tk, nil)...)); !strings.Contains(html, "message-description") {
		t.Error("the description is missing")
	}
}

// The ticket page's right column: the records a ticket is about, grouped
// by kind, each a link to its page; archived ones marked; unlink where the
// policy lets the user; the link search for who may write.
func TestTicketLinksColumn(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	p := newTicketPage()
	p.session = annaSession("de")
	p.number = 10012
	tk := tv(10012, "Ultraschall", ticket.StatusOpen, now)
	anna, sam := ticket.UserRef{ID: 1, Name: "Anna Admin"}, ticket.UserRef{ID: 9, Name: "Sam Agent"}
	tk.Links = []ticket.Link{
		{Record: ticket.RecordRef{ID: 7, Organization: praxis.ID, Kind: ticket.RecordAsset, ExternalID: "SN-4711", Title: "Ultraschallgerät"}, LinkedBy: anna, LinkedAt: now},
		{Record: ticket.RecordRef{ID: 8, Organization: praxis.ID, Kind: ticket.RecordClaim, ExternalID: "CLM-1", Title: "Abrechnung Q3", Archived: true}, LinkedBy: sam, LinkedAt: now},
	}
	tk.CreatedBy = &ticket.CreatedBy{ID: 1, Name: "Anna Admin", Organization: ticket.OrgRef{ID: 5, Name: "MedSoft"}}
	p.detail = state.TicketDetail{Status: state.Loaded, Number: 10012, Ticket: tk}
	html := render(t, p)
	mustContain(t, html, ">Anlagen<", ">Abrechnungsfälle<", `href="/records/7"`, `href="/records/8"`, "SN-4711", "Archiviert",
		`id="unlink-7"`, "für MedSoft", `<label for="link-search"`, "Datensatz verknüpfen", ">Verknüpfungen<", `id="link-search-status"`)
	if strings.Contains(html, `id="linked-articles"`) {
		t.Error("an empty group of articles is shown")
	}
	if strings.Contains(html, `id="unlink-8"`) {
		t.Error("Anna may remove a link Sam made")
	}
	if i, j := strings.Index(html, `id="linked-assets"`), strings.Index(html, `id="linked-claim"`); i < 0 || j < 0 || i > j {
		t.Errorf("assets at %d, claims at %d: want assets first", i, j)
	}
}

// The ticket list filtered by a record shows the filter as a removable chip.
func TestRecordFilterChip(t *testing.T) {
	p := newTicketsPage()
	p.session = annaSession("fr")
	p.query = ticket.Query{Open: "true", Record: "asset:SN-4711"}
	html := render(t, p)
	mustContain(t, html, "Concerne Équipement SN-4711", `aria-label="Retirer le filtre « concerne Équipement SN-4711 »"`)
	if tag := openingTag(html, `id="record-filter-remove"`); strings.Contains(tag, "record=") {
		t.Errorf("remove link = %q, want the list without the record filter", tag)
	}
}
