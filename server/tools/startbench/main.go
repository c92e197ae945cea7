// Command startbench measures the start of the app in Chromium: how long a
// logged-in customer waits for the dashboard.
//
//	make build && go run ./server/tools/startbench             # starts bin/supportal -memory -demo
//	go run ./server/tools/startbench -url http://127.0.0.1:8080  # against a running portal (with -demo data)
//
// Every run starts a headless Chromium on a new profile, logs in through the
// API (the session cookie is put into the profile) and loads the page three
// times:
//
//   - cold: the fresh profile, nothing cached, no service worker;
//   - repeat: the same tab loads the page again once the first load
//     completed and the service worker is active (Chromium still has
//     app.wasm compiled in memory: it reuses the module);
//   - restart: a new Chromium on the same profile, as a user coming back
//     another day: only what the browser kept on disk helps (HTTP cache, the
//     service worker's cache, a code cache if V8 wrote one).
//
// It prints the median (and the range) of the runs, in milliseconds from the
// start of the navigation:
//
//   - first paint: the Performance API's first-paint entry;
//   - wasm ready: the Go program has started and rendered (go-app's loader,
//     #app-wasm-loader, is removed right after app.wasm's main yields);
//   - data shown: the element -data (on the dashboard: the number of open
//     tickets, shown once their list arrived) is in the page;
//
// then the medians of the steps between: app.wasm fetched (its last byte
// read by the compiler), compiled and instantiated, Go's main entered (the
// app's performance mark supportal-main), the first API requests sent and
// answered. -v prints every visit's requests and marks; -cpuprofile writes
// the first cold visit's CPU profile and prints where its time went. The
// machine's load average is printed with the figures: the browser, the
// server and everything else running share the processors.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"

	"github.com/supportal/supportal/server/seed"
)

func main() {
	base := flag.String("url", "", "the running portal (with the demo data); empty: start -bin -memory -demo on a free port")
	bin := flag.String("bin", "bin/supportal", "the server started when -url is empty; several, comma-separated, are compared: each on its own port, their runs taken in turn")
	runs := flag.Int("runs", 5, "runs: each a new browser and profile, one cold and one repeat visit")
	email := flag.String("email", seed.DiegoEmail, "the demo user who logs in")
	path := flag.String("path", "/", "the page measured")
	data := flag.String("data", "#open-count", "CSS selector of an element that is only there once the page shows the user's data")
	chromium := flag.String("chromium", "/usr/bin/chromium", "the browser")
	settle := flag.Duration("settle", 3*time.Second, "pause after the first load (service worker installed) before the repeat visit: the browser finishes caching meanwhile")
	verbose := flag.Bool("v", false, "print each visit's steps")
	profile := flag.String("cpuprofile", "", "write the first cold visit's CPU profile (JavaScript and WebAssembly; open it in Chromium's DevTools) to this file and print where the time went; for the names of Go functions build app.wasm without -s")
	flag.Parse()
	if err := run(*base, *bin, *runs, *email, *path, *data, *chromium, *settle, *verbose, *profile); err != nil {
		fmt.Fprintln(os.Stderr, "startbench:", err)
		os.Exit(1)
	}
}

// portal is one server measured: its address and its visits.
type portal struct {
	name                  string // the binary, or the -url
	base                  string
	cold, repeat, restart []visit
}

