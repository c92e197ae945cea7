package demohost

import (
	"strings"
	"time"
)

// The practice portal's own small dictionary: its pages speak the user's
// language (German, English, French or Spanish).

// langs are the languages of the pages, as the language switch lists them.
var langs = []struct{ Code, Name string }{
	{"de", "Deutsch"}, {"en", "English"}, {"es", "Español"}, {"fr", "Français"},
}

func validLang(l string) bool {
	for _, x := range langs {
		if x.Code == l {
			return true
		}
	}
	return false
}

// dict holds each text in de, en, es, fr (in this order).
var dict = map[string][4]string{
	"tagline":        {"Praxisverwaltung", "Practice management", "Gestión de la consulta", "Gestion du cabinet"},
	"demoNote":       {"Demo: ein erfundenes Praxisportal, das supportal einbettet.", "Demo: a made-up practice portal that embeds supportal.", "Demo: un portal de consulta ficticio que integra supportal.", "Démo : un portail de cabinet fictif qui intègre supportal."},
	"nav":            {"Navigation", "Navigation", "Navegación", "Navigation"},
	"home":           {"Start", "Home", "Inicio", "Accueil"},
	"claim":          {"Abrechnungsfall", "Claim", "Reclamación", "Feuille de soins"},
	"remittances":    {"Zahlungsavise", "Remittances", "Remesas", "Retours de paiement"},
	"eligibility":    {"Anspruchsprüfung", "Eligibility check", "Consulta de elegibilidad", "Vérification des droits"},
	"asset":          {"Gerät", "Equipment", "Equipo", "Équipement"},
	"kiosk":          {"Empfangsterminal", "Reception kiosk", "Terminal de recepción", "Borne d’accueil"},
	"language":       {"Sprache", "Language", "Idioma", "Langue"},
	"signedInAs":     {"Angemeldet als", "Signed in as", "Sesión de", "Connecté·e :"},
	"switchUser":     {"Benutzer wechseln", "Switch user", "Cambiar de usuario", "Changer d’utilisateur"},
	"whoAreYou":      {"Wer sind Sie?", "Who are you?", "¿Quién es usted?", "Qui êtes-vous ?"},
	"pickHint":       {"Dieses Demo-Portal hat keine Anmeldung: Wählen Sie eine Person.", "This demo portal has no sign-in: pick a person.", "Este portal de demostración no tiene inicio de sesión: elija una persona.", "Ce portail de démonstration n’a pas de connexion : choisissez une personne."},
	"welcome":        {"Willkommen, {name}", "Welcome, {name}", "Bienvenido, {name}", "Bienvenue, {name}"},
	"pagesIntro":     {"Jede Seite zeigt die Hilfe von supportal neben einem Datensatz dieses Portals.", "Each page shows supportal’s help beside one of this portal’s records.", "Cada página muestra la ayuda de supportal junto a un registro de este portal.", "Chaque page affiche l’aide de supportal à côté d’un dossier de ce portail."},
	"account":        {"Konto", "Account", "Cuenta", "Compte"},
	"getHelp":        {"Hilfe erhalten", "Get Help", "Obtener ayuda", "Obtenir de l’aide"},
	"help":           {"Hilfe & Support", "Help & support", "Ayuda y soporte", "Aide et assistance"},
	"close":          {"Schließen", "Close", "Cerrar", "Fermer"},
	"unread":         {"{n} ungelesene Nachrichten", "{n} unread messages", "{n} mensajes sin leer", "{n} messages non lus"},
	"unreadOne":      {"1 ungelesene Nachricht", "1 unread message", "1 mensaje sin leer", "1 message non lu"},
	"ticketCreated":  {"Ticket #{n} erstellt", "Ticket #{n} created", "Ticket n.º {n} creado", "Ticket n° {n} créé"},
	"tokenFailed":    {"Anmeldung beim Support nicht möglich.", "Could not sign in to support.", "No se pudo iniciar sesión en el soporte.", "Connexion à l’assistance impossible."},
	"actions":        {"Aktionen", "Actions", "Acciones", "Actions"},
	"moreActions":    {"Aktionen für {id}", "Actions for {id}", "Acciones de {id}", "Actions pour {id}"},
	"download":       {"{file}-Datei herunterladen", "Download {file} file", "Descargar archivo {file}", "Télécharger le fichier {file}"},
	"number":         {"Nummer", "Number", "Número", "Numéro"},
	"result":         {"Ergebnis der Anspruchsprüfung", "Eligibility check result", "Resultado de la consulta", "Résultat de la vérification"},
	"checkAgain":     {"Erneut prüfen", "Check again", "Volver a consultar", "Vérifier à nouveau"},
	"details":        {"Details", "Details", "Detalles", "Détails"},
	"kioskStart":     {"Tippen Sie auf Ihren Namen, um Hilfe zu erhalten.", "Tap your name to get help.", "Toque su nombre para obtener ayuda.", "Touchez votre nom pour obtenir de l’aide."},
	"kioskDone":      {"Fertig", "Done", "Listo", "Terminé"},
	"ended_idle":     {"Die Sitzung wurde wegen Inaktivität beendet.", "The session ended after inactivity.", "La sesión terminó por inactividad.", "La session a pris fin après une inactivité."},
	"ended_logout":   {"Sie wurden abgemeldet.", "You were signed out.", "Se cerró la sesión.", "Vous avez été déconnecté·e."},
	"ended_expired":  {"Die Sitzung ist abgelaufen.", "The session expired.", "La sesión ha caducado.", "La session a expiré."},
	"ended_refused":  {"Der Support hat die Anmeldung abgelehnt.", "Support refused the sign-in.", "El soporte rechazó el inicio de sesión.", "L’assistance a refusé la connexion."},
	"patientName":    {"Patient/in", "Patient", "Paciente", "Patient"},
	"dateOfService":  {"Behandlungsdatum", "Date of service", "Fecha de servicio", "Date des soins"},
	"billedAmount":   {"Rechnungsbetrag", "Billed amount", "Importe facturado", "Montant facturé"},
	"payer":          {"Kostenträger", "Payer", "Pagador", "Organisme payeur"},
	"provider":       {"Leistungserbringer", "Provider", "Proveedor", "Praticien"},
	"claimStatus":    {"Status", "Status", "Estado", "Statut"},
	"checkNumber":    {"Scheck/Überweisung", "Check/transfer", "Cheque/transferencia", "Chèque/virement"},
	"paidAmount":     {"Gezahlt", "Paid", "Pagado", "Payé"},
	"paymentDate":    {"Zahlungsdatum", "Payment date", "Fecha de pago", "Date de paiement"},
	"memberId":       {"Versichertennummer", "Member ID", "Número de afiliado", "Numéro d’assuré"},
	"checkedOn":      {"Geprüft am", "Checked on", "Consultado el", "Vérifié le"},
	"coverageStatus": {"Versicherungsschutz", "Coverage", "Cobertura", "Couverture"},
	"serialNumber":   {"Seriennummer", "Serial number", "Número de serie", "Numéro de série"},
	"location":       {"Standort", "Location", "Ubicación", "Emplacement"},
	"installedOn":    {"Installiert am", "Installed on", "Instalado el", "Installé le"},
	"manufacturer":   {"Hersteller", "Manufacturer", "Fabricante", "Fabricant"},
	"model":          {"Modell", "Model", "Modelo", "Modèle"},
	"nextService":    {"Nächste Wartung", "Next service", "Próximo mantenimiento", "Prochaine maintenance"},
}

