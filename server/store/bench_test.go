package store_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

// TestMain only removes the big benchmark store (see bigStore) once every
// benchmark is done; it builds nothing.
func TestMain(m *testing.M) {
	code := m.Run()
	removeBig()
	os.Exit(code)
}

// BenchmarkCreateTicket measures durable ticket creation: each one is its
// own transaction, committed with synchronous=FULL on a WAL file.
func BenchmarkCreateTicket(b *testing.B) {
	db, err := store.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	f := mustFixture(b, db)
	ctx := context.Background()
	tk := ticket.Ticket{Organization: f.orgA.Ref(), Requester: f.user.Ref(), Type: "login_problem", Category: "password",
		Subject: "Kennwort abgelaufen", Description: "Seit heute früh kann ich mich nicht mehr anmelden.", Status: ticket.StatusNew}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		tk.CreatedAt = time.Now()
		if _, err := db.CreateTicket(ctx, tk); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "tickets/s")
}

// BenchmarkListVisible lists pages of a customer's (two accounts: the
// biggest one, about 1,500 tickets, and a middling one) and an agent's
// visible tickets in the big store (100,000 tickets, 1,000,000 messages,
// see bigStore), in the UI's default order (last update) and by status,
// first pages and deep pages reached through cursors (page 1,001 by last
// update, page 101 by status). It reports the p50, p95 and p99 latency of
// one ListTickets call (50 tickets).
func BenchmarkListVisible(b *testing.B) {
	w := bigStore(b)
	ctx := context.Background()
	open := append(ticket.PortalInProgress.InternalStatuses(), ticket.PortalResponseExpected.InternalStatuses()...)
	all := ticket.Scope{All: true}
	cases := []struct {
		name string
		q    store.ListQuery
		skip int // tickets before the page measured, paged through with cursors
	}{
		{"customer/updated", store.ListQuery{Scope: w.customer, Sort: ticket.SortUpdated}, 0},
		{"customer/status", store.ListQuery{Scope: w.customer, Sort: ticket.SortStatus}, 0},
		{"customer/open", store.ListQuery{Scope: w.customer, Sort: ticket.SortUpdated, Statuses: open}, 0},
		{"customer/updated-page20", store.ListQuery{Scope: w.customer, Sort: ticket.SortUpdated}, 19 * 50},
		{"agent/updated", store.ListQuery{Scope: all, Sort: ticket.SortUpdated}, 0},
		{"agent/status", store.ListQuery{Scope: all, Sort: ticket.SortStatus}, 0},
		{"agent/open", store.ListQuery{Scope: all, Sort: ticket.SortUpdated, Statuses: open}, 0},
		{"agent/updated-page1001", store.ListQuery{Scope: all, Sort: ticket.SortUpdated}, 1000 * 50},
		{"agent/status-page101", store.ListQuery{Scope: all, Sort: ticket.SortStatus}, 100 * 50},
	}
	for _, c := range cases {
		cursor := "" // found once: the benchmark function runs several times
		b.Run(c.name, func(b *testing.B) {
			q := c.q
			if c.skip > 0 && cursor == "" {
				cursor = skipTickets(b, w.db, q, c.skip)
			}
			q.Cursor, q.Limit = cursor, 50
			measure(b, func() {
				ts, _, err := w.db.ListTickets(ctx, q)
				if err != nil || len(ts) == 0 {
					b.Fatalf("list: %d tickets, %v", len(ts), err)
				}
			})
		})
	}
}

// skipTickets returns the cursor of the page after the first n tickets q
// lists (n a multiple of 50), paging 500 at a time where it can.
func skipTickets(b *testing.B, db *store.DB, q store.ListQuery, n int) string {
	b.Helper()
	for n > 0 {
		q.Limit = 50
		if n >= 500 {
			q.Limit = 500
		}
		ts, next, err := db.ListTickets(context.Background(), q)
		if err != nil || next == "" || len(ts) != q.Limit {
			b.Fatalf("skipping tickets: %d listed, no next page (%v)", len(ts), err)
		}
		q.Cursor = next
		n -= q.Limit
	}
	return q.Cursor
}