func run(base, bins string, runs int, email, path, data, chromium string, settle time.Duration, verbose bool, profile string) error {
	var portals []*portal
	if base != "" {
		portals = append(portals, &portal{name: base, base: strings.TrimSuffix(base, "/")})
	} else {
		var stops []func()
		defer func() {
			for _, stop := range stops {
				stop()
			}
		}()
		// Interrupted: the servers go too (the browsers end with their
		// DevTools pipe).
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		go func() {
			<-sig
			for _, stop := range stops {
				stop()
			}
			os.Exit(130)
		}()
		for _, bin := range strings.Split(bins, ",") {
			u, stop, err := startServer(bin)
			if err != nil {
				return err
			}
			stops = append(stops, stop)
			portals = append(portals, &portal{name: bin, base: u})
		}
	}
	for _, p := range portals {
		fmt.Printf("startbench: %s%s (%s) as %s, %d runs%s\n", p.base, path, p.name, email, runs, loadavg())
	}
	// Run i of every portal, then run i+1 of every portal: compared builds
	// share the machine's ups and downs.
	for i := 0; i < runs; i++ {
		for _, p := range portals {
			prof := ""
			if i == 0 && p == portals[0] {
				prof = profile
			}
			c, r, rs, err := measure(p.base, email, path, data, chromium, settle, prof)
			if err != nil {
				return fmt.Errorf("%s: run %d: %w", p.name, i+1, err)
			}
			if verbose {
				fmt.Printf("%s run %d cold:    %s\n", p.name, i+1, c.steps())
				fmt.Printf("%s run %d repeat:  %s\n", p.name, i+1, r.steps())
				fmt.Printf("%s run %d restart: %s\n", p.name, i+1, rs.steps())
			}
			p.cold, p.repeat, p.restart = append(p.cold, c), append(p.repeat, r), append(p.restart, rs)
		}
	}
	for _, p := range portals {
		p.print()
	}
	fmt.Printf("(ms from the start of the navigation; median (min–max))%s\n", loadavg())
	return nil
}

// print prints a portal's figures.
func (p *portal) print() {
	fmt.Printf("\n%s\n%-7s %-22s %-22s %-22s\n", p.name, "visit", "first paint", "wasm ready", "data shown")
	rows := []struct {
		name   string
		visits []visit
	}{{"cold", p.cold}, {"repeat", p.repeat}, {"restart", p.restart}}
	for _, v := range rows {
		fmt.Printf("%-7s %-22s %-22s %-22s\n", v.name,
			summary(v.visits, func(v visit) float64 { return v.FirstPaint }),
			summary(v.visits, func(v visit) float64 { return v.WasmReady }),
			summary(v.visits, func(v visit) float64 { return v.Data }))
	}
	for _, v := range rows {
		fmt.Printf("%s, medians: app.wasm fetched %s, compiled %s, main %s, wasm ready %s; /api/v1/me sent %s, answered %s; first list sent %s, answered %s; data shown %s\n", v.name,
			median(v.visits, func(v visit) float64 { return v.WasmFetched }),
			median(v.visits, func(v visit) float64 { return v.Compiled }),
			median(v.visits, func(v visit) float64 { return v.Main }),
			median(v.visits, func(v visit) float64 { return v.WasmReady }),
			median(v.visits, func(v visit) float64 { return v.Me.Start }),
			median(v.visits, func(v visit) float64 { return v.Me.End }),
			median(v.visits, func(v visit) float64 { return v.List.Start }),
			median(v.visits, func(v visit) float64 { return v.List.End }),
			median(v.visits, func(v visit) float64 { return v.Data }))
	}
}

// loadavg is the machine's load average (Linux), to judge the figures by:
// the browser, the server and anything else running share the processors.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return fmt.Sprintf("  [load average %s %s %s, %d processors]", f[0], f[1], f[2], runtime.NumCPU())
}

