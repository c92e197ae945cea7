package site_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/locales"
	"github.com/supportal/supportal/server/site"
)

// workerMarker is the first line of worker.js: /app-worker.js is ours.
const workerMarker = "// supportal service worker (server/site/worker.js)"

// TestWorkerTemplateHook fails when go-app changes how it fills in the
// service worker's template (Handler.ServiceWorkerTemplate): its default
// worker and ours must use the same two placeholders.
func TestWorkerTemplateHook(t *testing.T) {
	for name, tmpl := range map[string]string{"app.DefaultAppWorkerJS": app.DefaultAppWorkerJS, "site.WorkerTemplate": site.WorkerTemplate} {
		for _, want := range []string{"{{.Version}}", "{{.ResourcesToCache}}"} {
			if !strings.Contains(tmpl, want) {
				t.Errorf("%s has no %s", name, want)
			}
		}
	}
	if !strings.HasPrefix(site.WorkerTemplate, workerMarker) {
		t.Errorf("worker.js does not start with %q", workerMarker)
	}
}

var (
	workerCacheName = regexp.MustCompile(`(?m)^const cacheName = cachePrefix \+ "([^"]*)";$`)
	workerResources = regexp.MustCompile(`(?m)^const resourcesToCache = (.*);$`)
)

// worker returns /app-worker.js of the site: its cache's version and the
// resources it precaches.
func worker(t *testing.T, url string) (body, version string, resources []string) {
	t.Helper()
	res, body := get(t, url+"/app-worker.js")
	if res.StatusCode != 200 {
		t.Fatalf("GET /app-worker.js: %d", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/javascript" {
		t.Errorf("GET /app-worker.js: Content-Type %q, want application/javascript", ct)
	}
	if !strings.HasPrefix(body, workerMarker) {
		t.Fatalf("/app-worker.js is not supportal's worker (no %q):\n%.300s", workerMarker, body)
	}
	if strings.Contains(body, "{{") {
		t.Errorf("/app-worker.js has a placeholder left: %s", body[strings.Index(body, "{{"):][:40])
	}
	m := workerCacheName.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("/app-worker.js names no cache (want a line %s)", workerCacheName)
	}
	r := workerResources.FindStringSubmatch(body)
	if r == nil {
		t.Fatalf("/app-worker.js lists no resources (want a line %s)", workerResources)
	}
	if err := json.Unmarshal([]byte(r[1]), &resources); err != nil {
		t.Fatalf("/app-worker.js: resourcesToCache %s: %v", r[1], err)
	}
	return body, m[1], resources
}

// TestServiceWorkerServed: /app-worker.js is worker.js with the build's
// version and the shell, the frame's shell, the app and every static file
// in its precache list, each of which the site serves (one failing
// resource fails the worker's install).
func TestServiceWorkerServed(t *testing.T) {
	srv, st := mustPortal(t, testFiles("wasm"))
	body, version, resources := worker(t, srv.URL)
	if version != st.Version() {
		t.Errorf("cache version %q, want the build's %q", version, st.Version())
	}
	for _, want := range []string{"/", "/embed", "/web/app.wasm", "/app.js", "/wasm_exec.js", "/app.css", "/manifest.webmanifest",
		"/web/style.css", "/web/icon-192.png", "/web/icon-512.png", "/web/icon-maskable-512.png", "/web/icon.svg"} {
		if !slices.Contains(resources, want) {
			t.Errorf("the worker does not precache %s (it precaches %v)", want, resources)
		}
	}
	for _, r := range resources {
		if strings.HasPrefix(r, "/api") {
			t.Errorf("the worker precaches %s, an API address", r)
		}
		if res, _ := get(t, srv.URL+r, "Accept-Encoding", "br"); res.StatusCode != 200 {
			t.Errorf("precached %s: status %d, want 200 (the install would fail)", r, res.StatusCode)
		}
	}
	if strings.Contains(body, `addEventListener("push"`) {
		t.Errorf("the worker handles push messages; supportal sends none")
	}
}

// TestWorkerCacheFollowsTheVersion: another build names another cache, so
// the new worker's activation deletes the old one.
func TestWorkerCacheFollowsTheVersion(t *testing.T) {
	one, _ := mustPortal(t, testFiles("one"))
	two, _ := mustPortal(t, testFiles("two"))
	_, v1, _ := worker(t, one.URL)
	_, v2, _ := worker(t, two.URL)
	if v1 == "" || v1 == v2 {
		t.Errorf("builds one and two: cache versions %q and %q, want two different ones", v1, v2)
	}
}