// BenchmarkSearch searches the big store (see bigStore) as a customer (two
// accounts) and as an agent (everything, internal notes included): a rare
// word, a common one, a three-letter prefix and a ticket number, first
// page in the default order of a search (relevance). It reports the p50,
// p95 and p99 latency of one ListTickets call and how many tickets the
// search lists in all (CountByStatus: within store.SearchWindow).
// A search that takes longer than searchTimeout is stopped and reported
// as taking searchTimeout, with timeouts 1.
func BenchmarkSearch(b *testing.B) {
	w := bigStore(b)
	ctx := context.Background()
	viewers := []struct {
		name   string
		scope  ticket.Scope
		number int64
	}{
		{"customer", w.customer, w.customerTicket},
		{"agent", ticket.Scope{All: true}, ticket.FirstTicketNumber + bigTickets/2},
	}
	for _, v := range viewers {
		for _, s := range []struct{ name, text string }{
			{"rare", benchRare},
			{"common", benchCommon},
			{"prefix3", benchPrefix},
			{"number", "#" + strconv.FormatInt(v.number, 10)},
		} {
			matches := 0 // counted once: the benchmark function runs several times
			b.Run(v.name+"/"+s.name, func(b *testing.B) {
				q := store.ListQuery{Scope: v.scope, Search: s.text, Sort: ticket.SortRelevance, Limit: 50}
				if matches == 0 {
					counts, err := w.db.CountByStatus(ctx, q)
					if err != nil {
						b.Fatal(err)
					}
					for _, n := range counts {
						matches += n
					}
					if matches == 0 {
						b.Fatalf("search %q finds nothing", s.text)
					}
				}
				lat := make([]time.Duration, 0, b.N)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					qctx, cancel := context.WithTimeout(ctx, searchTimeout)
					t0 := time.Now()
					ts, _, err := w.db.ListTickets(qctx, q)
					d := time.Since(t0)
					timedOut := qctx.Err() == context.DeadlineExceeded
					cancel()
					if timedOut {
						b.StopTimer()
						b.Logf("search %q did not finish within %v: stopped", s.text, searchTimeout)
						reportPercentiles(b, []time.Duration{searchTimeout})
						b.ReportMetric(1, "timeouts")
						b.ReportMetric(float64(matches), "matches")
						return
					}
					if err != nil || len(ts) == 0 {
						b.Fatalf("search %q: %d tickets, %v", s.text, len(ts), err)
					}
					lat = append(lat, d)
				}
				b.StopTimer()
				reportPercentiles(b, lat)
				b.ReportMetric(float64(matches), "matches")
			})
		}
	}
}

// searchTimeout bounds one search of BenchmarkSearch.
const searchTimeout = 10 * time.Second

// measure runs fn b.N times and reports the p50, p95 and p99 latency of
// one call in milliseconds.
func measure(b *testing.B, fn func()) {
	b.Helper()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		fn()
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	for _, p := range []float64{50, 95, 99} {
		i := int(math.Ceil(p/100*float64(len(lat)))) - 1
		b.ReportMetric(float64(lat[max(i, 0)].Microseconds())/1000, fmt.Sprintf("p%.0f-ms", p))
	}
}

// BenchmarkCreateTicketConcurrent is BenchmarkCreateTicket with 32 callers
// per core, as a busy server has: concurrent writes share commits.
func BenchmarkCreateTicketConcurrent(b *testing.B) {
	db, err := store.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	f := mustFixture(b, db)
	ctx := context.Background()
	b.SetParallelism(32)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		tk := ticket.Ticket{Organization: f.orgA.Ref(), Requester: f.user.Ref(), Type: "login_problem", Category: "password",
			Subject: "Kennwort abgelaufen", Description: "Seit heute früh kann ich mich nicht mehr anmelden.", Status: ticket.StatusNew}
		for pb.Next() {
			tk.CreatedAt = time.Now()
			if _, err := db.CreateTicket(ctx, tk); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "tickets/s")
}

// The big store of the read benchmarks. Keep it in step with the copy in
// server/api/bench_test.go (same sizes, seed and words), so that both
// packages measure the same data.
const (
	bigOrgs              = 1000
	bigTickets           = 100000
	bigMessagesPerTicket = 10
)

