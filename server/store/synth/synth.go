// Package synth makes synthetic support data for benchmarks and load
// tests: organizations of very different sizes, tickets and conversations
// in German, English, French and Spanish with realistic word frequencies,
// the same every run (fixed random seed).
package synth

import (
	"math/rand/v2"
	"strings"
	"time"
	"unicode"

	"github.com/supportal/supportal/app/ticket"
)

// The size of the big store.
const (
	Orgs              = 1000
	Tickets           = 100000
	MessagesPerTicket = 10
)

// Generate makes the tickets and messages of the big store and hands
// them to load in batches of 10,000 tickets with their messages; ticket
// numbers are assigned in order from ticket.FirstTicketNumber.
//
// Tickets are spread over the organizations Zipf-like (the biggest has
// about 1,500, the median about 45); a ticket is written in German (40%),
// English (25%), French (20%) or Spanish (15%), its messages too. Words are
// drawn Zipf-like from function words and support vocabulary of its
// language plus technical terms all share; one text in 1,000 holds one
// of the rare words (Zipf-like too).
func Generate(orgs []ticket.Organization, requesters []ticket.User, agent ticket.User, load func([]ticket.Ticket, []ticket.Message) error) error {
	r := rand.New(rand.NewPCG(2026, 11))
	orgOf := rand.NewZipf(r, 1.1, 20, uint64(len(orgs)-1))
	rareOf := rand.NewZipf(r, 1.1, 1, uint64(len(rareWords)-1))
	type lang struct {
		function, content []string
		fz, cz            *rand.Zipf
	}
	var langs []lang
	for _, l := range vocabulary {
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
				words[i] = shared[r.IntN(len(shared))]
			}
		}
		if r.IntN(1000) == 0 {
			words[r.IntN(n)] = rareWords[rareOf.Uint64()]
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
	base := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC).Add(-Tickets * 5 * time.Minute)
	const batch = 10000
	ts := make([]ticket.Ticket, 0, batch)
	ms := make([]ticket.Message, 0, batch*MessagesPerTicket)
	for i := 0; i < Tickets; i++ {
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
		case i >= Tickets*95/100: // the newest: every status
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
		for j := 0; j < MessagesPerTicket; j++ {
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

// vocabulary is German, English, French and Spanish: function words and
// support vocabulary, most frequent first.
var vocabulary = []struct{ function, content []string }{
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

// shared are technical terms every language uses.
var shared = strings.Fields("PDF VPN Windows macOS Browser Chrome Firefox Safari Server Cloud App iPhone Android Outlook Excel HL7 API Token Cache Firewall")

// rareWords: one text in 1,000 holds one of them, the first in about
// 350 documents (0.03%), the last in about 20.
var rareWords = strings.Fields("Zahnarztpraxis Quittungsdrucker Heilmittelverordnung Kieferorthopädie Laborgemeinschaft Impfstoffbestellung " +
	"Betriebsstättennummer Zuzahlungsbefreiung Dokumentenscanner Stapelverarbeitung ophtalmologie kinésithérapeute orthodontiste " +
	"téléconsultation dématérialisation odontología fisioterapeuta teleconsulta digitalización ortodoncista " +
	"reconciliation chiropractor teledentistry deduplication watermark")
