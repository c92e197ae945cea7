package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/embed"
	"github.com/supportal/supportal/server/files"
	"github.com/supportal/supportal/server/live"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/site"
	"github.com/supportal/supportal/server/store"
	"github.com/supportal/supportal/web"
)

const (
	chromiumPath = "/usr/bin/chromium"
	// testTimeout bounds one browser: start, app.wasm, every step.
	testTimeout = 4 * time.Minute
	// waitTimeout bounds one wait for a condition in the page.
	waitTimeout = 30 * time.Second
)

// JavaScript expressions that read the page. They never return null, so a
// missing element reads as "" or [] while the app is still rendering.
const (
	jsPath     = `location.pathname`
	jsHTMLLang = `document.documentElement.lang`
	jsH1       = `(document.querySelector('main#main h1')?.textContent ?? '').trim()`
	// ticket numbers of the rows of the ticket table
	jsRows = `Array.from(document.querySelectorAll('table.tickets tr[id^="ticket-row-"]'), r => r.id.slice('ticket-row-'.length))`
	// text of each row of the ticket table
	jsRowTexts = `Array.from(document.querySelectorAll('table.tickets tr[id^="ticket-row-"]'), r => r.id + ': ' + r.textContent)`
	// ticket numbers linked from the open tickets in the side navigation
	jsNav = `Array.from(document.querySelectorAll('nav.sidenav ul.nav-tickets a[href^="/tickets/"]'), a => a.getAttribute('href').slice('/tickets/'.length))`
	// the account shown in the top bar: the chosen option of the account
	// switcher, or the single account's name and number
	jsAccount = `(() => {
		const sel = document.querySelector('header.topbar select#account-select');
		if (sel) {
			const o = sel.options[sel.selectedIndex];
			return o ? 'select ' + sel.value + ': ' + o.textContent.trim() : 'select ' + sel.value + ': (no option chosen)';
		}
		return (document.querySelector('header.topbar .account-current')?.textContent ?? '').trim();
	})()`
	jsLoginError = `(document.querySelector('#login-error')?.textContent ?? '').trim()`
	jsMainError  = `(document.querySelector('main#main p.error[role="alert"]')?.textContent ?? '').trim()`
	// the count on each status card of the dashboard, by portal status
	jsCounts = `Object.fromEntries(Array.from(document.querySelectorAll('section.cards [id^="count-"]'),
		c => [c.id.slice('count-'.length), (c.querySelector('.card-count')?.textContent ?? '').trim()]))`
)

// unavailable skips the test, or fails it when SUPPORTAL_E2E=1 (make test)
// demands browser tests.
func unavailable(t *testing.T, reason string) {
	t.Helper()
	if os.Getenv("SUPPORTAL_E2E") == "1" {
		t.Fatalf("browser end-to-end test cannot run: %s; SUPPORTAL_E2E=1 requires it (install chromium, run make wasm)", reason)
	}
	t.Skipf("skipping browser end-to-end test: %s (with SUPPORTAL_E2E=1 this fails)", reason)
}

var passwordHash = sync.OnceValues(func() (string, error) { return api.HashPassword(seed.Password) })

// portal is supportal running in-process with the demo data.
type portal struct {
	URL  string
	DB   *store.DB
	orgs map[string]ticket.OrgRef // by account number

	srv     *httptest.Server
	stopHub context.CancelFunc
	blobs   files.Blobs  // uploads, kept across restarts like the store
	hosts   *embed.Hosts // the host portals that may frame this one
	ln      net.Listener // the first listener, when chosen beforehand
	files   fs.FS        // the static files served; web.Files when nil
	// uploadRequests counts the requests that reached POST /api/v1/uploads.
	uploadRequests atomic.Int64
	// apiRequests are the API requests that reached the portal ("GET
	// /api/v1/me"), in order; see apiCalls.
	apiMu       sync.Mutex
	apiRequests []string
	// crashAfterCreate: the next POST /api/v1/tickets is carried out (the
	// ticket committed), then the server dies before it answers.
	crashAfterCreate atomic.Bool
	crashed          chan struct{}
	// wasmHeld, while set, holds every request for app.wasm until it is
	// closed: a page then stays at the start, its script's requests made,
	// its app not running (see holdWasm).
	wasmMu   sync.Mutex
	wasmHeld chan struct{}
	// unreachable, while set, drops every API request but the live
	// stream's as a network that is gone would (the socket open before
	// stays up, as browsers keep it through a short outage).
	unreachable atomic.Bool
}

