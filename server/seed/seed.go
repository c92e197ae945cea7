// Package seed loads supportal's demo data: a German practice with a branch,
// a French and a Spanish customer, a software vendor, their users, a few
// dozen tickets with conversations in each customer's language, and the
// records the tickets are about (records.go).
//
// The data lives in Go literals below. Ticket dates are relative to the time
// Load is given, so the demo always looks recent.
package seed

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

// Password is the password of every demo user.
const Password = "demo"

// The demo users' e-mail addresses.
const (
	AnnaEmail   = "anna.admin@praxis-sonnenschein.example"
	BerndEmail  = "bernd@praxis-sonnenschein.example"
	CarlaEmail  = "carla@praxis-sonnenschein.example"
	ClaireEmail = "claire.admin@cabinet-lumiere.example"
	DiegoEmail  = "diego@clinica-sol.example"
	VeraEmail   = "vera@medsoft.example"
	SamEmail    = "sam.agent@supportal.example"
)

// Account numbers of the demo organizations.
const (
	sonnenschein = "100200"
	potsdam      = "100201"
	lumiere      = "200300"
	clinicaSol   = "300400"
	medsoft      = "900100"
)

const (
	minute = time.Minute
	hour   = time.Hour
	day    = 24 * time.Hour
)

type organization struct {
	account string
	name    string
	kind    ticket.OrgKind
	parent  string // account number of the parent organization
	privacy ticket.PrivacyRegime
}

// organizations are created in this order; parents come first.
var organizations = []organization{
	// Praxis Sonnenschein's portal words the upload confirmation after
	// HIPAA, as the seed portal it comes from does.
	{account: sonnenschein, name: "Praxis Sonnenschein", kind: ticket.KindCustomer, privacy: ticket.PrivacyHIPAA},
	{account: potsdam, name: "Praxis Sonnenschein – Filiale Potsdam", kind: ticket.KindCustomer, parent: sonnenschein, privacy: ticket.PrivacyHIPAA},
	{account: lumiere, name: "Cabinet Lumière", kind: ticket.KindCustomer, privacy: ticket.PrivacyGDPR},
	{account: clinicaSol, name: "Clínica Sol", kind: ticket.KindCustomer, privacy: ticket.PrivacyGDPR},
	{account: medsoft, name: "MedSoft Solutions", kind: ticket.KindVendor, privacy: ticket.PrivacyHIPAA},
}

// vendorAccess is what the customers granted MedSoft Solutions: Praxis
// Sonnenschein's account is paid by MedSoft (always full), Cabinet Lumière
// lets it read, Clínica Sol shows it nothing.
var vendorAccess = []struct {
	vendor, customer string
	access           ticket.Access
	paid             bool
}{
	{medsoft, sonnenschein, ticket.AccessFull, true},
	{medsoft, lumiere, ticket.AccessRead, false},
	{medsoft, clinicaSol, ticket.AccessNone, false},
}

type membership struct {
	account      string
	role         ticket.Role
	ticketAccess bool
}

type user struct {
	email       string
	name        string
	locale      string
	agent       bool
	memberships []membership
}

var users = []user{
	{email: AnnaEmail, name: "Anna Admin", locale: "de", memberships: []membership{
		{sonnenschein, ticket.RoleAdmin, true},
		{potsdam, ticket.RoleAdmin, true},
	}},
	{email: BerndEmail, name: "Bernd Becker", locale: "de", memberships: []membership{
		{sonnenschein, ticket.RoleMember, true},
	}},
	{email: CarlaEmail, name: "Carla Conrad", locale: "de", memberships: []membership{
		{sonnenschein, ticket.RoleMember, false}, // ticket access revoked
	}},
	{email: ClaireEmail, name: "Claire Admin", locale: "fr", memberships: []membership{
		{lumiere, ticket.RoleAdmin, true},
	}},
	{email: DiegoEmail, name: "Diego Durán", locale: "es", memberships: []membership{
		{clinicaSol, ticket.RoleMember, true},
	}},
	{email: VeraEmail, name: "Vera Vendor", locale: "en", memberships: []membership{
		{medsoft, ticket.RoleMember, true},
	}},
	{email: SamEmail, name: "Sam Agent", locale: "en", agent: true},
}

// message is one entry of a demo conversation, at its offset after the
// ticket was created.
type message struct {
	at       time.Duration
	by       string // author's e-mail
	internal bool
	body     string
}

// demoTicket is a demo ticket, created age before now.
type demoTicket struct {
	account   string
	requester string // e-mail
	typ       string
	category  string
	fields    map[string]string
	status    ticket.Status
	age       time.Duration
	subject   string
	body      string
	messages  []message
}

