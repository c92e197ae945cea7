package store_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
	"github.com/supportal/supportal/server/store/pgtest"
)

// modes are the ways to open a store: SQLite in memory and in a file, and
// PostgreSQL (a database of pgtest's throwaway cluster); every conformance
// test runs on each.
var modes = []struct {
	name string
	open func(tb testing.TB) *store.DB
}{
	{"memory", func(tb testing.TB) *store.DB {
		db, err := store.OpenMemory()
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { db.Close() })
		return db
	}},
	{"file", func(tb testing.TB) *store.DB {
		db, err := store.Open(filepath.Join(tb.TempDir(), "supportal.db"))
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { db.Close() })
		return db
	}},
	{"postgres", func(tb testing.TB) *store.DB {
		db, err := store.OpenPostgres(context.Background(), pgtest.URL(tb), store.PostgresOptions{})
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { db.Close() })
		return db
	}},
}

// onEngines runs f on a new store of each engine: SQLite in memory and
// PostgreSQL.
func onEngines(t *testing.T, f func(t *testing.T, db *store.DB)) {
	for _, m := range modes {
		if m.name == "file" {
			continue
		}
		t.Run(m.name, func(t *testing.T) { f(t, m.open(t)) })
	}
}

// fixture is a small world: two organizations, a user in one, an agent.
type fixture struct {
	orgA, orgB ticket.Organization
	user, sam  ticket.User
}

func mustFixture(tb testing.TB, db *store.DB) fixture {
	tb.Helper()
	ctx := context.Background()
	var f fixture
	var err error
	if f.orgA, err = db.CreateOrganization(ctx, ticket.Organization{Name: "Praxis A", AccountNumber: "100", Kind: ticket.KindCustomer}); err != nil {
		tb.Fatal(err)
	}
	if f.orgB, err = db.CreateOrganization(ctx, ticket.Organization{Name: "Cabinet B", AccountNumber: "200", Kind: ticket.KindCustomer, ParentID: f.orgA.ID}); err != nil {
		tb.Fatal(err)
	}
	if f.user, err = db.CreateUser(ctx, ticket.User{Email: "u@example.com", Name: "Uta", Locale: "de"}, "hash"); err != nil {
		tb.Fatal(err)
	}
	if f.sam, err = db.CreateUser(ctx, ticket.User{Email: "sam@example.com", Name: "Sam", Locale: "en", Agent: true}, "hash"); err != nil {
		tb.Fatal(err)
	}
	if err := db.SetMembership(ctx, f.user.ID, f.orgA.ID, ticket.RoleAdmin, true); err != nil {
		tb.Fatal(err)
	}
	return f
}