// holdWasm holds the requests for app.wasm from now on; the function
// returned lets them (and the later ones) through.
func (p *portal) holdWasm(t *testing.T) (release func()) {
	t.Helper()
	p.wasmMu.Lock()
	held := make(chan struct{})
	p.wasmHeld = held
	p.wasmMu.Unlock()
	var once sync.Once
	release = func() {
		once.Do(func() {
			p.wasmMu.Lock()
			p.wasmHeld = nil
			p.wasmMu.Unlock()
			close(held)
		})
	}
	t.Cleanup(release)
	return release
}

// serve starts the portal's HTTP side (a new API with its own live hub)
// over p.DB, on addr ("" for any port).
func (p *portal) serve(t *testing.T, addr string) {
	t.Helper()
	hubCtx, stopHub := context.WithCancel(context.Background())
	hub := live.NewHub(p.DB, nil, 0)
	go hub.Run(hubCtx)
	files := p.files
	if files == nil {
		files = web.Files
	}
	h, st, err := site.Portal(api.New(p.DB, api.Config{Hub: hub, Blobs: p.blobs, Hosts: p.hosts, MailLog: true}), files)
	if err != nil {
		t.Fatalf("site.Portal: %v", err)
	}
	if !st.HasWasm() {
		unavailable(t, "web/app.wasm is not built into the test binary (run make wasm)")
	}
	counted := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" && r.URL.Path == "/api/v1/uploads" {
			p.uploadRequests.Add(1)
		}
		if strings.HasPrefix(r.URL.Path, "/api/") {
			p.apiMu.Lock()
			p.apiRequests = append(p.apiRequests, r.Method+" "+r.URL.RequestURI())
			p.apiMu.Unlock()
		}
		if p.unreachable.Load() && strings.HasPrefix(r.URL.Path, "/api/") && r.URL.Path != "/api/v1/events" {
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
			return
		}
		if r.URL.Path == "/web/app.wasm" {
			p.wasmMu.Lock()
			held := p.wasmHeld
			p.wasmMu.Unlock()
			if held != nil {
				<-held
			}
		}
		if r.Method == "POST" && r.URL.Path == "/api/v1/tickets" && p.crashAfterCreate.CompareAndSwap(true, false) {
			h.ServeHTTP(httptest.NewRecorder(), r) // committed and fsynced…
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close() // …and no answer ever comes
			}
			go func() { p.stop(); close(p.crashed) }()
			return
		}
		h.ServeHTTP(w, r)
	})
	srv := httptest.NewUnstartedServer(counted)
	if p.ln != nil {
		srv.Listener.Close()
		srv.Listener, p.ln = p.ln, nil
	} else if addr != "" {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("listening on %s again: %v", addr, err)
		}
		srv.Listener.Close()
		srv.Listener = ln
	}
	srv.Start()
	p.srv, p.stopHub, p.URL = srv, stopHub, srv.URL
	t.Cleanup(func() { stopHub(); srv.Close() })
}

// jsLiveResumes is true once the app keeps the last event it saw for the
// user (supportal.events.<store>.<user>): its stream is connected.
func jsLiveResumes(userID int64) string {
	return `Object.keys(localStorage).some(k => k.startsWith("supportal.events.") && k.endsWith(".` + strconv.FormatInt(userID, 10) + `"))`
}

// stop stops the portal's HTTP side as a killed server would: every
// connection, websockets included, ends. The store stays.
func (p *portal) stop() {
	p.stopHub()
	p.srv.CloseClientConnections()
	p.srv.Close()
}

// restart starts the HTTP side again on the same address.
func (p *portal) restart(t *testing.T) {
	t.Helper()
	p.serve(t, strings.TrimPrefix(p.URL, "http://"))
}

// startPortal starts the whole portal (API and app) with fresh demo data on
// an httptest server. It skips or fails the test when the browser or
// app.wasm is missing.
func startPortal(t *testing.T) *portal {
	t.Helper()
	return startPortalWith(t, nil, nil)
}