// t returns the text key in lang (English when lang is unknown), with
// {name}-style placeholders replaced by pairs of args.
func t(lang, key string, args ...string) string {
	i := 1
	for j, l := range langs {
		if l.Code == lang {
			i = j
		}
	}
	s, ok := dict[key]
	if !ok {
		return key
	}
	out := s[i]
	for j := 0; j+1 < len(args); j += 2 {
		out = strings.ReplaceAll(out, "{"+args[j]+"}", args[j+1])
	}
	return out
}

// format writes a field's value as lang writes dates and amounts.
func format(lang string, f field) string {
	switch f.Kind {
	case "date":
		d, err := time.Parse(time.DateOnly, f.Value)
		if err != nil {
			return f.Value
		}
		switch lang {
		case "de":
			return d.Format("02.01.2006")
		case "en":
			return d.Format("Jan 2, 2006")
		}
		return d.Format("02/01/2006")
	case "money":
		whole, cents, _ := strings.Cut(f.Value, ".")
		symbol := map[string]string{"USD": "$", "EUR": "€"}[f.Currency]
		if symbol == "" {
			symbol = f.Currency
		}
		group, point := ".", ","
		switch lang {
		case "en":
			group, point = ",", "."
		case "fr":
			group = "\u202f"
		}
		for i := len(whole) - 3; i > 0; i -= 3 {
			whole = whole[:i] + group + whole[i:]
		}
		if lang == "en" {
			return symbol + whole + point + cents
		}
		return whole + point + cents + "\u00a0" + symbol
	}
	return f.Value
}
