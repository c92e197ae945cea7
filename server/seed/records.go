package seed

// The demo records: what the demo accounts' own systems know (claims,
// ERAs, eligibility checks, providers, payers, assets, articles, contacts)
// and which demo tickets are about them.
//
// Like the tickets, the records are Go literals with dates relative to the
// time Load is given: a date field is a number of days from now, a record's
// last update an age before now.

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

// recordField is a field of a demo record. A date field's value is days
// (from now, negative in the past).
type recordField struct {
	label    string
	value    string
	kind     ticket.FieldKind
	currency string
	days     int
}

func text(label, value string) recordField { return recordField{label: label, value: value} }

// date is the day days from now (negative: in the past).
func date(label string, days int) recordField {
	return recordField{label: label, kind: ticket.KindDate, days: days}
}

func usd(label, amount string) recordField {
	return recordField{label: label, value: amount, kind: ticket.KindMoney, currency: "USD"}
}

func eur(label, amount string) recordField {
	return recordField{label: label, value: amount, kind: ticket.KindMoney, currency: "EUR"}
}

// recordFieldLabels are the field labels the portal translates
// (RecordField_<label> in every language).
var recordFieldLabels = []string{
	"patientName", "dateOfService", "billedAmount", "payer", "provider", "claimStatus",
	"checkNumber", "paidAmount", "paymentDate",
	"memberId", "checkedOn", "coverageStatus",
	"npi", "specialty", "payerId",
	"serialNumber", "location", "installedOn", "manufacturer", "model", "articleNumber", "nextService",
	"email", "phone", "role",
}

// demoRecord is a record of account's system, last updated age before now.
type demoRecord struct {
	account string
	kind    ticket.RecordKind
	id      string // external id
	title   string
	fields  []recordField
	age     time.Duration
}

// sourceSystems are the addresses of the systems the demo records come
// from; a record's URL is <system>/<kind's path>/<external id>.
var sourceSystems = map[string]string{
	sonnenschein: "https://pvs.praxis-sonnenschein.example",
	potsdam:      "https://pvs.praxis-sonnenschein.example/filiale-potsdam",
	lumiere:      "https://gmao.cabinet-lumiere.example",
	clinicaSol:   "https://facturacion.clinica-sol.example",
	medsoft:      "https://crm.medsoft.example",
}

var recordPaths = map[ticket.RecordKind]string{
	ticket.RecordClaim:       "claims",
	ticket.RecordRemittance:  "eras",
	ticket.RecordEligibility: "eligibility",
	ticket.RecordAsset:       "assets",
	ticket.RecordProvider:    "providers",
	ticket.RecordPayer:       "payers",
	ticket.RecordArticle:     "articles",
	ticket.RecordContact:     "contacts",
}

func (r demoRecord) url() string {
	return sourceSystems[r.account] + "/" + recordPaths[r.kind] + "/" + r.id
}

// input is r as the integration API would receive it, its dates counted
// from now.
func (r demoRecord) input(now time.Time) ticket.RecordInput {
	in := ticket.RecordInput{Organization: r.account, Title: r.title, URL: r.url()}
	for _, f := range r.fields {
		v := f.value
		if f.kind == ticket.KindDate {
			v = now.AddDate(0, 0, f.days).Format("2006-01-02")
		}
		in.Fields = append(in.Fields, ticket.RecordField{Label: f.label, Value: v, Kind: f.kind, Currency: f.currency})
	}
	return in
}

// Praxis Sonnenschein bills US payers through the clearinghouse (hence
// HIPAA): its claims, ERAs and eligibility checks are in US dollars.
const (
	drSonnenschein = "Dr. med. Katrin Sonnenschein"
	drWeber        = "Dr. med. Miriam Weber"
	drAlbrecht     = "Dr. med. dent. Jonas Albrecht"
	uhc            = "UnitedHealthcare (UHC)"
	cigna          = "Cigna"
	aetna          = "Aetna"
	bcbs           = "Blue Cross Blue Shield (BCBS)"

	draRey      = "Dra. Paula Rey"
	javierOrteg = "Javier Ortega Ruiz"
	drMolina    = "Dr. Andrés Molina"
	mutua       = "Mutua Salud"
	sanitas     = "Sanitas"
)

