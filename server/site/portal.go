package site

import (
	"io/fs"
	"net/http"
	"sync"

	"github.com/supportal/supportal/app/pages"
	"github.com/supportal/supportal/server/api"
)

var registerOnce sync.Once

// Portal is the whole HTTP side of supportal: the API (api.New) under
// /api/, the app everywhere else, security headers on every answer, and
// only for the hosts the API's Guard allows.
func Portal(a *api.Server, files fs.FS) (http.Handler, *Site, error) {
	registerOnce.Do(pages.Register)
	st, err := New(files)
	if err != nil {
		return nil, nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", a)
	mux.Handle("/", st)
	return Headers(a.Guard(mux), a.FrameAncestors()), st, nil
}
