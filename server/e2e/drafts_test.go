package e2e

import (
	"strconv"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"github.com/supportal/supportal/server/seed"
)

// Bernd writes a ticket in the form and a reply; Chromium is killed (as a
// crash, or a computer switched off) and started again on the same
// profile: both drafts are there, kept in the browser's database, not in
// localStorage.
func TestDraftsSurviveBrowserCrash(t *testing.T) {
	p := startPortal(t)
	dir := t.TempDir()
	b := newBrowserIn(t, p, "fr-FR", dir)
	b.open("/login")
	b.login(seed.BerndEmail, seed.Password)
	b.waitTrue("dashboard after login", qExists("a#start-assistant"))

	const (
		subject = "L’imprimante de l’accueil n’imprime plus les accents"
		reply   = "Toujours le même problème ce matin, même après le redémarrage."
	)
	n := p.numbers(t, p.org(t, "100200"), true)[0]
	b.open("/tickets/" + strconv.FormatInt(n, 10))
	b.waitTrue("reply box", qExists("textarea#reply-body"))
	b.typeIn("textarea#reply-body", reply)
	b.waitText("reply as typed", qValue("textarea#reply-body"), reply)
	b.open("/tickets/new")
	b.choose("f-type", "login_problem")
	b.typeIn("input#f-subject", subject)
	b.waitText("subject as typed", qValue("input#f-subject"), subject)
	// Written in the database within moments of the last keystroke.
	b.waitContains("the ticket's draft in the database", jsDrafts, subject)
	b.waitContains("the reply's draft in the database", jsDrafts, reply)
	if got := eval[string](b, `Object.keys(localStorage).filter(k => k.startsWith("supportal.draft.") || k.startsWith("supportal.reply.")).join(" ")`); got != "" {
		t.Errorf("drafts in localStorage: %s", got)
	}

	// Chromium writes new cookies to disk within 30 s; the session cookie
	// is carried over by hand, as if the crash came that much later (a
	// session found ended erases the drafts on purpose: issue 12).
	cookies, err := chromedp.Call(b.ctx, storage.GetCookies, storage.GetCookiesParams{})
	if err != nil {
		t.Fatal(err)
	}
	b.kill()
	b = newBrowserIn(t, p, "fr-FR", dir)
	var carried []*network.CookieParam
	for _, c := range cookies.Cookies {
		carried = append(carried, &network.CookieParam{Name: c.Name, Value: c.Value, URL: p.URL, Path: c.Path, HTTPOnly: c.HTTPOnly})
	}
	if _, err := chromedp.Call(b.ctx, storage.SetCookies, storage.SetCookiesParams{Cookies: carried}); err != nil {
		t.Fatal(err)
	}
	b.open("/tickets/new")
	b.waitApp()
	b.waitText("the subject after the crash", qValue("input#f-subject"), subject)
	b.waitTrue("the type after the crash", `document.getElementById("f-type")?.value === "login_problem"`)
	b.open("/tickets/" + strconv.FormatInt(n, 10))
	b.waitText("the reply after the crash", qValue("textarea#reply-body"), reply)
}
