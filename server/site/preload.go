package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// preloadJS runs in the head of every page, before app.wasm has even been
// fetched: it asks the API for what the app asks first — who is logged in
// (GET /api/v1/me), then, for that user, the open tickets of the account
// the app will show (the side navigation and the dashboard) and, on the
// dashboard, the counts per status — so that the answers are there when
// the app, seconds later, has compiled and started. The app takes them
// through window.supportalPreloaded (app/state/fetch_js.go) instead of
// asking again.
//
// The rules:
//   - an answer is used at most once, and only by the page load that asked
//     for it: it lives in this page's memory, never in a cache (the service
//     worker passes /api/ to the network untouched) and for at most 20 s
//     after the navigation (a slower start asks again); the app drops them
//     all when the session changes (login, logout, another user);
//   - a request is used only for the same address and the same user as the
//     app's own (the Supportal-User header the app sends once it knows the
//     user); the account is guessed as the app chooses it (state.loggedIn:
//     the one kept in localStorage if it is still among the user's
//     ticket.Viewer.Accounts, else the first): a wrong guess is a request
//     the app does not use, nothing worse;
//   - the lists are read after /api/v1/me, and the app's live stream
//     resumes after the last event this browser kept: it brings whatever
//     changed after the page read the lists. A browser with none kept (a
//     first visit) is given the newest event of the /me answer as its
//     place (ticket.Me.LastEvent); a store without events gets no lists
//     asked (the app's stream starts later, when it runs);
//   - nothing is asked in a frame (a host portal's kiosk signs its user in
//     by a token after the page has loaded), on the /embed pages, or while a
//     logout made offline is still to be sent to the server;
//   - a login or logout in another tab (the app's BroadcastChannel) drops
//     every answer;
//   - the live stream starts from the place the lists were read at
//     (supportalPreloaded.place), not from where another tab of the same
//     user moved it meanwhile;
//   - when a request fails the app asks again itself.
//
// The script is inline, allowed by its hash in the Content-Security-Policy
// (preloadHash): no other inline script runs.
const preloadJS = `(() => {
  const w = window;
  // app.wasm first, for every page that runs it (go-app's loader skips
  // robots and ?wasm=false): the download starts before the style sheets
  // and go-app's page script have loaded.
  if (!/bot|googlebot|crawler|spider|robot|crawling/i.test(navigator.userAgent) && new URLSearchParams(location.search).get("wasm") !== "false") {
    w.supportalWasm = fetch("/web/app.wasm");
  }
  const path = location.pathname;
  try {
    if (w.top !== w.self || path === "/embed" || path.startsWith("/embed/") || localStorage.getItem("supportal-logout-pending") !== null) {
      return;
    }
  } catch (e) {
    return;
  }
  const answers = new Map();
  let gone = false; // the session changed in another tab
  const ask = (url, user) => {
    if (gone) {
      return;
    }
    const headers = { Accept: "application/json" };
    if (user) {
      headers["USER_HEADER"] = user;
    }
    answers.set(url + "\n" + user, fetch(url, { credentials: "same-origin", cache: "no-store", headers: headers })
      .then((r) => r.text().then((body) => ({ status: r.status, body: body })))
      .catch(() => null));
  };
  ask("/api/v1/me", "");
  const asked = answers.get("/api/v1/me\n").then((a) => {
    if (!a || a.status !== 200) {
      return;
    }
    const me = JSON.parse(a.body);
    // The lists are read after this answer, and the live stream
    // (app/state/live.go) resumes after the last event this browser saw:
    // it brings whatever changes after the lists were read. A browser that
    // has no place in the stream yet (a first visit) starts it after the
    // newest event of this answer (me.lastEvent).
    const user = String(me.user.id);
    const place = "supportal.events." + (me.storeId ? me.storeId + "." : "") + user;
    if (localStorage.getItem(place) === null) {
      if (!(me.lastEvent > 0)) {
        return;
      }
      localStorage.setItem(place, String(me.lastEvent));
    }
    // The place is shared by the user's tabs: another tab's stream may
    // move it past events these lists do not show yet. The app's stream
    // starts from the place as it was now (app/state/live.go).
    w.supportalPreloaded.place = { user: user, id: Number(localStorage.getItem(place)) };
    const accounts = [];
    let vendor = false;
    for (const m of me.memberships || []) {
      if (m.ticketAccess) {
        vendor = vendor || m.organization.kind === "vendor";
        if (!accounts.includes(m.organization.id)) {
          accounts.push(m.organization.id);
        }
      }
    }
    if (vendor) {
      for (const v of me.vendorAccounts || []) {
        if ((v.vendorPaid || v.access !== "none") && !accounts.includes(v.organization.id)) {
          accounts.push(v.organization.id);
        }
      }
    }
    let kept = 0;
    try {
      kept = Number(JSON.parse(localStorage.getItem("supportal.account") || '""'));
    } catch (e) {}
    const account = accounts.includes(kept) ? kept : accounts[0] || 0;
    const org = account ? "organizationId=" + account : "";
    ask("/api/v1/tickets?open=true" + (org ? "&" + org : ""), user);
    if (path === "/") {
      ask("/api/v1/tickets/counts?" + org, user);
    }
  }).catch(() => {});
  const take = (url, user) => {
    const key = url + "\n" + user;
    const a = answers.get(key);
    answers.delete(key);
    return a || null;
  };
  w.supportalPreloaded = (url, user) => {
    if (gone || performance.now() > 20000) {
      delete w.supportalPreloaded;
      answers.clear();
      return null;
    }
    if (answers.has(url + "\n" + user) || !url.startsWith("/api/v1/tickets")) {
      return take(url, user);
    }
    return asked.then(() => take(url, user));
  };
  w.supportalPreloaded.drop = () => answers.clear();
  // A login or logout in another tab (app/state/tabs.go) while this one
  // still loads: what was asked for the session before is no more.
  try {
    new BroadcastChannel("supportal").onmessage = (e) => {
      if (e.data === "logout" || String(e.data).startsWith("login:")) {
        gone = true;
        answers.clear();
        if (w.supportalPreloaded) {
          delete w.supportalPreloaded.place;
        }
      }
    };
  } catch (e) {}
})();`

// preloadScript is the script element of the pages' head.
var preloadScript = "<script>" + preloadSource + "</script>"

// preloadSource is preloadJS with the names it shares with the app.
var preloadSource = strings.NewReplacer("USER_HEADER", ticket.UserHeader).Replace(preloadJS)

// preloadHash allows exactly preloadSource in the Content-Security-Policy.
var preloadHash = func() string {
	sum := sha256.Sum256([]byte(preloadSource))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}()

// charsetMeta is the first element of go-app's page head.
var charsetMeta = []byte(`<meta charset="UTF-8">`)

// withHead puts the preload script, then the browser's language
// (locales.BrowserLangMeta), into page right after the charset, before the
// style sheets: a script after a style sheet waits for it.
func withHead(page []byte, browserLang string) []byte {
	i := bytes.Index(page, charsetMeta)
	if i < 0 {
		return page
	}
	i += len(charsetMeta)
	meta := `<meta name="` + locales.BrowserLangMeta + `" content="` + browserLang + `">`
	out := make([]byte, 0, len(page)+len(meta)+len(preloadScript))
	out = append(out, page[:i]...)
	out = append(out, preloadScript...)
	out = append(out, meta...)
	return append(out, page[i:]...)
}