// startServer starts bin -memory -demo on a free port of the loopback and
// waits until it answers.
func startServer(bin string) (string, func(), error) {
	if _, err := os.Stat(bin); err != nil {
		return "", nil, fmt.Errorf("%v (make build first)", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "-addr", addr, "-memory", "-demo")
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cmd.Process.Signal(os.Interrupt)
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				<-done
			}
		})
	}
	u := "http://" + addr
	for deadline := time.Now().Add(60 * time.Second); ; {
		res, err := http.Get(u + "/api/v1/me")
		if err == nil {
			res.Body.Close()
			return u, stop, nil
		}
		if time.Now().After(deadline) {
			stop()
			return "", nil, fmt.Errorf("%s did not answer on %s within a minute: %v", bin, addr, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// login logs email in through the API and returns the session's cookies.
func login(base, email string) ([]*http.Cookie, error) {
	b, _ := json.Marshal(map[string]string{"email": email, "password": seed.Password})
	res, err := http.Post(base+"/api/v1/login", "application/json", bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("login of %s: %s", email, res.Status)
	}
	return res.Cookies(), nil
}

// visit is what one page load measured, in ms from its navigation start (0:
// did not happen).
type visit struct {
	FirstPaint  float64    `json:"firstPaint"`
	WasmFetched float64    `json:"wasmFetched"` // app.wasm's last byte (resource timing)
	Compiled    float64    `json:"compiled"`    // WebAssembly.instantiateStreaming resolved
	Main        float64    `json:"main"`        // the app's mark supportal-main
	WasmReady   float64    `json:"wasmReady"`   // #app-wasm-loader removed
	Data        float64    `json:"data"`        // the data selector matched
	Me          span       `json:"me"`          // GET /api/v1/me
	List        span       `json:"list"`        // the first GET /api/v1/tickets?…
	MeCalls     int        `json:"meCalls"`     // GET /api/v1/me requests of the page
	WasmBytes   float64    `json:"wasmBytes"`   // app.wasm's bytes over the network (0: from the service worker or cache)
	Resources   []resource `json:"resources"`   // every request of the page, for -v
	Marks       []string   `json:"marks"`       // the page's performance marks, for -v
}

type resource struct {
	Path  string  `json:"path"`
	Start float64 `json:"start"`
	End   float64 `json:"end"`
	Bytes float64 `json:"bytes"`
}

type span struct {
	Start float64 `json:"start"`
	End   float64 `json:"end"`
}

func (v visit) steps() string {
	var rs []string
	for _, r := range v.Resources {
		rs = append(rs, fmt.Sprintf("%s %.0f–%.0f", r.Path, r.Start, r.End))
	}
	return fmt.Sprintf("first paint %.0f; marks: %s; requests: %s; app.wasm fetched %.0f (%.0f bytes transferred), compiled %.0f; main %.0f; wasm ready %.0f; /api/v1/me ×%d %.0f–%.0f; list %.0f–%.0f; data shown %.0f",
		v.FirstPaint, strings.Join(v.Marks, ", "), strings.Join(rs, ", "), v.WasmFetched, v.WasmBytes, v.Compiled, v.Main, v.WasmReady, v.MeCalls, v.Me.Start, v.Me.End, v.List.Start, v.List.End, v.Data)
}

// probe runs in every page before its own scripts: it notes when app.wasm
// is compiled, when go-app's loader goes and when the data is there.
const probe = `(() => {
  const b = window.__startbench = {};
  const now = () => performance.now();
  for (const name of ["instantiateStreaming", "instantiate"]) {
    const f = WebAssembly[name];
    if (!f) continue;
    WebAssembly[name] = function (...args) {
      return f.apply(this, args).then((r) => { if (b.compiled === undefined) b.compiled = now(); return r; });
    };
  }
  const check = () => {
    const loader = document.getElementById("app-wasm-loader");
    if (loader) b.loaderSeen = true;
    else if (b.loaderSeen && b.wasmReady === undefined) b.wasmReady = now();
    if (b.data === undefined && document.querySelector(DATA)) b.data = now();
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
})();`

// collect reads a visit's figures once the data is shown.
const collect = `(() => {
  const b = window.__startbench || {};
  if (b.data === undefined) return null;
  const paint = performance.getEntriesByName("first-paint")[0];
  const main = performance.getEntriesByName("supportal-main")[0];
  const res = performance.getEntriesByType("resource");
  const path = (e) => new URL(e.name).pathname + new URL(e.name).search;
  const wasm = res.find((e) => new URL(e.name).pathname.endsWith("app.wasm"));
  const me = res.filter((e) => path(e) === "/api/v1/me");
  const list = res.find((e) => path(e).startsWith("/api/v1/tickets?"));
  const sp = (e) => e ? { start: e.startTime, end: e.responseEnd } : { start: 0, end: 0 };
  return {
    firstPaint: paint ? paint.startTime : 0,
    wasmFetched: wasm ? wasm.responseEnd : 0,
    wasmBytes: wasm ? wasm.transferSize : 0,
    compiled: b.compiled || 0,
    main: main ? main.startTime : 0,
    wasmReady: b.wasmReady || 0,
    data: b.data,
    me: sp(me[0]),
    meCalls: me.length,
    list: sp(list),
    marks: performance.getEntriesByType("mark").map((m) => m.name + " " + m.startTime.toFixed(0)),
    resources: [{ path: "(page)", start: 0, end: performance.getEntriesByType("navigation")[0].responseEnd, bytes: 0 }].concat(
      res.map((e) => ({ path: path(e), start: e.startTime, end: e.responseEnd, bytes: e.transferSize }))),
  };
})()`

// measure runs one run on a new profile: a cold visit; once the service
// worker is active, the repeat visit (the page loaded again in the same
// tab); then the browser closes, and a second one on the same profile makes
// the restart visit (a user coming back another day: only what the browser
// keeps on disk helps, not what it had in memory). With profile set, the
// cold visit's JavaScript and WebAssembly CPU profile is written there.
func measure(base, email, path, data, chromium string, settle time.Duration, profile string) (cold, repeat, restart visit, err error) {
	cookies, err := login(base, email)
	if err != nil {
		return
	}
	dir, err := os.MkdirTemp("", "startbench-")
	if err != nil {
		return
	}
	defer os.RemoveAll(dir)
	quoted, _ := json.Marshal(data)
	script := strings.Replace(probe, "DATA", string(quoted), 1)

	b, err := startBrowser(chromium, dir, script)
	if err != nil {
		return
	}
	defer func() { b.close() }()
	if err = b.setCookies(base, cookies); err != nil {
		return
	}
	if profile != "" {
		err = chromedp.Do(b.ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			if _, err := cdp.Call(ctx, t, profiler.Enable, cdp.Empty{}); err != nil {
				return err
			}
			if _, err := cdp.Call(ctx, t, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 200}); err != nil {
				return err
			}
			_, err := cdp.Call(ctx, t, profiler.Start, cdp.Empty{})
			return err
		}))
		if err != nil {
			return
		}
	}
	if cold, err = b.load(base+path, data); err != nil {
		err = fmt.Errorf("cold visit: %w", err)
		return
	}
	if profile != "" {
		if err = b.writeProfile(profile); err != nil {
			return
		}
	}
	// The service worker installed and active (it precaches app.wasm).
	sw := `navigator.serviceWorker.getRegistration().then((r) => !!(r && r.active && r.active.state === "activated"))`
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		ok, e := chromedp.Run(b.ctx, chromedp.Evaluate[bool](sw, chromedp.EvalAwaitPromise))
		if e == nil && ok {
			break
		}
		if time.Now().After(deadline) {
			err = errors.New("the service worker was not active within a minute of the first load")
			return
		}
	}
	time.Sleep(settle)
	if repeat, err = b.load(base+path, data); err != nil {
		err = fmt.Errorf("repeat visit: %w", err)
		return
	}
	b.close()

	if b, err = startBrowser(chromium, dir, script); err != nil {
		return
	}
	// Set again: Chromium does not always write a cookie set through
	// DevTools to the profile before it closes.
	if err = b.setCookies(base, cookies); err != nil {
		return
	}
	if restart, err = b.load(base+path, data); err != nil {
		err = fmt.Errorf("restart visit: %w", err)
	}
	return
}