// tickets are grouped by organization; Load creates them oldest first.
var tickets = []demoTicket{
	// Praxis Sonnenschein (German).
	{
		account: sonnenschein, requester: AnnaEmail,
		typ: "admin_request", category: "invoice", fields: map[string]string{"invoiceNumber": "RE-2026-10452"},
		status: ticket.StatusResolved, age: 41*day + 3*hour,
		subject: "Rechnung RE-2026-10452 doppelt erhalten",
		body:    "Wir haben die Rechnung RE-2026-10452 für die Wartungspauschale zweimal erhalten – einmal per Post und einmal per E-Mail, mit unterschiedlichem Rechnungsdatum. Unsere Buchhaltung ist unsicher, ob es sich um zwei getrennte Forderungen handelt. Bitte bestätigen Sie uns, dass nur ein Betrag fällig ist, und stornieren Sie das Duplikat. Die Lastschrift wurde bisher nicht ausgeführt.",
		messages: []message{
			{at: 2 * hour, by: SamEmail, internal: true, body: "INTERN-NOTIZ: Rechnung im ERP prüfen – laut Faktura zweimal aus dem Sammellauf erzeugt. Buchhaltung fragen, ob das Storno schon raus ist."},
			{at: 1*day + 1*hour, by: SamEmail, body: "Guten Tag, vielen Dank für den Hinweis. Die Rechnung wurde bei unserem Sammellauf versehentlich zweimal erzeugt. Wir haben das Duplikat storniert, die Gutschrift erhalten Sie in den nächsten Tagen per E-Mail. Fällig ist nur der Betrag der ursprünglichen Rechnung."},
			{at: 2*day + 5*hour, by: AnnaEmail, body: "Danke, die Gutschrift ist angekommen. Damit ist das für uns erledigt."},
		},
	},
	{
		account: sonnenschein, requester: BerndEmail,
		typ: "login_problem", category: "locked_account",
		status: ticket.StatusClosed, age: 34*day + 6*hour,
		subject: "Konto nach Passwortänderung gesperrt",
		body:    "Seit heute Morgen komme ich nicht mehr ins Portal. Nach drei Versuchen erscheint die Meldung „Ihr Konto wurde vorübergehend gesperrt“. Ich hatte am Freitag mein Passwort geändert und vermute, dass der Passwortmanager noch das alte einträgt. Auf meinem Laptop bin ich zum Glück noch angemeldet, daher dieses Ticket. Ich muss heute noch die Quartalsabrechnung vorbereiten, es ist also dringend.",
		messages: []message{
			{at: 40 * minute, by: SamEmail, body: "Hallo Herr Becker, ich habe die Sperre Ihres Kontos aufgehoben. Bitte melden Sie sich mit dem neuen Passwort an und aktualisieren Sie den Eintrag im Passwortmanager, sonst wird das Konto nach drei Fehlversuchen erneut gesperrt."},
			{at: 1*hour + 30*minute, by: BerndEmail, body: "Hat geklappt, vielen Dank für die schnelle Hilfe!"},
		},
	},
	{
		account: sonnenschein, requester: AnnaEmail,
		typ: "user_management", category: "new_user",
		status: ticket.StatusClosed, age: 27*day + 2*hour,
		subject: "Zugang für neue MFA am Empfang",
		body:    "Zum Monatsanfang beginnt Frau Julia Hoffmann als Medizinische Fachangestellte an unserem Empfang. Sie benötigt einen Zugang zum Portal mit Ticketzugriff, aber ohne Zugriff auf Rechnungen und Verträge. Bitte legen Sie den Benutzer mit der Adresse j.hoffmann@praxis-sonnenschein.example an. Falls Sie dafür ein unterschriebenes Formular brauchen, geben Sie mir bitte Bescheid.",
		messages: []message{
			{at: 4 * hour, by: SamEmail, body: "Guten Tag, der Zugang für Frau Hoffmann ist angelegt, die Einladung geht an die angegebene Adresse. Ein Formular ist nicht nötig, da Sie als Administratorin der Praxis die Anfrage gestellt haben. Rechnungen und Verträge sieht Frau Hoffmann nicht."},
			{at: 2*day + 3*hour, by: AnnaEmail, body: "Frau Hoffmann konnte sich heute früh anmelden. Danke!"},
		},
	},
	{
		account: sonnenschein, requester: AnnaEmail,
		typ: "admin_request", category: "contract", fields: map[string]string{"orderNumber": "AU-2026-3307"},
		status: ticket.StatusPostponed, age: 22*day + 4*hour,
		subject: "Kündigung Zusatzmodul Online-Terminbuchung",
		body:    "Wir möchten das Zusatzmodul Online-Terminbuchung (Auftrag AU-2026-3307) zum nächstmöglichen Termin kündigen, da wir künftig die Lösung unseres Praxisverbunds nutzen. Bitte teilen Sie uns mit, zu welchem Datum die Kündigung wirksam wird und ob bis dahin noch Kosten anfallen. Eine schriftliche Bestätigung für unsere Unterlagen wäre hilfreich.",
		messages: []message{
			{at: 1 * day, by: SamEmail, body: "Guten Tag, laut Vertrag beträgt die Kündigungsfrist drei Monate zum Quartalsende. Die Kündigung wird damit zum Ende des nächsten Quartals wirksam, bis dahin wird das Modul wie gewohnt berechnet. Wir haben die Kündigung vorgemerkt und schicken Ihnen die schriftliche Bestätigung, sobald der Vertrag ausläuft."},
			{at: 1*day + 10*minute, by: SamEmail, internal: true, body: "INTERN-NOTIZ: Kündigung im CRM vorgemerkt, Wiedervorlage zum Quartalsende. Vertrieb ist informiert und möchte evtl. ein Rabattangebot machen – nicht an die Kundin weitergeben."},
			{at: 2*day + 2*hour, by: AnnaEmail, body: "In Ordnung, dann warten wir die Bestätigung ab."},
		},
	},
	{
		account: sonnenschein, requester: BerndEmail,
		typ: "web_interface_problem", category: "performance",
		status: ticket.StatusResolved, age: 16*day + 5*hour,
		subject: "Ticketübersicht lädt morgens sehr langsam",
		body:    "Seit einigen Tagen dauert es morgens fast eine Minute, bis die Ticketübersicht im Portal angezeigt wird. Nachmittags ist es deutlich schneller. Unsere Internetleitung haben wir geprüft, andere Seiten laden normal. Betroffen sind alle drei Arbeitsplätze am Empfang.",
		messages: []message{
			{at: 1 * day, by: SamEmail, body: "Hallo Herr Becker, zwischen 7 und 9 Uhr lief bei uns in den letzten Tagen ein Wartungsjob, der die Datenbank stark belastet hat. Wir haben ihn in die Nacht verlegt. Können Sie morgen früh bitte prüfen, ob die Übersicht wieder normal lädt?"},
			{at: 1*day + 17*hour, by: BerndEmail, body: "Heute Morgen lief alles flüssig, danke."},
			{at: 1*day + 18*hour, by: SamEmail, body: "Prima, dann setze ich das Ticket auf gelöst. Falls es wieder auftritt, antworten Sie einfach hier."},
		},
	},
	{
		account: sonnenschein, requester: AnnaEmail,
		typ: "user_management", category: "permissions",
		status: ticket.StatusClosed, age: 19*day + 1*hour,
		subject: "Ticketzugriff für Frau Conrad entziehen",
		body:    "Frau Carla Conrad wechselt in die Verwaltung unseres Praxisverbunds und soll keinen Zugriff mehr auf die Support-Tickets der Praxis haben. Ihren Benutzer möchten wir aber behalten, weil sie weiterhin Dokumente im Portal abruft. Können Sie den Ticketzugriff entsprechend einschränken?",
		messages: []message{
			{at: 3 * hour, by: SamEmail, body: "Guten Tag, erledigt: Der Ticketzugriff von Frau Conrad ist widerrufen, ihr Benutzerkonto bleibt bestehen. Als Administratorin können Sie das künftig auch selbst in der Benutzerverwaltung ändern."},
			{at: 1 * day, by: AnnaEmail, body: "Perfekt, danke."},
		},
	},
	{
		account: sonnenschein, requester: BerndEmail,
		typ: "web_interface_problem", category: "error_message",
		status: ticket.StatusWaitingInternal, age: 12*day + 7*hour,
		subject: "Fehler 500 beim Export der Quartalsabrechnung",
		body:    "Beim Export der Quartalsabrechnung bricht das Portal mit der Meldung „Fehler 500 – Die Anfrage konnte nicht verarbeitet werden“ ab. Das passiert bei jedem Versuch, in Firefox und in Edge. Der Export einzelner Monate funktioniert, nur das ganze Quartal nicht. Wir brauchen die Datei bis Ende nächster Woche für unseren Steuerberater.",
		messages: []message{
			{at: 3 * hour, by: SamEmail, body: "Hallo Herr Becker, danke für die genaue Beschreibung. Ich konnte den Fehler mit Ihrem Konto nachstellen und habe ihn an unsere Entwicklung weitergegeben. Als Übergangslösung können Sie die drei Monate einzeln exportieren und die Dateien zusammen an den Steuerberater schicken."},
			{at: 3*hour + 10*minute, by: SamEmail, internal: true, body: "INTERN-NOTIZ: Reproduzierbar, Timeout im Export-Job ab ca. 5.000 Positionen. Bug DEV-2291 angelegt, Rückmeldung der Entwicklung abwarten."},
			{at: 1*day + 2*hour, by: BerndEmail, body: "Die Monatsexporte gehen, danke. Geben Sie mir bitte Bescheid, wenn der Quartalsexport wieder funktioniert."},
		},
	},
	{
		account: sonnenschein, requester: AnnaEmail,
		typ: "provider_enrollment", category: "new_enrollment",
		status: ticket.StatusWaitingExternal, age: 9*day + 3*hour,
		subject: "Registrierung neue Ärztin für elektronische Abrechnung",
		body:    "Ab dem nächsten Quartal arbeitet Frau Dr. Miriam Weber als angestellte Ärztin bei uns. Sie muss für die elektronische Abrechnung und den Empfang der Zahlungsavise registriert werden. Welche Unterlagen benötigen Sie dafür? Bitte teilen Sie uns auch mit, wie lange die Registrierung erfahrungsgemäß dauert.",
		messages: []message{
			{at: 1 * day, by: SamEmail, body: "Guten Tag, für die Registrierung benötigen wir die LANR von Frau Dr. Weber, die BSNR der Praxis und eine Kopie der Genehmigung der KV. Die Bearbeitung dauert in der Regel zwei bis drei Wochen."},
			{at: 3*day + 4*hour, by: AnnaEmail, body: "LANR von Frau Dr. Weber: 123456701, unsere BSNR: 721234500. Die Genehmigung der KV liegt uns leider noch nicht vor."},
			{at: 4 * day, by: SamEmail, body: "Vielen Dank, die Nummern habe ich erfasst. Können Sie uns die Genehmigung der KV als PDF hier ins Ticket laden, sobald sie vorliegt? Ohne sie können wir die Registrierung nicht abschließen."},
		},
	},
	{
		account: sonnenschein, requester: BerndEmail,
		typ: "login_problem", category: "two_factor",
		status: ticket.StatusWaitingExternal, age: 5*day + 2*hour,
		subject: "Neues Diensthandy – Zwei-Faktor-Code wird abgelehnt",
		body:    "Ich habe ein neues Diensthandy bekommen und die Authenticator-App neu eingerichtet. Jetzt wird der Code beim Anmelden immer als ungültig abgelehnt. Die Wiederherstellungscodes habe ich leider nicht mehr. Ich schreibe dieses Ticket über die noch offene Sitzung am Empfang. Können Sie die Zwei-Faktor-Anmeldung für mein Konto zurücksetzen?",
		messages: []message{
			{at: 2 * hour, by: SamEmail, body: "Hallo Herr Becker, das machen wir gern. Aus Sicherheitsgründen muss die Zurücksetzung aber von der Administratorin Ihrer Praxis bestätigt werden. Können Sie Frau Admin bitten, die Anfrage hier im Ticket kurz zu bestätigen?"},
		},
	},
	{
		account: sonnenschein, requester: AnnaEmail,
		typ: "admin_request", category: "payment", fields: map[string]string{"invoiceNumber": "RE-2026-11873"},
		status: ticket.StatusOpen, age: 3*day + 1*hour,
		subject: "Rücklastschrift zu RE-2026-11873 – bitte neu einziehen",
		body:    "Unsere Bank hat die Lastschrift zur Rechnung RE-2026-11873 zurückgegeben, weil wir zwischenzeitlich die Bankverbindung gewechselt haben. Das neue SEPA-Mandat hatten wir bereits vor vier Wochen im Portal hinterlegt. Bitte ziehen Sie den Betrag erneut vom neuen Konto ein und verzichten Sie auf die Rücklastschriftgebühr, da das Versäumnis nicht bei uns lag.",
		messages: []message{
			{at: 5 * hour, by: SamEmail, body: "Guten Tag, danke für die Information. Ich habe unsere Buchhaltung gebeten, das neue Mandat zu prüfen und den Betrag erneut einzuziehen. Zur Gebühr melde ich mich, sobald ich eine Rückmeldung habe."},
			{at: 5*hour + 5*minute, by: SamEmail, internal: true, body: "INTERN-NOTIZ: Neues Mandat wurde im ERP erst nach dem Lastschriftlauf erfasst – der Fehler lag bei uns. Buchhaltung fragen, ob die Gebühr (3,50 €) gutgeschrieben werden kann."},
		},
	},
	{
		account: sonnenschein, requester: BerndEmail,
		typ: "login_problem", category: "password",
		status: ticket.StatusOpen, age: 2*day + 4*hour,
		subject: "Neues Passwort wird nicht akzeptiert",
		body:    "Beim Ändern meines Passworts erscheint immer „Das Passwort erfüllt die Richtlinie nicht“, obwohl es 14 Zeichen mit Ziffern und Sonderzeichen hat. Welche Regeln gelten genau? Mein altes Passwort läuft in drei Tagen ab.",
		messages: []message{
			{at: 3 * hour, by: SamEmail, body: "Hallo Herr Becker, das Passwort darf keine Teile Ihres Namens oder Ihrer E-Mail-Adresse enthalten und keinem Ihrer letzten fünf Passwörter entsprechen. Ich kläre noch, warum die Meldung das nicht genauer erklärt."},
			{at: 1*day + 1*hour, by: BerndEmail, body: "Es enthielt tatsächlich „Becker“. Mit einem anderen Passwort hat es funktioniert. Die Fehlermeldung sollte das aber wirklich sagen."},
		},
	},
	{
		account: sonnenschein, requester: AnnaEmail,
		typ: "admin_request", category: "general", fields: map[string]string{"referenceNumber": "REF-88412"},
		status: ticket.StatusNew, age: 1*day + 2*hour,
		subject: "AV-Vertrag und Liste der Unterauftragsverarbeiter",
		body:    "Für unsere Datenschutz-Dokumentation benötigen wir den aktuellen Vertrag zur Auftragsverarbeitung sowie die Liste Ihrer Unterauftragsverarbeiter. Unser Datenschutzbeauftragter hat ausdrücklich um eine unterschriebene Fassung gebeten. Bitte teilen Sie uns außerdem mit, wer bei Ihnen Ansprechpartner für Datenschutzfragen ist.",
		messages: []message{
			{at: 30 * minute, by: AnnaEmail, body: "Nachtrag: Die Referenznummer stammt aus Ihrem Schreiben zur Vertragsumstellung."},
		},
	},
	{
		account: sonnenschein, requester: BerndEmail,
		typ: "web_interface_problem", category: "display",
		status: ticket.StatusNew, age: 6 * hour,
		subject: "Umlaute im PDF-Ausdruck werden als Fragezeichen angezeigt",
		body:    "Wenn ich ein Ticket als PDF drucke, werden Umlaute als Fragezeichen dargestellt, zum Beispiel „Gr??e“ statt „Grüße“. In der Ansicht im Browser ist alles korrekt. Wir nutzen Chrome unter Windows 11. Die PDFs brauchen wir für die Dokumentation in unserem QM-Handbuch.",
		messages: []message{
			{at: 20 * minute, by: BerndEmail, body: "Nachtrag: In Firefox tritt das gleiche Problem auf."},
		},
	},

	// Praxis Sonnenschein – Filiale Potsdam (German).
	{
		account: potsdam, requester: AnnaEmail,
		typ: "admin_request", category: "invoice", fields: map[string]string{"invoiceNumber": "RE-2026-10977"},
		status: ticket.StatusClosed, age: 38*day + 5*hour,
		subject: "Rechnung der Filiale an Hauptpraxis adressiert",
		body:    "Die Rechnung RE-2026-10977 für die Filiale Potsdam wurde an die Adresse der Hauptpraxis geschickt und auch vom Konto der Hauptpraxis abgebucht. Die Filiale hat eine eigene Kostenstelle und ein eigenes Konto. Bitte korrigieren Sie die Rechnungsadresse auf Filiale Potsdam, Brandenburger Straße 12, 14467 Potsdam, und stellen Sie die Rechnung neu aus.",
		messages: []message{
			{at: 20 * hour, by: SamEmail, internal: true, body: "INTERN-NOTIZ: Debitor 100201 hatte im ERP die Adresse des Mutterkontos geerbt. Stammdaten korrigiert, Erstattung an 100200 veranlasst."},
			{at: 1 * day, by: SamEmail, body: "Guten Tag, wir haben die Rechnungsadresse der Filiale korrigiert und die Rechnung mit der richtigen Anschrift neu ausgestellt. Die Abbuchung vom Konto der Hauptpraxis wird erstattet, ab der nächsten Rechnung ziehen wir vom Konto der Filiale ein."},
			{at: 3*day + 2*hour, by: AnnaEmail, body: "Die neue Rechnung ist da, vielen Dank."},
		},
	},
	{
		account: potsdam, requester: AnnaEmail,
		typ: "web_interface_problem", category: "display",
		status: ticket.StatusResolved, age: 20*day + 3*hour,
		subject: "Filiale fehlt in der Kontoauswahl",
		body:    "Seit gestern erscheint in der Kontoauswahl nur noch die Hauptpraxis. Die Filiale Potsdam fehlt, obwohl ich dort Administratorin bin. Tickets der Filiale kann ich nur noch über einen gespeicherten Link öffnen, neue Tickets für die Filiale kann ich gar nicht anlegen. Dieses Ticket habe ich deshalb über den Link einer alten Anfrage erstellt.",
		messages: []message{
			{at: 4 * hour, by: SamEmail, body: "Guten Tag, nach dem letzten Update wurde die Kontoliste zwischengespeichert und nicht aktualisiert. Wir haben den Zwischenspeicher geleert. Bitte melden Sie sich einmal ab und wieder an – erscheint die Filiale dann wieder?"},
			{at: 1 * day, by: AnnaEmail, body: "Ja, jetzt sind beide Konten wieder da."},
			{at: 1*day + 2*hour, by: SamEmail, body: "Danke für die Rückmeldung, ich setze das Ticket auf gelöst."},
		},
	},
	{
		account: potsdam, requester: AnnaEmail,
		typ: "admin_request", category: "contract", fields: map[string]string{"orderNumber": "AU-2026-3412"},
		status: ticket.StatusPostponed, age: 14*day + 6*hour,
		subject: "Zusätzliche Arbeitsplatzlizenz für zweiten Behandlungsraum",
		body:    "Wir eröffnen in der Filiale Potsdam einen zweiten Behandlungsraum und benötigen dafür eine weitere Arbeitsplatzlizenz. Der Umbau verzögert sich allerdings, der Raum wird voraussichtlich erst in zwei Monaten in Betrieb gehen. Können Sie uns ein Angebot schicken und die Lizenz erst ab Inbetriebnahme berechnen?",
		messages: []message{
			{at: 1 * day, by: SamEmail, body: "Guten Tag, das Angebot für die zusätzliche Arbeitsplatzlizenz haben wir Ihnen per E-Mail geschickt. Wir stellen die Aktivierung zurück, bis Sie uns den Termin der Inbetriebnahme mitteilen. Bis dahin fallen keine Kosten an."},
			{at: 1*day + 5*minute, by: SamEmail, internal: true, body: "INTERN-NOTIZ: Angebot AN-5521 mit 10 % Filialrabatt verschickt. Wiedervorlage in acht Wochen; nicht vorher aktivieren, sonst startet die Abrechnung automatisch."},
			{at: 3 * day, by: AnnaEmail, body: "Danke, das Angebot passt. Wir melden uns, sobald der Raum fertig ist."},
		},
	},
	{
		account: potsdam, requester: AnnaEmail,
		typ: "provider_enrollment", category: "enrollment_change",
		status: ticket.StatusWaitingExternal, age: 7*day + 4*hour,
		subject: "Neue Nebenbetriebsstättennummer der Filiale",
		body:    "Die KV hat der Filiale Potsdam zum Quartalswechsel eine neue Nebenbetriebsstättennummer zugeteilt. Die Registrierung für die elektronische Abrechnung läuft aber noch auf die alte Nummer. Bitte ändern Sie die Registrierung, damit die Abrechnung für das neue Quartal nicht abgelehnt wird.",
		messages: []message{
			{at: 6 * hour, by: SamEmail, body: "Guten Tag, die Änderung nehmen wir gern vor. Können Sie uns bitte das Schreiben der KV mit der neuen Nummer und dem Gültigkeitsdatum zukommen lassen? Ohne Nachweis übernimmt der Kostenträger die Änderung leider nicht."},
			{at: 2 * day, by: AnnaEmail, body: "Das Schreiben liegt in der Filiale, ich bin erst am Donnerstag wieder vor Ort."},
			{at: 2*day + 3*hour, by: SamEmail, body: "Kein Problem. Können Sie es am Donnerstag einscannen und hier ins Ticket hochladen? Bis dahin halten wir die Änderung vor."},
		},
	},
	{
		account: potsdam, requester: AnnaEmail,
		typ: "web_interface_problem", category: "error_message",
		status: ticket.StatusWaitingInternal, age: 4*day + 5*hour,
		subject: "„Datei konnte nicht verarbeitet werden“ beim Hochladen",
		body:    "Beim Hochladen eingescannter Dokumente erscheint in der Filiale die Meldung „Datei konnte nicht verarbeitet werden“. Es handelt sich um PDFs mit etwa 8 MB. In der Hauptpraxis funktioniert der Upload mit denselben Dateien. Der Scanner in der Filiale ist neu, vielleicht hängt es damit zusammen.",
		messages: []message{
			{at: 6 * hour, by: SamEmail, body: "Guten Tag, danke für den Hinweis auf den neuen Scanner, das war die richtige Spur: Er erzeugt PDFs in einer neueren Version, die unsere Prüfung fälschlich ablehnt. Ich habe das an die Entwicklung gegeben. Bis zur Korrektur hilft es, im Scanner „PDF/A“ statt „PDF (komprimiert)“ einzustellen."},
			{at: 6*hour + 10*minute, by: SamEmail, internal: true, body: "INTERN-NOTIZ: PDF 2.0 mit Objektstreams, die Upload-Prüfung lehnt das ab. Bug DEV-2317 angelegt, Entwicklung schaut es sich diese Woche an."},
		},
	},
	{
		account: potsdam, requester: AnnaEmail,
		typ: "user_management", category: "new_user",
		status: ticket.StatusOpen, age: 1*day + 20*hour,
		subject: "Zugang für neue Praxismanagerin der Filiale",
		body:    "In der Filiale Potsdam übernimmt Frau Sabine Krüger ab sofort das Praxismanagement. Sie soll einen eigenen Zugang nur für die Filiale bekommen, mit Ticketzugriff, aber ohne Adminrechte. Die Tickets der Hauptpraxis soll sie nicht sehen. Ihre E-Mail-Adresse lautet s.krueger@praxis-sonnenschein.example.",
		messages: []message{
			{at: 5 * hour, by: SamEmail, body: "Guten Tag, ich lege den Zugang für Frau Krüger an und verknüpfe ihn nur mit dem Konto der Filiale Potsdam. Sie erhalten eine Bestätigung, sobald die Einladung verschickt ist."},
		},
	},

	// Cabinet Lumière (French).
	{
		account: lumiere, requester: ClaireEmail,
		typ: "admin_request", category: "invoice", fields: map[string]string{"invoiceNumber": "RE-2026-10588"},
		status: ticket.StatusClosed, age: 45*day + 2*hour,
		subject: "Facture RE-2026-10588 : une licence de trop",
		body:    "Bonjour, la facture RE-2026-10588 mentionne cinq licences de poste de travail alors que nous n'en utilisons plus que quatre depuis le départ du Dr Martin. Nous avions résilié la cinquième licence par courrier il y a deux mois. Pourriez-vous corriger la facture et nous envoyer un avoir pour la différence ? Merci d'avance.",
		messages: []message{
			{at: 23 * hour, by: SamEmail, internal: true, body: "NOTE-INTERNE : résiliation bien reçue mais jamais saisie dans l'ERP. Avoir validé par la comptabilité ; vérifier les autres résiliations du même courrier."},
			{at: 1 * day, by: SamEmail, body: "Bonjour, vous avez raison : votre résiliation avait bien été reçue mais n'avait pas été reportée dans la facturation. Nous avons émis un avoir pour la cinquième licence, vous le recevrez par e-mail dans la journée. Toutes nos excuses pour ce désagrément."},
			{at: 2*day + 3*hour, by: ClaireEmail, body: "Avoir bien reçu, merci pour votre réactivité."},
		},
	},
	{
		account: lumiere, requester: ClaireEmail,
		typ: "web_interface_problem", category: "display",
		status: ticket.StatusPostponed, age: 25*day + 5*hour,
		subject: "Tableau de bord coupé sur l'écran de l'accueil",
		body:    "Sur l'écran de l'accueil (résolution 1280×1024), le tableau de bord des demandes est coupé à droite et la colonne « Statut » n'est pas visible. Sur les autres postes en 1920×1080, l'affichage est correct. Nous ne pouvons pas remplacer cet écran pour l'instant.",
		messages: []message{
			{at: 1 * day, by: SamEmail, body: "Bonjour, la mise en page pour les petits écrans sera revue dans la prochaine version de l'interface, prévue dans environ deux mois. En attendant, un zoom du navigateur à 90 % permet d'afficher toutes les colonnes. Je mets votre demande en attente jusqu'à la sortie de cette version."},
			{at: 2 * day, by: ClaireEmail, body: "D'accord, le zoom à 90 % fonctionne pour le moment. Merci."},
		},
	},
	{
		account: lumiere, requester: ClaireEmail,
		typ: "login_problem", category: "two_factor",
		status: ticket.StatusResolved, age: 18*day + 4*hour,
		subject: "Code de vérification par SMS non reçu",
		body:    "Depuis ce matin, je ne reçois plus le code de vérification par SMS lorsque je me connecte depuis le poste du secrétariat. Mon numéro de portable n'a pas changé. J'ai essayé trois fois à dix minutes d'intervalle. Je dois valider des demandes aujourd'hui : existe-t-il une autre méthode de connexion ?",
		messages: []message{
			{at: 2 * hour, by: SamEmail, body: "Bonjour, notre prestataire d'envoi de SMS a rencontré ce matin un incident chez certains opérateurs français ; il est résolu depuis 11 h. Pouvez-vous réessayer ? Je vous conseille aussi d'activer une application d'authentification comme méthode de secours."},
			{at: 5 * hour, by: ClaireEmail, body: "Le code est arrivé, je suis connectée. J'ai ajouté l'application comme vous me l'avez conseillé."},
		},
	},
	{
		account: lumiere, requester: ClaireEmail,
		typ: "admin_request", category: "contract", fields: map[string]string{"orderNumber": "AU-2026-3190"},
		status: ticket.StatusWaitingInternal, age: 10*day + 3*hour,
		subject: "Avenant au contrat : ajout du module de téléconsultation",
		body:    "Nous souhaitons ajouter le module de téléconsultation à notre contrat actuel (commande AU-2026-3190) à partir du mois prochain. Pourriez-vous nous envoyer l'avenant à signer ainsi que le tarif mensuel ? Nous aimerions également savoir si la formation de l'équipe est incluse.",
		messages: []message{
			{at: 1 * day, by: SamEmail, body: "Bonjour, merci pour votre demande. Je l'ai transmise au service commercial, qui prépare l'avenant. La formation de démarrage (deux heures à distance) est incluse. Je reviens vers vous dès que le document est prêt."},
			{at: 1*day + 2*minute, by: SamEmail, internal: true, body: "NOTE-INTERNE : commercial relancé, l'avenant n'est pas encore généré dans le CRM. Le tarif 2026 pour la France n'est pas encore validé."},
			{at: 5 * day, by: ClaireEmail, body: "Avez-vous des nouvelles pour l'avenant ? Nous voudrions démarrer le 1er du mois."},
			{at: 5*day + 4*hour, by: SamEmail, body: "Bonjour, le service commercial finalise le document, vous devriez le recevoir d'ici la fin de la semaine. Je vous tiens informée."},
		},
	},
	{
		account: lumiere, requester: ClaireEmail,
		typ: "provider_enrollment", category: "enrollment_status",
		status: ticket.StatusWaitingExternal, age: 8*day + 2*hour,
		subject: "Inscription du Dr Moreau toujours « en cours »",
		body:    "Il y a trois semaines, nous avons demandé l'inscription du Dr Élise Moreau pour la télétransmission des feuilles de soins. Dans le portail, le statut est toujours « en cours de traitement ». Ses premières feuilles de soins sont bloquées en attendant. Pouvez-vous nous dire où en est le dossier ?",
		messages: []message{
			{at: 22 * hour, by: SamEmail, internal: true, body: "NOTE-INTERNE : rejet de l'organisme reçu il y a dix jours, resté dans la boîte partagée sans traitement. Ne pas en parler à la cliente, renvoyer le dossier en priorité dès sa réponse."},
			{at: 1 * day, by: SamEmail, body: "Bonjour, l'organisme a retourné le dossier du Dr Moreau car le numéro RPPS indiqué ne correspond pas à celui de l'annuaire santé. Pourriez-vous vérifier son numéro RPPS et nous le confirmer ? Nous renverrons le dossier dès réception."},
		},
	},
	{
		account: lumiere, requester: ClaireEmail,
		typ: "user_management", category: "remove_user",
		status: ticket.StatusNew, age: 3 * hour,
		subject: "Départ d'une secrétaire : supprimer son accès",
		body:    "Bonjour, Mme Sophie Bernard, secrétaire médicale, a quitté le cabinet vendredi. Merci de supprimer son accès au portail dès que possible. Ses demandes en cours peuvent être rattachées à mon compte. Son adresse était s.bernard@cabinet-lumiere.example.",
		messages: []message{
			{at: 1 * hour, by: ClaireEmail, body: "Précision : elle avait aussi accès à l'espace de facturation, merci de le supprimer également."},
		},
	},

	// Clínica Sol (Spanish).
	{
		account: clinicaSol, requester: DiegoEmail,
		typ: "provider_enrollment", category: "new_enrollment",
		status: ticket.StatusClosed, age: 52*day + 4*hour,
		subject: "Inscripción de proveedor para nuevo fisioterapeuta",
		body:    "Hola, a partir del mes que viene se incorpora a la clínica un fisioterapeuta, Javier Ortega Ruiz. Necesitamos darle de alta como proveedor para poder enviar sus reclamaciones y recibir las remesas electrónicas (ERA). ¿Qué documentación necesitan? Ya tenemos su número de colegiado y el contrato firmado.",
		messages: []message{
			{at: 3 * hour, by: SamEmail, body: "Hola Diego, para la inscripción necesitamos el número de colegiado, una copia del DNI y el formulario de inscripción firmado, que le envío por correo. El trámite con las aseguradoras suele tardar entre 10 y 15 días hábiles."},
			{at: 2 * day, by: DiegoEmail, body: "Les he enviado el formulario firmado y la copia del DNI."},
			{at: 14 * day, by: SamEmail, body: "Hola Diego, todas las aseguradoras han aprobado la inscripción de Javier Ortega Ruiz, ya pueden enviar sus reclamaciones. Cierro el ticket; si necesitan algo más, respondan aquí."},
		},
	},
	{
		account: clinicaSol, requester: DiegoEmail,
		typ: "web_interface_problem", category: "display",
		status: ticket.StatusPostponed, age: 35*day + 6*hour,
		subject: "Los importes aparecen con formato inglés",
		body:    "En el resumen de pagos los importes se muestran con formato inglés (1,234.50) en vez del español (1.234,50), aunque el portal está en español. Al exportar a Excel, los importes se interpretan mal y tenemos que corregirlos a mano. Esto nos hace perder bastante tiempo cada semana al cuadrar los cobros.",
		messages: []message{
			{at: 1 * day, by: SamEmail, body: "Hola Diego, hemos confirmado el problema: el resumen de pagos todavía no tiene en cuenta el idioma del usuario. La corrección está planificada para la próxima versión. Mientras tanto, en la exportación puede elegir «CSV (punto y coma)», que Excel abre correctamente con la configuración española."},
			{at: 3 * day, by: DiegoEmail, body: "De acuerdo, usaremos el CSV hasta entonces."},
		},
	},
	{
		account: clinicaSol, requester: DiegoEmail,
		typ: "login_problem", category: "password",
		status: ticket.StatusResolved, age: 30*day + 2*hour,
		subject: "El enlace para restablecer la contraseña ha caducado",
		body:    "Buenos días. Al pulsar «¿Olvidó su contraseña?» me llega el correo, pero el enlace dice que ha caducado aunque lo abro al momento. Lo he probado desde el ordenador de recepción y desde el móvil, con el mismo resultado. Sigo con la sesión abierta en recepción, pero la contraseña caduca mañana.",
		messages: []message{
			{at: 4 * hour, by: SamEmail, body: "Hola Diego, el enlace caducaba antes de tiempo por un desfase horario en nuestro servidor de correo, ya está corregido. ¿Puede solicitar un enlace nuevo y confirmarme si funciona?"},
			{at: 6 * hour, by: DiegoEmail, body: "Ahora sí ha funcionado, ya tengo contraseña nueva. Gracias."},
		},
	},
	{
		account: clinicaSol, requester: DiegoEmail,
		typ: "login_problem", category: "locked_account",
		status: ticket.StatusWaitingInternal, age: 11*day + 5*hour,
		subject: "La cuenta de la Dra. Rey se bloquea sin motivo",
		body:    "La Dra. Paula Rey no puede entrar en el portal: le aparece «Cuenta bloqueada» aunque está segura de que no se ha equivocado de contraseña. Le ha pasado ya tres veces esta semana. ¿Pueden desbloquearla y revisar por qué se bloquea?",
		messages: []message{
			{at: 3 * hour, by: SamEmail, body: "Hola Diego, he desbloqueado la cuenta de la Dra. Rey. En el registro vemos intentos de acceso fallidos desde una dirección que no es la de la clínica, así que lo estamos revisando con nuestro equipo de seguridad. Le recomendamos que cambie la contraseña hoy mismo."},
			{at: 3*hour + 5*minute, by: SamEmail, internal: true, body: "NOTA-INTERNA: unos 40 intentos fallidos desde una IP externa, posible ataque de relleno de credenciales. Escalado a seguridad; esperar su informe antes de dar más detalles al cliente."},
			{at: 1 * day, by: DiegoEmail, body: "Ya ha cambiado la contraseña. Quedamos a la espera de lo que les diga el equipo de seguridad."},
		},
	},
	{
		account: clinicaSol, requester: DiegoEmail,
		typ: "provider_enrollment", category: "enrollment_status",
		status: ticket.StatusWaitingExternal, age: 6*day + 3*hour,
		subject: "Remesa faltante: no llegan las ERA de Mutua Salud",
		body:    "Desde hace dos semanas no recibimos las remesas electrónicas (ERA) de Mutua Salud, aunque según su portal los pagos ya se han emitido. Las demás aseguradoras envían sus remesas con normalidad. Afecta a unas 40 reclamaciones y no podemos cuadrar los cobros. ¿Puede ser que la inscripción para ERA haya caducado?",
		messages: []message{
			{at: 23 * hour, by: SamEmail, internal: true, body: "NOTA-INTERNA: Mutua Salud sigue teniendo el número de proveedor antiguo de la clínica en su fichero. Abrir caso con la aseguradora en cuanto tengamos el número de transferencia."},
			{at: 1 * day, by: SamEmail, body: "Hola Diego, la inscripción para ERA con Mutua Salud sigue activa, pero la aseguradora está enviando las remesas a un número de proveedor antiguo. Para pedir que las reenvíen necesito el número de transferencia (EFT) y la fecha de pago de al menos uno de los pagos. ¿Puede facilitármelos?"},
		},
	},
	{
		account: clinicaSol, requester: DiegoEmail,
		typ: "web_interface_problem", category: "performance",
		status: ticket.StatusOpen, age: 2*day + 8*hour,
		subject: "La búsqueda de reclamaciones va muy lenta",
		body:    "Desde el lunes la búsqueda de reclamaciones por número de paciente tarda más de un minuto y a veces da un error de tiempo de espera. Nos pasa en los tres puestos de la clínica. Las demás páginas del portal cargan bien. Esto nos está retrasando mucho la facturación del día.",
		messages: []message{
			{at: 6 * hour, by: SamEmail, body: "Hola Diego, gracias por avisar. Estamos revisando el rendimiento de la búsqueda; mientras tanto, buscar por número de reclamación es mucho más rápido. Le informo en cuanto sepa más."},
			{at: 6*hour + 5*minute, by: SamEmail, internal: true, body: "NOTA-INTERNA: falta un índice en la tabla de reclamaciones tras la migración del domingo. Operaciones lo crea esta noche; no dar fecha al cliente hasta que esté confirmado."},
			{at: 1*day + 2*hour, by: DiegoEmail, body: "Gracias. Hoy sigue igual de lento, ¿hay alguna novedad?"},
		},
	},
	{
		account: clinicaSol, requester: DiegoEmail,
		typ: "user_management", category: "permissions",
		status: ticket.StatusNew, age: 20 * hour,
		subject: "Permisos para ver las remesas",
		body:    "Hola, nuestra nueva administrativa, Lucía Navarro, ya tiene usuario en el portal, pero no ve la sección de remesas ni puede descargar las ERA. Necesita esos permisos para conciliar los pagos con la contabilidad. ¿Pueden activárselos?",
		messages: []message{
			{at: 2 * hour, by: DiegoEmail, body: "Su usuario es lucia.navarro@clinica-sol.example, por si lo necesitan."},
		},
	},

	// MedSoft Solutions (vendor, English).
	{
		account: medsoft, requester: VeraEmail,
		typ: "web_interface_problem", category: "error_message",
		status: ticket.StatusWaitingExternal, age: 13*day + 4*hour,
		subject: "Claim status endpoint returns HTTP 500 for batch requests",
		body:    "Hi, since your last release our integration gets HTTP 500 from the claim status endpoint whenever we send a batch of more than 50 claim IDs. Single requests work fine. This affects three of our mutual customers whose practice systems poll claim status overnight. Request IDs from last night's run: 7f3a9c21 and 7f3a9d08.",
		messages: []message{
			{at: 1 * day, by: SamEmail, body: "Hi Vera, thanks for the request IDs, they made this easy to trace. The batch requests were hitting a timeout that the release lowered by mistake; we've restored the old limit. Could you rerun the overnight job and let us know whether the batches go through now?"},
			{at: 2*day + 1*hour, by: VeraEmail, body: "Tonight's run went through for two customers, but the third one still got 500s."},
			{at: 3 * day, by: SamEmail, internal: true, body: "INTERNAL-NOTE: the third customer's account is still on the old database cluster, moved it this morning. Don't name the customer or the cluster to the vendor."},
			{at: 3*day + 1*hour, by: SamEmail, body: "Thanks, Vera. We found the cause for the remaining account and fixed it this morning. Could you confirm after tonight's run that the batches of all three customers complete without errors?"},
		},
	},
	{
		account: medsoft, requester: VeraEmail,
		typ: "user_management", category: "new_user",
		status: ticket.StatusOpen, age: 1*day + 6*hour,
		subject: "Second portal account for our integration team",
		body:    "Hello, our integration team is growing and we need a second portal account for our developer Tom Fischer (tom.fischer@medsoft.example). He should only see MedSoft's own vendor tickets, not those of our customers. Please let me know if you need a signed request from our management.",
		messages: []message{
			{at: 4 * hour, by: SamEmail, body: "Hi Vera, no signed request needed. I've started setting up Tom's account; he'll receive an invitation e-mail once our check of the new address is done, usually within one business day."},
		},
	},
}

