// Package site serves the browser app: the prerendered pages (in the
// visitor's language), the service worker (worker.js, through go-app's
// Handler), the web app manifest, and the embedded static files, app.wasm
// precompressed.
package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/locales"
	"github.com/supportal/supportal/server/api"
)

// Site serves everything that is not the API.
type Site struct {
	files     fs.FS
	version   string
	pages     map[string]*app.Handler // per language
	manifests map[string][]byte       // per language
	wasm      map[string]string       // "", "br", "gzip": the file's name
	appJS     map[string][]byte       // go-app's page script with supportal's changes, per language
}

// New serves the static files in files (the web package's).
func New(files fs.FS) (*Site, error) {
	s := &Site{files: files, pages: map[string]*app.Handler{}, manifests: map[string][]byte{}, wasm: map[string]string{}, appJS: map[string][]byte{}}
	v, err := version(files)
	if err != nil {
		return nil, err
	}
	s.version = v
	for enc, name := range map[string]string{"": "app.wasm", "br": "app.wasm.br", "gzip": "app.wasm.gz"} {
		if st, err := fs.Stat(files, name); err == nil && st.Size() > 0 {
			s.wasm[enc] = name
		}
	}
	wasmSize := ""
	if st, err := fs.Stat(files, "app.wasm"); err == nil {
		wasmSize = strconv.FormatInt(st.Size(), 10)
	}
	for _, lang := range locales.Supported {
		m, err := manifestJSON(lang)
		if err != nil {
			return nil, err
		}
		s.manifests[lang] = m
		s.pages[lang] = &app.Handler{
			Name:            "supportal",
			ShortName:       "supportal",
			Title:           "supportal",
			Description:     locales.T(lang, "AppDescription", nil),
			Lang:            lang,
			LoadingLabel:    locales.T(lang, "AppLoading", nil),
			BackgroundColor: backgroundColor,
			ThemeColor:      themeColor,
			Icon: app.Icon{
				Default:  "/web/icon-192.png",
				Large:    "/web/icon-512.png",
				SVG:      "/web/icon.svg",
				Maskable: "/web/icon-maskable-512.png",
			},
			Styles: []string{"/web/style.css"},
			// The browser's database for the outbox (app/state/browserdb_js.go).
			// Deferred: it is needed once app.wasm runs, not before the
			// page can be drawn.
			Scripts:               []string{"/web/store.js defer"},
			CacheableResources:    precached,
			ServiceWorkerTemplate: workerJS,
			Version:               s.version,
			// app.wasm's size before compression: the loader's progress
			// counts the bytes the browser decompressed.
			WasmContentLength: wasmSize,
		}
		js, err := patchedAppJS(s.pages[lang])
		if err != nil {
			return nil, err
		}
		s.appJS[lang] = js
	}
	return s, nil
}

// Version identifies the build: a hash of every static file, app.wasm
// included, and of the scripts the server adds to pages (preload.go,
// loader.go). Browsers revalidate by it; the service worker's cache is named
// after it.
func (s *Site) Version() string { return s.version }

// HasWasm reports whether app.wasm was built into the binary.
func (s *Site) HasWasm() bool { return s.wasm[""] != "" }

func version(files fs.FS) (string, error) {
	var names []string
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(names)
	brotli := slices.Contains(names, "app.wasm.br")
	h := sha256.New()
	// What the server adds to the pages and to go-app's script belongs to
	// the build too: a page kept by a browser with an older preload script
	// would be revalidated (304) and its script then refused by the new
	// Content-Security-Policy hash.
	h.Write([]byte(preloadSource))
	h.Write([]byte(appJSExtra))
	for _, n := range names {
		if brotli && derived[n] {
			continue
		}
		f, err := files.Open(n)
		if err != nil {
			return "", err
		}
		h.Write([]byte(n))
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:20], nil
}

// derived are app.wasm and its gzip form: when app.wasm.br (made from the
// same app.wasm) is there, hashing it covers them, and the 11 MB of the
// binary holding them are not read at every start.
var derived = map[string]bool{"app.wasm": true, "app.wasm.gz": true}

// ServeHTTP serves static files under /web/ and pages elsewhere.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/web/app.wasm" || r.URL.Path == "/app.wasm":
		s.serveWasm(w, r)
	case strings.HasPrefix(r.URL.Path, "/web/"):
		s.serveFile(w, r, strings.TrimPrefix(r.URL.Path, "/web/"))
	case r.URL.Path == "/robots.txt":
		s.serveFile(w, r, "robots.txt")
	case r.URL.Path == "/favicon.ico":
		// Browsers and other clients ask for /favicon.ico whatever the
		// page's <link rel="icon">; a PNG in its place is read as well.
		s.serveFile(w, r, "icon-192.png")
	case r.URL.Path == "/app.js" || r.URL.Path == "/goapp.js":
		s.serveAppJS(w, r, api.RequestLang(r))
	case r.URL.Path == "/manifest.webmanifest" || r.URL.Path == "/manifest.json":
		s.serveManifest(w, r, api.RequestLang(r))
	default:
		w.Header().Add("Vary", "Cookie, Accept-Language")
		lang := api.RequestLang(r)
		browserLang, _ := locales.MatchFound(r.Header.Get("Accept-Language"))
		// A page is in its language and names the browser's: its ETag says
		// both (go-app's is the version alone, and a browser revalidating
		// a page kept in another language got a 304 and showed it).
		etag := `"` + s.version + "-" + lang + "-" + browserLang + `"`
		if r.Header.Get("If-None-Match") == etag {
			w.Header().Set("ETag", etag)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		r = r.Clone(r.Context())
		r.Header.Del("If-None-Match")
		rec := &pageRecorder{header: w.Header()}
		s.pages[lang].ServeHTTP(rec, r)
		if rec.status == http.StatusNotFound {
			s.notFound(w, lang)
			return
		}
		body := falseAttr.ReplaceAll(rec.body.Bytes(), nil)
		body = withHead(body, browserLang)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		if rec.header.Get("ETag") != "" {
			rec.header.Set("ETag", etag)
		}
		if rec.header.Get("Content-Length") != "" {
			rec.header.Set("Content-Length", strconv.Itoa(len(body)))
		}
		w.WriteHeader(rec.status)
		w.Write(body)
	}
}

