package api

import (
	"net/http"
	"strconv"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

var (
	errAccessLevel = ticket.Errorf(ticket.CodeInvalid, "ErrAccessLevel", "access")
	errOwnAccess   = ticket.Errorf(ticket.CodeConflict, "ErrOwnAccess", "ticketAccess")
)

// adminOrg reads the {id} of the request: an organization the caller is an
// admin of (403 otherwise: its settings are the admins').
func adminOrg(r *http.Request, v ticket.Viewer) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, ticket.ErrNotFound
	}
	if !v.IsAdmin(id) {
		return 0, ticket.ErrForbidden
	}
	return id, nil
}

// listVendors answers the vendors with access to the organization's
// tickets (its admins' vendor settings).
func (s *Server) listVendors(w http.ResponseWriter, r *http.Request) error {
	id, err := adminOrg(r, viewerOf(r))
	if err != nil {
		return err
	}
	vs, err := s.store.Vendors(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Vendors []ticket.VendorAccount `json:"vendors"`
	}{vs})
	return nil
}

// putVendor sets a vendor's access to the organization's tickets: none,
// read or full. A vendor who pays for the account keeps full access (409).
// It applies at once, also to the vendor's open websockets.
func (s *Server) putVendor(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	var req struct {
		Access ticket.Access `json:"access"`
	}
	if err := decode(w, r, &req); err != nil {
		return err
	}
	id, err := adminOrg(r, v)
	if err != nil {
		return err
	}
	vendorID, err := strconv.ParseInt(r.PathValue("vendorId"), 10, 64)
	if err != nil || vendorID <= 0 {
		return ticket.ErrNotFound
	}
	if !req.Access.Valid() {
		return errAccessLevel
	}
	if err := s.store.ChangeVendorAccess(r.Context(), id, vendorID, req.Access); err != nil {
		return err
	}
	// The vendor's users see it at once on the pages they have open.
	members, err := s.store.Members(r.Context(), vendorID)
	if err != nil {
		return err
	}
	ids := make([]int64, len(members))
	for i, m := range members {
		ids[i] = m.User.ID
	}
	s.accessChanged(r.Context(), ids...)
	return s.listVendors(w, r)
}

// listMembers answers the organization's users with their ticket access.
func (s *Server) listMembers(w http.ResponseWriter, r *http.Request) error {
	id, err := adminOrg(r, viewerOf(r))
	if err != nil {
		return err
	}
	ms, err := s.store.Members(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Members []store.Member `json:"members"`
	}{ms})
	return nil
}

// putMember grants or revokes a member's access to the organization's
// tickets. Admins cannot revoke their own (nobody could grant it back).
func (s *Server) putMember(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	var req struct {
		TicketAccess *bool `json:"ticketAccess"`
	}
	if err := decode(w, r, &req); err != nil {
		return err
	}
	id, err := adminOrg(r, v)
	if err != nil {
		return err
	}
	userID, err := strconv.ParseInt(r.PathValue("userId"), 10, 64)
	if err != nil || userID <= 0 {
		return ticket.ErrNotFound
	}
	if req.TicketAccess == nil {
		return ticket.Errorf(ticket.CodeInvalid, "ErrBadParameter", "ticketAccess")
	}
	if userID == v.User.ID && !*req.TicketAccess {
		return errOwnAccess
	}
	if err := s.store.SetTicketAccess(r.Context(), id, userID, *req.TicketAccess); err != nil {
		return err
	}
	s.accessChanged(r.Context(), userID) // the member sees it at once on the pages they have open
	return s.listMembers(w, r)
}
