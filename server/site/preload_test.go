package site_test

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
	"github.com/supportal/supportal/server/site"
)

var inlineScript = regexp.MustCompile(`<script>([\s\S]*?)</script>`)

// TestPagesPreloadTheStart: every page asks the API for the app's first
// answers from one inline script at the top of its head, which the
// Content-Security-Policy allows by its hash, and no other inline script.
func TestPagesPreloadTheStart(t *testing.T) {
	srv, _ := mustPortal(t, testFiles("wasm"))
	for _, path := range []string{"/", "/login", "/tickets/10001", "/embed"} {
		res, body := get(t, srv.URL+path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", path, res.StatusCode)
		}
		scripts := inlineScript.FindAllStringSubmatch(body, -1)
		if len(scripts) != 1 {
			t.Fatalf("%s: %d inline scripts, want 1:\n%s", path, len(scripts), body)
		}
		if !strings.Contains(body, `<meta charset="UTF-8"><script>`) || strings.Index(body, "<script>") > strings.Index(body, "stylesheet") {
			t.Errorf("%s: the preload is not the head's first element after the charset (a script after a style sheet waits for it):\n%s", path, body)
		}
		src := scripts[0][1]
		sum := sha256.Sum256([]byte(src))
		hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		csp := res.Header.Get("Content-Security-Policy")
		if hash != site.PreloadHash || !strings.Contains(csp, "script-src 'self' 'wasm-unsafe-eval' "+hash+";") {
			t.Errorf("%s: the inline script's hash %s is not the one the CSP allows: %q", path, hash, csp)
		}
		if strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP allows any inline script: %q", path, csp)
		}
		for _, want := range []string{`"/api/v1/me"`, `"` + ticket.UserHeader + `"`, `credentials: "same-origin"`, `cache: "no-store"`, `fetch("/web/app.wasm")`} {
			if !strings.Contains(src, want) {
				t.Errorf("%s: the preload has no %s", path, want)
			}
		}
	}
	// Only the page: no preload in other answers.
	if _, body := get(t, srv.URL+"/web/style.css"); strings.Contains(body, "<script>") {
		t.Errorf("/web/style.css carries the preload")
	}
}

// TestPagesCarryTheBrowsersLanguage: every page names the language the
// browser asks for (its Accept-Language, matched as the server matches it),
// whatever language the page itself is in (the lang cookie), for the app's
// offer to switch (app/state.BrowserLang); an unknown or missing
// Accept-Language gives none (no offer).
func TestPagesCarryTheBrowsersLanguage(t *testing.T) {
	srv, _ := mustPortal(t, testFiles("wasm"))
	for _, c := range []struct{ accept, cookie, want string }{
		{"fr-CH, fr;q=0.9, en;q=0.8", "", "fr"},
		{"de-AT", "lang=es", "de"},
		{"gsw", "", "de"},
		{"es-419,es;q=0.9", "lang=en", "es"},
		{"ja-JP", "", ""},
		{"", "lang=fr", ""},
		{`"><script>`, "", ""},
	} {
		for _, path := range []string{"/", "/login", "/embed"} {
			res, body := get(t, srv.URL+path, "Accept-Language", c.accept, "Cookie", c.cookie)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: status %d", path, res.StatusCode)
			}
			want := `<meta name="` + locales.BrowserLangMeta + `" content="` + c.want + `">`
			if n := strings.Count(body, `name="`+locales.BrowserLangMeta+`"`); n != 1 || !strings.Contains(body, want) {
				t.Errorf("%s, Accept-Language %q, cookie %q: want one %s in the page, found %d:\n%.600s", path, c.accept, c.cookie, want, n, body)
			}
		}
	}
}

// A page's ETag names its language and the browser's: a browser that kept
// the page in one language and asks again in another gets the page anew,
// not a 304 for the one it kept.
func TestPageETagFollowsTheLanguages(t *testing.T) {
	srv, _ := mustPortal(t, testFiles("wasm"))
	res, _ := get(t, srv.URL+"/login", "Accept-Language", "de-DE")
	etag := res.Header.Get("ETag")
	if res.StatusCode != http.StatusOK || etag == "" {
		t.Fatalf("/login: status %d, ETag %q", res.StatusCode, etag)
	}
	if res, _ := get(t, srv.URL+"/login", "Accept-Language", "de-DE", "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
		t.Errorf("the same page revalidated: status %d, want 304", res.StatusCode)
	}
	for _, other := range [][]string{
		{"Accept-Language", "fr-FR"},
		{"Accept-Language", "de-DE", "Cookie", "lang=es"},
		{"Accept-Language", "ja-JP"},
	} {
		h := append([]string{"If-None-Match", etag}, other...)
		res, body := get(t, srv.URL+"/login", h...)
		if res.StatusCode != http.StatusOK || res.Header.Get("ETag") == etag {
			t.Errorf("%v with the German page's ETag: status %d, ETag %q; want the page anew", other, res.StatusCode, res.Header.Get("ETag"))
		}
		if strings.Contains(other[len(other)-1], "lang=es") && !strings.Contains(body, `<html lang="es"`) {
			t.Errorf("%v: the page is not in Spanish:\n%.300s", other, body)
		}
	}
}