// Search terms of BenchmarkSearch: a rare word (about 350 documents), a
// common one (about one German text in eight) and a three-letter prefix
// of many words in all four languages (Rechnung, recibo, reçu, recherche,
// receipt...).
const (
	benchRare   = "Zahnarztpraxis"
	benchCommon = "Drucker"
	benchPrefix = "rec"
)

// bigWorld is the big store: 1,000 organizations, 100,000 tickets and
// 1,000,000 messages (10 per ticket, about 10% internal notes) in German,
// English, French and Spanish.
type bigWorld struct {
	dir            string
	db             *store.DB
	customer       ticket.Scope // two accounts: the biggest and a middling one
	customerTicket int64        // a ticket the customer sees
}

var big struct {
	once sync.Once
	w    *bigWorld
	err  error
}

// bigStore returns the big store, building it on first use (a minute or
// two); it lives until TestMain removes it.
func bigStore(b *testing.B) *bigWorld {
	b.Helper()
	big.once.Do(func() {
		t0 := time.Now()
		big.w, big.err = buildBigWorld()
		if big.err == nil {
			fmt.Fprintf(os.Stderr, "big store: %d tickets, %d messages built in %v\n",
				bigTickets, bigTickets*bigMessagesPerTicket, time.Since(t0).Round(time.Second))
		}
	})
	if big.err != nil {
		b.Fatal(big.err)
	}
	return big.w
}

// removeBig closes and deletes the big store if a benchmark built it.
func removeBig() {
	if big.w != nil {
		big.w.db.Close()
		os.RemoveAll(big.w.dir)
	}
}

