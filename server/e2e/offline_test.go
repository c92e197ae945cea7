package e2e

import (
	"context"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/site"
	"github.com/supportal/supportal/web"
)

// JavaScript about the service worker (server/site/worker.js).
const (
	// the page is controlled by the worker
	jsControlled = `navigator.serviceWorker.controller !== null`
	// waits until the worker is active
	jsWorkerReady = `navigator.serviceWorker.ready.then(r => r.active !== null)`
	// the names of the caches in Cache Storage, sorted
	jsCacheNames = `caches.keys().then(k => k.sort())`
	// every entry of Cache Storage as "cache-name /path?query"
	jsCached = `(async () => {
		const out = [];
		for (const name of await caches.keys()) {
			const cache = await caches.open(name);
			for (const req of await cache.keys()) {
				const u = new URL(req.url);
				out.push(name + ' ' + u.pathname + u.search);
			}
		}
		return out;
	})()`
	// go-app logs this when its page script reports a new version (OnAppUpdate)
	updateLog = "has been updated, reload to see changes"
)

// controlled opens path once the service worker is active and waits until
// the worker controls the page. The worker takes no page at its first
// install (taking one would report an update), so the first page it
// controls is a page loaded after that.
func (b *browser) controlled(path string) {
	b.t.Helper()
	if !evalAwait[bool](b, jsWorkerReady) {
		b.t.Fatal("navigator.serviceWorker.ready gave a registration without an active worker")
	}
	b.open(path)
}

// logged reports whether the browser's console has a line containing s.
func (b *browser) logged(s string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.ContainsFunc(b.console, func(l string) bool { return strings.Contains(l, s) })
}

func siteVersion(t *testing.T, files fs.FS) string {
	t.Helper()
	st, err := site.New(files)
	if err != nil {
		t.Fatal(err)
	}
	return st.Version()
}

// The portal is an installable app for Chromium: a manifest with an id,
// local icons of the right sizes, a worker that controls the page and
// answers navigations. (Headless Chromium reported no installability error
// at all when this test was written.)
func TestInstallable(t *testing.T) {
	p := startPortal(t)
	b := newBrowser(t, p, "en-US")
	b.open("/login")
	b.controlled("/login")
	ctx, cancel := context.WithTimeout(b.ctx, waitTimeout)
	defer cancel()
	m, err := chromedp.Call(ctx, page.GetAppManifest, page.GetAppManifestParams{})
	if err != nil {
		t.Fatalf("Page.getAppManifest: %v", err)
	}
	if !strings.HasSuffix(m.URL, "/manifest.webmanifest") || len(m.Errors) > 0 {
		t.Errorf("manifest %s, errors %v; want /manifest.webmanifest without errors", m.URL, m.Errors)
	}
	if m.Manifest == nil || m.Manifest.ID != p.URL+"/" || m.Manifest.StartURL != p.URL+"/" {
		t.Errorf("manifest parsed as %+v; want id and start_url %s/", m.Manifest, p.URL)
	}
	res, err := chromedp.Call(ctx, page.GetInstallabilityErrors, cdp.Empty{})
	if err != nil {
		t.Fatalf("Page.getInstallabilityErrors: %v", err)
	}
	for _, e := range res.InstallabilityErrors {
		args := make([]string, 0, len(e.ErrorArguments))
		for _, a := range e.ErrorArguments {
			args = append(args, a.Name+"="+a.Value)
		}
		t.Errorf("installability error %s %v", e.ErrorID, args)
	}
}

// Anna used the portal; then the server cannot be reached. Deep links
// loaded by address still start the app from the worker's cached shell
// (the frame's own shell under /embed) instead of the browser's error page,
// and Cache Storage holds the shell and static files only: no API answer,
// no page she visited.
func TestOfflineDeepLinks(t *testing.T) {
	p := startPortal(t)
	sonnenschein := p.org(t, "100200")
	n := strconv.FormatInt(p.numbers(t, sonnenschein, true)[0], 10)
	anna := loginTo(t, p, "de-DE", seed.AnnaEmail)
	anna.controlled("/tickets/" + n)
	anna.waitTrue("ticket page online", qExists("#ticket-subject"))
	anna.open("/tickets")
	anna.waitTrue("ticket list online", qExists(`table.tickets tr[id^="ticket-row-"]`))

	// Online, the server's 404 for an unknown page is shown, not the shell.
	anna.open("/no/such/page")
	anna.waitText("unknown page online", `(document.querySelector('h1')?.textContent ?? '').trim()`, msg(t, "de", "NotFoundTitle"))

	p.stop()
	for _, tt := range []struct{ path, shell string }{
		{"/tickets/new", "div.shell:not(.shell-embedded) main#main"},
		{"/tickets/" + n, "div.shell:not(.shell-embedded) main#main"},
		{"/embed/tickets/new", "div.shell.shell-embedded main#main"},
	} {
		anna.open(tt.path) // waits until app.wasm ran: #app-wasm-loader gone
		anna.waitText(tt.path+" offline: address", jsPath, tt.path)
		anna.waitTrue(tt.path+" offline: the app's shell ("+tt.shell+")", qExists(tt.shell))
		// Which cached shell answered (the frame's carries the header that
		// lets host portals frame it): its prerendered HTML, which app.wasm
		// does not replace with ?wasm=false (go-app).
		anna.open(tt.path + "?wasm=false")
		anna.waitTrue(tt.path+" offline: the cached shell's own HTML ("+tt.shell+")", qExists(tt.shell))
	}

	version := siteVersion(t, web.Files)
	cached := evalAwait[[]string](anna, jsCached)
	if len(cached) == 0 {
		t.Fatal("Cache Storage is empty")
	}
	for _, e := range cached {
		name, path, _ := strings.Cut(e, " ")
		if name != "supportal-"+version {
			t.Errorf("cache %q, want only supportal-%s", name, version)
		}
		if strings.HasPrefix(path, "/api") || strings.HasPrefix(path, "/tickets") || strings.Contains(path, "/no/such") {
			t.Errorf("Cache Storage holds %s: only the shell and static files may be cached", e)
		}
	}
	for _, want := range []string{"/", "/embed", "/web/app.wasm"} {
		if !slices.Contains(cached, "supportal-"+version+" "+want) {
			t.Errorf("Cache Storage lacks %s: %v", want, cached)
		}
	}
}

