package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
)

// BenchmarkCreateTicketHTTP posts tickets end to end: HTTP, session, JSON,
// ticket.Validate, the idempotency record and the fsynced commit, from
// concurrent clients (8, 16, 64) against a file store. It reports tickets/s and the
// p50/p99 latency of one POST.
func BenchmarkCreateTicketHTTP(b *testing.B) {
	for _, clients := range []int{8, 16, 64} {
		b.Run(fmt.Sprint("clients=", clients), func(b *testing.B) { benchCreateHTTP(b, clients) })
	}
}

func benchCreateHTTP(b *testing.B, clients int) {
	db, err := store.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	hash, _ := api.HashPassword(seed.Password)
	if _, err := seed.Load(context.Background(), db, hash, time.Now()); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(api.New(db, api.Config{}))
	defer srv.Close()

	transport := &http.Transport{MaxIdleConnsPerHost: clients}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: transport}
	res, err := c.Post(srv.URL+"/api/v1/login", "application/json", bytes.NewReader([]byte(`{"email":"`+seed.DiegoEmail+`","password":"demo"}`)))
	if err != nil || res.StatusCode != 200 {
		b.Fatalf("login: %v %v", err, res)
	}
	res.Body.Close()
	var me struct{ Memberships []ticket.Membership }
	res, _ = c.Get(srv.URL + "/api/v1/me")
	json.NewDecoder(res.Body).Decode(&me)
	res.Body.Close()
	body, _ := json.Marshal(ticket.Draft{OrganizationID: me.Memberships[0].Organization.ID, Type: "login_problem", Category: "password",
		Subject: "No puedo iniciar sesión", Description: "Desde esta mañana la contraseña no funciona."})

	var next atomic.Int64
	var mu sync.Mutex
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(b.N) {
				req, _ := http.NewRequest("POST", srv.URL+"/api/v1/tickets", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Idempotency-Key", fmt.Sprint("bench-", next.Load(), "-", time.Now().UnixNano()))
				t0 := time.Now()
				res, err := c.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				res.Body.Close()
				d := time.Since(t0)
				if res.StatusCode != 201 {
					b.Errorf("status %d", res.StatusCode)
					return
				}
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if len(lat) == 0 {
		return
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "tickets/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkListTicketsHTTP asks GET /api/v1/tickets (the first page of 50
// in the default order, last update first) end to end over HTTP: session
// lookup, the viewer's memberships, the list query, the unread counts of
// the listed tickets and the JSON answer,
// from 64 concurrent keep-alive connections, against the big store (1,000
// organizations, 100,000 tickets, 1,000,000 messages; see bigAPIStore) as a
// customer (two accounts: the biggest, about 1,500 tickets, and a middling
// one) and as an agent (all tickets). It reports req/s, the p50/p99
// latency of one request and the size of one answer; the load generator
// shares the machine.
func BenchmarkListTicketsHTTP(b *testing.B) {
	w := bigAPIStore(b)
	for _, who := range []struct{ name, email string }{
		{"customer", bigCustomerEmail},
		{"agent", bigAgentEmail},
	} {
		b.Run(who.name+"/clients=64", func(b *testing.B) { benchListHTTP(b, w.db, who.email, 64) })
	}
}

func benchListHTTP(b *testing.B, db *store.DB, email string, clients int) {
	srv := httptest.NewServer(api.New(db, api.Config{}))
	defer srv.Close()
	transport := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients}
	defer transport.CloseIdleConnections()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: transport}
	res, err := c.Post(srv.URL+"/api/v1/login", "application/json", strings.NewReader(`{"email":"`+email+`","password":"`+bigPassword+`"}`))
	if err != nil || res.StatusCode != 200 {
		b.Fatalf("login: %v %v", err, res)
	}
	res.Body.Close()
	// One request first: the answer must be a full page.
	var page struct{ Tickets []json.RawMessage }
	res, err = c.Get(srv.URL + "/api/v1/tickets")
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if err := json.Unmarshal(body, &page); err != nil || res.StatusCode != 200 || len(page.Tickets) != 50 {
		b.Fatalf("list: status %d, %d tickets (%v)", res.StatusCode, len(page.Tickets), err)
	}

	var next atomic.Int64
	lats := make([][]time.Duration, clients)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(b.N) {
				t0 := time.Now()
				res, err := c.Get(srv.URL + "/api/v1/tickets")
				if err != nil {
					b.Error(err)
					return
				}
				_, err = io.Copy(io.Discard, res.Body) // read to the end: the connection is kept
				res.Body.Close()
				d := time.Since(t0)
				if err != nil || res.StatusCode != 200 {
					b.Errorf("status %d, %v", res.StatusCode, err)
					return
				}
				lats[w] = append(lats[w], d)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	var lat []time.Duration
	for _, l := range lats {
		lat = append(lat, l...)
	}
	if len(lat) == 0 {
		return
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(len(body)), "bytes/resp")
	for _, p := range []float64{50, 99} {
		i := int(math.Ceil(p/100*float64(len(lat)))) - 1
		b.ReportMetric(float64(lat[max(i, 0)].Microseconds())/1000, fmt.Sprintf("p%.0f-ms", p))
	}
}

// TestMain only removes the big benchmark store (see bigAPIStore) once
// every benchmark is done; it builds nothing.
func TestMain(m *testing.M) {
	code := m.Run()
	if big.w != nil {
		big.w.db.Close()
		os.RemoveAll(big.w.dir)
	}
	os.Exit(code)
}

// The big store: the same data as the big store of server/store's
// benchmarks (keep the two copies of generateBig and its words in step),
// with a customer and an agent who can log in.
const (
	bigOrgs              = 1000
	bigTickets           = 100000
	bigMessagesPerTicket = 10

	bigCustomerEmail = "customer@bench.example"
	bigAgentEmail    = "agent@bench.example"
	bigPassword      = "bench-password"
)

type bigWorld struct {
	dir string
	db  *store.DB
}

var big struct {
	once sync.Once
	w    *bigWorld
	err  error
}

// bigAPIStore returns the big store, building it on first use (a minute
// or two, in a directory under os.TempDir named supportal-bench-*); it
// lives until TestMain removes it.
func bigAPIStore(b *testing.B) *bigWorld {
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
	hash, err := api.HashPassword(bigPassword)
	if err != nil {
		return nil, err
	}
	agent, err := db.CreateUser(ctx, ticket.User{Email: bigAgentEmail, Name: "Agent", Agent: true}, hash)
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
	customer, err := db.CreateUser(ctx, ticket.User{Email: bigCustomerEmail, Name: "Customer", Locale: "de"}, hash)
	if err != nil {
		return nil, err
	}
	for _, o := range []ticket.Organization{orgs[0], orgs[bigOrgs/2]} {
		if err := db.SetMembership(ctx, customer.ID, o.ID, ticket.RoleMember, true); err != nil {
			return nil, err
		}
	}
	err = generateBig(orgs, requesters, agent, func(ts []ticket.Ticket, ms []ticket.Message) error {
		if err := db.ImportTickets(ctx, ts); err != nil {
			return err
		}
		return db.ImportMessages(ctx, ms)
	})
	return w, err
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