// startPortalWith is startPortal with host portals that may frame it,
// listening on ln (nil: any port).
func startPortalWith(t *testing.T, hosts *embed.Hosts, ln net.Listener) *portal {
	t.Helper()
	// Each test has its own portal and browsers: two run at a time (-parallel,
	// GOMAXPROCS), as most of a browser test is waiting.
	t.Parallel()
	if _, err := os.Stat(chromiumPath); err != nil {
		unavailable(t, chromiumPath+" is missing")
	}
	ctx := context.Background()
	db, err := store.OpenMemory()
	if err != nil {
		t.Fatalf("store.OpenMemory: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	hash, err := passwordHash()
	if err != nil {
		t.Fatalf("hashing the demo password: %v", err)
	}
	if ok, err := seed.Load(ctx, db, hash, time.Now()); err != nil || !ok {
		t.Fatalf("seed.Load = %v, %v; want true, nil", ok, err)
	}
	p := &portal{DB: db, orgs: map[string]ticket.OrgRef{}, blobs: files.NewMemory(), hosts: hosts, ln: ln}
	p.serve(t, "")
	for _, tk := range p.tickets(t, 0) {
		p.orgs[tk.Organization.AccountNumber] = tk.Organization
	}
	return p
}

// apiCalls returns the API requests that reached the portal since the last
// call (method and address, in order) and starts counting anew.
func (p *portal) apiCalls() []string {
	p.apiMu.Lock()
	defer p.apiMu.Unlock()
	out := p.apiRequests
	p.apiRequests = nil
	return out
}

// org returns the organization with the account number.
func (p *portal) org(t *testing.T, account string) ticket.OrgRef {
	t.Helper()
	o, ok := p.orgs[account]
	if !ok {
		t.Fatalf("the demo data has no tickets of account %s", account)
	}
	return o
}

// tickets returns the tickets of the organization (0: all), from the store.
func (p *portal) tickets(t *testing.T, orgID int64) []ticket.Ticket {
	t.Helper()
	ts, _, err := p.DB.ListTickets(context.Background(), store.ListQuery{Scope: ticket.Scope{All: true}, OrganizationID: orgID, Limit: 500})
	if err != nil {
		t.Fatalf("ListTickets(org %d): %v", orgID, err)
	}
	return ts
}

// numbers returns the sorted numbers of the organization's tickets that are
// open (open true) or closed (open false).
func (p *portal) numbers(t *testing.T, o ticket.OrgRef, open bool) []int64 {
	t.Helper()
	var out []int64
	for _, tk := range p.tickets(t, o.ID) {
		if tk.Status.Closed() != open {
			out = append(out, tk.Number)
		}
	}
	slices.Sort(out)
	if len(out) == 0 {
		t.Fatalf("the demo data has no %s tickets of %s; the test needs some", map[bool]string{true: "open", false: "closed"}[open], o.AccountNumber)
	}
	return out
}

// counts returns the organization's ticket counts per portal status as the
// dashboard shows them.
func (p *portal) counts(t *testing.T, o ticket.OrgRef) map[string]string {
	t.Helper()
	n := map[ticket.PortalStatus]int{}
	for _, tk := range p.tickets(t, o.ID) {
		n[tk.Status.Portal()]++
	}
	out := map[string]string{}
	for _, ps := range ticket.PortalStatuses() {
		out[string(ps)] = strconv.Itoa(n[ps])
	}
	return out
}

// userLocale returns the language stored for the user.
func (p *portal) userLocale(t *testing.T, email string) string {
	t.Helper()
	u, _, err := p.DB.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatalf("UserByEmail(%s): %v", email, err)
	}
	return u.Locale
}

var (
	messagesMu sync.Mutex
	messages   = map[string]map[string]string{}
)

// msg returns the translation of id in lang, read from locales/active.<lang>.json.
func msg(t *testing.T, lang, id string) string {
	t.Helper()
	messagesMu.Lock()
	defer messagesMu.Unlock()
	m, ok := messages[lang]
	if !ok {
		path := filepath.Join("..", "..", "locales", "active."+lang+".json")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("reading translations: %v", err)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		m = map[string]string{}
		for k, v := range raw {
			var s string
			if json.Unmarshal(v, &s) == nil {
				m[k] = s
			}
		}
		messages[lang] = m
	}
	s, ok := m[id]
	if !ok || s == "" {
		t.Fatalf("locales/active.%s.json has no message %s", lang, id)
	}
	return s
}

// browser is one headless Chromium with its own profile, showing the portal.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
	stop func()
	kill func() // the process killed (SIGKILL), nothing closed in order

	mu      sync.Mutex
	console []string // console messages, exceptions and the browser's log, shown when the test fails
}

// newBrowser starts Chromium with the browser language lang (e.g. "de-DE").
// It closes when the test ends.
func newBrowser(t *testing.T, p *portal, lang string) *browser {
	t.Helper()
	return newBrowserIn(t, p, lang, t.TempDir())
}