var records = []demoRecord{
	// Praxis Sonnenschein: providers and payers.
	{account: sonnenschein, kind: ticket.RecordProvider, id: "1245789031", title: drSonnenschein, age: 90 * day, fields: []recordField{
		text("npi", "1245789031"), text("specialty", "Allgemeinmedizin"), text("phone", "+49 30 5550 1200")}},
	{account: sonnenschein, kind: ticket.RecordProvider, id: "1346829751", title: drWeber, age: 10 * day, fields: []recordField{
		text("npi", "1346829751"), text("specialty", "Innere Medizin"), text("phone", "+49 30 5550 1214")}},
	{account: sonnenschein, kind: ticket.RecordProvider, id: "1548392061", title: drAlbrecht, age: 75 * day, fields: []recordField{
		text("npi", "1548392061"), text("specialty", "Zahnmedizin"), text("phone", "+49 30 5550 1230")}},
	{account: sonnenschein, kind: ticket.RecordPayer, id: "UHC", title: uhc, age: 120 * day, fields: []recordField{
		text("payerId", "87726"), text("phone", "+1 800 555 0142")}},
	{account: sonnenschein, kind: ticket.RecordPayer, id: "CIGNA", title: cigna, age: 120 * day, fields: []recordField{
		text("payerId", "62308"), text("phone", "+1 800 555 0188")}},
	{account: sonnenschein, kind: ticket.RecordPayer, id: "AETNA", title: aetna, age: 120 * day, fields: []recordField{
		text("payerId", "60054"), text("phone", "+1 800 555 0117")}},
	{account: sonnenschein, kind: ticket.RecordPayer, id: "BCBS", title: bcbs, age: 120 * day, fields: []recordField{
		text("payerId", "00621"), text("phone", "+1 800 555 0163")}},

	// Praxis Sonnenschein: claims.
	{account: sonnenschein, kind: ticket.RecordClaim, id: "CLM-26-04711", title: "Vorsorgeuntersuchung – Lena Hartmann", age: 3*day + 2*hour, fields: []recordField{
		text("patientName", "Lena Hartmann"), date("dateOfService", -18), usd("billedAmount", "245.00"),
		text("payer", uhc), text("provider", drSonnenschein), text("claimStatus", "Bezahlt")}},
	{account: sonnenschein, kind: ticket.RecordClaim, id: "CLM-26-04733", title: "Langzeit-EKG – Thomas Berger", age: 5*day + 4*hour, fields: []recordField{
		text("patientName", "Thomas Berger"), date("dateOfService", -15), usd("billedAmount", "412.50"),
		text("payer", cigna), text("provider", drSonnenschein), text("claimStatus", "Abgelehnt – Vorabgenehmigung fehlt")}},
	{account: sonnenschein, kind: ticket.RecordClaim, id: "CLM-26-04752", title: "Röntgen Thorax – Maria Schulz", age: 9*day + 6*hour, fields: []recordField{
		text("patientName", "Maria Schulz"), date("dateOfService", -12), usd("billedAmount", "386.00"),
		text("payer", aetna), text("provider", drSonnenschein), text("claimStatus", "In Prüfung")}},
	{account: sonnenschein, kind: ticket.RecordClaim, id: "CLM-26-04768", title: "Wurzelbehandlung – Peter Neumann", age: 2*day + 3*hour, fields: []recordField{
		text("patientName", "Peter Neumann"), date("dateOfService", -10), usd("billedAmount", "1280.00"),
		text("payer", bcbs), text("provider", drAlbrecht), text("claimStatus", "Teilweise bezahlt")}},
	{account: sonnenschein, kind: ticket.RecordClaim, id: "CLM-26-04790", title: "Kontrolluntersuchung – Sophie Wagner", age: 3*day + 2*hour, fields: []recordField{
		text("patientName", "Sophie Wagner"), date("dateOfService", -8), usd("billedAmount", "165.00"),
		text("payer", uhc), text("provider", drSonnenschein), text("claimStatus", "Bezahlt")}},
	{account: sonnenschein, kind: ticket.RecordClaim, id: "CLM-26-04802", title: "Blutbild und Beratung – Ahmet Yılmaz", age: 4*day + 1*hour, fields: []recordField{
		text("patientName", "Ahmet Yılmaz"), date("dateOfService", -6), usd("billedAmount", "298.40"),
		text("payer", cigna), text("provider", drSonnenschein), text("claimStatus", "In Prüfung")}},
	{account: sonnenschein, kind: ticket.RecordClaim, id: "CLM-26-04815", title: "Professionelle Zahnreinigung – Emma Fischer", age: 3*day + 5*hour, fields: []recordField{
		text("patientName", "Emma Fischer"), date("dateOfService", -4), usd("billedAmount", "140.00"),
		text("payer", uhc), text("provider", drAlbrecht), text("claimStatus", "Eingereicht")}},
	{account: sonnenschein, kind: ticket.RecordClaim, id: "CLM-26-04821", title: "Belastungs-EKG – Jan Richter", age: 20 * hour, fields: []recordField{
		text("patientName", "Jan Richter"), date("dateOfService", -2), usd("billedAmount", "520.00"),
		text("payer", cigna), text("provider", drSonnenschein), text("claimStatus", "Abgelehnt – Versicherungsschutz inaktiv")}},

	// Praxis Sonnenschein: ERAs (the Cigna denial pays nothing).
	{account: sonnenschein, kind: ticket.RecordRemittance, id: "ERA-26-0859", title: "ERA UnitedHealthcare – Scheck 882977310", age: 28 * day, fields: []recordField{
		text("payer", uhc), text("checkNumber", "882977310"), usd("paidAmount", "2318.75"), date("paymentDate", -28)}},
	{account: sonnenschein, kind: ticket.RecordRemittance, id: "ERA-26-0877", title: "ERA Aetna – Scheck 7731940", age: 21 * day, fields: []recordField{
		text("payer", aetna), text("checkNumber", "7731940"), usd("paidAmount", "1954.20"), date("paymentDate", -21)}},
	{account: sonnenschein, kind: ticket.RecordRemittance, id: "ERA-26-0902", title: "ERA Cigna – Scheck 55120874", age: 5*day + 4*hour, fields: []recordField{
		text("payer", cigna), text("checkNumber", "55120874"), usd("paidAmount", "0.00"), date("paymentDate", -5)}},
	{account: sonnenschein, kind: ticket.RecordRemittance, id: "ERA-26-0918", title: "ERA UnitedHealthcare – Scheck 883104552", age: 3*day + 2*hour, fields: []recordField{
		text("payer", uhc), text("checkNumber", "883104552"), usd("paidAmount", "410.00"), date("paymentDate", -3)}},
	{account: sonnenschein, kind: ticket.RecordRemittance, id: "ERA-26-0925", title: "ERA Blue Cross Blue Shield – Scheck 40018823", age: 2*day + 3*hour, fields: []recordField{
		text("payer", bcbs), text("checkNumber", "40018823"), usd("paidAmount", "896.00"), date("paymentDate", -2)}},

	// Praxis Sonnenschein: eligibility checks.
	{account: sonnenschein, kind: ticket.RecordEligibility, id: "ELG-26-2207", title: "Anspruchsprüfung Lena Hartmann – UHC", age: 19 * day, fields: []recordField{
		text("patientName", "Lena Hartmann"), text("memberId", "908441270"), text("payer", uhc), date("checkedOn", -19), text("coverageStatus", "Aktiv")}},
	{account: sonnenschein, kind: ticket.RecordEligibility, id: "ELG-26-2231", title: "Anspruchsprüfung Thomas Berger – Cigna", age: 16 * day, fields: []recordField{
		text("patientName", "Thomas Berger"), text("memberId", "U4482019301"), text("payer", cigna), date("checkedOn", -16), text("coverageStatus", "Aktiv – Vorabgenehmigung erforderlich")}},
	{account: sonnenschein, kind: ticket.RecordEligibility, id: "ELG-26-2254", title: "Anspruchsprüfung Jan Richter – Cigna", age: 3 * day, fields: []recordField{
		text("patientName", "Jan Richter"), text("memberId", "U5520931877"), text("payer", cigna), date("checkedOn", -3), text("coverageStatus", "Inaktiv")}},
	{account: sonnenschein, kind: ticket.RecordEligibility, id: "ELG-26-2260", title: "Anspruchsprüfung Emma Fischer – UHC", age: 1*day + 3*hour, fields: []recordField{
		text("patientName", "Emma Fischer"), text("memberId", "911730554"), text("payer", uhc), date("checkedOn", -1), text("coverageStatus", "Aktiv")}},

	// Praxis Sonnenschein: assets (Anlagen), articles, contacts.
	{account: sonnenschein, kind: ticket.RecordAsset, id: "ANL-1001", title: "Autoklav Aufbereitungsraum", age: 60 * day, fields: []recordField{
		text("serialNumber", "VK41-2019-08834"), text("location", "Aufbereitungsraum, Erdgeschoss"), date("installedOn", -2150),
		text("manufacturer", "MELAG"), text("model", "Vacuklav 41 B+"), date("nextService", 38)}},
	{account: sonnenschein, kind: ticket.RecordAsset, id: "ANL-1002", title: "Digitales Röntgengerät", age: 45 * day, fields: []recordField{
		text("serialNumber", "ORT-SL-114752"), text("location", "Röntgenraum 1"), date("installedOn", -1460),
		text("manufacturer", "Dentsply Sirona"), text("model", "Orthophos SL 3D"), date("nextService", 12)}},
	{account: sonnenschein, kind: ticket.RecordAsset, id: "ANL-1003", title: "Behandlungseinheit Raum 3", age: 50 * day, fields: []recordField{
		text("serialNumber", "KV-E70-552190"), text("location", "Behandlungsraum 3"), date("installedOn", -900),
		text("manufacturer", "KaVo"), text("model", "ESTETICA E70 Vision"), date("nextService", 95)}},
	{account: sonnenschein, kind: ticket.RecordAsset, id: "ANL-1004", title: "EKG-Gerät Funktionsdiagnostik", age: 40 * day, fields: []recordField{
		text("serialNumber", "AT102-0390215"), text("location", "Funktionsraum"), date("installedOn", -1200),
		text("manufacturer", "Schiller"), text("model", "Cardiovit AT-102 G2"), date("nextService", 64)}},
	{account: sonnenschein, kind: ticket.RecordAsset, id: "ANL-1010", title: "Empfangsarbeitsplatz 1", age: 30 * day, fields: []recordField{
		text("serialNumber", "YMPE012345"), text("location", "Empfang, Platz 1"), date("installedOn", -420),
		text("manufacturer", "Fujitsu"), text("model", "ESPRIMO D7012 (Windows 11)"), date("nextService", 200)}},
	{account: sonnenschein, kind: ticket.RecordArticle, id: "ME-37380", title: "Türdichtung für Autoklav Vacuklav 41 B+", age: 100 * day, fields: []recordField{
		text("articleNumber", "37380"), text("manufacturer", "MELAG"), text("model", "Vacuklav 41 B+")}},
	{account: sonnenschein, kind: ticket.RecordArticle, id: "ME-37460", title: "Bakterienfilter für Autoklav", age: 100 * day, fields: []recordField{
		text("articleNumber", "37460"), text("manufacturer", "MELAG"), text("model", "Vacuklav 31 B+ / 41 B+")}},
	{account: sonnenschein, kind: ticket.RecordArticle, id: "DS-6412290", title: "Schutzhüllen für Röntgensensor (500 Stück)", age: 100 * day, fields: []recordField{
		text("articleNumber", "6412290"), text("manufacturer", "Dentsply Sirona"), text("model", "Orthophos SL 3D")}},
	{account: sonnenschein, kind: ticket.RecordContact, id: "KON-0003", title: "Klaus Wendt", age: 200 * day, fields: []recordField{
		text("role", "Datenschutzbeauftragter"), text("email", "datenschutz@praxis-sonnenschein.example"), text("phone", "+49 30 5550 1290")}},
	{account: sonnenschein, kind: ticket.RecordContact, id: "KON-0007", title: "Julia Hoffmann", age: 28 * day, fields: []recordField{
		text("role", "Medizinische Fachangestellte (Empfang)"), text("email", "j.hoffmann@praxis-sonnenschein.example"), text("phone", "+49 30 5550 1207")}},

	// Praxis Sonnenschein – Filiale Potsdam.
	{account: potsdam, kind: ticket.RecordAsset, id: "ANL-2001", title: "Dokumentenscanner Empfang", age: 12 * day, fields: []recordField{
		text("serialNumber", "PFU-8170-A33917"), text("location", "Empfang, Filiale Potsdam"), date("installedOn", -12),
		text("manufacturer", "Ricoh"), text("model", "fi-8170"), date("nextService", 353)}},
	{account: potsdam, kind: ticket.RecordAsset, id: "ANL-2002", title: "Autoklav Filiale", age: 70 * day, fields: []recordField{
		text("serialNumber", "VK31-2021-11902"), text("location", "Aufbereitung, Filiale Potsdam"), date("installedOn", -1500),
		text("manufacturer", "MELAG"), text("model", "Vacuklav 31 B+"), date("nextService", 21)}},
	{account: potsdam, kind: ticket.RecordAsset, id: "ANL-2003", title: "Behandlungseinheit Raum 1", age: 65 * day, fields: []recordField{
		text("serialNumber", "KV-E50-418822"), text("location", "Behandlungsraum 1, Filiale Potsdam"), date("installedOn", -760),
		text("manufacturer", "KaVo"), text("model", "ESTETICA E50 Life"), date("nextService", 140)}},
	{account: potsdam, kind: ticket.RecordContact, id: "KON-2001", title: "Sabine Krüger", age: 2 * day, fields: []recordField{
		text("role", "Praxismanagerin"), text("email", "s.krueger@praxis-sonnenschein.example"), text("phone", "+49 331 5550 1412")}},

	// Cabinet Lumière (French): équipements, articles, a contact.
	{account: lumiere, kind: ticket.RecordAsset, id: "EQ-0101", title: "Écran de l'accueil", age: 90 * day, fields: []recordField{
		text("serialNumber", "EIZ-S1934-77120451"), text("location", "Accueil, rez-de-chaussée"), date("installedOn", -2400),
		text("manufacturer", "EIZO"), text("model", "FlexScan S1934 (1280×1024)"), date("nextService", 120)}},
	{account: lumiere, kind: ticket.RecordAsset, id: "EQ-0102", title: "Poste du secrétariat", age: 80 * day, fields: []recordField{
		text("serialNumber", "CZC1482KQ7"), text("location", "Secrétariat, 1er étage"), date("installedOn", -800),
		text("manufacturer", "HP"), text("model", "EliteDesk 800 G6"), date("nextService", 160)}},
	{account: lumiere, kind: ticket.RecordAsset, id: "EQ-0110", title: "Autoclave de la salle de stérilisation", age: 35 * day, fields: []recordField{
		text("serialNumber", "LISA-22-041877"), text("location", "Salle de stérilisation"), date("installedOn", -1900),
		text("manufacturer", "W&H"), text("model", "Lisa 522"), date("nextService", 27)}},
	{account: lumiere, kind: ticket.RecordAsset, id: "EQ-0111", title: "Électrocardiographe", age: 55 * day, fields: []recordField{
		text("serialNumber", "FT1-0218834"), text("location", "Salle de consultation 2"), date("installedOn", -700),
		text("manufacturer", "Schiller"), text("model", "Cardiovit FT-1"), date("nextService", 80)}},
	{account: lumiere, kind: ticket.RecordArticle, id: "WH-07132800", title: "Joint de porte pour autoclave Lisa", age: 100 * day, fields: []recordField{
		text("articleNumber", "07132800"), text("manufacturer", "W&H"), text("model", "Lisa 517 / 522")}},
	{account: lumiere, kind: ticket.RecordArticle, id: "SC-2155031", title: "Électrodes ECG adhésives (lot de 100)", age: 100 * day, fields: []recordField{
		text("articleNumber", "2155031"), text("manufacturer", "Schiller"), text("model", "Cardiovit FT-1")}},
	{account: lumiere, kind: ticket.RecordContact, id: "CT-0001", title: "Dr Élise Moreau", age: 30 * day, fields: []recordField{
		text("role", "Médecin généraliste"), text("email", "e.moreau@cabinet-lumiere.example"), text("phone", "+33 1 99 00 12 34")}},

	// Clínica Sol (Spanish): it treats international patients, so US
	// payers pay in dollars, Spanish ones in euros.
	{account: clinicaSol, kind: ticket.RecordProvider, id: "1640273185", title: draRey, age: 150 * day, fields: []recordField{
		text("npi", "1640273185"), text("specialty", "Medicina familiar"), text("email", "paula.rey@clinica-sol.example")}},
	{account: clinicaSol, kind: ticket.RecordProvider, id: "1749560243", title: javierOrteg, age: 60 * day, fields: []recordField{
		text("npi", "1749560243"), text("specialty", "Fisioterapia"), text("email", "javier.ortega@clinica-sol.example")}},
	{account: clinicaSol, kind: ticket.RecordProvider, id: "1843026174", title: drMolina, age: 150 * day, fields: []recordField{
		text("npi", "1843026174"), text("specialty", "Traumatología"), text("email", "andres.molina@clinica-sol.example")}},
	{account: clinicaSol, kind: ticket.RecordPayer, id: "UHC", title: uhc, age: 180 * day, fields: []recordField{
		text("payerId", "87726"), text("phone", "+1 800 555 0142")}},
	{account: clinicaSol, kind: ticket.RecordPayer, id: "CIGNA", title: cigna, age: 180 * day, fields: []recordField{
		text("payerId", "62308"), text("phone", "+1 800 555 0188")}},
	{account: clinicaSol, kind: ticket.RecordPayer, id: "MUTUA", title: mutua, age: 180 * day, fields: []recordField{
		text("payerId", "ES-MS-0214"), text("phone", "+34 910 555 214")}},
	{account: clinicaSol, kind: ticket.RecordPayer, id: "SANITAS", title: sanitas, age: 180 * day, fields: []recordField{
		text("payerId", "ES-SN-0107"), text("phone", "+34 910 555 107")}},

	{account: clinicaSol, kind: ticket.RecordClaim, id: "RCL-26-1187", title: "Consulta de medicina familiar – Carmen López", age: 12 * day, fields: []recordField{
		text("patientName", "Carmen López"), date("dateOfService", -20), eur("billedAmount", "120.00"),
		text("payer", mutua), text("provider", draRey), text("claimStatus", "Pagada")}},
	{account: clinicaSol, kind: ticket.RecordClaim, id: "RCL-26-1203", title: "Sesión de fisioterapia – Hugo Martín", age: 13 * day, fields: []recordField{
		text("patientName", "Hugo Martín"), date("dateOfService", -14), eur("billedAmount", "45.00"),
		text("payer", mutua), text("provider", javierOrteg), text("claimStatus", "Pagada – remesa pendiente")}},
	{account: clinicaSol, kind: ticket.RecordClaim, id: "RCL-26-1219", title: "Radiografía de rodilla – Emily Carter", age: 5*day + 2*hour, fields: []recordField{
		text("patientName", "Emily Carter"), date("dateOfService", -11), usd("billedAmount", "380.00"),
		text("payer", uhc), text("provider", drMolina), text("claimStatus", "Denegada")}},
	{account: clinicaSol, kind: ticket.RecordClaim, id: "RCL-26-1224", title: "Consulta de traumatología – James Miller", age: 8 * day, fields: []recordField{
		text("patientName", "James Miller"), date("dateOfService", -9), usd("billedAmount", "260.00"),
		text("payer", cigna), text("provider", drMolina), text("claimStatus", "En revisión")}},
	{account: clinicaSol, kind: ticket.RecordClaim, id: "RCL-26-1236", title: "Rehabilitación de hombro (5 sesiones) – Laura Gómez", age: 2*day + 1*hour, fields: []recordField{
		text("patientName", "Laura Gómez"), date("dateOfService", -7), eur("billedAmount", "225.00"),
		text("payer", sanitas), text("provider", javierOrteg), text("claimStatus", "Pagada parcialmente")}},
	{account: clinicaSol, kind: ticket.RecordClaim, id: "RCL-26-1241", title: "Análisis clínicos – Sarah Thompson", age: 2*day + 20*hour, fields: []recordField{
		text("patientName", "Sarah Thompson"), date("dateOfService", -3), usd("billedAmount", "190.00"),
		text("payer", cigna), text("provider", draRey), text("claimStatus", "Enviada")}},

	{account: clinicaSol, kind: ticket.RecordRemittance, id: "ERA-26-0311", title: "ERA Mutua Salud – transferencia 44712290", age: 36 * day, fields: []recordField{
		text("payer", mutua), text("checkNumber", "44712290"), eur("paidAmount", "1234.50"), date("paymentDate", -36)}},
	{account: clinicaSol, kind: ticket.RecordRemittance, id: "ERA-26-0342", title: "ERA UnitedHealthcare – cheque 883455120", age: 5*day + 2*hour, fields: []recordField{
		text("payer", uhc), text("checkNumber", "883455120"), usd("paidAmount", "0.00"), date("paymentDate", -5)}},
	{account: clinicaSol, kind: ticket.RecordRemittance, id: "ERA-26-0350", title: "ERA Cigna – cheque 55198236", age: 4 * day, fields: []recordField{
		text("payer", cigna), text("checkNumber", "55198236"), usd("paidAmount", "1840.00"), date("paymentDate", -4)}},
	{account: clinicaSol, kind: ticket.RecordRemittance, id: "ERA-26-0356", title: "ERA Sanitas – transferencia 90331875", age: 2*day + 1*hour, fields: []recordField{
		text("payer", sanitas), text("checkNumber", "90331875"), eur("paidAmount", "180.00"), date("paymentDate", -2)}},

	{account: clinicaSol, kind: ticket.RecordEligibility, id: "ELG-26-0771", title: "Elegibilidad Emily Carter – UHC", age: 12 * day, fields: []recordField{
		text("patientName", "Emily Carter"), text("memberId", "912004418"), text("payer", uhc), date("checkedOn", -12), text("coverageStatus", "Activa")}},
	{account: clinicaSol, kind: ticket.RecordEligibility, id: "ELG-26-0785", title: "Elegibilidad James Miller – Cigna", age: 10 * day, fields: []recordField{
		text("patientName", "James Miller"), text("memberId", "U7719930402"), text("payer", cigna), date("checkedOn", -10), text("coverageStatus", "Activa – requiere autorización previa")}},
	{account: clinicaSol, kind: ticket.RecordEligibility, id: "ELG-26-0790", title: "Elegibilidad Carmen López – Mutua Salud", age: 1 * day, fields: []recordField{
		text("patientName", "Carmen López"), text("memberId", "MS-0048213377"), text("payer", mutua), date("checkedOn", -1), text("coverageStatus", "Inactiva (póliza dada de baja)")}},

	{account: clinicaSol, kind: ticket.RecordContact, id: "CT-0012", title: "Lucía Navarro", age: 1 * day, fields: []recordField{
		text("role", "Administrativa (facturación)"), text("email", "lucia.navarro@clinica-sol.example"), text("phone", "+34 910 555 330")}},

	// MedSoft Solutions (vendor, English): its products and people.
	{account: medsoft, kind: ticket.RecordArticle, id: "MS-PC-420", title: "PraxisConnect claim status connector", age: 40 * day, fields: []recordField{
		text("articleNumber", "MS-PC-420"), text("manufacturer", "MedSoft Solutions"), text("model", "4.2")}},
	{account: medsoft, kind: ticket.RecordArticle, id: "MS-ERA-310", title: "PraxisConnect ERA import", age: 40 * day, fields: []recordField{
		text("articleNumber", "MS-ERA-310"), text("manufacturer", "MedSoft Solutions"), text("model", "3.1")}},
	{account: medsoft, kind: ticket.RecordContact, id: "C-0042", title: "Tom Fischer", age: 2 * day, fields: []recordField{
		text("role", "Integration developer"), text("email", "tom.fischer@medsoft.example"), text("phone", "+49 89 5550 4242")}},
	{account: medsoft, kind: ticket.RecordContact, id: "C-0007", title: "MedSoft integration on-call", age: 90 * day, fields: []recordField{
		text("role", "Integration support (24/7)"), text("email", "oncall@medsoft.example"), text("phone", "+49 89 5550 4200")}},
}