func mustTicket(tb testing.TB, db *store.DB, org ticket.Organization, requester ticket.User, st ticket.Status, at time.Time) ticket.Ticket {
	tb.Helper()
	tk, err := db.CreateTicket(context.Background(), ticket.Ticket{
		Organization: org.Ref(), Requester: requester.Ref(), Type: "login_problem", Category: "password",
		Subject: "Subject", Description: "Description", Fields: map[string]string{"referenceNumber": "R-1"},
		Status: st, CreatedAt: at,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return tk
}

func TestConformance(t *testing.T) {
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			ctx := context.Background()
			db := mode.open(t)
			if v, err := db.SchemaVersion(ctx); err != nil || v < 1 {
				t.Fatalf("SchemaVersion = %d, %v; want >= 1", v, err)
			}
			empty, err := db.Empty(ctx)
			if err != nil || !empty {
				t.Fatalf("Empty() = %v, %v on a new store; want true", empty, err)
			}
			f := mustFixture(t, db)
			if empty, _ := db.Empty(ctx); empty {
				t.Fatal("Empty() = true after inserting")
			}

			t.Run("users", func(t *testing.T) {
				u, hash, err := db.UserByEmail(ctx, "U@Example.com")
				if err != nil || u.ID != f.user.ID || hash != "hash" {
					t.Fatalf("UserByEmail (other case) = %+v, %q, %v", u, hash, err)
				}
				if _, _, err := db.UserByEmail(ctx, "nobody@example.com"); ticket.ErrorCode(err) != ticket.CodeNotFound {
					t.Fatalf("UserByEmail(unknown) err = %v, want not_found", err)
				}
				if _, err := db.CreateUser(ctx, ticket.User{Email: "u@example.com", Name: "Dup"}, "h"); err == nil {
					t.Fatal("a second user with the same email was accepted")
				}
				if err := db.SetUserLocale(ctx, f.user.ID, "fr"); err != nil {
					t.Fatal(err)
				}
				v, err := db.Viewer(ctx, f.user.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := v.User.Locale, "fr"; got != want {
					t.Errorf("locale = %q, want %q", got, want)
				}
				if got, want := len(v.Memberships), 1; got != want {
					t.Fatalf("memberships = %d, want %d", got, want)
				}
				m := v.Memberships[0]
				if m.Organization.ID != f.orgA.ID || m.Role != ticket.RoleAdmin || !m.TicketAccess {
					t.Errorf("membership = %+v", m)
				}
				if err := db.SetMembership(ctx, f.user.ID, f.orgA.ID, ticket.RoleMember, false); err != nil {
					t.Fatal(err)
				}
				v, _ = db.Viewer(ctx, f.user.ID)
				if v.Memberships[0].TicketAccess || v.Memberships[0].Role != ticket.RoleMember {
					t.Errorf("after revoking: %+v", v.Memberships[0])
				}
				db.SetMembership(ctx, f.user.ID, f.orgA.ID, ticket.RoleAdmin, true)
				o, err := db.Organization(ctx, f.orgB.ID)
				if err != nil || o.ParentID != f.orgA.ID || o.AccountNumber != "200" {
					t.Errorf("Organization = %+v, %v", o, err)
				}
			})

			t.Run("tickets", func(t *testing.T) {
				base := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
				t1 := mustTicket(t, db, f.orgA, f.user, ticket.StatusNew, base)
				t2 := mustTicket(t, db, f.orgB, f.user, ticket.StatusClosed, base.Add(time.Hour))
				t3 := mustTicket(t, db, f.orgA, f.user, ticket.StatusWaitingExternal, base.Add(2*time.Hour))
				if got, want := t1.Number, int64(ticket.FirstTicketNumber); got != want {
					t.Fatalf("first number = %d, want %d", got, want)
				}
				if t2.Number != t1.Number+1 || t3.Number != t2.Number+1 {
					t.Fatalf("numbers %d %d %d are not sequential", t1.Number, t2.Number, t3.Number)
				}
				if t1.Organization.Name != "Praxis A" || t1.Requester.Name != "Uta" || t1.Fields["referenceNumber"] != "R-1" || !t1.CreatedAt.Equal(base) {
					t.Errorf("created ticket = %+v", t1)
				}
				if _, err := db.Ticket(ctx, 99); ticket.ErrorCode(err) != ticket.CodeNotFound {
					t.Errorf("Ticket(99) err = %v, want not_found", err)
				}

				msgAt := base.Add(3 * time.Hour)
				if _, err := db.AddMessage(ctx, ticket.Message{TicketNumber: t1.Number, Author: f.sam.Ref(), Body: "public", CreatedAt: msgAt}); err != nil {
					t.Fatal(err)
				}
				if _, err := db.AddMessage(ctx, ticket.Message{TicketNumber: t1.Number, Author: f.sam.Ref(), Body: "note", Internal: true, CreatedAt: msgAt.Add(time.Minute)}); err != nil {
					t.Fatal(err)
				}
				ms, err := db.Messages(ctx, t1.Number)
				if err != nil || len(ms) != 2 {
					t.Fatalf("Messages = %d, %v; want 2", len(ms), err)
				}
				if ms[0].Body != "public" || ms[0].Internal || ms[1].Body != "note" || !ms[1].Internal || ms[0].Author.Name != "Sam" {
					t.Errorf("messages = %+v", ms)
				}
				got, _ := db.Ticket(ctx, t1.Number)
				if want := msgAt; !got.UpdatedAt.Equal(want) {
					t.Errorf("UpdatedAt = %v, want %v (last public message; internal notes do not count)", got.UpdatedAt, want)
				}
				if _, err := db.AddMessage(ctx, ticket.Message{TicketNumber: 424242, Author: f.sam.Ref(), Body: "x", CreatedAt: msgAt}); err == nil {
					t.Error("a message for a missing ticket was accepted (foreign keys off?)")
				}

				numbers := func(ts []ticket.Ticket) []int64 {
					var out []int64
					for _, tk := range ts {
						out = append(out, tk.Number)
					}
					return out
				}
				list := []struct {
					name string
					q    store.ListQuery
					want []int64
				}{
					{"all, newest first", store.ListQuery{Scope: ticket.Scope{All: true}}, []int64{t3.Number, t2.Number, t1.Number}},
					{"scope A", store.ListQuery{Scope: ticket.Scope{OrganizationIDs: []int64{f.orgA.ID}}}, []int64{t3.Number, t1.Number}},
					{"empty scope", store.ListQuery{Scope: ticket.Scope{}}, nil},
					{"scope A, filter B", store.ListQuery{Scope: ticket.Scope{OrganizationIDs: []int64{f.orgA.ID}}, OrganizationID: f.orgB.ID}, nil},
					{"closed", store.ListQuery{Scope: ticket.Scope{All: true}, Statuses: ticket.PortalClosed.InternalStatuses()}, []int64{t2.Number}},
					{"page 1", store.ListQuery{Scope: ticket.Scope{All: true}, Limit: 2}, []int64{t3.Number, t2.Number}},
				}
				var cursor string
				for _, tt := range list {
					ts, next, err := db.ListTickets(ctx, tt.q)
					if err != nil {
						t.Fatalf("%s: %v", tt.name, err)
					}
					if got := numbers(ts); len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) || (len(got) > 1 && got[len(got)-1] != tt.want[len(tt.want)-1]) {
						t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
					}
					if tt.name == "page 1" {
						cursor = next
					}
				}
				page2, next, err := db.ListTickets(ctx, store.ListQuery{Scope: ticket.Scope{All: true}, Limit: 2, Cursor: cursor})
				if err != nil || len(page2) != 1 || page2[0].Number != t1.Number || next != "" {
					t.Errorf("page 2 = %v, next %q, %v; want [%d] and no next page", numbers(page2), next, err, t1.Number)
				}
				counts, err := db.CountByStatus(ctx, store.ListQuery{Scope: ticket.Scope{OrganizationIDs: []int64{f.orgA.ID}}})
				if err != nil {
					t.Fatal(err)
				}
				if counts[ticket.StatusNew] != 1 || counts[ticket.StatusWaitingExternal] != 1 || counts[ticket.StatusClosed] != 0 {
					t.Errorf("counts = %v", counts)
				}
			})

			t.Run("sessions", func(t *testing.T) {
				now := time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC)
				token := []byte("0123456789abcdef0123456789abcdef")
				if err := db.CreateSession(ctx, token, store.Session{UserID: f.user.ID}, now); err != nil {
					t.Fatal(err)
				}
				sess, err := db.Session(ctx, token, now.Add(time.Hour), now.Add(-time.Hour), time.Minute)
				if err != nil || sess.UserID != f.user.ID || sess.Embedded() {
					t.Fatalf("Session = %+v, %v; want user %d", sess, err, f.user.ID)
				}
				// Used at now+1h; idle since now+2h means it expired.
				if _, err := db.Session(ctx, token, now.Add(3*time.Hour), now.Add(2*time.Hour), time.Minute); ticket.ErrorCode(err) != ticket.CodeNotFound {
					t.Fatalf("idle session err = %v, want not_found", err)
				}
				if _, err := db.Session(ctx, token, now, now.Add(-time.Hour), time.Minute); ticket.ErrorCode(err) != ticket.CodeNotFound {
					t.Fatalf("expired session still there: %v", err)
				}
				db.CreateSession(ctx, token, store.Session{UserID: f.user.ID}, now)
				if _, err := db.DeleteSession(ctx, token); err != nil {
					t.Fatal(err)
				}
				if _, err := db.Session(ctx, token, now, now.Add(-time.Hour), time.Minute); ticket.ErrorCode(err) != ticket.CodeNotFound {
					t.Fatalf("deleted session still there: %v", err)
				}
			})
		})
	}
}

