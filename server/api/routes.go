package api

import (
	"net/http"
	"strings"
)

// routes is the one table of the API.
func (s *Server) routes() {
	table := []struct {
		method, path string
		h            http.HandlerFunc
	}{
		{"POST", "/api/v1/login", s.public(s.login)},
		{"POST", "/api/v1/logout", s.public(s.logout)},
		{"POST", "/api/v1/embed/session", s.public(s.openEmbedSession)},
		{"POST", "/api/v1/embed/alive", s.authed(s.keepAlive)},
		{"GET", "/api/v1/me", s.whoIs},
		{"PATCH", "/api/v1/me", s.authed(s.updateMe)},
		{"POST", "/api/v1/me/password", s.authed(s.changePassword)},
		{"POST", "/api/v1/password-reset", s.public(s.requestPasswordReset)},
		{"GET", "/api/v1/password-reset/{token}", s.public(s.checkPasswordReset)},
		{"POST", "/api/v1/password-reset/{token}", s.public(s.resetPassword)},
		{"POST", "/api/v1/email-confirmations/{token}", s.public(s.confirmEmail)},
		{"GET", "/api/v1/catalog", s.authed(s.getCatalog)},
		{"GET", "/api/v1/tickets", s.authed(s.listTickets)},
		{"POST", "/api/v1/tickets", s.authed(s.createTicket)},
		{"GET", "/api/v1/tickets/counts", s.authed(s.countTickets)},
		{"GET", "/api/v1/tickets/unread", s.authed(s.listUnread)},
		{"POST", "/api/v1/tickets/{number}/read", s.authed(s.markRead)},
		{"GET", "/api/v1/events", s.authed(s.events)},
		{"GET", "/api/v1/tickets/{number}", s.authed(s.getTicket)},
		{"PATCH", "/api/v1/tickets/{number}", s.authed(s.patchTicket)},
		{"POST", "/api/v1/tickets/{number}/messages", s.authed(s.addMessage)},
		{"POST", "/api/v1/tickets/{number}/links", s.authed(s.addLink)},
		{"DELETE", "/api/v1/tickets/{number}/links/{recordId}", s.authed(s.removeLink)},
		{"GET", "/api/v1/records", s.authed(s.listRecords)},
		{"GET", "/api/v1/records/unread", s.authed(s.listRecordUnread)},
		{"GET", "/api/v1/records/{id}", s.authed(s.getRecord)},
		{"GET", "/api/v1/integration/records", s.integration(s.integrationListRecords)},
		{"GET", "/api/v1/integration/records/{kind}/{externalId}", s.integration(s.integrationGetRecord)},
		{"PUT", "/api/v1/integration/records/{kind}/{externalId}", s.integration(s.integrationPutRecord)},
		{"DELETE", "/api/v1/integration/records/{kind}/{externalId}", s.integration(s.integrationDeleteRecord)},
		{"GET", "/api/v1/organizations", s.authed(s.listOrganizations)},
		{"GET", "/api/v1/organizations/{id}/vendors", s.authed(s.listVendors)},
		{"PUT", "/api/v1/organizations/{id}/vendors/{vendorId}", s.authed(s.putVendor)},
		{"GET", "/api/v1/organizations/{id}/members", s.authed(s.listMembers)},
		{"PUT", "/api/v1/organizations/{id}/members/{userId}", s.authed(s.putMember)},
		{"POST", "/api/v1/uploads", s.authed(s.upload)},
		{"GET", "/api/v1/attachments/{id}", s.authed(s.getAttachment)},
		{"GET", "/api/v1/views", s.authed(s.listViews)},
		{"POST", "/api/v1/views", s.authed(s.createView)},
		{"PATCH", "/api/v1/views/{id}", s.authed(s.patchView)},
		{"DELETE", "/api/v1/views/{id}", s.authed(s.deleteView)},
		{"GET", "/api/v1/admin/mail", s.authed(s.listMail)},
	}
	for _, r := range table {
		s.mux.HandleFunc(r.method+" "+r.path, r.h)
	}
	s.mux.HandleFunc(catchAll, s.public(func(w http.ResponseWriter, r *http.Request) error {
		// A known path asked with another method: 405 with Allow.
		var allowed []string
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := s.mux.Handler(probe); pattern != catchAll && pattern != "" {
				allowed = append(allowed, m)
			}
		}
		if len(allowed) > 0 {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			return errMethodNotAllowed
		}
		return errNoRoute
	}))
}

// catchAll answers every /api/ request no route takes.
const catchAll = "/api/"
