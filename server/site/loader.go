package site

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// go-app's page script (/app.js) fetches app.wasm through a stream of its
// own to show the progress, and hands WebAssembly.instantiateStreaming a
// Response made from that stream: every chunk passes through JavaScript on
// the main thread, and the Response has no address, which the browser's
// wasm code cache needs (to look up machine code kept from an earlier
// visit, and to keep it). supportal's version hands over the browser's own
// Response and reads the progress from a copy (Response.clone).
//
// The service worker is registered at once, as go-app does: registered
// later (3 s after the app started, tried for issue 18: cold start ~100 ms
// sooner, within the noise) a page could go offline before a worker
// controlled it, and lose its reload.
var appJSPatches = []struct{ old, new string }{
	{`fetchWithProgress("/web/app.wasm", showProgress)`, `supportalFetchWasm("/web/app.wasm", showProgress)`},
}

// appJSExtra is added to go-app's page script.
const appJSExtra = `
// supportal (server/site/loader.go): app.wasm for instantiateStreaming as
// the browser fetched it (its code cache works with it), the progress read
// from a copy, shown once per percent.
async function supportalFetchWasm(url, progress) {
  // The page's head asked for it already (server/site/preload.go).
  const early = window.supportalWasm;
  delete window.supportalWasm;
  const response = await (early ? early.catch(() => fetch(url)) : fetch(url));
  const total = parseInt(goappWasmContentLength, 10);
  if (!response.ok || !response.body || !(total > 0)) {
    return response;
  }
  const reader = response.clone().body.getReader();
  (async () => {
    let loaded = 0;
    let shown = -1;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      loaded += value.byteLength;
      const p = Math.min(100, Math.floor((loaded * 100) / total));
      if (p !== shown) {
        shown = p;
        progress(p);
      }
    }
  })().catch(() => {});
  return response;
}
`

// patchedAppJS returns go-app's page script of h with supportal's changes;
// it fails when one of them does not apply (go-app's script changed).
func patchedAppJS(h *app.Handler) ([]byte, error) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/app.js", nil))
	if rec.Code != http.StatusOK {
		return nil, fmt.Errorf("go-app's /app.js: status %d", rec.Code)
	}
	js := rec.Body.String()
	for _, p := range appJSPatches {
		if n := strings.Count(js, p.old); n != 1 {
			return nil, fmt.Errorf("go-app's /app.js has %q %d times, want once: supportal's loader changes (server/site/loader.go) need a look", p.old, n)
		}
		js = strings.Replace(js, p.old, p.new, 1)
	}
	return []byte(js + appJSExtra), nil
}

// serveAppJS serves the page script in the visitor's language (its loading
// label), revalidated by the version as go-app does.
func (s *Site) serveAppJS(w http.ResponseWriter, r *http.Request, lang string) {
	// Its loading label is in the language of the page: the lang cookie,
	// else Accept-Language.
	etag := `"` + s.version + "-" + lang + `"`
	h := w.Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", etag)
	h.Add("Vary", "Cookie, Accept-Language")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	w.Write(s.appJS[lang])
}