func buildBigWorld() (w *bigWorld, err error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "supportal-bench-")
	if err != nil {
		return nil, err
	}
	db, err := store.Open(filepath.Join(dir, "big.db"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	w = &bigWorld{dir: dir, db: db}
	defer func() {
		if err != nil {
			db.Close()
			os.RemoveAll(dir)
			w = nil
		}
	}()
	agent, err := db.CreateUser(ctx, ticket.User{Email: "agent@bench.example", Name: "Agent", Agent: true}, "x")
	if err != nil {
		return nil, err
	}
	var requesters []ticket.User
	for i := 0; i < 50; i++ {
		u, err := db.CreateUser(ctx, ticket.User{Email: fmt.Sprintf("user%d@bench.example", i), Name: fmt.Sprint("User ", i)}, "x")
		if err != nil {
			return nil, err
		}
		requesters = append(requesters, u)
	}
	var orgs []ticket.Organization
	for i := 0; i < bigOrgs; i++ {
		o, err := db.CreateOrganization(ctx, ticket.Organization{Name: fmt.Sprint("Org ", i), AccountNumber: fmt.Sprint(500000 + i), Kind: ticket.KindCustomer})
		if err != nil {
			return nil, err
		}
		orgs = append(orgs, o)
	}
	w.customer = ticket.Scope{OrganizationIDs: []int64{orgs[0].ID, orgs[bigOrgs/2].ID}}
	err = generateBig(orgs, requesters, agent, func(ts []ticket.Ticket, ms []ticket.Message) error {
		if err := db.ImportTickets(ctx, ts); err != nil {
			return err
		}
		return db.ImportMessages(ctx, ms)
	})
	if err != nil {
		return nil, err
	}
	ts, _, err := db.ListTickets(ctx, store.ListQuery{Scope: w.customer, Sort: ticket.SortNumber, Limit: 500})
	if err != nil || len(ts) < 500 {
		return nil, fmt.Errorf("customer sees %d tickets (%v)", len(ts), err)
	}
	w.customerTicket = ts[250].Number
	return w, nil
}

// generateBig makes the tickets and messages of the big store and hands
// them to load in batches of 10,000 tickets with their messages; ticket
// numbers are assigned in order from ticket.FirstTicketNumber.
//
// Tickets are spread over the organizations Zipf-like (the biggest has
// about 1,500, the median about 45); a ticket is written in German (40%),
// English (25%), French (20%) or Spanish (15%), its messages too. Words are
// drawn Zipf-like from function words and support vocabulary of its
// language plus technical terms all share; one text in 1,000 holds one
// of the rare words (Zipf-like too).
func generateBig(orgs []ticket.Organization, requesters []ticket.User, agent ticket.User, load func([]ticket.Ticket, []ticket.Message) error) error {
	r := rand.New(rand.NewPCG(2026, 11))
	orgOf := rand.NewZipf(r, 1.1, 20, uint64(len(orgs)-1))
	rareOf := rand.NewZipf(r, 1.1, 1, uint64(len(benchRareWords)-1))
	type lang struct {
		function, content []string
		fz, cz            *rand.Zipf
	}
	var langs []lang
	for _, l := range benchLangs {
		langs = append(langs, lang{function: l.function, content: l.content,
			fz: rand.NewZipf(r, 1.2, 1, uint64(len(l.function)-1)),
			cz: rand.NewZipf(r, 1.05, 3, uint64(len(l.content)-1))})
	}
	text := func(l lang, n int) string {
		words := make([]string, n)
		for i := range words {
			switch p := r.Float64(); {
			case p < 0.4:
				words[i] = l.function[l.fz.Uint64()]
			case p < 0.93:
				words[i] = l.content[l.cz.Uint64()]
			default:
				words[i] = benchShared[r.IntN(len(benchShared))]
			}
		}
		if r.IntN(1000) == 0 {
			words[r.IntN(n)] = benchRareWords[rareOf.Uint64()]
		}
		first := []rune(words[0])
		first[0] = unicode.ToUpper(first[0])
		words[0] = string(first)
		return strings.Join(words, " ") + "."
	}
	kinds := []struct{ typ, category string }{
		{"login_problem", "password"}, {"login_problem", "locked_account"}, {"login_problem", "two_factor"},
		{"web_interface_problem", "error_message"}, {"web_interface_problem", "display"}, {"web_interface_problem", "performance"},
		{"user_management", "new_user"}, {"user_management", "permissions"}, {"provider_enrollment", "enrollment_status"},
	}
	statuses := ticket.Statuses()
	// A ticket every five minutes, the last ones a few days ago.
	base := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC).Add(-bigTickets * 5 * time.Minute)
	const batch = 10000
	ts := make([]ticket.Ticket, 0, batch)
	ms := make([]ticket.Message, 0, batch*bigMessagesPerTicket)
	for i := 0; i < bigTickets; i++ {
		var l lang
		switch p := r.IntN(100); {
		case p < 40:
			l = langs[0]
		case p < 65:
			l = langs[1]
		case p < 85:
			l = langs[2]
		default:
			l = langs[3]
		}
		st := ticket.StatusClosed
		switch {
		case i >= bigTickets*95/100: // the newest: every status
			st = statuses[r.IntN(len(statuses))]
		case r.IntN(10) == 0:
			st = ticket.StatusResolved
		case r.IntN(20) == 0:
			st = statuses[r.IntN(len(statuses))]
		}
		k := kinds[r.IntN(len(kinds))]
		created := base.Add(time.Duration(i)*5*time.Minute + time.Duration(r.IntN(300))*time.Second)
		requester := requesters[r.IntN(len(requesters))]
		ts = append(ts, ticket.Ticket{Organization: orgs[orgOf.Uint64()].Ref(), Requester: requester.Ref(), Type: k.typ, Category: k.category,
			Subject: text(l, 3+r.IntN(6)), Description: text(l, 15+r.IntN(40)), Status: st, CreatedAt: created})
		number := int64(ticket.FirstTicketNumber + i)
		at := created
		for j := 0; j < bigMessagesPerTicket; j++ {
			at = at.Add(time.Duration(1+r.IntN(3*24*60)) * time.Minute)
			m := ticket.Message{TicketNumber: number, Author: requester.Ref(), Body: text(l, 8+r.IntN(50)), CreatedAt: at}
			if j%2 == 1 {
				m.Author = agent.Ref()
			}
			if r.IntN(10) == 0 {
				m.Author, m.Internal = agent.Ref(), true
			}
			ms = append(ms, m)
		}
		if len(ts) == batch {
			if err := load(ts, ms); err != nil {
				return err
			}
			ts, ms = ts[:0], ms[:0]
		}
	}
	if len(ts) > 0 {
		return load(ts, ms)
	}
	return nil
}

