package e2e

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/supportal/supportal/server/embed"
	"github.com/supportal/supportal/server/seed"
)

// embedSetup is a portal that host portals may frame: testHost (a page
// of the test's own on a listed origin, signing with a test key) and a
// page on an origin that is not listed (unlisted). The portal is framed
// as http://localhost:PORT, the hosts are on 127.0.0.1: another site, so
// the frame is cross-site and gets no third-party cookie.
type embedSetup struct {
	p        *portal
	portal   string // the portal's URL as the hosts frame it
	host     string // the test host's URL (a listed origin)
	unlisted string // a page's URL on an origin no host lists
	key      ed25519.PrivateKey
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

func port(ln net.Listener) string {
	return ln.Addr().(*net.TCPAddr).AddrPort().String()[len("127.0.0.1:"):]
}

func startEmbed(t *testing.T) *embedSetup {
	t.Helper()
	hostLn, unlistedLn, portalLn := listen(t), listen(t), listen(t)
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	e := &embedSetup{portal: "http://localhost:" + port(portalLn), host: "http://" + hostLn.Addr().String(),
		unlisted: "http://" + unlistedLn.Addr().String(), key: priv}
	hosts := &embed.Hosts{}
	if err := hosts.Add(embed.Host{ID: "testhost", Name: "Test host", Origins: []string{e.host},
		Keys:          []jose.JSONWebKey{{Key: pub, KeyID: "t1", Algorithm: string(jose.EdDSA), Use: "sig"}},
		Organizations: []string{"100200", "300400"}, Kiosk: embed.Kiosk{IdleMinutes: 0.1}}); err != nil {
		t.Fatal(err)
	}
	e.p = startPortalWith(t, hosts, portalLn)
	serve := func(ln net.Listener, h http.Handler) {
		srv := httptest.NewUnstartedServer(h)
		srv.Listener.Close()
		srv.Listener = ln
		srv.Start()
		t.Cleanup(srv.Close)
	}
	serve(hostLn, http.HandlerFunc(e.serveHost))
	serve(unlistedLn, http.HandlerFunc(e.serveHost))
	return e
}

// token signs a token of the test host for the user in the account.
func (e *embedSetup) token(t *testing.T, email, account, lang string, ctx *embed.Context) string {
	t.Helper()
	return e.sign(t, email, account, lang, ctx, false)
}

// kioskToken is token for a kiosk.
func (e *embedSetup) kioskToken(t *testing.T, email, account, lang string) string {
	t.Helper()
	return e.sign(t, email, account, lang, nil, true)
}

func (e *embedSetup) sign(t *testing.T, email, account, lang string, ctx *embed.Context, kiosk bool) string {
	t.Helper()
	now := time.Now()
	c := embed.Claims{Claims: jwt.Claims{Issuer: "testhost", Subject: email, Audience: jwt.Audience{e.portal},
		IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(50 * time.Second)), ID: fmt.Sprint(now.UnixNano())},
		Org: account, Locale: lang, Ctx: ctx, Kiosk: kiosk}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: e.key}, (&jose.SignerOptions{}).WithHeader("kid", "t1"))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(s).Claims(c).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// serveHost serves the test's host pages: /frame shows the portal's
