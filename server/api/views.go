package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/supportal/supportal/app/ticket"
)

// Saved views: a user's named searches of the ticket list. A user only
// ever sees, changes or deletes their own views; another user's view is
// not found, exactly like a missing one.

type viewsResponse struct {
	Views []ticket.View `json:"views"`
}

type viewResponse struct {
	View ticket.View `json:"view"`
}

type viewRequest struct {
	Name  *string       `json:"name"`
	Query *ticket.Query `json:"query"`
}

// maxViews is how many views one user may save.
const maxViews = 50

var errTooManyViews = ticket.ValidationFailed("name", "ErrTooManyViews")

func viewID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, ticket.ErrNotFound
	}
	return id, nil
}

// checkView checks a view's query as the list would: a view a user could
// not run is not saved.
func checkView(v ticket.Viewer, q ticket.Query) error {
	if err := q.Check(); err != nil {
		return err
	}
	_, err := storeQuery(q, v)
	return err
}

func (s *Server) listViews(w http.ResponseWriter, r *http.Request) error {
	views, err := s.store.Views(r.Context(), viewerOf(r).User.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewsResponse{Views: views})
	return nil
}

func (s *Server) createView(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	var req viewRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	var name string
	if req.Name != nil {
		name = strings.Join(strings.Fields(ticket.CleanText(*req.Name)), " ") // one line
	}
	if err := ticket.CheckViewName(name); err != nil {
		return err
	}
	var q ticket.Query
	if req.Query != nil {
		q = *req.Query
	}
	if err := checkView(v, q); err != nil {
		return err
	}
	existing, err := s.store.Views(r.Context(), v.User.ID)
	if err != nil {
		return err
	}
	if len(existing) >= maxViews {
		return errTooManyViews
	}
	view, err := s.store.CreateView(r.Context(), v.User.ID, ticket.View{Name: name, Query: q}, s.cfg.Now())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, viewResponse{View: view})
	return nil
}

func (s *Server) patchView(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	id, err := viewID(r)
	if err != nil {
		return err
	}
	var req viewRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	old, err := s.store.View(r.Context(), v.User.ID, id)
	if err != nil {
		return err
	}
	name := old.Name
	if req.Name != nil {
		name = strings.Join(strings.Fields(ticket.CleanText(*req.Name)), " ") // one line
		if err := ticket.CheckViewName(name); err != nil {
			return err
		}
	}
	if req.Query != nil {
		if err := checkView(v, *req.Query); err != nil {
			return err
		}
	}
	view, err := s.store.UpdateView(r.Context(), v.User.ID, id, name, req.Query)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewResponse{View: view})
	return nil
}

func (s *Server) deleteView(w http.ResponseWriter, r *http.Request) error {
	id, err := viewID(r)
	if err != nil {
		return err
	}
	if err := s.store.DeleteView(r.Context(), viewerOf(r).User.ID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// listOrganizations answers the organizations the caller may filter the
// ticket list by: agents all, portal users their accounts.
func (s *Server) listOrganizations(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r)
	orgs := v.Accounts()
	if v.Agent() {
		var err error
		if orgs, err = s.store.Organizations(r.Context()); err != nil {
			return err
		}
	}
	if orgs == nil {
		orgs = []ticket.Organization{}
	}
	writeJSON(w, http.StatusOK, struct {
		Organizations []ticket.Organization `json:"organizations"`
	}{orgs})
	return nil
}