// notFound answers an address that is no page, in the visitor's language.
func (s *Site) notFound(w http.ResponseWriter, lang string) {
	h := w.Header()
	h.Del("ETag")
	h.Del("Content-Length")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNotFound)
	esc := html.EscapeString
	fmt.Fprintf(w, `<!doctype html><html lang="%s"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`+
		`<title>%s · supportal</title><link rel="stylesheet" href="/web/style.css"></head>`+
		`<body><div class="login-wrap"><main id="main" class="login"><p class="brand">supportal</p><h1>%s</h1><p>%s</p><p><a class="button primary" href="/">%s</a></p></main></div></body></html>`,
		lang, esc(locales.T(lang, "NotFoundTitle", nil)), esc(locales.T(lang, "NotFoundTitle", nil)),
		esc(locales.T(lang, "NotFoundText", nil)), esc(locales.T(lang, "Dashboard", nil)))
}

// falseAttr matches boolean attributes go-app writes as attr="false" into
// prerendered pages; browsers read any value as true (a disabled login
// button, the last language selected), so they are removed.
var falseAttr = regexp.MustCompile(` (selected|disabled|checked|required|autofocus|hidden|readonly)="false"`)

// pageRecorder keeps a prerendered page to fix it before sending.
type pageRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (p *pageRecorder) Header() http.Header { return p.header }

func (p *pageRecorder) WriteHeader(status int) {
	if p.status == 0 {
		p.status = status
	}
}

func (p *pageRecorder) Write(b []byte) (int, error) {
	if p.status == 0 {
		p.status = http.StatusOK
	}
	return p.body.Write(b)
}

// served lists the static files by extension with their content types;
// nothing else in the embedded folder is served.
var served = map[string]string{
	".css": "text/css; charset=utf-8",
	".svg": "image/svg+xml",
	".png": "image/png",
	".txt": "text/plain; charset=utf-8",
	".js":  "text/javascript; charset=utf-8",
}

func (s *Site) serveFile(w http.ResponseWriter, r *http.Request, name string) {
	ctype, ok := served[path.Ext(name)]
	if !ok || strings.Contains(name, "/") {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", ctype)
	s.serveContent(w, r, name, `"`+s.version+`"`)
}

// serveContent serves the embedded file name, read in place (an embedded
// file is not copied into memory to be served).
func (s *Site) serveContent(w http.ResponseWriter, r *http.Request, name, etag string) {
	f, err := s.files.Open(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	content, ok := f.(io.ReadSeeker)
	if !ok {
		b, err := io.ReadAll(f)
		if err != nil {
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			return
		}
		content = bytes.NewReader(b)
	}
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, content)
}

// serveWasm serves app.wasm brotli- or gzip-compressed when the browser
// accepts it (it always does), raw otherwise.
func (s *Site) serveWasm(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Accept-Encoding")
	accept := r.Header.Get("Accept-Encoding")
	for _, enc := range []string{"br", "gzip"} {
		if name, ok := s.wasm[enc]; ok && acceptsEncoding(accept, enc) {
			w.Header().Set("Content-Encoding", enc)
			w.Header().Set("Content-Type", "application/wasm")
			s.serveContent(w, r, name, `"`+s.version+"-"+enc+`"`)
			return
		}
	}
	name, ok := s.wasm[""]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/wasm")
	s.serveContent(w, r, name, `"`+s.version+`"`)
}

// acceptsEncoding reports whether an Accept-Encoding header allows enc.
func acceptsEncoding(header, enc string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), enc) {
			continue
		}
		params = strings.ReplaceAll(params, " ", "")
		return params != "q=0" && params != "q=0.0" && params != "q=0.00" && params != "q=0.000"
	}
	return false
}

// csp is the Content-Security-Policy of every answer but its
// frame-ancestors. The one inline script allowed is the pages' preload
// (preload.go), by its hash.
var csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' " + preloadHash + "; object-src 'none'; base-uri 'none'; frame-ancestors 'self'"

// IsEmbed reports whether path is one of the embed pages: the only pages
// a host portal's origins may show in a frame.
func IsEmbed(path string) bool { return path == "/embed" || strings.HasPrefix(path, "/embed/") }

// Headers adds the security headers every response carries. Only the
// embed pages (IsEmbed) may be framed by the hosts' origins; every other
// page only by the portal itself.
func Headers(h http.Handler, hostOrigins []string) http.Handler {
	embedCSP := csp
	if len(hostOrigins) > 0 {
		embedCSP += " " + strings.Join(hostOrigins, " ")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		if IsEmbed(r.URL.Path) {
			hd.Set("Content-Security-Policy", embedCSP)
		} else {
			hd.Set("Content-Security-Policy", csp)
		}
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		h.ServeHTTP(w, r)
	})
}