// demoLink says a demo ticket (account and subject) is about a record.
// Without by, the requester linked it with the ticket ("Get Help" from the
// record); otherwise the user by linked it after the ticket's conversation,
// at after past the ticket's creation.
type demoLink struct {
	account, subject string
	kind             ticket.RecordKind
	id               string
	by               string
	after            time.Duration
}

var links = []demoLink{
	// Two tickets in the reception workstation's life record.
	{account: sonnenschein, subject: "Ticketübersicht lädt morgens sehr langsam", kind: ticket.RecordAsset, id: "ANL-1010"},
	{account: sonnenschein, subject: "Umlaute im PDF-Ausdruck werden als Fragezeichen angezeigt", kind: ticket.RecordAsset, id: "ANL-1010"},
	{account: sonnenschein, subject: "Registrierung neue Ärztin für elektronische Abrechnung", kind: ticket.RecordProvider, id: "1346829751"},
	{account: sonnenschein, subject: "AV-Vertrag und Liste der Unterauftragsverarbeiter", kind: ticket.RecordContact, id: "KON-0003"},
	{account: sonnenschein, subject: "Zugang für neue MFA am Empfang", kind: ticket.RecordContact, id: "KON-0007", by: SamEmail, after: 2*day + 4*hour},

	{account: potsdam, subject: "„Datei konnte nicht verarbeitet werden“ beim Hochladen", kind: ticket.RecordAsset, id: "ANL-2001"},
	{account: potsdam, subject: "Zugang für neue Praxismanagerin der Filiale", kind: ticket.RecordContact, id: "KON-2001", by: SamEmail, after: 5*hour + 10*minute},

	{account: lumiere, subject: "Tableau de bord coupé sur l'écran de l'accueil", kind: ticket.RecordAsset, id: "EQ-0101"},
	{account: lumiere, subject: "Code de vérification par SMS non reçu", kind: ticket.RecordAsset, id: "EQ-0102"},
	{account: lumiere, subject: "Inscription du Dr Moreau toujours « en cours »", kind: ticket.RecordContact, id: "CT-0001", by: SamEmail, after: 1*day + 1*hour},

	{account: clinicaSol, subject: "La búsqueda de reclamaciones va muy lenta", kind: ticket.RecordClaim, id: "RCL-26-1224"},
	{account: clinicaSol, subject: "Los importes aparecen con formato inglés", kind: ticket.RecordRemittance, id: "ERA-26-0311"},
	{account: clinicaSol, subject: "Remesa faltante: no llegan las ERA de Mutua Salud", kind: ticket.RecordPayer, id: "MUTUA"},
	{account: clinicaSol, subject: "Remesa faltante: no llegan las ERA de Mutua Salud", kind: ticket.RecordProvider, id: "1749560243"},
	{account: clinicaSol, subject: "Inscripción de proveedor para nuevo fisioterapeuta", kind: ticket.RecordProvider, id: "1749560243"},
	{account: clinicaSol, subject: "La cuenta de la Dra. Rey se bloquea sin motivo", kind: ticket.RecordProvider, id: "1640273185", by: SamEmail, after: 1*day + 1*hour},
	{account: clinicaSol, subject: "Permisos para ver las remesas", kind: ticket.RecordContact, id: "CT-0012"},

	{account: medsoft, subject: "Claim status endpoint returns HTTP 500 for batch requests", kind: ticket.RecordArticle, id: "MS-PC-420"},
	{account: medsoft, subject: "Second portal account for our integration team", kind: ticket.RecordContact, id: "C-0042"},
}