// /embed in a frame and keeps every message of the frame in
// window.messages; the test answers them (it holds the key). /evil posts
// the token in its address to its parent's first frame, as a page of
// another origin inside the host's page could.
func (e *embedSetup) serveHost(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	switch r.URL.Path {
	case "/frame":
		evil := ""
		if r.URL.Query().Get("evil") != "" {
			evil = fmt.Sprintf(`<iframe id="evil" src="%s/evil"></iframe>`, e.unlisted)
		}
		fmt.Fprintf(w, `<!doctype html><html><head><title>Test host</title></head><body>
<iframe id="panel" src="%s/embed" style="width:420px;height:300px;border:0"></iframe>%s
<script>
window.messages = [];
const portal = %q, panel = document.getElementById('panel');
addEventListener('message', e => {
  if (e.origin !== portal || e.source !== panel.contentWindow) return;
  window.messages.push(e.data);
  if (e.data.type === 'resize') panel.style.height = e.data.height + 'px';
});
window.send = m => panel.contentWindow.postMessage(Object.assign({supportal: 1}, m), portal);
</script></body></html>`, e.portal, evil, e.portal)
	case "/evil":
		fmt.Fprint(w, `<!doctype html><html><body><script>
addEventListener('message', e => {
  if (e.data && e.data.token) parent.frames[0].postMessage({supportal: 1, type: 'auth', token: e.data.token}, '*');
});
</script></body></html>`)
	default:
		http.NotFound(w, r)
	}
}

// messages returns the types of the messages the host page got so far.
func hostMessages(b *browser) []string {
	b.t.Helper()
	return eval[[]string](b, `window.messages.map(m => m.type)`)
}