// TestManifest: the web app manifest is supportal's own, with an id, in the
// visitor's language, and with local icons the site serves.
func TestManifest(t *testing.T) {
	srv, _ := mustPortal(t, testFiles("wasm"))
	type icon struct{ Src, Sizes, Type, Purpose string }
	var want = []icon{
		{"/web/icon-192.png", "192x192", "image/png", "any"},
		{"/web/icon-512.png", "512x512", "image/png", "any"},
		{"/web/icon-maskable-512.png", "512x512", "image/png", "maskable"},
		{"/web/icon.svg", "any", "image/svg+xml", "any"},
	}
	for _, tt := range []struct{ path, accept, lang string }{
		{"/manifest.webmanifest", "en-US", "en"},
		{"/manifest.webmanifest", "de-DE,de;q=0.9", "de"},
		{"/manifest.webmanifest", "fr", "fr"},
		{"/manifest.json", "es", "es"},
	} {
		res, body := get(t, srv.URL+tt.path, "Accept-Language", tt.accept)
		if res.StatusCode != 200 {
			t.Fatalf("%s (%s): status %d", tt.path, tt.accept, res.StatusCode)
		}
		if ct := res.Header.Get("Content-Type"); ct != "application/manifest+json" {
			t.Errorf("%s: Content-Type %q, want application/manifest+json", tt.path, ct)
		}
		var m struct {
			ID, Name, Description, Lang, Scope, Display string
			ShortName                                   string `json:"short_name"`
			StartURL                                    string `json:"start_url"`
			BackgroundColor                             string `json:"background_color"`
			ThemeColor                                  string `json:"theme_color"`
			Icons                                       []icon
		}
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("%s: %v\n%s", tt.path, err, body)
		}
		for _, f := range []struct{ name, got, want string }{
			{"id", m.ID, "/"},
			{"name", m.Name, "supportal"},
			{"short_name", m.ShortName, "supportal"},
			{"description", m.Description, locales.T(tt.lang, "AppDescription", nil)},
			{"lang", m.Lang, tt.lang},
			{"start_url", m.StartURL, "/"},
			{"scope", m.Scope, "/"},
			{"display", m.Display, "standalone"},
			{"background_color", m.BackgroundColor, "#f5f7fa"},
			{"theme_color", m.ThemeColor, "#1f5f8b"},
		} {
			if f.got != f.want {
				t.Errorf("%s (Accept-Language %s): %s = %q, want %q", tt.path, tt.accept, f.name, f.got, f.want)
			}
		}
		if !slices.Equal(m.Icons, want) {
			t.Errorf("%s: icons %v, want %v", tt.path, m.Icons, want)
		}
	}
	for _, ic := range want {
		res, _ := get(t, srv.URL+ic.Src)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != ic.Type {
			t.Errorf("icon %s: %d %q, want 200 %s", ic.Src, res.StatusCode, res.Header.Get("Content-Type"), ic.Type)
		}
	}
	// Pages link it.
	// (go-app writes a tag's attributes in any order.)
	manifestLink := regexp.MustCompile(`<link (rel="manifest" href="/manifest.webmanifest"|href="/manifest.webmanifest" rel="manifest")>`)
	if _, page := get(t, srv.URL+"/"); !manifestLink.MatchString(page) {
		t.Errorf("the page does not link /manifest.webmanifest:\n%s", page)
	}
	// Revalidation.
	res, _ := get(t, srv.URL+"/manifest.webmanifest", "Accept-Language", "de")
	res2, _ := get(t, srv.URL+"/manifest.webmanifest", "Accept-Language", "de", "If-None-Match", res.Header.Get("ETag"))
	if res2.StatusCode != http.StatusNotModified {
		t.Errorf("manifest revalidation: status %d, want 304", res2.StatusCode)
	}
}

// TestWorkerPreloadsNavigations: the worker turns navigation preload on
// and answers a page load with the preloaded response, so the page's
// request does not wait for the worker to start.
func TestWorkerPreloadsNavigations(t *testing.T) {
	srv, _ := mustPortal(t, testFiles("wasm"))
	body, _, _ := worker(t, srv.URL)
	for _, want := range []string{"self.registration.navigationPreload.enable()", "await event.preloadResponse", "fetch(event.request)"} {
		if !strings.Contains(body, want) {
			t.Errorf("/app-worker.js has no %s", want)
		}
	}
}