// browser is a headless Chromium on a profile.
type browser struct {
	ctx   context.Context
	close func()
}

// startBrowser starts Chromium on the profile dir with script run in every
// page before the page's own.
func startBrowser(chromium, dir, script string) (*browser, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(dir),
	)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	var once sync.Once
	b := &browser{ctx: bctx, close: func() {
		once.Do(func() {
			chromedp.Cancel(bctx) // closes the browser gracefully: it writes what it keeps to the profile
			bcancel()
			acancel()
			cancel()
		})
	}}
	err := chromedp.Do(bctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: script})
		return err
	}))
	if err != nil {
		b.close()
		return nil, fmt.Errorf("starting %s: %w", chromium, err)
	}
	return b, nil
}

// writeProfile stops the CPU profiler, writes its profile to file and
// prints the functions and the Go packages that took the most time.
func (b *browser) writeProfile(file string) error {
	p, err := chromedp.Run(b.ctx, func(ctx context.Context, t *chromedp.Target) (*profiler.Profile, error) {
		res, err := cdp.Call(ctx, t, profiler.Stop, cdp.Empty{})
		return res.Profile, err
	})
	if err != nil {
		return err
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if err := os.WriteFile(file, raw, 0o644); err != nil {
		return err
	}
	name := map[int64]string{}
	for _, n := range p.Nodes {
		name[n.ID] = n.CallFrame.FunctionName
		if name[n.ID] == "" {
			name[n.ID] = "(anonymous " + n.CallFrame.URL + ")"
		}
	}
	self := map[string]float64{}
	pkg := map[string]float64{}
	var total float64
	for i := 0; i+1 < len(p.Samples); i++ {
		ms := float64(p.TimeDeltas[i+1]) / 1000
		f := name[p.Samples[i]]
		self[f] += ms
		pkg[goPackage(f)] += ms
		total += ms
	}
	top := func(m map[string]float64, n int) string {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b string) int { return int(m[b]*1000) - int(m[a]*1000) })
		var sb strings.Builder
		for i, k := range keys {
			if i == n {
				break
			}
			fmt.Fprintf(&sb, "  %7.0f ms  %s\n", m[k], k)
		}
		return sb.String()
	}
	fmt.Printf("cold visit's CPU profile (%s): %.0f ms sampled; by function (self):\n%sby Go package or kind (self):\n%s", file, total, top(self, 30), top(pkg, 25))
	return nil
}

