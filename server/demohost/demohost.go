// Package demohost is Praxisportal, the demo's host: a made-up,
// login-free practice-management portal on an origin of its own that
// shows supportal in a frame beside its records — the example of how a
// real host integrates (token.go and static/host.js are the integration;
// the rest is the fake portal around it).
package demohost

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-jose/go-jose/v4"

	hosts "github.com/supportal/supportal/server/embed"
)

//go:embed templates static
var files embed.FS

// Demo is the practice portal: its pages (Handler) and the entry the
// supportal it embeds must know it by (Host).
type Demo struct {
	// Handler serves the practice portal's pages at its origin.
	Handler http.Handler
	// Host is the practice portal as the supportal's hosts file would name
	// it: add it to the portal's embed.Hosts before api.New. Its
	// Kiosk.IdleMinutes (1) may be changed before (tests use 0.1).
	Host hosts.Host

	portal, origin string // http://localhost:8080, http://127.0.0.1:8081
	signer         *signer
	pages          map[string]*template.Template
}

// The practice portal's id (iss of its tokens) and key id.
const (
	HostID = "praxisportal"
	keyID  = "demo-1"
)

// New returns the demo practice portal for a supportal reached at
// portalURL (e.g. "http://localhost:8080"), itself served at origin (e.g.
// "http://127.0.0.1:8081"), with a fresh Ed25519 key; Host is the entry
// the portal must know it by (add it to the portal's embed.Hosts before
// api.New).
func New(portalURL, origin string) (*Demo, error) {
	portal, err := hosts.Origin(portalURL)
	if err != nil {
		return nil, fmt.Errorf("portal URL: %w", err)
	}
	if origin, err = hosts.Origin(origin); err != nil {
		return nil, fmt.Errorf("demo host origin: %w", err)
	}
	if portal == origin {
		return nil, fmt.Errorf("the demo host (%s) must be served on another origin than the portal", origin)
	}
	sig, pub, err := newSigner(HostID, portal, keyID)
	if err != nil {
		return nil, err
	}
	d := &Demo{
		Host: hosts.Host{ID: HostID, Name: "Praxisportal", Origins: []string{origin}, Keys: []jose.JSONWebKey{pub},
			Organizations: append([]string(nil), organizations...), ProvisionUsers: true, Kiosk: hosts.Kiosk{IdleMinutes: 1}},
		portal: portal, origin: origin, signer: sig, pages: map[string]*template.Template{},
	}
	for _, name := range []string{"home", "claim", "remittances", "eligibility", "asset", "kiosk"} {
		tpl, err := template.New("layout.html").Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, err
		}
		d.pages[name] = tpl
	}
	static, _ := fs.Sub(files, "static")
	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("POST /token", d.token)
	mux.HandleFunc("POST /pick", d.pick)
	mux.HandleFunc("POST /lang", d.setLang)
	mux.HandleFunc("GET /{$}", d.page("home", false))
	mux.HandleFunc("GET /kiosk", d.page("kiosk", false))
	for _, name := range []string{"claim", "remittances", "eligibility", "asset"} {
		mux.HandleFunc("GET /"+name, d.page(name, true))
	}
	d.Handler = d.headers(mux)
	return d, nil
}

// headers redirects to the origin when the practice portal is reached by
// another name (the portal lets only the origin frame it) and sets its
// pages' own security headers: they may frame the portal, and nothing may
// frame them.
func (d *Demo) headers(h http.Handler) http.Handler {
	host := strings.TrimPrefix(strings.TrimPrefix(d.origin, "http://"), "https://")
	csp := "default-src 'self'; frame-src " + d.portal + "; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host != host && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			http.Redirect(w, r, d.origin+r.URL.RequestURI(), http.StatusTemporaryRedirect)
			return
		}
		w.Header().Set("Content-Security-Policy", csp)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.ServeHTTP(w, r)
	})
}

// The practice portal's own first-party cookies: who is "signed in" (the
// demo's stand-in for a real host's session) and the language picked.
const (
	userCookie = "praxis_user"
	langCookie = "praxis_lang"
)

// user is the user of the request's session.
func (d *Demo) user(r *http.Request) (user, bool) {
	c, err := r.Cookie(userCookie)
	if err != nil {
		return user{}, false
	}
	return userByKey(c.Value)
}

// lang is the language of the pages: the one picked, else the user's,
// else the browser's, else English.
func (d *Demo) lang(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && validLang(c.Value) {
		return c.Value
	}
	if u, ok := d.user(r); ok {
		return u.Locale
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		if l := strings.ToLower(strings.TrimSpace(part)); len(l) >= 2 && validLang(l[:2]) {
			return l[:2]
		}
	}
	return "en"
}

func setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: maxAge})
}

// sameOrigin reports whether a form or fetch came from the practice
// portal's own pages.
func (d *Demo) sameOrigin(r *http.Request) bool { return r.Header.Get("Origin") == d.origin }

// pick "signs in" as the user of the form (user=anna) and goes to next: the
// demo's stand-in for a real host's sign-in. The language becomes theirs.
func (d *Demo) pick(w http.ResponseWriter, r *http.Request) {
	u, ok := userByKey(r.PostFormValue("user"))
	if !d.sameOrigin(r) || !ok {
		http.Error(w, "refused", http.StatusForbidden)
		return
	}
	setCookie(w, userCookie, u.Key, 0)
	setCookie(w, langCookie, "", -1)
	next := "/"
	if n := r.PostFormValue("next"); n == "/kiosk" || n == "/claim" || n == "/remittances" || n == "/eligibility" || n == "/asset" {
		next = n
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// setLang keeps the language picked (lang=fr).
func (d *Demo) setLang(w http.ResponseWriter, r *http.Request) {
	l := r.PostFormValue("lang")
	if !d.sameOrigin(r) || !validLang(l) {
		http.Error(w, "refused", http.StatusForbidden)
		return
	}
	setCookie(w, langCookie, l, 365*24*3600)
	next := "/"
	if u, err := url.Parse(r.PostFormValue("next")); err == nil && u.Host == "" && strings.HasPrefix(u.Path, "/") && !strings.HasPrefix(u.Path, "//") {
		next = u.Path
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// view is what a page template is given.
type view struct {
	Lang, Page, Portal string
	User               *user
	Users              []user
	Langs              []struct{ Code, Name string }
	Record             *record  // the record the page shows
	Records            []record // remittances
}

// page serves the page name; needUser: only to a user (else the start page).
func (d *Demo) page(name string, needUser bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v := view{Lang: d.lang(r), Page: name, Portal: d.portal, Users: users, Langs: langs}
		if u, ok := d.user(r); ok {
			v.User = &u
			if rs := recordsOf(u.Account, strings.TrimSuffix(name, "s")); len(rs) > 0 {
				v.Record, v.Records = &rs[0], rs
			}
		} else if needUser {
			http.Redirect(w, r, "/", http.StatusSeeOther)
			return
		}
		if name == "remittances" {
			v.Record = nil
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := d.pages[name].Execute(w, v); err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}
}

var funcs = template.FuncMap{
	"t":      t,
	"format": format,
	"key":    func(r record) string { return r.Kind + ":" + r.ID },
	"list":   func(s ...string) []string { return s },
	"dict": func(kv ...string) map[string]string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	},
	// strings are the texts page.js shows, in lang.
	"strings": func(lang string) map[string]string {
		m := map[string]string{}
		for _, k := range []string{"help", "unread", "unreadOne", "ticketCreated", "tokenFailed", "ended_idle", "ended_logout", "ended_expired", "ended_refused"} {
			m[k] = t(lang, k)
		}
		return m
	},
}
