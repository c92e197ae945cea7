package site_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/embed"
	"github.com/supportal/supportal/server/site"
	"github.com/supportal/supportal/server/store"
)

func testFiles(wasm string) fstest.MapFS {
	return fstest.MapFS{
		"style.css":             {Data: []byte("body{}")},
		"store.js":              {Data: []byte("self.supportalStore = {};")},
		"icon.svg":              {Data: []byte("<svg/>")},
		"clip.svg":              {Data: []byte("<svg/>")},
		"icon-192.png":          {Data: []byte("png192")},
		"icon-512.png":          {Data: []byte("png512")},
		"icon-maskable-512.png": {Data: []byte("pngmask")},
		"robots.txt":            {Data: []byte("User-agent: *")},
		"embed.go":              {Data: []byte("package web")},
		"app.wasm":              {Data: []byte(wasm)},
		"app.wasm.br":           {Data: []byte("BR:" + wasm)},
		"app.wasm.gz":           {Data: []byte("GZ:" + wasm)},
	}
}

func mustPortal(t *testing.T, files fstest.MapFS) (*httptest.Server, *site.Site) {
	t.Helper()
	return mustPortalWith(t, files, api.Config{})
}

func mustPortalWith(t *testing.T, files fstest.MapFS, cfg api.Config) (*httptest.Server, *site.Site) {
	t.Helper()
	db, err := store.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h, st, err := site.Portal(api.New(db, cfg), files)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, st
}

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1] // Go's client sends req.Host, not the header
		}
		req.Header.Set(header[i], header[i+1])
	}
	// Go's transport would add and undo gzip by itself; ask explicitly.
	tr := &http.Transport{DisableCompression: true}
	res, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestSecurityHeadersEverywhere(t *testing.T) {
	srv, _ := mustPortal(t, testFiles("wasm"))
	for _, path := range []string{"/", "/login", "/tickets/10001", "/web/style.css", "/api/v1/me", "/api/v1/nope", "/manifest.webmanifest"} {
		res, _ := get(t, srv.URL+path)
		h := res.Header
		if got := h.Get("Content-Security-Policy"); got != "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' "+site.PreloadHash+"; object-src 'none'; base-uri 'none'; frame-ancestors 'self'" {
			t.Errorf("%s: CSP = %q", path, got)
		}
		if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options = %q", path, got)
		}
		if got := h.Get("Referrer-Policy"); got != "same-origin" {
			t.Errorf("%s: Referrer-Policy = %q", path, got)
		}
	}
}