// goPackage is the Go package of a function name of app.wasm's name
// section ("github.com/x/y.(*T).M" → "github.com/x/y"), or the function
// name itself for the browser's own entries ("(program)", "(idle)").
func goPackage(f string) string {
	if strings.HasPrefix(f, "(") {
		return f
	}
	slash := strings.LastIndex(f, "/")
	dot := strings.Index(f[slash+1:], ".")
	if dot < 0 {
		return "(javascript) " + f
	}
	return f[:slash+1+dot]
}

// setCookies puts the session's cookies into the browser, as the login
// page would have left them.
func (b *browser) setCookies(base string, cookies []*http.Cookie) error {
	return chromedp.Do(b.ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, c := range cookies {
			p := network.SetCookieParams{Name: c.Name, Value: c.Value, URL: base + "/", Path: "/", HTTPOnly: &c.HttpOnly, Secure: &c.Secure}
			if c.MaxAge > 0 {
				p.Expires = cdp.TimeSinceEpoch(float64(time.Now().Add(time.Duration(c.MaxAge) * time.Second).Unix()))
			}
			if _, err := cdp.Call(ctx, t, network.SetCookie, p); err != nil {
				return fmt.Errorf("setting cookie %s: %w", c.Name, err)
			}
		}
		return nil
	}))
}

// load navigates to u and waits until the data is shown.
func (b *browser) load(u, data string) (visit, error) {
	if err := chromedp.Do(b.ctx, chromedp.Navigate(u)); err != nil {
		return visit{}, err
	}
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		raw, err := chromedp.Run(b.ctx, chromedp.Evaluate[json.RawMessage](collect))
		if err != nil || string(raw) == "null" || len(raw) == 0 {
			continue
		}
		var v visit
		if err := json.Unmarshal(raw, &v); err != nil {
			return visit{}, err
		}
		return v, nil
	}
	where, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`location.pathname + location.search`))
	return visit{}, fmt.Errorf("%s did not appear within a minute (the page: %s)", data, where)
}

func values(vs []visit, f func(visit) float64) []float64 {
	var out []float64
	for _, v := range vs {
		if x := f(v); x > 0 {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return out
}

func median(vs []visit, f func(visit) float64) string {
	xs := values(vs, f)
	if len(xs) == 0 {
		return "–"
	}
	return strconv.FormatFloat(mid(xs), 'f', 0, 64)
}

func mid(xs []float64) float64 {
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

func summary(vs []visit, f func(visit) float64) string {
	xs := values(vs, f)
	if len(xs) == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f (%.0f–%.0f)", mid(xs), xs[0], xs[len(xs)-1])
}