// TestDataSurvivesReopen writes through one handle, closes it, and reads
// everything back through a new one, like a restart of the binary.
func TestDataSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "supportal.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	f := mustFixture(t, db)
	tk := mustTicket(t, db, f.orgA, f.user, ticket.StatusOpen, time.Now())
	if _, err := db.AddMessage(ctx, ticket.Message{TicketNumber: tk.Number, Author: f.sam.Ref(), Body: "Hallo", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db2, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	got, err := db2.Ticket(ctx, tk.Number)
	if err != nil || got.Subject != tk.Subject || got.Status != ticket.StatusOpen {
		t.Fatalf("after reopen: %+v, %v", got, err)
	}
	ms, err := db2.Messages(ctx, tk.Number)
	if err != nil || len(ms) != 1 || ms[0].Body != "Hallo" {
		t.Fatalf("messages after reopen: %+v, %v", ms, err)
	}
	next := mustTicket(t, db2, f.orgA, f.user, ticket.StatusNew, time.Now())
	if next.Number != tk.Number+1 {
		t.Fatalf("number after reopen = %d, want %d", next.Number, tk.Number+1)
	}
	if v, _ := db2.SchemaVersion(ctx); v < 1 {
		t.Fatalf("schema version after reopen = %d", v)
	}
}

func TestFileStoreIsDurable(t *testing.T) {
	db := modes[1].open(t)
	st, err := db.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.JournalMode != "wal" || st.Synchronous != 2 || !st.ForeignKeys {
		t.Fatalf("settings = %+v, want journal_mode wal, synchronous 2 (FULL), foreign_keys on", st)
	}
}

// TestConcurrentWritesCommitTogether writes from many goroutines at once,
// some of them bound to fail (duplicate emails): every good write is stored
// exactly once, every bad one fails alone.
func TestConcurrentWritesCommitTogether(t *testing.T) {
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			ctx := context.Background()
			db := mode.open(t)
			f := mustFixture(t, db)
			const n = 64
			var wg sync.WaitGroup
			errs := make([]error, n)
			numbers := make([]int64, n)
			for i := 0; i < n; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					if i%8 == 0 {
						_, errs[i] = db.CreateUser(ctx, ticket.User{Email: "u@example.com", Name: "dup"}, "h")
						return
					}
					tk, err := db.CreateTicket(ctx, ticket.Ticket{Organization: f.orgA.Ref(), Requester: f.user.Ref(),
						Type: "login_problem", Category: "password", Subject: fmt.Sprint("T", i), Status: ticket.StatusNew, CreatedAt: time.Now()})
					errs[i], numbers[i] = err, tk.Number
				}(i)
			}
			wg.Wait()
			seen := map[int64]bool{}
			for i, err := range errs {
				if i%8 == 0 {
					if err == nil {
						t.Errorf("write %d: duplicate email accepted", i)
					}
					continue
				}
				if err != nil {
					t.Errorf("write %d failed: %v", i, err)
				}
				if seen[numbers[i]] {
					t.Errorf("number %d given twice", numbers[i])
				}
				seen[numbers[i]] = true
			}
			ts, _, err := db.ListTickets(ctx, store.ListQuery{Scope: ticket.Scope{All: true}, Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(ts), n-n/8; got != want {
				t.Fatalf("stored %d tickets, want %d", got, want)
			}
		})
	}
}