// frame returns the browser's view into the portal's frame in the page
// (a frame of another site runs in its own process: its own target).
func (b *browser) frame(portalURL string) *browser {
	b.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	var lastErr error
	for {
		targets, err := chromedp.Targets(b.ctx)
		if err != nil {
			b.t.Fatalf("listing the browser's targets: %v", err)
		}
		for _, tg := range targets {
			if tg.Type == "iframe" && strings.HasPrefix(tg.URL, portalURL+"/") {
				fctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithTargetID(tg.TargetID))
				fb := &browser{t: b.t, ctx: fctx, base: portalURL, stop: cancel}
				if err := chromedp.Listen(fctx, fb.onEvent); err != nil {
					// A frame that went away meanwhile (the last
					// session's, closing; one that navigated): look again.
					cancel()
					lastErr = err
					continue
				}
				b.t.Cleanup(fb.report)
				b.t.Cleanup(cancel)
				return fb
			}
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("no frame of %s in the page to attach to (last error: %v)", portalURL, lastErr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitMessage waits until the host page got a message of the type.
func waitMessage(b *browser, typ string) {
	b.t.Helper()
	got, ok, err := poll(b, `window.messages.map(m => m.type)`, func(v []string) bool {
		for _, s := range v {
			if s == typ {
				return true
			}
		}
		return false
	})
	if !ok {
		b.t.Fatalf("the host got no %q message: %q%s", typ, got, errNote(err))
	}
}

// TestEmbedProtocol: the frame says ready to its host only, signs in with
// the host's token, ignores a token sent by a foreign page, and cannot be
// framed by an origin no host lists.
func TestEmbedProtocol(t *testing.T) {
	e := startEmbed(t)
	b := newBrowser(t, e.p, "es-ES")
	b.base = e.host
	b.do("opening the host page", chromedp.Navigate(e.host+"/frame?evil=1"))
	waitMessage(b, "ready")
	f := b.frame(e.portal)
	f.waitTrue("the frame waits for the host", `!!document.getElementById('embed-waiting')`)

	// A page of another origin inside the host page sends a valid token:
	// the frame does not take it.
	tok := e.token(t, seed.DiegoEmail, "300400", "es", nil)
	eval[any](b, fmt.Sprintf(`document.getElementById('evil').contentWindow.postMessage({token: %q}, '*')`, tok))
	time.Sleep(2 * time.Second)
	// Nobody is signed in: no session cookie, /me answers 204.
	if status := evalAwait[int](f, `fetch('/api/v1/me').then(r => r.status)`); status != 204 {
		t.Fatalf("after a foreign page's message, /me answers %d in the frame, want 204 (nobody)", status)
	}
	f.waitTrue("the frame still waits", `!!document.getElementById('embed-waiting')`)

	// The host's own message signs Diego in, without a password, in a
	// browser that blocks third-party cookies.
	eval[any](b, fmt.Sprintf(`window.send({type: 'auth', token: %q})`, e.token(t, seed.DiegoEmail, "300400", "es", nil)))
	f.waitText("the dashboard in the frame", jsPath, "/")
	f.waitContains("the account in the frame", `document.querySelector('.embed-bar')?.textContent ?? ''`, "300400")
	if n := eval[int](f, `document.querySelectorAll('header.topbar, nav.sidenav').length`); n != 0 {
		t.Errorf("the frame shows the portal's top bar or navigation (%d)", n)
	}
	waitMessage(b, "navigated")
	waitMessage(b, "unread")

	// A page on an origin no host lists cannot show the panel: the
	// browser refuses to frame it, so it never says ready.
	u := newBrowser(t, e.p, "es-ES")
	u.do("opening the unlisted page", chromedp.Navigate(e.unlisted+"/frame"))
	time.Sleep(4 * time.Second)
	if got := hostMessages(u); len(got) != 0 {
		t.Fatalf("a page of an unlisted origin got messages from the frame: %q", got)
	}
}

// TestEmbedHostMessages: what the frame posts is plain data the host can
// read (the protocol's version and the fields it documents); the host
// changes the frame's record and language.
func TestEmbedHostMessages(t *testing.T) {
	e := startEmbed(t)
	b := newBrowser(t, e.p, "de-DE")
	b.do("opening the host page", chromedp.Navigate(e.host+"/frame"))
	waitMessage(b, "ready")
	eval[any](b, fmt.Sprintf(`window.send({type: 'auth', token: %q})`, e.token(t, seed.AnnaEmail, "100200", "de", &embed.Context{Kind: "asset", ExternalID: "ANL-1010"})))
	waitMessage(b, "unread")
	raw := eval[string](b, `JSON.stringify(window.messages)`)
	var msgs []map[string]any
	if err := json.Unmarshal([]byte(raw), &msgs); err != nil {
		t.Fatal(err)
	}
	var sawUnread bool
	for _, m := range msgs {
		if m["supportal"] != float64(1) {
			t.Errorf("message without the protocol version: %v", m)
		}
		if m["type"] == "unread" {
			sawUnread = true
			by, _ := m["byRecord"].(map[string]any)
			if _, ok := m["total"].(float64); !ok || by == nil {
				t.Errorf("unread message %v", m)
			}
		}
	}
	if !sawUnread {
		t.Fatal("no unread message")
	}
	f := b.frame(e.portal)
	f.waitContains("the asset's Get Help", jsH1, "ANL-1010")
	f.waitTrue("the Get Help panel", `!!document.getElementById('get-help') && !document.getElementById('get-help-close')`)

	// The host shows another record: the frame follows.
	eval[any](b, `window.send({type: 'set-context', record: {kind: 'asset', externalId: 'ANL-1001'}})`)
	f.waitContains("the other asset's Get Help", jsH1, "ANL-1001")
	waitMessage(b, "navigated")
	if path := eval[string](b, `window.messages.filter(m => m.type === 'navigated').pop().path`); !strings.HasPrefix(path, "/records/") {
		t.Errorf("navigated to %q", path)
	}
	// And another language, for this session only.
	eval[any](b, `window.send({type: 'set-locale', lang: 'fr'})`)
	f.waitText("the frame in French", jsHTMLLang, "fr")
	f.waitContains("a French heading", `document.getElementById('get-help-title')?.textContent ?? ''`, msg(t, "fr", "GetHelp"))
	if got := e.p.userLocale(t, seed.AnnaEmail); got != "de" {
		t.Errorf("Anna's own language became %q", got)
	}
	// Escape in the frame, unused there, is the host's to use (close its
	// panel).
	f.do("pressing Escape in the frame", chromedp.Focus(chromedp.ID("help-subject")), chromedp.KeyEvent(kb.Escape))
	waitMessage(b, "escape")
	// The frame is as tall as its content: no scrollbar of its own.
	f.waitTrue("no scrollbar in the frame", `document.documentElement.scrollHeight <= window.innerHeight + 1`)
}

// TestEmbedKiosk: a kiosk nobody uses asks whether the user is still
// there, then ends the session: what was typed is erased, the host is
// told, and the next person starts clean.
func TestEmbedKiosk(t *testing.T) {
	e := startEmbed(t) // the test host's kiosks wait 6 s
	b := newBrowser(t, e.p, "de-DE")
	b.do("opening the host page", chromedp.Navigate(e.host+"/frame"))
	waitMessage(b, "ready")
	eval[any](b, fmt.Sprintf(`window.send({type: 'auth', token: %q})`, e.kioskToken(t, seed.AnnaEmail, "100200", "de")))
	f := b.frame(e.portal)
	f.waitText("the kiosk's start", jsPath, "/")
	f.waitTrue("the kiosk's end button", `!!document.getElementById('kiosk-end')`)
	if n := eval[int](f, `document.querySelectorAll('#user-menu-button, #settings-link, #lang-select').length`); n != 0 {
		t.Errorf("the kiosk offers the user menu, settings or the language (%d)", n)
	}
	if h := eval[float64](f, `document.getElementById('kiosk-end').getBoundingClientRect().height`); h < 44 {
		t.Errorf("the kiosk's button is %.0f px high, want at least 44", h)
	}

	// Anna starts a ticket: the draft is kept in this browser.
	f.click("#embed-nav-new")
	f.waitText("the form", jsPath, "/tickets/new")
	f.typeIn("#f-subject", "Drucker am Empfang druckt nicht")
	const drafted = jsDrafts + `.then(d => d.includes('Drucker am Empfang'))`
	f.waitTrue("the draft is kept", drafted)

	// Nobody touches the screen: the kiosk asks; Continue keeps the session.
	const asking = `document.getElementById('kiosk-dialog')?.open === true`
	f.waitTrue("the kiosk asks", asking)
	f.waitContains("the countdown", `document.getElementById('kiosk-dialog-text')?.textContent ?? ''`, "Sekunden")
	f.click("#kiosk-continue")
	f.waitFalse("the question closes", asking)
	if status := evalAwait[int](f, `fetch('/api/v1/me').then(r => r.status)`); status != 200 {
		t.Fatalf("after Continue /me answers %d", status)
	}

	// Again nobody: the session ends, the draft is erased, the host told.
	f.waitTrue("the kiosk asks again", asking)
	waitMessage(b, "session-ended")
	if reason := eval[string](b, `window.messages.find(m => m.type === 'session-ended').reason`); reason != "idle" {
		t.Errorf("session-ended reason %q, want idle", reason)
	}
	f.waitTrue("the frame says the session ended", `!!document.getElementById('embed-ended')`)
	if evalAwait[bool](f, drafted) || eval[int](f, `Object.keys(localStorage).filter(k => k.startsWith('supportal.')).length`) != 0 {
		t.Fatal("the kiosk kept data of the ended session")
	}
	if status := evalAwait[int](f, `fetch('/api/v1/me').then(r => r.status)`); status != 204 {
		t.Fatalf("after the end /me answers %d, want 204 (nobody)", status)
	}

	// The next person starts clean.
	eval[any](b, fmt.Sprintf(`window.send({type: 'auth', token: %q})`, e.kioskToken(t, seed.BerndEmail, "100200", "de")))
	f.waitContains("Bernd's session", `document.querySelector('.embed-bar')?.textContent ?? ''`, "100200")
	f.click("#embed-nav-new")
	f.waitText("the form", jsPath, "/tickets/new")
	f.waitTrue("the subject field", `!!document.getElementById('f-subject')`)
	if v := eval[string](f, `document.getElementById('f-subject').value`); v != "" {
		t.Fatalf("the next person's form holds %q", v)
	}
}
