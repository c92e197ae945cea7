package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// With -debug-addr every profile of net/http/pprof is served, the block
// and mutex profiles sampling; without it nothing listens.
func TestProfilerServesEveryProfile(t *testing.T) {
	debug := freeAddr(t)
	_, stop := start(t, "-memory", "-debug-addr", debug)
	defer stop()
	for path, want := range map[string]string{
		"/debug/pprof/":                     "Types of profiles available",
		"/debug/pprof/heap?debug=1":         "heap profile",
		"/debug/pprof/allocs?debug=1":       "heap profile",
		"/debug/pprof/goroutine?debug=1":    "goroutine profile",
		"/debug/pprof/block?debug=1":        "--- contention:",
		"/debug/pprof/mutex?debug=1":        "--- mutex:",
		"/debug/pprof/threadcreate?debug=1": "threadcreate profile",
		"/debug/pprof/cmdline":              "test.",
		"/debug/pprof/symbol":               "num_symbols",
		"/debug/pprof/trace?seconds=0.2":    "go 1.",
		"/debug/pprof/profile?seconds=1":    "", // a gzipped protobuf
	} {
		res, err := http.Get("http://" + debug + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || len(body) == 0 {
			t.Errorf("%s: %s, %d bytes", path, res.Status, len(body))
			continue
		}
		if !strings.Contains(string(body), want) {
			t.Errorf("%s: %.200q lacks %q", path, body, want)
		}
	}
	// The server's goroutines waited on channels meanwhile (the store's
	// writer, the janitors): the block profile has samples.
	if b := mustGet(t, "http://"+debug+"/debug/pprof/block?debug=1"); !strings.Contains(string(b), " @ 0x") {
		t.Errorf("the block profile has no sample: %.300q", b)
	}
}

func mustGet(t *testing.T, url string) []byte {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return b
}