// A new build: the worker of the new version installs, deletes the caches
// of earlier versions (and of go-app's default worker) but not caches of
// others, and go-app's page script reports the update (OnAppUpdate). The
// first install reported none.
func TestOfflineNewVersion(t *testing.T) {
	p := startPortal(t)
	b := newBrowser(t, p, "de-DE")
	b.open("/login")
	b.login(seed.BerndEmail, seed.Password)
	b.waitText("path after login", jsPath, "/")
	b.controlled("/")
	b.waitTrue("dashboard", qExists("a#start-assistant"))
	v1 := siteVersion(t, web.Files)
	if got := evalAwait[[]string](b, jsCacheNames); !slices.Equal(got, []string{"supportal-" + v1}) {
		t.Fatalf("caches %v, want [supportal-%s]", got, v1)
	}
	if b.logged(updateLog) {
		t.Errorf("the first install reported an update (%q)", updateLog)
	}
	evalAwait[bool](b, `Promise.all(['supportal-0000stale', 'app-0123abcd', 'someone-elses'].map(n => caches.open(n))).then(() => true)`)

	// The next build: the same files and one more.
	next := fstest.MapFS{"next-build.txt": {Data: []byte("next")}}
	err := fs.WalkDir(web.Files, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(web.Files, path)
		next[path] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	v2 := siteVersion(t, next)
	if v2 == v1 {
		t.Fatalf("the next build has the same version %s", v1)
	}
	p.stop()
	p.files = next
	p.restart(t)

	eval[bool](b, `(() => {
		window.updateReported = false;
		const onUpdate = window.goappOnUpdate;
		window.goappOnUpdate = () => { window.updateReported = true; onUpdate(); };
		goappTryUpdate();
		return true;
	})()`)
	b.waitTrue("go-app reports the new version", `window.updateReported === true`)
	want := []string{"someone-elses", "supportal-" + v2}
	var got []string
	for deadline := time.Now().Add(waitTimeout); ; time.Sleep(100 * time.Millisecond) {
		if got = evalAwait[[]string](b, jsCacheNames); slices.Equal(got, want) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("caches after the update: %v, want %v", got, want)
		}
	}
	// The page still runs the old build: it says so, and Reload loads the new one.
	b.waitText("the new-version notice", qText("#update-bar span"), msg(t, "de", "UpdateAvailable"))
	b.click("#update-reload")
	b.waitFalse("no notice after the reload", qExists("#update-bar"))
	b.waitTrue("the dashboard again", qExists("a#start-assistant"))
}

// A ticket opened while the server cannot be reached (the live stream's
// socket staying up, as through a short outage) shows an error; when the
// server answers again, the page loads the ticket by itself.
func TestTicketOpenedOfflineLoadsWhenBack(t *testing.T) {
	p := startPortal(t)
	clinica := p.org(t, "300400")
	number := p.numbers(t, clinica, true)[0]
	n := strconv.FormatInt(number, 10)
	b := loginTo(t, p, "es-ES", seed.DiegoEmail)
	b.waitTrue("live stream connected", jsLiveResumes(userID(t, p, seed.DiegoEmail)))
	p.unreachable.Store(true)
	b.click(`a[href="/tickets/` + n + `"]`)
	b.waitText("the ticket's page", jsPath, "/tickets/"+n)
	b.waitTrue("an error instead of the ticket", `!!document.querySelector('main#main p.error[role="alert"]')`)
	p.unreachable.Store(false)
	b.waitText("the ticket's subject, without a reload", `(document.querySelector('#ticket-subject')?.textContent ?? '').trim()`, subjectOf(t, p, number))
	b.waitFalse("no error left", `!!document.querySelector('main#main p.error[role="alert"]')`)
}

// subjectOf returns the subject of ticket number, from the store.
func subjectOf(t *testing.T, p *portal, number int64) string {
	t.Helper()
	tk, err := p.DB.Ticket(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	return tk.Subject
}
