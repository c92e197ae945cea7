package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/supportal/supportal/server/store"
)

// /healthz answers while the process serves; /readyz only while the store
// is ready and the node is not stopping, without telling why not.
func TestHealthEndpoints(t *testing.T) {
	var notReady error
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	h := &health{ready: func(context.Context) error { return notReady }, log: slog.New(slog.NewTextHandler(io.Discard, nil)), next: next}
	get := func(method, path string) (int, string) {
		t.Helper()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
		return rec.Code, rec.Body.String()
	}
	for _, c := range []struct {
		name, method, path string
		notReady           error
		draining           bool
		status             int
		body               string
	}{
		{"alive", "GET", "/healthz", nil, false, 200, "ok\n"},
		{"ready", "GET", "/readyz", nil, false, 200, "ready\n"},
		{"ready, HEAD", "HEAD", "/readyz", nil, false, 200, "ready\n"},
		{"store not ready: no reason told", "GET", "/readyz", errors.New("database schema at 3, this build needs 23"), false, 503, "not ready\n"},
		{"store not ready, still alive", "GET", "/healthz", errors.New("database: connection refused"), false, 200, "ok\n"},
		{"stopping", "GET", "/readyz", nil, true, 503, "stopping\n"},
		{"stopping, still alive", "GET", "/healthz", nil, true, 200, "ok\n"},
		{"not a method of theirs", "POST", "/readyz", nil, false, 405, "method not allowed\n"},
		{"the portal behind", "GET", "/readyz/x", nil, false, http.StatusTeapot, ""},
	} {
		notReady = c.notReady
		h.draining.Store(c.draining)
		if status, body := get(c.method, c.path); status != c.status || body != c.body {
			t.Errorf("%s: %s %s = %d %q, want %d %q", c.name, c.method, c.path, status, body, c.status, c.body)
		}
	}
}

// supportal migrate brings a new store to this build's schema and stops.
func TestMigrateCommand(t *testing.T) {
	dir := t.TempDir()
	var out strings.Builder
	if err := runMigrate(context.Background(), []string{"-data", dir}, &out); err != nil {
		t.Fatal(err)
	}
	db, err := openStore(context.Background(), "", dir, false, store.PostgresOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ready(context.Background()); err != nil {
		t.Errorf("after migrate: %v", err)
	}
	v, _ := db.SchemaVersion(context.Background())
	if want := dir + "/supportal.db: schema at version " + strconv.Itoa(v) + "\n"; out.String() != want || v < 23 {
		t.Errorf("migrate said %q, want %q (version ≥ 23)", out.String(), want)
	}
	for _, args := range [][]string{{"-db", "mysql://x"}, {"-db", "postgres://x", "extra"}} {
		if err := runMigrate(context.Background(), args, io.Discard); err == nil {
			t.Errorf("migrate %v: no error", args)
		}
	}
}
