package site_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestAppJSHandsTheBrowsersResponseToTheCompiler: go-app's page script is
// served with supportal's changes: app.wasm reaches
// WebAssembly.instantiateStreaming as the browser's own Response (code
// cache), its progress counts the uncompressed size, and the service
// worker is registered at once (a page that goes offline early keeps its
// reload).
func TestAppJSHandsTheBrowsersResponseToTheCompiler(t *testing.T) {
	files := testFiles("0123456789")
	srv, st := mustPortal(t, files)
	res, js := get(t, srv.URL+"/app.js")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") {
		t.Fatalf("/app.js: status %d, Content-Type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	for _, want := range []string{
		`supportalFetchWasm("/web/app.wasm", showProgress)`,
		`goappWasmContentLength = "` + strconv.Itoa(len(files["app.wasm"].Data)) + `"`,
		"\ngoappInitServiceWorker();\n",
		"response.clone()",
	} {
		if !strings.Contains(js, want) {
			t.Errorf("/app.js has no %s", want)
		}
	}
	for _, unwanted := range []string{`fetchWithProgress("/web/app.wasm"`} {
		if strings.Contains(js, unwanted) {
			t.Errorf("/app.js still has %q", unwanted)
		}
	}
	res2, _ := get(t, srv.URL+"/app.js", "If-None-Match", `"`+st.Version()+`"`)
	if res2.StatusCode != http.StatusNotModified {
		t.Errorf("/app.js revalidated by the version: status %d, want 304", res2.StatusCode)
	}
}
