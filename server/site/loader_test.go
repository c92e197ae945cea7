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
	res2, _ := get(t, srv.URL+"/app.js", "If-None-Match", res.Header.Get("ETag"))
	if res2.StatusCode != http.StatusNotModified {
		t.Errorf("/app.js revalidated by its ETag %s: status %d, want 304", res.Header.Get("ETag"), res2.StatusCode)
	}
	// Its loading label is in the page's language, the lang cookie's
	// first: another language is another version of it.
	if vary := res.Header.Get("Vary"); !strings.Contains(vary, "Cookie") || !strings.Contains(vary, "Accept-Language") {
		t.Errorf("/app.js Vary = %q, want Cookie and Accept-Language", vary)
	}
	res3, js3 := get(t, srv.URL+"/app.js", "Cookie", "lang=de", "If-None-Match", res.Header.Get("ETag"))
	if res3.StatusCode != http.StatusOK || res3.Header.Get("ETag") == res.Header.Get("ETag") || !strings.Contains(js3, "supportal") {
		t.Errorf("/app.js in German revalidated by the English ETag: status %d, ETag %s", res3.StatusCode, res3.Header.Get("ETag"))
	}
	if !strings.Contains(res.Header.Get("ETag"), st.Version()) {
		t.Errorf("/app.js ETag %s does not carry the version %s", res.Header.Get("ETag"), st.Version())
	}
}