// recordKey names a record: account, kind, external id.
type recordKey struct {
	account string
	kind    ticket.RecordKind
	id      string
}

func (r demoRecord) key() recordKey { return recordKey{r.account, r.kind, r.id} }
func (l demoLink) key() recordKey   { return recordKey{l.account, l.kind, l.id} }

// loaded are the records as stored, by key.
type loadedRecords map[recordKey]ticket.Record

// loadRecords stores the demo records of the organizations (ids by account
// number).
func loadRecords(ctx context.Context, db store.Store, orgIDs map[string]int64, now time.Time) (loadedRecords, error) {
	out := loadedRecords{}
	for _, r := range records {
		in := r.input(now)
		rec, _, err := db.UpsertRecord(ctx, ticket.Record{
			Organization: ticket.OrgRef{ID: orgIDs[r.account]},
			Kind:         r.kind,
			ExternalID:   r.id,
			Title:        in.Title,
			Fields:       in.Fields,
			URL:          in.URL,
			UpdatedAt:    now.Add(-r.age),
		})
		if err != nil {
			return nil, fmt.Errorf("record %s %s/%s: %w", r.account, r.kind, r.id, err)
		}
		out[r.key()] = rec
	}
	return out, nil
}

// with returns the links ticket d is created with.
func (recs loadedRecords) with(d demoTicket) []ticket.Link {
	var out []ticket.Link
	for _, l := range links {
		if l.by == "" && l.account == d.account && l.subject == d.subject {
			out = append(out, ticket.Link{Record: recs[l.key()].Ref()})
		}
	}
	return out
}

