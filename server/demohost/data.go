package demohost

import (
	"strings"
	"time"
)

// The practice portal's own data: its users and the records it shows. A
// real host has these in its database; what the portal learns of a record
// (title, fields) comes from here when the host signs a token, never from
// the page.

// user is someone the practice portal knows. The demo has no sign-in: the
// start page sets a cookie naming one of them (key).
type user struct {
	Key, Email, Name, Locale string
	Account                  string // the supportal account the user works in
	Practice                 string
}

var users = []user{
	{Key: "anna", Email: "anna.admin@praxis-sonnenschein.example", Name: "Anna Admin", Locale: "de", Account: "100200", Practice: "Praxis Sonnenschein"},
	{Key: "bernd", Email: "bernd@praxis-sonnenschein.example", Name: "Bernd Becker", Locale: "de", Account: "100200", Practice: "Praxis Sonnenschein"},
	{Key: "diego", Email: "diego@clinica-sol.example", Name: "Diego Durán", Locale: "es", Account: "300400", Practice: "Clínica Sol"},
	{Key: "claire", Email: "claire.admin@cabinet-lumiere.example", Name: "Claire Admin", Locale: "fr", Account: "200300", Practice: "Cabinet Lumière"},
}

func userByKey(key string) (user, bool) {
	for _, u := range users {
		if u.Key == key {
			return u, true
		}
	}
	return user{}, false
}

// organizations are the accounts the practice portal may speak for.
var organizations = []string{"100200", "100201", "200300", "300400"}

// field is one value of a record, as supportal's records carry them: a
// label id (patientName…), the value, and for dates (YYYY-MM-DD) and
// amounts (1234.50 with a currency) its kind.
type field struct {
	Label    string `json:"label"`
	Value    string `json:"value"`
	Kind     string `json:"kind,omitempty"`
	Currency string `json:"currency,omitempty"`
}

// record is a claim, remittance, eligibility check or asset of an account.
type record struct {
	Account, Kind, ID, Title string
	Fields                   []field
}

// page is the practice portal's page that shows r.
func (r record) page() string {
	if r.Kind == "remittance" {
		return "/remittances#" + r.ID
	}
	return "/" + r.Kind
}

// File is the kind of file a remittance comes as: a French practice's
// payment returns (RSP-…) are NOEMIE files from the Assurance Maladie,
// the ERAs (ERA-…) of the practices that bill US payers through a
// clearinghouse (see server/seed) X12 835 files.
func (r record) File() string {
	if strings.HasPrefix(r.ID, "RSP-") {
		return "NOEMIE"
	}
	return "835"
}

// Field is r's field label.
func (r record) Field(label string) field {
	for _, f := range r.Fields {
		if f.Label == label {
			return f
		}
	}
	return field{}
}

func text(label, value string) field { return field{Label: label, Value: value} }

// date is the day days from the start of the server (negative: before).
func date(label string, days int) field {
	return field{Label: label, Value: time.Now().AddDate(0, 0, days).Format(time.DateOnly), Kind: "date"}
}

func money(label, amount, currency string) field {
	return field{Label: label, Value: amount, Kind: "money", Currency: currency}
}

const (
	uhc    = "UnitedHealthcare (UHC)"
	cigna  = "Cigna"
	aetna  = "Aetna"
	bcbs   = "Blue Cross Blue Shield (BCBS)"
	mutua  = "Mutua Salud"
	cpam   = "CPAM de Paris"
	drSonn = "Dr. med. Katrin Sonnenschein"
)