func TestClosedStoreRefusesWrites(t *testing.T) {
	db, err := store.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := db.CreateUser(context.Background(), ticket.User{Email: "x@example.com"}, "h"); err != store.ErrClosed {
		t.Fatalf("write after Close: %v, want ErrClosed", err)
	}
}

func TestSearch(t *testing.T) {
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			ctx := context.Background()
			db := mode.open(t)
			f := mustFixture(t, db)
			mk := func(subject, desc string, fields ...string) ticket.Ticket {
				fs := map[string]string{}
				for i := 0; i+1 < len(fields); i += 2 {
					fs[fields[i]] = fields[i+1]
				}
				tk, err := db.CreateTicket(ctx, ticket.Ticket{Organization: f.orgA.Ref(), Requester: f.user.Ref(), Type: "login_problem",
					Category: "password", Subject: subject, Description: desc, Fields: fs, Status: ticket.StatusOpen, CreatedAt: time.Now()})
				if err != nil {
					t.Fatal(err)
				}
				return tk
			}
			a := mk("Rücklastschrift zur Rechnung", "Bitte erneut einziehen.")
			b := mk("Drucker", "Umlaute fehlen im Ausdruck.", "invoiceNumber", "RE-2026-10452")
			if _, err := db.AddMessage(ctx, ticket.Message{TicketNumber: b.Number, Author: f.sam.Ref(), Body: "Welche Druckerfirmware?", CreatedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
			if _, err := db.AddMessage(ctx, ticket.Message{TicketNumber: a.Number, Author: f.sam.Ref(), Body: "Geheimwort Quokka", Internal: true, CreatedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
			customer := ticket.Scope{OrganizationIDs: []int64{f.orgA.ID}}
			agent := ticket.Scope{All: true}
			tests := []struct {
				scope  ticket.Scope
				search string
				want   []int64
			}{
				{customer, "rucklastschrift", []int64{a.Number}}, // diacritics removed
				{customer, "Rechn", []int64{a.Number}},           // prefix
				{customer, "druckerfirm", []int64{b.Number}},     // in a public message
				{customer, "drucker umlaute", []int64{b.Number}}, // every word
				{customer, "drucker rechnung", nil},              // not both anywhere
				{customer, "#" + strconv.FormatInt(b.Number, 10), []int64{b.Number}},
				{customer, strconv.FormatInt(a.Number, 10), []int64{a.Number}},
				{customer, "quokka", nil},                     // internal notes: not for customers
				{agent, "quokka", []int64{a.Number}},          // agents find them
				{customer, `"); DROP TABLE tickets; --`, nil}, // just words
				{customer, "-", nil},                          // nothing to look for
				{customer, `% _ * + ( '"`, nil},
				{customer, "RE-2026-10452", []int64{b.Number}}, // a data field
			}
			for _, tt := range tests {
				ts, _, err := db.ListTickets(ctx, store.ListQuery{Scope: tt.scope, Search: tt.search})
				if err != nil {
					t.Fatalf("search %q: %v", tt.search, err)
				}
				var got []int64
				for _, tk := range ts {
					got = append(got, tk.Number)
				}
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Errorf("search %q (agent %v) = %v, want %v", tt.search, tt.scope.All, got, tt.want)
				}
			}
			// Another organization's customer finds none of it.
			other := ticket.Scope{OrganizationIDs: []int64{f.orgB.ID}}
			if ts, _, _ := db.ListTickets(ctx, store.ListQuery{Scope: other, Search: "drucker"}); len(ts) != 0 {
				t.Errorf("organization B finds %d tickets of A", len(ts))
			}

			// Relevance: more matching texts first; a search matching more
			// than the window lists the newest matches and says so.
			c := mk("Kartenleser", "Der Kartenleser meldet einen Fehler.")
			for i := 0; i < 2; i++ {
				if _, err := db.AddMessage(ctx, ticket.Message{TicketNumber: c.Number, Author: f.sam.Ref(), Body: "Kartenleser neu gestartet?", CreatedAt: time.Now()}); err != nil {
					t.Fatal(err)
				}
			}
			d := mk("Kartenleser Praxis 2", "Neu.")
			q := store.ListQuery{Scope: customer, Search: "kartenleser", Sort: ticket.SortRelevance}
			ts, _, _ := db.ListTickets(ctx, q)
			if len(ts) != 2 || ts[0].Number != c.Number || ts[1].Number != d.Number {
				t.Errorf("relevance order = %v, want [%d %d]", ts, c.Number, d.Number)
			}
			if cut, err := db.SearchTruncated(ctx, q); cut || err != nil {
				t.Errorf("truncated = %v, %v with 4 matches", cut, err)
			}
			defer func(w int) { store.SearchWindow = w }(store.SearchWindow)
			store.SearchWindow = 2
			ts, _, _ = db.ListTickets(ctx, q)
			// The two newest texts: d's own and c's last message, one each.
			if len(ts) != 2 || ts[0].Number != d.Number || ts[1].Number != c.Number {
				t.Errorf("with a window of 2 = %v, want [%d %d]", ts, d.Number, c.Number)
			}
			if cut, err := db.SearchTruncated(ctx, q); !cut || err != nil {
				t.Errorf("truncated = %v, %v; want true", cut, err)
			}
		})
	}
}