// linkLater makes the links to ticket number (demo ticket d, created at
// created) that users made after its conversation.
func (recs loadedRecords) linkLater(ctx context.Context, db store.Store, number int64, d demoTicket, created time.Time, userRefs map[string]ticket.UserRef) error {
	for _, l := range links {
		if l.by == "" || l.account != d.account || l.subject != d.subject {
			continue
		}
		if _, err := db.LinkRecord(ctx, number, recs[l.key()].ID, userRefs[l.by], created.Add(l.after), nil); err != nil {
			return fmt.Errorf("link of ticket %d to %s/%s: %w", number, l.kind, l.id, err)
		}
	}
	return nil
}

// checkRecords reports the first inconsistency in the demo records and
// links: unknown accounts or kinds, malformed or duplicate external ids,
// fields the portal cannot show, links to tickets or records that do not
// exist, that cross organizations, or that are older than their record.
func checkRecords() error {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC) // any day: dates are relative
	accounts := map[string]bool{}
	for _, o := range organizations {
		accounts[o.account] = true
	}
	byKey := map[recordKey]demoRecord{}
	for _, r := range records {
		name := fmt.Sprintf("record %s %s/%s", r.account, r.kind, r.id)
		if !accounts[r.account] || sourceSystems[r.account] == "" {
			return fmt.Errorf("%s: unknown account or no source system", name)
		}
		if !r.kind.Valid() || recordPaths[r.kind] == "" {
			return fmt.Errorf("%s: unknown kind", name)
		}
		if !ticket.ValidExternalID(r.id) {
			return fmt.Errorf("%s: malformed external id", name)
		}
		if _, dup := byKey[r.key()]; dup {
			return fmt.Errorf("%s: defined twice", name)
		}
		byKey[r.key()] = r
		if r.age <= 0 {
			return fmt.Errorf("%s: age %v, want before now", name, r.age)
		}
		for _, f := range r.fields {
			if !slices.Contains(recordFieldLabels, f.label) {
				return fmt.Errorf("%s: field label %q has no translation", name, f.label)
			}
		}
		if err := r.input(now).Check(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	known := map[string]bool{}
	for _, u := range users {
		known[u.email] = true
	}
	seen := map[[2]any]bool{}
	for _, l := range links {
		name := fmt.Sprintf("link of %q to %s/%s", l.subject, l.kind, l.id)
		var d *demoTicket
		for i := range tickets {
			if tickets[i].account == l.account && tickets[i].subject == l.subject {
				if d != nil {
					return fmt.Errorf("%s: two tickets with that subject", name)
				}
				d = &tickets[i]
			}
		}
		if d == nil {
			return fmt.Errorf("%s: no such ticket in %s", name, l.account)
		}
		r, ok := byKey[l.key()]
		if !ok {
			return fmt.Errorf("%s: no such record in %s", name, l.account)
		}
		if seen[[2]any{l.subject, l.key()}] {
			return fmt.Errorf("%s: linked twice", name)
		}
		seen[[2]any{l.subject, l.key()}] = true
		if l.by != "" {
			if !known[l.by] {
				return fmt.Errorf("%s: unknown user %s", name, l.by)
			}
			var last time.Duration
			for _, m := range d.messages {
				last = max(last, m.at)
			}
			if l.after <= last || l.after >= d.age {
				return fmt.Errorf("%s: linked at %v, want after the conversation (%v) and before now", name, l.after, last)
			}
		} else if l.after != 0 {
			return fmt.Errorf("%s: a link made with the ticket has no delay", name)
		}
		// The record existed when it was linked.
		if r.age < d.age-l.after {
			return fmt.Errorf("%s: record updated %v ago, after the link %v ago", name, r.age, d.age-l.after)
		}
	}
	return nil
}