// Load fills an empty store with the demo organizations, users and tickets.
// It returns false and changes nothing when the store already holds data.
// passwordHash is stored for every user (the demo password is "demo"; the caller hashes it once).
// now anchors the tickets' dates (tickets were created days/weeks before now, messages after their ticket).
func Load(ctx context.Context, db store.Store, passwordHash string, now time.Time) (bool, error) {
	ctx = store.Quietly(ctx) // the demo's history tells nobody by mail
	empty, err := db.Empty(ctx)
	if err != nil {
		return false, fmt.Errorf("seed: %w", err)
	}
	if !empty {
		return false, nil
	}
	// Check the data first, so a mistake in it writes nothing.
	if err := check(); err != nil {
		return false, fmt.Errorf("seed: %w", err)
	}

	orgIDs := map[string]int64{} // by account number
	for _, o := range organizations {
		org := ticket.Organization{Name: o.name, AccountNumber: o.account, Kind: o.kind, ParentID: orgIDs[o.parent], PrivacyRegime: o.privacy}
		created, err := db.CreateOrganization(ctx, org)
		if err != nil {
			return false, fmt.Errorf("seed: organization %s: %w", o.account, err)
		}
		orgIDs[o.account] = created.ID
	}

	for _, va := range vendorAccess {
		if err := db.SetVendorAccess(ctx, orgIDs[va.vendor], orgIDs[va.customer], va.access, va.paid); err != nil {
			return false, fmt.Errorf("seed: vendor access %s in %s: %w", va.vendor, va.customer, err)
		}
	}

	userRefs := map[string]ticket.UserRef{} // by e-mail
	for _, u := range users {
		created, err := db.CreateUser(ctx, ticket.User{Email: u.email, Name: u.name, Locale: u.locale, Agent: u.agent}, passwordHash)
		if err != nil {
			return false, fmt.Errorf("seed: user %s: %w", u.email, err)
		}
		userRefs[u.email] = created.Ref()
		for _, m := range u.memberships {
			if err := db.SetMembership(ctx, created.ID, orgIDs[m.account], m.role, m.ticketAccess); err != nil {
				return false, fmt.Errorf("seed: membership %s in %s: %w", u.email, m.account, err)
			}
		}
	}

	recs, err := loadRecords(ctx, db, orgIDs, now)
	if err != nil {
		return false, fmt.Errorf("seed: %w", err)
	}

	// Oldest first, so that newer tickets get higher numbers.
	ordered := slices.Clone(tickets)
	slices.SortStableFunc(ordered, func(a, b demoTicket) int { return cmp.Compare(b.age, a.age) })
	for _, d := range ordered {
		created := now.Add(-d.age)
		t, err := db.CreateTicket(ctx, ticket.Ticket{
			Organization: ticket.OrgRef{ID: orgIDs[d.account]},
			Requester:    userRefs[d.requester],
			Type:         d.typ,
			Category:     d.category,
			Subject:      d.subject,
			Description:  d.body,
			Fields:       d.fields,
			Status:       d.status,
			CreatedAt:    created,
			Links:        recs.with(d),
		})
		if err != nil {
			return false, fmt.Errorf("seed: ticket %q: %w", d.subject, err)
		}
		var seen, last int64 // the newest message older than two days; the newest
		for _, m := range d.messages {
			added, err := db.AddMessage(ctx, ticket.Message{
				TicketNumber: t.Number,
				Author:       userRefs[m.by],
				Body:         m.body,
				Internal:     m.internal,
				CreatedAt:    created.Add(m.at),
			})
			if err != nil {
				return false, fmt.Errorf("seed: message on ticket %d: %w", t.Number, err)
			}
			if !m.internal && now.Sub(added.CreatedAt) > readAge {
				seen = added.ID
			}
			if !m.internal {
				last = added.ID
			}
		}
		if err := recs.linkLater(ctx, db, t.Number, d, created, userRefs); err != nil {
			return false, fmt.Errorf("seed: %w", err)
		}
		// A vendor follows its customers' tickets from now on: what is
		// there already counts as read.
		if last != 0 {
			for _, va := range vendorAccess {
				if va.customer != d.account || (va.access == ticket.AccessNone && !va.paid) {
					continue
				}
				for _, u := range users {
					for _, m := range u.memberships {
						if m.account == va.vendor && m.ticketAccess {
							if err := db.SetRead(ctx, userRefs[u.email].ID, t.Number, last); err != nil {
								return false, fmt.Errorf("seed: read marker: %w", err)
							}
						}
					}
				}
			}
		}
		// The demo users have read what is older than two days: newer
		// answers show as unread.
		if seen != 0 {
			for _, u := range users {
				for _, m := range u.memberships {
					if m.account == d.account && m.ticketAccess {
						if err := db.SetRead(ctx, userRefs[u.email].ID, t.Number, seen); err != nil {
							return false, fmt.Errorf("seed: read marker: %w", err)
						}
					}
				}
			}
		}
	}
	return true, nil
}