// records are what the practice portal has. Those of accounts 100200 and
// 300400 are the demo portal's own records (server/seed); Cabinet
// Lumière's claim, remittances and eligibility check and Clínica Sol's
// asset exist only here: the portal learns them from the token. Ids,
// payers and amounts of the seeded records must stay as seeded: Praxis
// Sonnenschein bills US payers through a clearinghouse (server/seed), hence
// its UnitedHealthcare, ERAs (835 files) and dollars.
var records = []record{
	{"100200", "claim", "CLM-26-04711", "Vorsorgeuntersuchung – Lena Hartmann", []field{
		text("patientName", "Lena Hartmann"), date("dateOfService", -18), money("billedAmount", "245.00", "USD"),
		text("payer", uhc), text("provider", drSonn), text("claimStatus", "Bezahlt")}},
	{"100200", "remittance", "ERA-26-0859", "ERA UnitedHealthcare – Scheck 882977310", []field{
		text("payer", uhc), text("checkNumber", "882977310"), money("paidAmount", "2318.75", "USD"), date("paymentDate", -28)}},
	{"100200", "remittance", "ERA-26-0877", "ERA Aetna – Scheck 7731940", []field{
		text("payer", aetna), text("checkNumber", "7731940"), money("paidAmount", "1954.20", "USD"), date("paymentDate", -21)}},
	{"100200", "remittance", "ERA-26-0902", "ERA Cigna – Scheck 55120874", []field{
		text("payer", cigna), text("checkNumber", "55120874"), money("paidAmount", "0.00", "USD"), date("paymentDate", -5)}},
	{"100200", "remittance", "ERA-26-0918", "ERA UnitedHealthcare – Scheck 883104552", []field{
		text("payer", uhc), text("checkNumber", "883104552"), money("paidAmount", "410.00", "USD"), date("paymentDate", -3)}},
	{"100200", "remittance", "ERA-26-0925", "ERA Blue Cross Blue Shield – Scheck 40018823", []field{
		text("payer", bcbs), text("checkNumber", "40018823"), money("paidAmount", "896.00", "USD"), date("paymentDate", -2)}},
	{"100200", "eligibility", "ELG-26-2254", "Anspruchsprüfung Jan Richter – Cigna", []field{
		text("patientName", "Jan Richter"), text("memberId", "U5520931877"), text("payer", cigna), date("checkedOn", -3), text("coverageStatus", "Inaktiv")}},
	{"100200", "asset", "ANL-1010", "Empfangsarbeitsplatz 1", []field{
		text("serialNumber", "YMPE012345"), text("location", "Empfang, Platz 1"), date("installedOn", -420),
		text("manufacturer", "Fujitsu"), text("model", "ESPRIMO D7012 (Windows 11)"), date("nextService", 200)}},

	{"300400", "claim", "RCL-26-1224", "Consulta de traumatología – James Miller", []field{
		text("patientName", "James Miller"), date("dateOfService", -9), money("billedAmount", "260.00", "USD"),
		text("payer", cigna), text("provider", "Dr. Andrés Molina"), text("claimStatus", "En revisión")}},
	{"300400", "remittance", "ERA-26-0311", "ERA Mutua Salud – transferencia 44712290", []field{
		text("payer", mutua), text("checkNumber", "44712290"), money("paidAmount", "1234.50", "EUR"), date("paymentDate", -36)}},
	{"300400", "remittance", "ERA-26-0342", "ERA UnitedHealthcare – cheque 883455120", []field{
		text("payer", uhc), text("checkNumber", "883455120"), money("paidAmount", "0.00", "USD"), date("paymentDate", -5)}},
	{"300400", "remittance", "ERA-26-0350", "ERA Cigna – cheque 55198236", []field{
		text("payer", cigna), text("checkNumber", "55198236"), money("paidAmount", "1840.00", "USD"), date("paymentDate", -4)}},
	{"300400", "remittance", "ERA-26-0356", "ERA Sanitas – transferencia 90331875", []field{
		text("payer", "Sanitas"), text("checkNumber", "90331875"), money("paidAmount", "180.00", "EUR"), date("paymentDate", -2)}},
	{"300400", "eligibility", "ELG-26-0790", "Elegibilidad Carmen López – Mutua Salud", []field{
		text("patientName", "Carmen López"), text("memberId", "MS-0048213377"), text("payer", mutua), date("checkedOn", -1), text("coverageStatus", "Inactiva (póliza dada de baja)")}},
	{"300400", "asset", "EQ-SOL-0007", "Ecógrafo de la consulta 2", []field{
		text("serialNumber", "LQE10-5512098"), text("location", "Consulta 2, planta baja"), date("installedOn", -640),
		text("manufacturer", "GE HealthCare"), text("model", "LOGIQ E10"), date("nextService", 45)}},

	{"200300", "claim", "FSE-26-0318", "Consultation de suivi – Julien Petit", []field{
		text("patientName", "Julien Petit"), date("dateOfService", -9), money("billedAmount", "30.00", "EUR"),
		text("payer", cpam), text("provider", "Dr Élise Moreau"), text("claimStatus", "Rejetée – carte Vitale illisible")}},
	{"200300", "remittance", "RSP-26-0412", "Retour NOEMIE CPAM de Paris – virement 71200458", []field{
		text("payer", cpam), text("checkNumber", "71200458"), money("paidAmount", "1245.60", "EUR"), date("paymentDate", -12)}},
	{"200300", "remittance", "RSP-26-0431", "Retour NOEMIE Harmonie Mutuelle – virement 3390127", []field{
		text("payer", "Harmonie Mutuelle"), text("checkNumber", "3390127"), money("paidAmount", "312.40", "EUR"), date("paymentDate", -6)}},
	{"200300", "remittance", "RSP-26-0437", "Retour NOEMIE CPAM de Paris – virement 71200987", []field{
		text("payer", cpam), text("checkNumber", "71200987"), money("paidAmount", "0.00", "EUR"), date("paymentDate", -2)}},
	{"200300", "eligibility", "ADR-26-1102", "Vérification des droits Julien Petit – CPAM de Paris", []field{
		text("patientName", "Julien Petit"), text("memberId", "1 85 07 75 123 456 78"), text("payer", cpam), date("checkedOn", -1), text("coverageStatus", "Droits fermés")}},
	{"200300", "asset", "EQ-0101", "Écran de l'accueil", []field{
		text("serialNumber", "EIZ-S1934-77120451"), text("location", "Accueil, rez-de-chaussée"), date("installedOn", -2400),
		text("manufacturer", "EIZO"), text("model", "FlexScan S1934 (1280×1024)"), date("nextService", 120)}},
}

// findRecord returns the record of account with kind and id.
func findRecord(account, kind, id string) (record, bool) {
	for _, r := range records {
		if r.Account == account && r.Kind == kind && r.ID == id {
			return r, true
		}
	}
	return record{}, false
}

// recordsOf returns account's records of kind.
func recordsOf(account, kind string) []record {
	var out []record
	for _, r := range records {
		if r.Account == account && r.Kind == kind {
			out = append(out, r)
		}
	}
	return out
}
