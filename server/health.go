package main

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"
)

// health answers a load balancer's questions beside the portal:
//
//   - GET /healthz: the process serves (liveness): always 200 while it
//     does;
//   - GET /readyz: send it requests (readiness): 200 when the database
//     answers, its schema is current and (several nodes) the node hears
//     the others; 503 otherwise, and from the moment the node was told to
//     stop (SIGTERM), so that the balancer sends new requests elsewhere
//     while it finishes those under way.
//
// The reasons are logged, not answered: the portal is public.
type health struct {
	ready    func(context.Context) error
	draining atomic.Bool
	log      *slog.Logger
	next     http.Handler
}

func (h *health) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/healthz", "/readyz":
	default:
		h.next.ServeHTTP(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if r.URL.Path == "/healthz" {
		w.Write([]byte("ok\n"))
		return
	}
	if h.draining.Load() {
		http.Error(w, "stopping", http.StatusServiceUnavailable)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := h.ready(ctx); err != nil {
		h.log.Warn("not ready", "err", err)
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready\n"))
}