// readAge is how old a demo message is when the demo users have read it.
const readAge = 48 * time.Hour

// check reports the first inconsistency in the demo data: unknown accounts,
// users, types or categories, requesters without (admin) access, missing
// required fields, and conversations out of order or not before now.
func check() error {
	accounts := map[string]bool{}
	for _, o := range organizations {
		if o.parent != "" && !accounts[o.parent] {
			return fmt.Errorf("organization %s: parent %s not defined before it", o.account, o.parent)
		}
		accounts[o.account] = true
	}
	known := map[string]bool{}
	member := map[[2]string]membership{} // by e-mail and account
	for _, u := range users {
		known[u.email] = true
		for _, m := range u.memberships {
			if !accounts[m.account] {
				return fmt.Errorf("user %s: unknown account %s", u.email, m.account)
			}
			member[[2]string{u.email, m.account}] = m
		}
	}
	for _, d := range tickets {
		m, ok := member[[2]string{d.requester, d.account}]
		if !ok || !m.ticketAccess {
			return fmt.Errorf("ticket %q: requester %s has no ticket access to %s", d.subject, d.requester, d.account)
		}
		typ, ok := ticket.DefaultCatalog.Type(d.typ)
		if !ok {
			return fmt.Errorf("ticket %q: unknown type %s", d.subject, d.typ)
		}
		if typ.AdminOnly && m.role != ticket.RoleAdmin {
			return fmt.Errorf("ticket %q: %s needs an admin, %s is %s", d.subject, d.typ, d.requester, m.role)
		}
		cat, ok := typ.Category(d.category)
		if !ok {
			return fmt.Errorf("ticket %q: unknown category %s/%s", d.subject, d.typ, d.category)
		}
		for _, f := range cat.Fields {
			if f.Required && d.fields[f.ID] == "" {
				return fmt.Errorf("ticket %q: required field %s missing", d.subject, f.ID)
			}
		}
		if !d.status.Valid() {
			return fmt.Errorf("ticket %q: unknown status %s", d.subject, d.status)
		}
		var last time.Duration
		for _, m := range d.messages {
			if !known[m.by] {
				return fmt.Errorf("ticket %q: unknown author %s", d.subject, m.by)
			}
			if m.at <= last || m.at >= d.age {
				return fmt.Errorf("ticket %q: message at %v out of order or not before now", d.subject, m.at)
			}
			last = m.at
		}
	}
	return checkRecords()
}
