package demohost

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/embed"
)

const (
	portalURL = "http://localhost:8080"
	origin    = "http://127.0.0.1:8081"
)

// mustNew returns a demo host and the portal's hosts knowing it.
func mustNew(tb testing.TB) (*Demo, *embed.Hosts) {
	tb.Helper()
	d, err := New(portalURL, origin)
	if err != nil {
		tb.Fatal(err)
	}
	d.Host.Kiosk.IdleMinutes = 0.1
	hs := &embed.Hosts{}
	if err := hs.Add(d.Host); err != nil {
		tb.Fatalf("the portal refuses the demo host: %v", err)
	}
	return d, hs
}

// do sends a request to d as a page of the demo host's origin would.
func do(d *Demo, method, path, body, contentType string, cookies ...*http.Cookie) *http.Response {
	r := httptest.NewRequest(method, origin+path, strings.NewReader(body))
	if method == http.MethodPost {
		r.Header.Set("Origin", origin)
	}
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	for _, c := range cookies {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	d.Handler.ServeHTTP(w, r)
	return w.Result()
}

// pick signs in as the user key, as the start page does, and returns the cookie.
func pick(t *testing.T, d *Demo, key string) *http.Cookie {
	t.Helper()
	res := do(d, "POST", "/pick", url.Values{"user": {key}}.Encode(), "application/x-www-form-urlencoded")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("pick %s: %d", key, res.StatusCode)
	}
	for _, c := range res.Cookies() {
		if c.Name == userCookie && c.Value == key {
			return c
		}
	}
	t.Fatalf("pick %s set no cookie", key)
	return nil
}

// token asks for a token as host.js does.
func token(t *testing.T, d *Demo, body string, cookies ...*http.Cookie) (string, int) {
	t.Helper()
	res := do(d, "POST", "/token", body, "application/json", cookies...)
	if res.StatusCode != http.StatusOK {
		return "", res.StatusCode
	}
	var out struct{ Token string }
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || out.Token == "" {
		t.Fatalf("token answer: %v %q", err, out.Token)
	}
	return out.Token, res.StatusCode
}

func TestHost(t *testing.T) {
	_, hs := mustNew(t)
	h := hs.Host("praxisportal")
	if h == nil || h.Name != "Praxisportal" || len(h.Origins) != 1 || h.Origins[0] != origin || !h.ProvisionUsers || h.Kiosk.IdleMinutes != 0.1 {
		t.Fatalf("host: %+v", h)
	}
	if got, want := string(h.Algorithm()), "EdDSA"; got != want {
		t.Errorf("algorithm %s, want %s", got, want)
	}
	for _, org := range []string{"100200", "100201", "200300", "300400"} {
		if !h.SpeaksFor(org) {
			t.Errorf("may not speak for %s", org)
		}
	}
	if d2, _ := New(portalURL, origin); d2.Host.Kiosk.IdleMinutes != 1 {
		t.Errorf("idle minutes %v, want 1", d2.Host.Kiosk.IdleMinutes)
	}
	if _, err := New(portalURL, portalURL); err == nil {
		t.Error("a demo host on the portal's own origin is accepted")
	}
	if _, err := New("localhost:8080", origin); err == nil {
		t.Error("a portal URL that is no origin is accepted")
	}
}