// TestFrameAncestorsPerRoute: only the embed pages may be framed by the
// hosts' origins; every other page and answer only by the portal itself.
func TestFrameAncestorsPerRoute(t *testing.T) {
	hosts, err := embed.Read(strings.NewReader(`{"hosts": [
		{"id": "a", "name": "A", "origins": ["https://portal.a.example", "http://127.0.0.1:8081"], "organizations": ["1"],
		 "keys": [{"kty": "oct", "kid": "k", "alg": "HS256", "k": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY"}]},
		{"id": "b", "name": "B", "origins": ["https://b.example"], "organizations": ["2"],
		 "keys": [{"kty": "oct", "kid": "k", "alg": "HS256", "k": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := mustPortalWith(t, testFiles("wasm"), api.Config{Hosts: hosts})
	self := "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' " + site.PreloadHash + "; object-src 'none'; base-uri 'none'; frame-ancestors 'self'"
	tests := []struct{ path, want string }{
		{"/embed", self + " https://portal.a.example http://127.0.0.1:8081 https://b.example"},
		{"/embed/tickets/new", self + " https://portal.a.example http://127.0.0.1:8081 https://b.example"},
		{"/embedded", self},
		{"/", self},
		{"/tickets/10001", self},
		{"/login", self},
		{"/api/v1/me", self},
		{"/web/style.css", self},
	}
	for _, tt := range tests {
		res, _ := get(t, srv.URL+tt.path)
		if got := res.Header.Get("Content-Security-Policy"); got != tt.want {
			t.Errorf("%s: CSP = %q, want %q", tt.path, got, tt.want)
		}
		if got := res.Header.Get("X-Frame-Options"); got != "" {
			t.Errorf("%s: X-Frame-Options = %q (it would forbid every host)", tt.path, got)
		}
	}
	if res, _ := get(t, srv.URL+"/embed"); res.StatusCode != 200 {
		t.Errorf("/embed: status %d", res.StatusCode)
	}
}

func TestPagesInTheVisitorsLanguage(t *testing.T) {
	srv, _ := mustPortal(t, testFiles("wasm"))
	tests := []struct{ header, value, lang string }{
		{"Accept-Language", "de-DE,de;q=0.9", `<html lang="de">`},
		{"Accept-Language", "es-ES", `<html lang="es">`},
		{"Accept-Language", "ja", `<html lang="en">`},
		{"Cookie", "lang=fr", `<html lang="fr">`},
	}
	for _, tt := range tests {
		res, body := get(t, srv.URL+"/login", tt.header, tt.value)
		if res.StatusCode != 200 || !strings.Contains(body, tt.lang) {
			t.Errorf("%s: %s: status %d, want %s in %.200s", tt.header, tt.value, res.StatusCode, tt.lang, body)
		}
		if strings.Contains(body, ` selected="false"`) || strings.Contains(body, ` disabled="false"`) {
			t.Errorf("prerendered page has a boolean attribute set to \"false\" (browsers read it as true)")
		}
	}
	res, body := get(t, srv.URL+"/no/such/page", "Accept-Language", "de")
	if res.StatusCode != 404 || !strings.Contains(body, "Seite nicht gefunden") || !strings.Contains(body, `<html lang="de">`) || !strings.Contains(body, `href="/"`) {
		t.Errorf("unrouted page: status %d, body %s; want a German 404 page with a way back", res.StatusCode, body)
	}
}

func TestWasmServedPrecompressed(t *testing.T) {
	srv, st := mustPortal(t, testFiles("WASMBYTES"))
	tests := []struct{ accept, encoding, body string }{
		{"gzip, deflate, br, zstd", "br", "BR:WASMBYTES"},
		{"gzip", "gzip", "GZ:WASMBYTES"},
		{"br;q=0, gzip", "gzip", "GZ:WASMBYTES"},
		{"", "", "WASMBYTES"},
	}
	for _, tt := range tests {
		res, body := get(t, srv.URL+"/web/app.wasm", "Accept-Encoding", tt.accept)
		if res.StatusCode != 200 || body != tt.body || res.Header.Get("Content-Encoding") != tt.encoding {
			t.Errorf("Accept-Encoding %q: %d %q encoding %q; want %q encoding %q", tt.accept, res.StatusCode, body, res.Header.Get("Content-Encoding"), tt.body, tt.encoding)
		}
		if got := res.Header.Get("Content-Type"); got != "application/wasm" {
			t.Errorf("Content-Type = %q", got)
		}
		if !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("Vary = %q", res.Header.Get("Vary"))
		}
	}
	// Revalidation by the build's version.
	res, _ := get(t, srv.URL+"/web/app.wasm", "Accept-Encoding", "br")
	res2, _ := get(t, srv.URL+"/web/app.wasm", "Accept-Encoding", "br", "If-None-Match", res.Header.Get("ETag"))
	if res2.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: status %d, want 304", res2.StatusCode)
	}
	if !strings.Contains(res.Header.Get("ETag"), st.Version()) {
		t.Errorf("ETag %q does not carry the version %q", res.Header.Get("ETag"), st.Version())
	}
}

func TestVersionFollowsTheBuild(t *testing.T) {
	a, _ := site.New(testFiles("one"))
	b, _ := site.New(testFiles("one"))
	c, _ := site.New(testFiles("two"))
	if a.Version() != b.Version() {
		t.Errorf("same files, versions %q and %q differ", a.Version(), b.Version())
	}
	if a.Version() == c.Version() {
		t.Errorf("different app.wasm, same version %q", a.Version())
	}
}

func TestManifestAndWorkerUseLocalIcons(t *testing.T) {
	srv, _ := mustPortal(t, testFiles("wasm"))
	_, manifest := get(t, srv.URL+"/manifest.webmanifest")
	if !strings.Contains(manifest, `"name":"supportal"`) {
		t.Errorf("manifest has no name supportal: %s", manifest)
	}
	_, worker := get(t, srv.URL+"/app-worker.js")
	for name, body := range map[string]string{"manifest": manifest, "worker": worker} {
		if strings.Contains(body, "http://") || strings.Contains(body, "https://") {
			t.Errorf("%s points at another host: %s", name, body)
		}
	}
	for _, want := range []string{"/web/icon-192.png", "/web/style.css", "/web/app.wasm"} {
		if !strings.Contains(worker, want) {
			t.Errorf("service worker does not precache %s", want)
		}
	}
	if res, _ := get(t, srv.URL+"/web/icon-192.png"); res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" {
		t.Errorf("icon: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if res, _ := get(t, srv.URL+"/web/embed.go"); res.StatusCode != 404 {
		t.Errorf("embed.go is served: %d", res.StatusCode)
	}
}

// TestPortalAnswersItsHostsOnly: the portal refuses a request for a name
// re-pointed at it (DNS rebinding: Host and Origin the attacker's), the
// pages with a short text, the API with its JSON error; with an https
// public URL every answer carries HSTS.
func TestPortalAnswersItsHostsOnly(t *testing.T) {
	srv, _ := mustPortal(t, testFiles("wasm"))
	for _, path := range []string{"/", "/login", "/web/style.css", "/api/v1/me"} {
		res, body := get(t, srv.URL+path, "Host", "attacker.example", "Origin", "http://attacker.example")
		if res.StatusCode != http.StatusMisdirectedRequest {
			t.Errorf("%s for attacker.example: %d, want 421", path, res.StatusCode)
		}
		wantType := "text/plain"
		if strings.HasPrefix(path, "/api/") {
			wantType = "application/json"
			if !strings.Contains(body, `"code":"misdirected"`) {
				t.Errorf("%s: body %s, want the misdirected error", path, body)
			}
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, wantType) {
			t.Errorf("%s: Content-Type %q, want %s", path, ct, wantType)
		}
		if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: a refusal lacks the security headers", path)
		}
		if got := res.Header.Get("Strict-Transport-Security"); got != "" {
			t.Errorf("%s without a public URL: Strict-Transport-Security = %q", path, got)
		}
		if res, _ := get(t, srv.URL+path); res.StatusCode == http.StatusMisdirectedRequest {
			t.Errorf("%s for 127.0.0.1: 421", path)
		}
	}

	db, err := store.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	public, _ := api.ParsePublicURL("https://support.example.com")
	h, _, err := site.Portal(api.New(db, api.Config{PublicURL: public}), testFiles("wasm"))
	if err != nil {
		t.Fatal(err)
	}
	https := httptest.NewServer(h)
	t.Cleanup(https.Close)
	for _, tt := range []struct {
		host   string
		status int
	}{{"support.example.com", 200}, {https.Listener.Addr().String(), 421}} {
		res, _ := get(t, https.URL+"/login", "Host", tt.host)
		if res.StatusCode != tt.status || res.Header.Get("Strict-Transport-Security") != "max-age=31536000" {
			t.Errorf("public https, Host %s: %d, HSTS %q; want %d, max-age=31536000", tt.host, res.StatusCode, res.Header.Get("Strict-Transport-Security"), tt.status)
		}
	}
}

// TestFavicon: /favicon.ico, which browsers ask for by themselves, is the
// portal's icon, not the 404 page.
func TestFavicon(t *testing.T) {
	srv, _ := mustPortal(t, testFiles("wasm"))
	res, body := get(t, srv.URL+"/favicon.ico")
	if res.StatusCode != 200 {
		t.Fatalf("/favicon.ico: status %d, want 200", res.StatusCode)
	}
	if got, want := res.Header.Get("Content-Type"), "image/png"; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	if got, want := body, "png192"; got != want {
		t.Errorf("body %q, want the icon %q", got, want)
	}
}
