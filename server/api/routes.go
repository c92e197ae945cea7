package api

import "net/http"

// routes is the one table of the API.
func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("POST /api/v1/login", s.public(s.login))
	m.HandleFunc("POST /api/v1/logout", s.public(s.logout))
	m.HandleFunc("GET /api/v1/me", s.authed(s.me))
	m.HandleFunc("PATCH /api/v1/me", s.authed(s.updateMe))
	m.HandleFunc("GET /api/v1/catalog", s.authed(s.getCatalog))
	m.HandleFunc("GET /api/v1/tickets", s.authed(s.listTickets))
	m.HandleFunc("POST /api/v1/tickets", s.authed(s.createTicket))
	m.HandleFunc("GET /api/v1/tickets/counts", s.authed(s.countTickets))
	m.HandleFunc("GET /api/v1/tickets/{number}", s.authed(s.getTicket))
	m.HandleFunc("/api/", s.public(func(w http.ResponseWriter, r *http.Request) error {
		return errNoRoute
	}))
}
