package main

import (
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime"
	"time"
)

// Sampling rates of the profiles that are off by default: one blocking
// event per 100 µs blocked, one mutex contention event in 100. Set only when
// the profiler is served, so a server without -debug-addr pays nothing.
const (
	blockProfileRate     = 100_000 // nanoseconds
	mutexProfileFraction = 100
)

// serveProfiler serves every profile of net/http/pprof on l: the index and
// the named profiles under it (heap, allocs, goroutine, block, mutex,
// threadcreate), cpu (profile), trace, symbol and cmdline. It turns the
// block and mutex profiles on.
func serveProfiler(l net.Listener, log *slog.Logger) {
	runtime.SetBlockProfileRate(blockProfileRate)
	runtime.SetMutexProfileFraction(mutexProfileFraction)
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	// Profiles and traces take as long as asked (?seconds=): no write timeout.
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(l)
	log.Info("profiler", "url", "http://"+l.Addr().String()+"/debug/pprof/")
}
