package state

import (
	"context"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
)

// ViewsState holds the user's saved views: the navigation lists them, the
// ticket list saves, renames and deletes them.
const ViewsState = "views"

// Action names.
const (
	LoadViews  = "/views/load"
	SaveView   = "/views/save"   // value ticket.View: ID 0 creates, otherwise renames/replaces
	DeleteView = "/views/delete" // value int64: the view's id
)

// Views is the user's saved views and the outcome of the last change.
type Views struct {
	Status Load
	UserID int64
	Views  []ticket.View
	Err    *Error // loading failed
	// The last save or delete: Saved is the view saved; ChangeErr and
	// Fields tell what went wrong.
	Changing  bool
	Saved     ticket.View
	Deleted   int64
	ChangeErr *Error
	Fields    []ticket.FieldError
}

func init() {
	app.Handle(LoadViews, handleLoadViews)
	app.Handle(SaveView, handleSaveView)
	app.Handle(DeleteView, handleDeleteView)
}

func handleLoadViews(ctx app.Context, a app.Action) {
	s := CurrentSession(ctx)
	var cur Views
	ctx.GetState(ViewsState, &cur)
	if cur.UserID != s.User.ID {
		cur = Views{UserID: s.User.ID}
	}
	cur.Status, cur.Err = Loading, nil
	ctx.SetState(ViewsState, cur)
	var res struct {
		Views []ticket.View `json:"views"`
	}
	if err := call(context.Background(), "GET", "/api/v1/views", nil, &res); err != nil {
		expired(ctx, err)
		cur.Status, cur.Err = Failed, err
		ctx.SetState(ViewsState, cur)
		return
	}
	cur.Status, cur.Views = Loaded, res.Views
	ctx.SetState(ViewsState, cur)
}

func handleSaveView(ctx app.Context, a app.Action) {
	v, _ := a.Value.(ticket.View)
	var cur Views
	ctx.GetState(ViewsState, &cur)
	cur.Changing, cur.ChangeErr, cur.Fields, cur.Saved, cur.Deleted = true, nil, nil, ticket.View{}, 0
	ctx.SetState(ViewsState, cur)
	method, path := "POST", "/api/v1/views"
	if v.ID != 0 {
		method, path = "PATCH", "/api/v1/views/"+strconv.FormatInt(v.ID, 10)
	}
	var res struct {
		View ticket.View `json:"view"`
	}
	status, body, err := send(context.Background(), method, path, map[string]any{"name": v.Name, "query": v.Query}, nil, &res)
	ctx.GetState(ViewsState, &cur)
	cur.Changing = false
	if err != nil {
		expired(ctx, err)
		cur.ChangeErr = err
		if status == 422 {
			cur.Fields = body.Fields
		}
		ctx.SetState(ViewsState, cur)
		return
	}
	views := []ticket.View{}
	replaced := false
	for _, old := range cur.Views {
		if old.ID == res.View.ID {
			old, replaced = res.View, true
		}
		views = append(views, old)
	}
	if !replaced {
		views = append(views, res.View)
	}
	cur.Views, cur.Saved = views, res.View
	ctx.SetState(ViewsState, cur)
}

func handleDeleteView(ctx app.Context, a app.Action) {
	id, _ := a.Value.(int64)
	var cur Views
	ctx.GetState(ViewsState, &cur)
	cur.Changing, cur.ChangeErr, cur.Fields, cur.Saved, cur.Deleted = true, nil, nil, ticket.View{}, 0
	ctx.SetState(ViewsState, cur)
	err := call(context.Background(), "DELETE", "/api/v1/views/"+strconv.FormatInt(id, 10), nil, nil)
	ctx.GetState(ViewsState, &cur)
	cur.Changing = false
	if err != nil && err.Code != ticket.CodeNotFound {
		expired(ctx, err)
		cur.ChangeErr = err
		ctx.SetState(ViewsState, cur)
		return
	}
	views := []ticket.View{}
	for _, old := range cur.Views {
		if old.ID != id {
			views = append(views, old)
		}
	}
	cur.Views, cur.Deleted = views, id
	ctx.SetState(ViewsState, cur)
}

// OrganizationsState holds the organizations the user may filter by
// (agents: all of them).
const OrganizationsState = "organizations"

// LoadOrganizations loads OrganizationsState.
const LoadOrganizations = "/organizations/load"

// Organizations is a loaded list of organizations.
type Organizations struct {
	Status        Load
	Organizations []ticket.Organization
	Err           *Error
}

func init() { app.Handle(LoadOrganizations, handleLoadOrganizations) }

func handleLoadOrganizations(ctx app.Context, a app.Action) {
	ctx.SetState(OrganizationsState, Organizations{Status: Loading})
	var res struct {
		Organizations []ticket.Organization `json:"organizations"`
	}
	if err := call(context.Background(), "GET", "/api/v1/organizations", nil, &res); err != nil {
		expired(ctx, err)
		ctx.SetState(OrganizationsState, Organizations{Status: Failed, Err: err})
		return
	}
	ctx.SetState(OrganizationsState, Organizations{Status: Loaded, Organizations: res.Organizations})
}