// The index of migration 0007 orders by the same expression the list
// sorts by; otherwise SQLite would not use it.
func TestStatusOrderIndex(t *testing.T) {
	db, err := store.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sql, err := db.IndexSQL(context.Background(), "tickets_status_order")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.ReplaceAll(store.StatusRankExpr, "t.status", "status")
	if !strings.Contains(sql, want) {
		t.Fatalf("index\n%s\ndoes not order by\n%s", sql, want)
	}
}

// The store's identity is made once per database: the same file keeps it
// across reopening, another file (or memory store) has another.
func TestStoreID(t *testing.T) {
	dir := t.TempDir()
	open := func(name string) *store.DB {
		t.Helper()
		db, err := store.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	a, b := open("a.db"), open("b.db")
	idA, idB := a.ID(), b.ID()
	b.Close()
	for _, id := range []string{idA, idB} {
		if raw, err := hex.DecodeString(id); err != nil || len(raw) != 16 {
			t.Errorf("ID() = %q, want 32 hex digits", id)
		}
	}
	if idA == idB {
		t.Errorf("two files have the same id %q", idA)
	}
	a.Close()
	again := open("a.db")
	defer again.Close()
	if got, want := again.ID(), idA; got != want {
		t.Errorf("ID() after reopening = %q, want %q", got, want)
	}
	m1, err := store.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer m1.Close()
	m2, err := store.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer m2.Close()
	if m1.ID() == m2.ID() || m1.ID() == idA || len(m1.ID()) != 32 {
		t.Errorf("memory stores' ids %q and %q, want two new ones of 32 hex digits", m1.ID(), m2.ID())
	}
}
