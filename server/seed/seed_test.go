package seed

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

const testHash = "test-password-hash"

var testNow = time.Date(2026, 3, 18, 14, 30, 0, 0, time.UTC)

// internalMarker is the word each organization's internal notes carry.
var internalMarker = map[string]string{
	sonnenschein: "INTERN-NOTIZ",
	potsdam:      "INTERN-NOTIZ",
	lumiere:      "NOTE-INTERNE",
	clinicaSol:   "NOTA-INTERNA",
	medsoft:      "INTERNAL-NOTE",
}

// loaded opens a fresh in-memory store and loads the demo data into it.
func loaded(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.OpenMemory()
	if err != nil {
		t.Fatalf("OpenMemory: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	ok, err := Load(context.Background(), db, testHash, testNow)
	if err != nil || !ok {
		t.Fatalf("Load = %v, %v; want true, nil", ok, err)
	}
	return db
}

func allTickets(t *testing.T, db *store.DB) []ticket.Ticket {
	t.Helper()
	ts, next, err := db.ListTickets(context.Background(), store.ListQuery{Scope: ticket.Scope{All: true}, Limit: 500})
	if err != nil {
		t.Fatalf("ListTickets: %v", err)
	}
	if next != "" {
		t.Fatalf("ListTickets: more than one page (next = %q)", next)
	}
	return ts
}

func lookup(t *testing.T, db *store.DB, email string) (ticket.User, []ticket.Membership) {
	t.Helper()
	ctx := context.Background()
	u, _, err := db.UserByEmail(ctx, email)
	if err != nil {
		t.Fatalf("UserByEmail(%s): %v", email, err)
	}
	ms, err := db.Memberships(ctx, u.ID)
	if err != nil {
		t.Fatalf("Memberships(%s): %v", email, err)
	}
	return u, ms
}

func TestLoadOnlyIntoEmptyStore(t *testing.T) {
	db := loaded(t)
	before := len(allTickets(t, db))
	ok, err := Load(context.Background(), db, testHash, testNow.Add(time.Hour))
	if err != nil || ok {
		t.Fatalf("second Load = %v, %v; want false, nil", ok, err)
	}
	if got := len(allTickets(t, db)); got != before {
		t.Errorf("tickets after second Load = %d, want %d", got, before)
	}
}

func TestCheck(t *testing.T) {
	if err := check(); err != nil {
		t.Fatalf("check() = %v, want nil", err)
	}
}

func TestUsers(t *testing.T) {
	db := loaded(t)
	type access struct {
		role         ticket.Role
		ticketAccess bool
	}
	tests := []struct {
		email  string
		name   string
		locale string
		agent  bool
		member map[string]access // by account number
	}{
		{AnnaEmail, "Anna Admin", "de", false, map[string]access{sonnenschein: {ticket.RoleAdmin, true}, potsdam: {ticket.RoleAdmin, true}}},
		{BerndEmail, "Bernd Becker", "de", false, map[string]access{sonnenschein: {ticket.RoleMember, true}}},
		{CarlaEmail, "Carla Conrad", "de", false, map[string]access{sonnenschein: {ticket.RoleMember, false}}},
		{ClaireEmail, "Claire Admin", "fr", false, map[string]access{lumiere: {ticket.RoleAdmin, true}}},
		{DiegoEmail, "Diego Durán", "es", false, map[string]access{clinicaSol: {ticket.RoleMember, true}}},
		{VeraEmail, "Vera Vendor", "en", false, map[string]access{medsoft: {ticket.RoleMember, true}}},
		{SamEmail, "Sam Agent", "en", true, map[string]access{}},
	}
	for _, tt := range tests {
		t.Run(tt.email, func(t *testing.T) {
			u, hash, err := db.UserByEmail(context.Background(), tt.email)
			if err != nil {
				t.Fatalf("UserByEmail: %v", err)
			}
			if u.Name != tt.name || u.Locale != tt.locale || u.Agent != tt.agent {
				t.Errorf("user = %q %q agent=%v, want %q %q agent=%v", u.Name, u.Locale, u.Agent, tt.name, tt.locale, tt.agent)
			}
			if hash != testHash {
				t.Errorf("password hash = %q, want %q", hash, testHash)
			}
			_, ms := lookup(t, db, tt.email)
			if len(ms) != len(tt.member) {
				t.Errorf("memberships = %d, want %d", len(ms), len(tt.member))
			}
			for _, m := range ms {
				want, ok := tt.member[m.Organization.AccountNumber]
				if !ok {
					t.Errorf("unexpected membership in %s", m.Organization.AccountNumber)
					continue
				}
				if got := (access{m.Role, m.TicketAccess}); got != want {
					t.Errorf("membership in %s = %+v, want %+v", m.Organization.AccountNumber, got, want)
				}
			}
		})
	}
}

func TestOrganizations(t *testing.T) {
	db := loaded(t)
	orgs := map[string]ticket.Organization{} // by account number, as members see them
	for _, email := range []string{AnnaEmail, ClaireEmail, DiegoEmail, VeraEmail} {
		_, ms := lookup(t, db, email)
		for _, m := range ms {
			orgs[m.Organization.AccountNumber] = m.Organization
		}
	}
	tests := []struct {
		account string
		name    string
		kind    ticket.OrgKind
		parent  string
	}{
		{sonnenschein, "Praxis Sonnenschein", ticket.KindCustomer, ""},
		{potsdam, "Praxis Sonnenschein – Filiale Potsdam", ticket.KindCustomer, sonnenschein},
		{lumiere, "Cabinet Lumière", ticket.KindCustomer, ""},
		{clinicaSol, "Clínica Sol", ticket.KindCustomer, ""},
		{medsoft, "MedSoft Solutions", ticket.KindVendor, ""},
	}
	for _, tt := range tests {
		o, ok := orgs[tt.account]
		if !ok {
			t.Errorf("organization %s not found", tt.account)
			continue
		}
		if o.Name != tt.name || o.Kind != tt.kind {
			t.Errorf("organization %s = %q %s, want %q %s", tt.account, o.Name, o.Kind, tt.name, tt.kind)
		}
		var wantParent int64
		if tt.parent != "" {
			wantParent = orgs[tt.parent].ID
		}
		if o.ParentID != wantParent {
			t.Errorf("organization %s parent = %d, want %d", tt.account, o.ParentID, wantParent)
		}
	}
}

func TestTickets(t *testing.T) {
	db := loaded(t)
	ctx := context.Background()
	ts := allTickets(t, db)
	if len(ts) < 30 {
		t.Fatalf("tickets = %d, want at least 30", len(ts))
	}

	// Requesters' memberships, by user id and organization id.
	roles := map[int64]map[int64]ticket.Membership{}
	for _, u := range users {
		usr, ms := lookup(t, db, u.email)
		roles[usr.ID] = map[int64]ticket.Membership{}
		for _, m := range ms {
			roles[usr.ID][m.Organization.ID] = m
		}
	}

	byStatus := map[ticket.Status]int{}
	type orgStats struct{ total, waitingExternal, openish int }
	byOrg := map[string]*orgStats{}
	for i, tk := range ts {
		byStatus[tk.Status]++
		s := byOrg[tk.Organization.AccountNumber]
		if s == nil {
			s = &orgStats{}
			byOrg[tk.Organization.AccountNumber] = s
		}
		s.total++
		switch tk.Status {
		case ticket.StatusWaitingExternal:
			s.waitingExternal++
		case ticket.StatusNew, ticket.StatusOpen, ticket.StatusWaitingInternal:
			s.openish++
		}

		m, ok := roles[tk.Requester.ID][tk.Organization.ID]
		if !ok || !m.TicketAccess {
			t.Errorf("ticket %d: requester %s is not a member with ticket access of %s (member=%v)", tk.Number, tk.Requester.Name, tk.Organization.Name, ok)
		}
		typ, ok := ticket.DefaultCatalog.Type(tk.Type)
		if !ok {
			t.Errorf("ticket %d: type %q not in catalog", tk.Number, tk.Type)
			continue
		}
		cat, ok := typ.Category(tk.Category)
		if !ok {
			t.Errorf("ticket %d: category %q not in type %q", tk.Number, tk.Category, tk.Type)
			continue
		}
		if typ.AdminOnly && m.Role != ticket.RoleAdmin {
			t.Errorf("ticket %d: %s ticket by %s, role %q; want admin", tk.Number, tk.Type, tk.Requester.Name, m.Role)
		}
		allowed := map[string]bool{}
		for _, f := range cat.Fields {
			allowed[f.ID] = true
			if f.Required && tk.Fields[f.ID] == "" {
				t.Errorf("ticket %d: required field %q empty", tk.Number, f.ID)
			}
		}
		for id := range tk.Fields {
			if !allowed[id] {
				t.Errorf("ticket %d: field %q not in category %s/%s", tk.Number, id, tk.Type, tk.Category)
			}
		}
		if tk.Fields["invoiceNumber"] != "" && !strings.HasPrefix(tk.Fields["invoiceNumber"], "RE-2026-") {
			t.Errorf("ticket %d: invoiceNumber = %q, want prefix RE-2026-", tk.Number, tk.Fields["invoiceNumber"])
		}
		if !tk.CreatedAt.Before(tk.UpdatedAt) || !tk.UpdatedAt.Before(testNow) {
			t.Errorf("ticket %d: created %v, updated %v; want created < updated < now %v", tk.Number, tk.CreatedAt, tk.UpdatedAt, testNow)
		}
		if len(strings.Fields(tk.Description)) < 20 {
			t.Errorf("ticket %d: description has %d words, want several sentences", tk.Number, len(strings.Fields(tk.Description)))
		}
		// ListTickets returns the newest number first.
		if i > 0 && (tk.Number >= ts[i-1].Number || tk.CreatedAt.After(ts[i-1].CreatedAt)) {
			t.Errorf("ticket %d created %v listed after ticket %d created %v; want numbers in order of creation",
				tk.Number, tk.CreatedAt, ts[i-1].Number, ts[i-1].CreatedAt)
		}
	}
	if got := ts[len(ts)-1].Number; got != ticket.FirstTicketNumber {
		t.Errorf("oldest ticket number = %d, want %d", got, ticket.FirstTicketNumber)
	}

	for _, st := range ticket.Statuses() {
		if got := byStatus[st]; got < 3 {
			t.Errorf("tickets with status %s = %d, want at least 3", st, got)
		}
	}
	minimum := map[string]int{sonnenschein: 10, potsdam: 5, lumiere: 5, clinicaSol: 5, medsoft: 2}
	for account, want := range minimum {
		s := byOrg[account]
		if s == nil {
			t.Errorf("organization %s has no tickets", account)
			continue
		}
		if s.total < want {
			t.Errorf("organization %s: tickets = %d, want at least %d", account, s.total, want)
		}
		if s.waitingExternal == 0 || s.openish == 0 {
			t.Errorf("organization %s: waiting_external = %d, new/open/waiting_internal = %d; want at least 1 each", account, s.waitingExternal, s.openish)
		}
	}

	// Carla's ticket access is revoked: she sees nothing.
	carla, ms := lookup(t, db, CarlaEmail)
	if len(ms) != 1 || ms[0].TicketAccess {
		t.Errorf("carla's memberships = %+v, want one with TicketAccess false", ms)
	}
	v, err := db.Viewer(ctx, carla.ID)
	if err != nil {
		t.Fatalf("Viewer(carla): %v", err)
	}
	if !v.Scope().Empty() {
		t.Errorf("carla's scope = %+v, want empty", v.Scope())
	}
}

func TestMessages(t *testing.T) {
	db := loaded(t)
	ctx := context.Background()
	sam, _ := lookup(t, db, SamEmail)
	markers := []string{"INTERN-NOTIZ", "NOTE-INTERNE", "NOTA-INTERNA", "INTERNAL-NOTE"}
	leaks := func(s string) bool {
		for _, m := range markers {
			if strings.Contains(s, m) {
				return true
			}
		}
		return false
	}

	internal := 0
	for _, tk := range allTickets(t, db) {
		if leaks(tk.Subject) || leaks(tk.Description) {
			t.Errorf("ticket %d: subject or description carries an internal marker", tk.Number)
		}
		ms, err := db.Messages(ctx, tk.Number)
		if err != nil {
			t.Fatalf("Messages(%d): %v", tk.Number, err)
		}
		if len(ms) == 0 {
			t.Errorf("ticket %d: no messages", tk.Number)
			continue
		}
		// Internal notes do not move the update time customers see.
		lastPublic := tk.CreatedAt
		for _, m := range ms {
			if !m.Internal && m.CreatedAt.After(lastPublic) {
				lastPublic = m.CreatedAt
			}
		}
		if !tk.UpdatedAt.Equal(lastPublic) {
			t.Errorf("ticket %d: UpdatedAt = %v, want last public message time %v", tk.Number, tk.UpdatedAt, lastPublic)
		}
		var public []ticket.Message
		prev := tk.CreatedAt
		for _, m := range ms {
			if !m.CreatedAt.After(prev) || !m.CreatedAt.Before(testNow) {
				t.Errorf("ticket %d message %d at %v: want after %v and before now %v", tk.Number, m.ID, m.CreatedAt, prev, testNow)
			}
			prev = m.CreatedAt
			if m.Internal {
				internal++
				if m.Author.ID != sam.ID {
					t.Errorf("ticket %d: internal note by %s, want %s", tk.Number, m.Author.Name, sam.Name)
				}
				want := internalMarker[tk.Organization.AccountNumber]
				if !strings.Contains(m.Body, want) {
					t.Errorf("ticket %d: internal note %q lacks marker %q", tk.Number, m.Body, want)
				}
				continue
			}
			if leaks(m.Body) {
				t.Errorf("ticket %d: public message %q carries an internal marker", tk.Number, m.Body)
			}
			if m.Author.ID != sam.ID && m.Author.ID != tk.Requester.ID {
				t.Errorf("ticket %d: public message by %s, want %s or %s", tk.Number, m.Author.Name, tk.Requester.Name, sam.Name)
			}
			if n := len(public); n > 0 && public[n-1].Author.ID == m.Author.ID {
				t.Errorf("ticket %d: two public messages in a row by %s; want customer and agent to alternate", tk.Number, m.Author.Name)
			}
			public = append(public, m)
		}
		if n := len(public); n < 1 || n > 4 {
			t.Errorf("ticket %d: public messages = %d, want 1..4", tk.Number, n)
			continue
		}
		last := public[len(public)-1]
		if tk.Status == ticket.StatusWaitingExternal && (last.Author.ID != sam.ID || !strings.Contains(last.Body, "?")) {
			t.Errorf("ticket %d waits for the customer but the last public message is %q by %s; want a question by %s",
				tk.Number, last.Body, last.Author.Name, sam.Name)
		}
		if tk.Status == ticket.StatusNew {
			for _, m := range ms {
				if m.Author.ID == sam.ID && !m.Internal {
					t.Errorf("ticket %d is new but has an agent reply", tk.Number)
				}
			}
		}
	}
	if internal < 8 {
		t.Errorf("internal notes = %d, want at least 8", internal)
	}
}

// translatedLabels are the record field labels every locale translates
// (RecordField_<label>).
var translatedLabels = map[string]bool{
	"patientName": true, "dateOfService": true, "billedAmount": true, "payer": true, "provider": true, "claimStatus": true,
	"checkNumber": true, "paidAmount": true, "paymentDate": true, "memberId": true, "checkedOn": true, "coverageStatus": true,
	"npi": true, "specialty": true, "payerId": true, "serialNumber": true, "location": true, "installedOn": true,
	"manufacturer": true, "model": true, "articleNumber": true, "email": true, "phone": true, "role": true, "nextService": true,
}

func allRecords(t *testing.T, db *store.DB) []ticket.Record {
	t.Helper()
	rs, next, err := db.ListRecords(context.Background(), store.RecordQuery{Scope: ticket.Scope{All: true}, Limit: 500})
	if err != nil {
		t.Fatalf("ListRecords: %v", err)
	}
	if next != "" {
		t.Fatalf("ListRecords: more than one page (next = %q)", next)
	}
	return rs
}

func TestRecordsCheck(t *testing.T) {
	if err := checkRecords(); err != nil {
		t.Fatalf("checkRecords() = %v, want nil", err)
	}
}

func TestRecords(t *testing.T) {
	db := loaded(t)
	rs := allRecords(t, db)
	today := testNow.Format("2006-01-02")

	type key struct {
		account string
		kind    ticket.RecordKind
	}
	count := map[key]int{}
	ids := map[string]bool{} // account/kind/external id
	for _, r := range rs {
		account := r.Organization.AccountNumber
		name := account + "/" + string(r.Kind) + "/" + r.ExternalID
		count[key{account, r.Kind}]++
		if ids[name] {
			t.Errorf("record %s: external id not unique in its organization and kind", name)
		}
		ids[name] = true
		if !ticket.ValidExternalID(r.ExternalID) {
			t.Errorf("record %s: malformed external id", name)
		}
		if err := (ticket.RecordInput{Organization: account, Title: r.Title, Fields: r.Fields, URL: r.URL}).Check(); err != nil {
			t.Errorf("record %s: %v", name, err)
		}
		if !strings.HasPrefix(r.URL, "https://") {
			t.Errorf("record %s: URL %q, want a https link into its system", name, r.URL)
		}
		if !r.UpdatedAt.Before(testNow) || r.Archived {
			t.Errorf("record %s: updated %v archived %v; want before now %v, not archived", name, r.UpdatedAt, r.Archived, testNow)
		}
		if len(r.Fields) == 0 {
			t.Errorf("record %s: no fields", name)
		}
		for _, f := range r.Fields {
			if !translatedLabels[f.Label] {
				t.Errorf("record %s: field label %q is not translated", name, f.Label)
			}
			if f.Kind == ticket.KindMoney && f.Currency != "USD" && f.Currency != "EUR" {
				t.Errorf("record %s: %s in %q, want USD or EUR", name, f.Label, f.Currency)
			}
			// Dates follow now: what happened lies in the past, the next
			// service ahead.
			if f.Kind == ticket.KindDate {
				if (f.Label == "nextService") != (f.Value > today) {
					t.Errorf("record %s: %s = %s, today is %s", name, f.Label, f.Value, today)
				}
			}
		}
	}

	// Every demo account has records, and the flows of the seeds have
	// what they need.
	for _, o := range organizations {
		n := 0
		for _, k := range ticket.RecordKinds() {
			n += count[key{o.account, k}]
		}
		if n == 0 {
			t.Errorf("organization %s has no records", o.account)
		}
	}
	minimum := map[key]int{
		{sonnenschein, ticket.RecordClaim}: 6, {sonnenschein, ticket.RecordRemittance}: 4, {sonnenschein, ticket.RecordEligibility}: 3,
		{sonnenschein, ticket.RecordProvider}: 2, {sonnenschein, ticket.RecordPayer}: 3, {sonnenschein, ticket.RecordAsset}: 3,
		{sonnenschein, ticket.RecordArticle}: 2, {sonnenschein, ticket.RecordContact}: 2,
		{potsdam, ticket.RecordAsset}: 2,
		{lumiere, ticket.RecordAsset}: 2, {lumiere, ticket.RecordArticle}: 1, {lumiere, ticket.RecordContact}: 1,
		{clinicaSol, ticket.RecordClaim}: 4, {clinicaSol, ticket.RecordRemittance}: 3, {clinicaSol, ticket.RecordEligibility}: 2,
		{clinicaSol, ticket.RecordProvider}: 2, {clinicaSol, ticket.RecordPayer}: 3,
	}
	for k, want := range minimum {
		if got := count[k]; got < want {
			t.Errorf("organization %s: %s records = %d, want at least %d", k.account, k.kind, got, want)
		}
	}

	// The payers that need documents for a missing remittance exist where
	// claims are billed.
	ctx := context.Background()
	for _, account := range []string{sonnenschein, clinicaSol} {
		org, err := db.OrganizationByAccount(ctx, account)
		if err != nil {
			t.Fatalf("OrganizationByAccount(%s): %v", account, err)
		}
		for id, title := range map[string]string{"UHC": "UnitedHealthcare (UHC)", "CIGNA": "Cigna"} {
			r, err := db.RecordByKey(ctx, org.ID, ticket.RecordPayer, id)
			if err != nil {
				t.Errorf("payer %s of %s: %v", id, account, err)
				continue
			}
			if r.Title != title {
				t.Errorf("payer %s of %s: title %q, want %q", id, account, r.Title, title)
			}
		}
	}
}

func TestRecordsDeterministic(t *testing.T) {
	a, b := allRecords(t, loaded(t)), allRecords(t, loaded(t))
	if len(a) != len(b) {
		t.Fatalf("records = %d and %d", len(a), len(b))
	}
	for i := range a {
		if got, want := fmt.Sprint(a[i]), fmt.Sprint(b[i]); got != want {
			t.Errorf("record %d differs between two loads:\n%s\n%s", i, got, want)
		}
	}
}

func TestLinks(t *testing.T) {
	db := loaded(t)
	ctx := context.Background()
	records := map[int64]ticket.Record{}
	for _, r := range allRecords(t, db) {
		records[r.ID] = r
	}
	sam, _ := lookup(t, db, SamEmail)
	diego, _ := lookup(t, db, DiegoEmail)

	linked := map[string]int{}                       // tickets with links, by account
	about := map[int64]int{}                         // tickets, by record id
	kinds := map[string]map[ticket.RecordKind]bool{} // linked kinds, by account
	diegoClaim := false
	for _, listed := range allTickets(t, db) {
		tk, err := db.Ticket(ctx, listed.Number) // with its links
		if err != nil {
			t.Fatalf("Ticket(%d): %v", listed.Number, err)
		}
		account := tk.Organization.AccountNumber
		if len(tk.Links) > 0 {
			linked[account]++
		}
		for _, l := range tk.Links {
			r, ok := records[l.Record.ID]
			if !ok {
				t.Errorf("ticket %d: link to unknown record %d", tk.Number, l.Record.ID)
				continue
			}
			// Records stay in their organization.
			if r.Organization.ID != tk.Organization.ID || l.Record.Organization != tk.Organization.ID {
				t.Errorf("ticket %d of %s is linked to %s/%s of %s", tk.Number, account, r.Kind, r.ExternalID, r.Organization.AccountNumber)
			}
			if l.LinkedBy.ID != tk.Requester.ID && l.LinkedBy.ID != sam.ID {
				t.Errorf("ticket %d: linked by %s, want the requester or %s", tk.Number, l.LinkedBy.Name, sam.Name)
			}
			if l.LinkedAt.Before(tk.CreatedAt) || !l.LinkedAt.Before(testNow) || l.LinkedAt.Before(r.CreatedAt) {
				t.Errorf("ticket %d created %v: linked to %s at %v (record created %v); want between the ticket, the record and now",
					tk.Number, tk.CreatedAt, r.ExternalID, l.LinkedAt, r.CreatedAt)
			}
			about[r.ID]++
			if kinds[account] == nil {
				kinds[account] = map[ticket.RecordKind]bool{}
			}
			kinds[account][r.Kind] = true
			if tk.Requester.ID == diego.ID && r.Kind == ticket.RecordClaim {
				diegoClaim = true
			}
		}
		// The list of a record's tickets finds the ticket.
		for _, l := range tk.Links {
			got, err := db.TicketsAbout(ctx, l.Record.ID, ticket.Scope{All: true}, 50)
			if err != nil {
				t.Fatalf("TicketsAbout: %v", err)
			}
			found := false
			for _, g := range got {
				found = found || g.Number == tk.Number
			}
			if !found {
				t.Errorf("ticket %d is not in the life record of %s", tk.Number, l.Record.ExternalID)
			}
		}
	}
	for _, o := range organizations {
		if linked[o.account] == 0 {
			t.Errorf("organization %s: no ticket is about a record", o.account)
		}
	}
	if !kinds[sonnenschein][ticket.RecordAsset] || !kinds[potsdam][ticket.RecordAsset] || !kinds[lumiere][ticket.RecordAsset] {
		t.Errorf("linked kinds = %v; want assets in %s, %s and %s", kinds, sonnenschein, potsdam, lumiere)
	}
	if !diegoClaim {
		t.Errorf("no ticket of Diego is about a claim")
	}
	if !kinds[clinicaSol][ticket.RecordRemittance] {
		t.Errorf("no ticket of %s is about an ERA", clinicaSol)
	}
	twice := false
	for id, n := range about {
		twice = twice || (n >= 2 && records[id].Kind == ticket.RecordAsset)
	}
	if !twice {
		t.Errorf("no asset has two tickets in its life record")
	}
}

func TestLoadOnlyIntoEmptyStoreKeepsRecords(t *testing.T) {
	db := loaded(t)
	before := len(allRecords(t, db))
	if ok, err := Load(context.Background(), db, testHash, testNow.Add(time.Hour)); err != nil || ok {
		t.Fatalf("second Load = %v, %v; want false, nil", ok, err)
	}
	if got := len(allRecords(t, db)); got != before {
		t.Errorf("records after second Load = %d, want %d", got, before)
	}
}