func TestTokenVerifies(t *testing.T) {
	d, hs := mustNew(t)
	tests := []struct {
		user, body             string
		org, email, locale     string
		kind, externalID, name string
		kiosk                  bool
	}{
		{"anna", `{"record":{"kind":"claim","externalId":"CLM-26-04711"}}`, "100200", "anna.admin@praxis-sonnenschein.example", "de", "claim", "CLM-26-04711", "Anna Admin", false},
		{"bernd", `{"record":{"kind":"remittance","externalId":"ERA-26-0902"}}`, "100200", "bernd@praxis-sonnenschein.example", "de", "remittance", "ERA-26-0902", "Bernd Becker", false},
		{"diego", `{"record":null}`, "300400", "diego@clinica-sol.example", "es", "", "", "Diego Durán", false},
		{"claire", `{"record":{"kind":"claim","externalId":"FSE-26-0318"}}`, "200300", "claire.admin@cabinet-lumiere.example", "fr", "claim", "FSE-26-0318", "Claire Admin", false},
		{"claire", `{"kiosk":true}`, "200300", "claire.admin@cabinet-lumiere.example", "fr", "", "", "Claire Admin", true},
	}
	for _, tt := range tests {
		tok, status := token(t, d, tt.body, pick(t, d, tt.user))
		if status != http.StatusOK {
			t.Fatalf("%s %s: %d", tt.user, tt.body, status)
		}
		h, c, err := hs.Verify(tok, portalURL, origin, time.Now())
		if err != nil {
			t.Fatalf("%s %s: %v", tt.user, tt.body, err)
		}
		if h.ID != "praxisportal" || c.Email() != tt.email || c.Org != tt.org || c.Locale != tt.locale || c.Name != tt.name || c.Kiosk != tt.kiosk || c.ID == "" {
			t.Errorf("%s: claims %+v", tt.user, c)
		}
		if life := c.Expiry.Time().Sub(c.IssuedAt.Time()); life != 50*time.Second {
			t.Errorf("valid for %s", life)
		}
		if tt.kind == "" {
			if c.Ctx != nil {
				t.Errorf("%s: ctx %+v, want none", tt.user, c.Ctx)
			}
			continue
		}
		rec, _ := findRecord(tt.org, tt.kind, tt.externalID)
		if c.Ctx == nil || string(c.Ctx.Kind) != tt.kind || c.Ctx.ExternalID != tt.externalID || c.Ctx.Title != rec.Title ||
			len(c.Ctx.Fields) != len(rec.Fields) || c.Ctx.URL != origin+rec.page() {
			t.Errorf("%s: ctx %+v", tt.user, c.Ctx)
		}
		// The token is for this portal, and only pages of the demo host may hand it over.
		if _, _, err := hs.Verify(tok, "http://127.0.0.1:8080", origin, time.Now()); !isRefusal(err, embed.Audience) {
			t.Errorf("another portal: %v", err)
		}
		if _, _, err := hs.Verify(tok, portalURL, "http://evil.example", time.Now()); !isRefusal(err, embed.WrongOrigin) {
			t.Errorf("another origin: %v", err)
		}
		if _, _, err := hs.Verify(tok, portalURL, origin, time.Now().Add(2*time.Minute)); !isRefusal(err, embed.Expired) {
			t.Errorf("two minutes later: %v", err)
		}
	}
	a, _ := token(t, d, `{}`, pick(t, d, "anna"))
	b, _ := token(t, d, `{}`, pick(t, d, "anna"))
	_, ca, _ := hs.Verify(a, portalURL, origin, time.Now())
	_, cb, _ := hs.Verify(b, portalURL, origin, time.Now())
	if ca.ID == cb.ID {
		t.Error("two tokens with one jti")
	}
}