// newBrowserIn starts Chromium on the profile in dir: a browser started
// again on the same dir finds what the last one stored.
func newBrowserIn(t *testing.T, p *portal, lang, dir string) *browser {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("accept-lang", lang),
		// Third-party cookies blocked, as browsers are heading: a host
		// portal's frame must work without them.
		chromedp.Flag("test-third-party-cookie-phaseout", true),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(dir),
	)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	var once sync.Once
	b := &browser{t: t, ctx: bctx, base: p.URL, stop: func() {
		once.Do(func() {
			bcancel()
			acancel()
			cancel()
		})
	}, kill: func() {
		once.Do(func() {
			acancel() // exec.CommandContext: SIGKILL
			bcancel()
			cancel()
		})
	}}
	t.Cleanup(b.stop)
	// Listen starts the browser.
	if err := chromedp.Listen(bctx, b.onEvent); err != nil {
		t.Fatalf("starting %s: %v", chromiumPath, err)
	}
	t.Cleanup(b.report) // runs before stop: the browser is still there
	return b
}

func (b *browser) onEvent(ev any) {
	var line string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		parts := make([]string, 0, len(ev.Args))
		for _, a := range ev.Args {
			if len(a.Value) > 0 {
				parts = append(parts, string(a.Value))
			} else {
				parts = append(parts, a.Description)
			}
		}
		line = fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(parts, " "))
	case *cdplog.EventEntryAdded:
		// The browser's own log (chromedp enables it): failed requests
		// ("Failed to load resource: … 401"), blocked content.
		e := ev.Entry
		line = fmt.Sprintf("log.%s (%s): %s", e.Level, e.Source, e.Text)
		if e.URL != "" {
			line += " " + e.URL
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		line = "exception: " + d.Text
		if d.Exception != nil {
			line += " " + d.Exception.Description
		}
	default:
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.console) < 300 {
		b.console = append(b.console, line)
	}
}

// report logs, when the test failed, where the browser is, its main
// content and what it logged.
func (b *browser) report() {
	if !b.t.Failed() {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err == nil {
		b.t.Logf("browser at %s", loc)
	}
	if html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.outerHTML : ''`)); err == nil {
		if len(html) > 12000 {
			html = html[:12000] + "…"
		}
		b.t.Logf("page body:\n%s", html)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.console) > 0 {
		b.t.Logf("browser console:\n%s", strings.Join(b.console, "\n"))
	}
}

// close ends the browser now (it also ends with the test).
func (b *browser) close() { b.stop() }

// do runs the actions, failing the test on error.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, waitTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// upload sets the files of the file input sel, as a user picking them.
func (b *browser) upload(sel string, paths ...string) {
	b.t.Helper()
	b.do("choosing "+strings.Join(paths, ", ")+" in "+sel, chromedp.SetUploadFiles(chromedp.CSS(sel), paths))
}

// open loads path in the browser and waits until the app runs.
func (b *browser) open(path string) {
	b.t.Helper()
	b.do("opening "+path, chromedp.Navigate(b.base+path))
	b.waitApp()
}

// waitApp waits until app.wasm has taken over the prerendered page.
func (b *browser) waitApp() {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, waitTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitNotPresent(chromedp.ID("app-wasm-loader"))); err != nil {
		label, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.getElementById('app-wasm-loader-label')?.innerText ?? ''`))
		b.t.Fatalf("app.wasm did not take over the page: #app-wasm-loader still present (label %q): %v", label, err)
	}
}