// benchLangs are German, English, French and Spanish: function words and
// support vocabulary, most frequent first.
var benchLangs = []struct{ function, content []string }{
	{ // German
		function: strings.Fields("die der und ich nicht das ist es wir bitte mit sie den zu ein auf im für auch seit noch eine wird kann haben bei nach aber wie leider schon dem von"),
		content: strings.Fields("Anmeldung Passwort Fehler Praxis Rechnung Abrechnung Meldung Zugang Benutzer Programm Software Update Termin " +
			"Kennwort Fehlermeldung Seite Patienten Formular Daten Ausdruck Freischaltung Lizenz Vertrag Zahlung Mahnung Rücklastschrift " +
			"Druckertreiber Bildschirm Einstellungen Konto gesperrt funktioniert angezeigt Kundennummer Mitarbeiter Berechtigung Rezept " +
			"Schnittstelle Sicherung Datenbank Arbeitsplatz Praxisverwaltung Drucker Quartal Kassenabrechnung Versichertenkarte Kartenleser " +
			"Umlaute Zeitüberschreitung Verbindung langsam Absturz Neustart Rückruf Ansprechpartner Rechnungsnummer Gutschrift Überweisung " +
			"Zwei-Faktor Bestätigung E-Mail Postfach Anhang hochladen herunterladen Vorlage Briefkopf Etiketten Termine Kalender Warteschlange"),
	},
	{ // English
		function: strings.Fields("the to and i is not it we please a of in for on with you this since have can but be our my are was after still"),
		content: strings.Fields("login password error account invoice printer billing message access user page patient form data receipt " +
			"license contract payment reminder refund screen settings locked working displayed customer staff permission prescription " +
			"interface backup database workstation quarter insurance card reader timeout connection slow crash restart callback contact " +
			"credit transfer two-factor confirmation email mailbox attachment upload download template letterhead labels appointments " +
			"calendar queue report export import signature enrollment provider status"),
	},
	{ // French
		function: strings.Fields("le la les de et je ne pas est nous vous un une des pour dans avec sur il depuis merci encore mais notre mon"),
		content: strings.Fields("connexion mot passe erreur compte facture imprimante facturation message accès utilisateur page patient formulaire données " +
			"reçu licence contrat paiement relance remboursement écran paramètres bloqué fonctionne affiché client personnel autorisation ordonnance " +
			"interface sauvegarde base poste trimestre assurance carte lecteur délai connexion lent plantage redémarrage rappel interlocuteur " +
			"avoir virement double authentification confirmation courriel pièce jointe télécharger modèle étiquettes rendez-vous agenda recherche " +
			"cabinet médecin mutuelle recevoir"),
	},
	{ // Spanish
		function: strings.Fields("el la los de y no es que en un una por para con se desde mi nuestro pero todavía gracias lo al del muy"),
		content: strings.Fields("inicio sesión contraseña error cuenta factura impresora facturación mensaje acceso usuario página paciente formulario datos " +
			"recibo licencia contrato pago recordatorio reembolso pantalla configuración bloqueada funciona muestra cliente personal permiso receta " +
			"interfaz copia seguridad base puesto trimestre seguro tarjeta lector tiempo conexión lento bloqueo reinicio llamada contacto " +
			"abono transferencia doble factor confirmación correo adjunto subir descargar plantilla etiquetas citas agenda consulta clínica " +
			"médico receptor"),
	},
}

// benchShared are technical terms every language uses.
var benchShared = strings.Fields("PDF VPN Windows macOS Browser Chrome Firefox Safari Server Cloud App iPhone Android Outlook Excel HL7 API Token Cache Firewall")

// benchRareWords: one text in 1,000 holds one of them, the first in about
// 350 documents (0.03%), the last in about 20.
var benchRareWords = strings.Fields("Zahnarztpraxis Quittungsdrucker Heilmittelverordnung Kieferorthopädie Laborgemeinschaft Impfstoffbestellung " +
	"Betriebsstättennummer Zuzahlungsbefreiung Dokumentenscanner Stapelverarbeitung ophtalmologie kinésithérapeute orthodontiste " +
	"téléconsultation dématérialisation odontología fisioterapeuta teleconsulta digitalización ortodoncista " +
	"reconciliation chiropractor teledentistry deduplication watermark")