// The language picked is the token's locale too.
func TestTokenLocaleFollowsTheLanguagePicked(t *testing.T) {
	d, hs := mustNew(t)
	anna := pick(t, d, "anna")
	res := do(d, "POST", "/lang", "lang=en&next=/claim", "application/x-www-form-urlencoded", anna)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/claim" {
		t.Fatalf("lang: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	tok, _ := token(t, d, `{}`, append(res.Cookies(), anna)...)
	if _, c, err := hs.Verify(tok, portalURL, origin, time.Now()); err != nil || c.Locale != "en" {
		t.Errorf("locale %q, %v", c.Locale, err)
	}
}

func isRefusal(err error, r embed.Reason) bool {
	var ref *embed.Refusal
	return errors.As(err, &ref) && ref.Reason == r
}

// Every record of the host is one the portal keeps.
func TestEveryRecordIsAcceptedAsContext(t *testing.T) {
	d, hs := mustNew(t)
	for _, u := range users {
		cookie := pick(t, d, u.Key)
		for _, rec := range records {
			if rec.Account != u.Account {
				continue
			}
			body, _ := json.Marshal(map[string]any{"record": map[string]string{"kind": rec.Kind, "externalId": rec.ID}})
			tok, status := token(t, d, string(body), cookie)
			if status != http.StatusOK {
				t.Fatalf("%s %s: %d", u.Key, rec.ID, status)
			}
			_, c, err := hs.Verify(tok, portalURL, origin, time.Now())
			if err != nil {
				t.Fatalf("%s %s: %v", u.Key, rec.ID, err)
			}
			if c.Ctx == nil || c.Ctx.Kind != ticket.RecordKind(rec.Kind) || c.Ctx.Title == "" {
				t.Errorf("%s: ctx %+v", rec.ID, c.Ctx)
			}
		}
	}
}

func TestTokenRefused(t *testing.T) {
	d, _ := mustNew(t)
	anna := pick(t, d, "anna")
	if _, status := token(t, d, `{}`); status != http.StatusUnauthorized {
		t.Errorf("without the cookie: %d, want 401", status)
	}
	if _, status := token(t, d, `{}`, &http.Cookie{Name: userCookie, Value: "mallory"}); status != http.StatusUnauthorized {
		t.Errorf("an unknown user: %d, want 401", status)
	}
	// Claire's claim is not Anna's to see.
	if _, status := token(t, d, `{"record":{"kind":"claim","externalId":"FSE-26-0318"}}`, anna); status != http.StatusNotFound {
		t.Errorf("another account's record: %d, want 404", status)
	}
	if _, status := token(t, d, `{"record":`, anna); status != http.StatusBadRequest {
		t.Errorf("bad JSON: %d, want 400", status)
	}
	for name, header := range map[string]string{"another site": "http://evil.example", "the portal": portalURL, "none": ""} {
		r := httptest.NewRequest("POST", origin+"/token", strings.NewReader(`{}`))
		r.Header.Set("Content-Type", "application/json")
		if header != "" {
			r.Header.Set("Origin", header)
		}
		r.AddCookie(anna)
		w := httptest.NewRecorder()
		d.Handler.ServeHTTP(w, r)
		if w.Code != http.StatusForbidden {
			t.Errorf("Origin %s: %d, want 403", name, w.Code)
		}
	}
	// A form posted from another site is no JSON either.
	if res := do(d, "POST", "/token", `{}`, "text/plain", anna); res.StatusCode != http.StatusForbidden {
		t.Errorf("text/plain: %d, want 403", res.StatusCode)
	}
	r := httptest.NewRequest("POST", origin+"/pick", strings.NewReader("user=anna"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Origin", "http://evil.example")
	w := httptest.NewRecorder()
	d.Handler.ServeHTTP(w, r)
	if w.Code != http.StatusForbidden {
		t.Errorf("pick from another site: %d, want 403", w.Code)
	}
}

func TestPages(t *testing.T) {
	d, _ := mustNew(t)
	// Each user's pages in their language, and in every language picked.
	words := map[string]string{"de": "Hilfe erhalten", "en": "Get Help", "es": "Obtener ayuda", "fr": "Obtenir de l’aide"}
	for _, u := range users {
		cookie := pick(t, d, u.Key)
		for _, lang := range []string{"", "de", "en", "es", "fr"} {
			cookies := []*http.Cookie{cookie}
			want := u.Locale
			if lang != "" {
				cookies = append(cookies, &http.Cookie{Name: langCookie, Value: lang})
				want = lang
			}
			for _, path := range []string{"/", "/claim", "/remittances", "/eligibility", "/asset", "/kiosk"} {
				res := do(d, "GET", path, "", "", cookies...)
				body := readAll(t, res)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("%s %s %s: %d", u.Key, lang, path, res.StatusCode)
				}
				if !strings.Contains(body, `<html lang="`+want+`">`) {
					t.Errorf("%s %s %s: not in %s", u.Key, lang, path, want)
				}
				if path != "/" && path != "/kiosk" && !strings.Contains(body, words[want]) {
					t.Errorf("%s %s %s: no %q", u.Key, lang, path, words[want])
				}
				csp := res.Header.Get("Content-Security-Policy")
				if !strings.Contains(csp, "frame-src "+portalURL) || !strings.Contains(csp, "frame-ancestors 'none'") {
					t.Errorf("%s: CSP %q", path, csp)
				}
				if res.Header.Get("X-Frame-Options") != "" {
					t.Errorf("%s: X-Frame-Options", path)
				}
			}
		}
	}
	// The record of the user's account.
	body := readAll(t, do(d, "GET", "/claim", "", "", pick(t, d, "claire")))
	for _, want := range []string{"Consultation de suivi – Julien Petit", `data-kind="claim" data-id="FSE-26-0318"`, "30,00\u00a0€", `content="` + portalURL + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("Claire's claim: no %q", want)
		}
	}
	body = readAll(t, do(d, "GET", "/remittances", "", "", pick(t, d, "anna")))
	for _, id := range []string{"ERA-26-0859", "ERA-26-0877", "ERA-26-0902", "ERA-26-0918", "ERA-26-0925"} {
		if !strings.Contains(body, `data-unread="remittance:`+id+`"`) || !strings.Contains(body, `data-id="`+id+`"`) {
			t.Errorf("remittances: no %s", id)
		}
	}
	if !strings.Contains(body, "2.318,75\u00a0$") {
		t.Error("remittances: amounts not in German")
	}
	// A remittance's file is what the practice gets: US payers' ERAs are 835
	// files, the French Assurance Maladie's payment returns NOEMIE files.
	// Each row's cells carry their column's name (a card on a phone).
	for _, want := range []string{"835-Datei herunterladen", `data-label="Kostenträger"`, `data-label="Gezahlt"`} {
		if !strings.Contains(body, want) {
			t.Errorf("Anna's remittances: no %q", want)
		}
	}
	body = readAll(t, do(d, "GET", "/remittances", "", "", pick(t, d, "claire")))
	if !strings.Contains(body, "Télécharger le fichier NOEMIE") || strings.Contains(body, "835") {
		t.Error("Claire's remittances: not NOEMIE files")
	}
}

func TestNoUser(t *testing.T) {
	d, _ := mustNew(t)
	res := do(d, "GET", "/claim", "", "")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Errorf("/claim without a user: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	for _, path := range []string{"/", "/kiosk"} {
		r := httptest.NewRequest("GET", origin+path, nil)
		r.Header.Set("Accept-Language", "fr-FR,fr;q=0.9")
		w := httptest.NewRecorder()
		d.Handler.ServeHTTP(w, r)
		if w.Code != 200 || !strings.Contains(w.Body.String(), "Qui êtes-vous ?") {
			t.Errorf("%s without a user: %d", path, w.Code)
		}
	}
	// Reached by another name, the practice portal sends the browser to its origin.
	r := httptest.NewRequest("GET", "http://localhost:8081/claim?x=1", nil)
	w := httptest.NewRecorder()
	d.Handler.ServeHTTP(w, r)
	if w.Code != http.StatusTemporaryRedirect || w.Header().Get("Location") != origin+"/claim?x=1" {
		t.Errorf("another host name: %d %s", w.Code, w.Header().Get("Location"))
	}
	for _, path := range []string{"/static/host.js", "/static/page.js", "/static/praxis.css"} {
		if res := do(d, "GET", path, "", ""); res.StatusCode != 200 {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
	}
}

func readAll(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRecordsOfTheirCountry: Cabinet Lumière, in France, is paid in euros
// through NOEMIE returns; every remittance's file is known by its id. (The
// records of 100200 and 300400 are the portal's seeded ones, US payers
// and dollars included: server/seed says why.)
func TestRecordsOfTheirCountry(t *testing.T) {
	for _, r := range records {
		if r.Kind == "remittance" && !strings.HasPrefix(r.ID, "ERA-") && !strings.HasPrefix(r.ID, "RSP-") {
			t.Errorf("remittance %s: neither ERA- nor RSP-: File() cannot tell its file", r.ID)
		}
		if r.Account != "200300" {
			continue
		}
		if r.Kind == "remittance" && r.File() != "NOEMIE" {
			t.Errorf("%s: a %s file in France", r.ID, r.File())
		}
		for _, f := range r.Fields {
			if f.Kind == "money" && f.Currency != "EUR" {
				t.Errorf("%s %s: in %s in France", r.ID, f.Label, f.Currency)
			}
		}
	}
}