// click clicks the first visible element matching the CSS selector.
func (b *browser) click(sel string) {
	b.t.Helper()
	b.do("clicking "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// choose picks value in the select element with the id as a user does: it
// sets the value and fires the change event.
func (b *browser) choose(id, value string) {
	b.t.Helper()
	b.do(fmt.Sprintf("choosing %q in #%s", value, id),
		chromedp.WaitVisible(chromedp.ID(id)),
		chromedp.SetValue(chromedp.ID(id), value),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById(%q).dispatchEvent(new Event('change', {bubbles: true}))`, id)),
	)
}

// login fills in and submits the login form shown by the app.
func (b *browser) login(email, password string) {
	b.t.Helper()
	b.do("logging in as "+email,
		chromedp.WaitVisible(chromedp.ID("login-email")),
		chromedp.Click(chromedp.ID("login-email"), chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.ID("login-email"), email),
		chromedp.SendKeys(chromedp.ID("login-password"), password),
		chromedp.Click(chromedp.ID("login-submit"), chromedp.NodeVisible),
	)
}

// html returns the page's whole HTML as it is now.
func (b *browser) html() string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, waitTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	if err != nil {
		b.t.Fatalf("reading the page's HTML: %v", err)
	}
	return s
}

// eval evaluates js once, failing the test on error.
func eval[T any](b *browser, js string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, waitTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// evalAwait evaluates js, which gives a promise, and waits for its value.
func evalAwait[T any](b *browser, js string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, waitTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// jsDrafts gives (a Promise of) the drafts the app keeps in the browser's
// database, one "key=value" per line.
const jsDrafts = `supportalStore.entries("drafts", "").then(e => e.map(([k, v]) => k + "=" + v).join("\n"))`

// poll evaluates js (awaiting a Promise) until ok accepts its value, at most waitTimeout. It
// returns the last value and whether ok accepted it. Errors while the page
// changes (navigation, re-render) are retried.
func poll[T any](b *browser, js string, ok func(T) bool) (T, bool, error) {
	ctx, cancel := context.WithTimeout(b.ctx, waitTimeout)
	defer cancel()
	var last T
	var lastErr error
	for {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
		if err == nil {
			last, lastErr = v, nil
			if ok(v) {
				return v, true, nil
			}
		} else if ctx.Err() == nil {
			lastErr = err
		}
		select {
		case <-ctx.Done():
			return last, false, lastErr
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func errNote(err error) string {
	if err == nil {
		return ""
	}
	return fmt.Sprintf(" (last error: %v)", err)
}

// waitText waits until js gives want.
func (b *browser) waitText(what, js, want string) {
	b.t.Helper()
	got, ok, err := poll(b, js, func(s string) bool { return s == want })
	if !ok {
		b.t.Fatalf("%s: got %q, want %q%s", what, got, want, errNote(err))
	}
}

// waitContains waits until js gives a text containing want.
func (b *browser) waitContains(what, js, want string) string {
	b.t.Helper()
	got, ok, err := poll(b, js, func(s string) bool { return strings.Contains(s, want) })
	if !ok {
		b.t.Fatalf("%s: got %q, want it to contain %q%s", what, got, want, errNote(err))
	}
	return got
}

// waitNumbers waits until js (an array of ticket numbers as strings) gives
// exactly the numbers want, in any order.
func (b *browser) waitNumbers(what, js string, want []int64) []int64 {
	b.t.Helper()
	got, ok, err := poll(b, js, func(s []string) bool { return slices.Equal(parseNumbers(s), want) })
	if !ok {
		b.t.Fatalf("%s: got tickets %v, want %v%s", what, parseNumbers(got), want, errNote(err))
	}
	return parseNumbers(got)
}

// waitCounts waits until the dashboard's status cards show want.
func (b *browser) waitCounts(what string, want map[string]string) {
	b.t.Helper()
	got, ok, err := poll(b, jsCounts, func(m map[string]string) bool { return mapsEqual(m, want) })
	if !ok {
		b.t.Fatalf("%s: got status counts %v, want %v%s", what, got, want, errNote(err))
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// parseNumbers turns ticket numbers as text into sorted numbers; text that
// is no number becomes -1, so it never matches.
func parseNumbers(ss []string) []int64 {
	out := make([]int64, 0, len(ss))
	for _, s := range ss {
		n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(s), "#"), 10, 64)
		if err != nil {
			n = -1
		}
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// intersect returns the numbers in both a and b.
func intersect(a, b []int64) []int64 {
	var out []int64
	for _, n := range a {
		if slices.Contains(b, n) {
			out = append(out, n)
		}
	}
	return out
}

func idString(o ticket.OrgRef) string { return strconv.FormatInt(o.ID, 10) }

// front shows the browser's tab (a tab in the background gets no animation
// frames: the app would render nothing).
func (b *browser) front() {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, page.BringToFront, cdp.Empty{}); err != nil {
		b.t.Fatalf("bringing the tab to the front: %v", err)
	}
}

// newTab opens a second tab of the same browser (same profile, cookies and
// storage), in front; it closes when the test ends.
func (b *browser) newTab() *browser {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	b.t.Cleanup(cancel)
	tab := &browser{t: b.t, ctx: ctx, base: b.base, stop: cancel}
	tab.front()
	return tab
}
