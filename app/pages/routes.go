// Package pages holds the app's pages and components, one file each, and
// the one route table both binaries register.
package pages

import (
	"regexp"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Routes of the app. The server answers 404 for any other page path.
const (
	PathDashboard = "/"
	PathLogin     = "/login"
	PathTickets   = "/tickets"
	PathTicket    = "^/tickets/[0-9]+$"
	PathAssistant = "^/assistant(/[a-z]+)?$"
	PathNewTicket = "/tickets/new"
	PathSent      = "/tickets/sent"
	PathAgent     = "/agent"
	PathVendor    = "/vendor/accounts"
	PathSettings  = "/settings/account"
	PathProfile   = "/settings/profile"
	// The pages of the links that go by mail (mail-link-page.go).
	PathForgotPassword = "/forgot-password"
	PathResetPassword  = "/reset-password"
	PathConfirmEmail   = "/confirm-email"
	// PathMailLog: the mails the portal wrote (agents, demo servers).
	PathMailLog = "/admin/mail"
	PathRecords = "/records"
	PathRecord  = "^/records/[0-9]+$"
	PathOutbox  = "/outbox"
	// PathEmbed: where a host portal's frame starts (/embed, /embed/tickets/new…).
	PathEmbed = "^/embed(/.*)?$"
)

// ticketPath matches the address of a ticket's page.
var ticketPath = regexp.MustCompile(PathTicket)

// recordPath matches the address of a record's page.
var recordPath = regexp.MustCompile(PathRecord)

// Register registers every page. Both the browser app and the server call it.
func Register() {
	app.Route(PathDashboard, func() app.Composer { return newDashboardPage() })
	app.Route(PathLogin, func() app.Composer { return newLoginPage() })
	app.Route(PathTickets, func() app.Composer { return newTicketsPage() })
	app.RouteWithRegexp(PathTicket, func() app.Composer { return newTicketPage() })
	app.RouteWithRegexp(PathAssistant, func() app.Composer { return newAssistantPage() })
	app.Route(PathNewTicket, func() app.Composer { return newTicketFormPage() })
	app.Route(PathSent, func() app.Composer { return newSentPage() })
	app.Route(PathAgent, func() app.Composer { return newAgentPage() })
	app.Route(PathVendor, func() app.Composer { return newVendorAccountsPage() })
	app.Route(PathSettings, func() app.Composer { return newAccountSettingsPage() })
	app.Route(PathProfile, func() app.Composer { return newProfilePage() })
	app.Route(PathMailLog, func() app.Composer { return newMailLogPage() })
	for _, path := range []string{PathForgotPassword, PathResetPassword, PathConfirmEmail} {
		app.Route(path, func() app.Composer { return newMailLinkPage() })
	}
	app.Route(PathRecords, func() app.Composer { return newRecordsPage() })
	app.RouteWithRegexp(PathRecord, func() app.Composer { return newRecordPage() })
	app.Route(PathOutbox, func() app.Composer { return newOutboxPage() })
	app.RouteWithRegexp(PathEmbed, func() app.Composer { return newEmbedPage() })
	if !app.IsServer {
		// Any other address, reached by an in-app link: the portal's own
		// page. (go-app shows its own for unrouted paths; the server answers
		// a full load of them with its 404 page, so it must not route them.)
		app.RouteWithRegexp("^/", func() app.Composer { return newNotFoundPage() })
	}
}
