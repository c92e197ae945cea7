package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/seed"
)

// A German browser logs in as Anna, works in both of her accounts and
// switches the portal to French.
func TestAnnaGermanDashboardAndAccountSwitch(t *testing.T) {
	p := startPortal(t)
	main, potsdam := p.org(t, "100200"), p.org(t, "100201")
	b := newBrowser(t, p, "de-DE")

	// Logged out, the dashboard sends the browser to the German login page.
	b.open("/")
	b.waitText("path after opening / logged out", jsPath, "/login")
	b.waitText("login page heading", jsH1, "Anmelden")
	b.waitText("<html lang> on the login page", jsHTMLLang, "de")

	b.login(seed.AnnaEmail, seed.Password)
	b.waitText("path after login", jsPath, "/")
	b.waitText("dashboard heading", jsH1, "Support-Dashboard")
	b.waitText("<html lang> on the dashboard", jsHTMLLang, "de")
	b.waitText("account in the top bar", jsAccount, "select "+idString(main)+": Praxis Sonnenschein (100200)")
	b.waitNumbers("dashboard rows of 100200", jsRows, p.numbers(t, main, true))
	b.waitNumbers("open tickets in the navigation of 100200", jsNav, p.numbers(t, main, true))
	b.waitCounts("dashboard status counts of 100200", p.counts(t, main))

	// Switch to the branch: everything shows the branch's tickets only.
	b.choose("account-select", idString(potsdam))
	b.waitContains("account in the top bar after switching", jsAccount, "select "+idString(potsdam)+": ")
	b.waitContains("account in the top bar after switching", jsAccount, "(100201)")
	b.waitNumbers("dashboard rows of 100201", jsRows, p.numbers(t, potsdam, true))
	b.waitNumbers("open tickets in the navigation of 100201", jsNav, p.numbers(t, potsdam, true))
	b.waitCounts("dashboard status counts of 100201", p.counts(t, potsdam))

	// The ticket list follows the chosen account, open and closed.
	b.click(`nav.sidenav a[href="/tickets"]`)
	b.waitText("path after clicking Tickets", jsPath, "/tickets")
	b.waitText("ticket list heading", jsH1, "Tickets")
	b.waitNumbers("open tickets listed for 100201", jsRows, p.numbers(t, potsdam, true))
	checkRowAccounts(t, b, "100201", "100200")
	b.click("a#tab-closed")
	b.waitNumbers("closed tickets listed for 100201", jsRows, p.numbers(t, potsdam, false))
	checkRowAccounts(t, b, "100201", "100200")

	// French: the page re-renders in French and Anna keeps the choice.
	b.choose("lang-select", "fr")
	b.waitText("ticket list heading in French", jsH1, "Demandes")
	b.waitText("<html lang> after choosing French", jsHTMLLang, "fr")
	b.waitContains("account in the top bar in French", jsAccount, "(100201)")
	deadline := time.Now().Add(waitTimeout)
	for got := p.userLocale(t, seed.AnnaEmail); got != "fr"; got = p.userLocale(t, seed.AnnaEmail) {
		if time.Now().After(deadline) {
			t.Fatalf("Anna's stored language after choosing French: got %q, want %q", got, "fr")
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.click(`nav.sidenav a[href="/"]`)
	b.waitText("dashboard heading in French", jsH1, "Tableau de bord de l’Assistance")
	b.waitText("<html lang> on the French dashboard", jsHTMLLang, "fr")
	b.waitNumbers("dashboard rows of 100201 in French", jsRows, p.numbers(t, potsdam, true))
}

// checkRowAccounts checks that every row of the ticket table names the
// account want and none names notWant.
func checkRowAccounts(t *testing.T, b *browser, want, notWant string) {
	t.Helper()
	for _, row := range eval[[]string](b, jsRowTexts) {
		if !strings.Contains(row, want) || strings.Contains(row, notWant) {
			t.Errorf("ticket row %q: want account %s in it and not %s", row, want, notWant)
		}
	}
}

// Claire, a French customer, sees her own tickets only and cannot open
// Anna's by its address.
func TestClaireDoesNotSeeAnnasTickets(t *testing.T) {
	p := startPortal(t)
	lumiere := p.org(t, "200300")
	var annas []int64
	for _, acc := range []string{"100200", "100201"} {
		o := p.org(t, acc)
		annas = append(annas, p.numbers(t, o, true)...)
		annas = append(annas, p.numbers(t, o, false)...)
	}
	foreign := p.tickets(t, p.org(t, "100200").ID)[0]

	b := newBrowser(t, p, "fr-FR")
	b.open("/login")
	b.waitText("login page heading", jsH1, "Connexion")
	b.waitText("<html lang> on the login page", jsHTMLLang, "fr")
	b.login(seed.ClaireEmail, seed.Password)
	b.waitText("path after login", jsPath, "/")
	b.waitText("dashboard heading", jsH1, "Tableau de bord de l’Assistance")
	b.waitText("<html lang> on the dashboard", jsHTMLLang, "fr")
	b.waitContains("account in the top bar", jsAccount, "200300")

	rows := b.waitNumbers("dashboard rows of 200300", jsRows, p.numbers(t, lumiere, true))
	if bad := intersect(rows, annas); len(bad) > 0 {
		t.Errorf("Claire's dashboard lists tickets %v of Praxis Sonnenschein; want none", bad)
	}
	nav := b.waitNumbers("open tickets in the navigation", jsNav, p.numbers(t, lumiere, true))
	if bad := intersect(nav, annas); len(bad) > 0 {
		t.Errorf("Claire's navigation lists tickets %v of Praxis Sonnenschein; want none", bad)
	}

	b.click(`nav.sidenav a[href="/tickets"]`)
	b.waitText("ticket list heading", jsH1, "Demandes")
	b.waitNumbers("open tickets listed", jsRows, p.numbers(t, lumiere, true))
	b.click("a#tab-closed")
	closed := b.waitNumbers("closed tickets listed", jsRows, p.numbers(t, lumiere, false))
	if bad := intersect(closed, annas); len(bad) > 0 {
		t.Errorf("Claire's closed tickets list tickets %v of Praxis Sonnenschein; want none", bad)
	}
	checkRowAccounts(t, b, "200300", "1002")

	// Anna's ticket by its address: an error in French, nothing of the ticket.
	b.open(fmt.Sprintf("/tickets/%d", foreign.Number))
	b.waitText("error on opening Anna's ticket", jsMainError, msg(t, "fr", "ErrNotFound"))
	html := b.html()
	if strings.Contains(html, foreign.Subject) {
		t.Errorf("the page of Anna's ticket #%d shows its subject %q to Claire", foreign.Number, foreign.Subject)
	}
	if strings.Contains(html, `id="ticket-subject"`) {
		t.Errorf("the page of Anna's ticket #%d has a #ticket-subject element for Claire; want none", foreign.Number)
	}
}

// Login errors are shown in the browser's language.
func TestLoginErrorsAreLocalized(t *testing.T) {
	p := startPortal(t)
	b := newBrowser(t, p, "de-DE")
	b.open("/login")
	b.waitText("login page heading", jsH1, "Anmelden")

	b.click("#login-submit")
	b.waitText("error for an empty e-mail address", jsLoginError, msg(t, "de", "ErrEmailRequired"))
	b.waitText("the focus on the e-mail field", `document.activeElement?.id ?? ''`, "login-email")

	b.login(seed.AnnaEmail, "not-"+seed.Password)
	b.waitText("error for a wrong password", jsLoginError, msg(t, "de", "ErrBadCredentials"))
	b.waitText("the focus on the password, to type it again", `document.activeElement?.id ?? ''`, "login-password")
	if got := eval[string](b, jsPath); got != "/login" {
		t.Errorf("path after a wrong password: got %q, want %q", got, "/login")
	}
	// Too many wrong passwords: the page says how long to wait.
	b.open("/login") // empty fields
	b.waitTrue("the login form", qExists("#login-email"))
	// Wrong passwords until the wait is long enough for the page to ask
	// (each admitted failure doubles it: 1 s, 2 s, 4 s, 8 s, 16 s).
	wait := 0.0
	for i := 0; i < 30 && wait < 16; i++ {
		if wait > 0 {
			time.Sleep(time.Duration(wait) * time.Second)
		}
		wait = evalAwait[float64](b, `fetch("/api/v1/login", {method: "POST", headers: {"Content-Type": "application/json"},
			body: JSON.stringify({email: "`+seed.AnnaEmail+`", password: "wrong"})}).then(r => Number(r.headers.get("Retry-After") || 0))`)
	}
	if wait < 16 {
		t.Fatalf("no wait of 16 s after many wrong passwords (Retry-After %v)", wait)
	}
	b.login(seed.AnnaEmail, "not-"+seed.Password)
	b.waitContains("how long to wait", jsLoginError, "Bitte versuchen Sie es in ")
	b.waitContains("in seconds", jsLoginError, "Sekunde")
}

// A session that ends while the app is open (here: logged out behind the
// app's back) sends the user to the login page, which says why; after
// logging in again they are back on the page they were on.
func TestEndedSessionSaysSoAndComesBack(t *testing.T) {
	p := startPortal(t)
	b := loginTo(t, p, "de-DE", seed.AnnaEmail)
	b.click(`nav.sidenav a[href="/tickets"]`)
	b.waitText("on the ticket list", jsPath, "/tickets")
	b.waitTrue("live stream connected", jsLiveResumes(userID(t, p, seed.AnnaEmail)))
	b.do("ending the session behind the app's back", chromedp.Evaluate[chromedp.Void](`fetch("/api/v1/logout", {method: "POST"})`))
	b.waitText("the login page", jsPath, "/login")
	b.waitText("which says the session ended", qText("#session-expired"), msg(t, "de", "SessionExpired"))
	b.login(seed.AnnaEmail, seed.Password)
	b.waitText("back where she was", jsPath, "/tickets")
}

// Customers never get internal notes; agents see them marked.
func TestTicketPageHidesInternalNotes(t *testing.T) {
	p := startPortal(t)
	ctx := context.Background()

	// One of Anna's tickets with an internal note.
	var tk ticket.Ticket
	var public, internal []ticket.Message
	for _, c := range p.tickets(t, p.org(t, "100200").ID) {
		msgs, err := p.DB.Messages(ctx, c.Number)
		if err != nil {
			t.Fatalf("Messages(%d): %v", c.Number, err)
		}
		public, internal = nil, nil
		for _, m := range msgs {
			if m.Internal {
				internal = append(internal, m)
			} else {
				public = append(public, m)
			}
		}
		if len(internal) > 0 && len(public) > 0 {
			tk = c
			break
		}
	}
	if tk.Number == 0 {
		t.Fatal("the demo data has no ticket of 100200 with an internal note and public messages")
	}
	path := fmt.Sprintf("/tickets/%d", tk.Number)

	anna := newBrowser(t, p, "de-DE")
	anna.open("/login")
	anna.login(seed.AnnaEmail, seed.Password)
	anna.waitText("dashboard heading", jsH1, "Support-Dashboard")
	anna.open(path)
	anna.waitText("ticket subject", `document.getElementById('ticket-subject')?.textContent ?? ''`, tk.Subject)
	bodies := `Array.from(document.querySelectorAll('article.message .message-body'), e => e.textContent)`
	got, ok, err := poll(anna, bodies, func(got []string) bool {
		for _, m := range public {
			if !slices.Contains(got, m.Body) {
				return false
			}
		}
		return slices.Contains(got, tk.Description)
	})
	if !ok {
		t.Fatalf("messages on ticket #%d for Anna: got %q, want the description and the %d public messages%s", tk.Number, got, len(public), errNote(err))
	}
	if len(got) != len(public)+1 {
		t.Errorf("messages on ticket #%d for Anna: got %d (%q), want %d (description and public messages)", tk.Number, len(got), got, len(public)+1)
	}
	html := anna.html()
	if strings.Contains(html, "INTERN-NOTIZ") {
		t.Errorf("ticket #%d shows Anna text of an internal note (INTERN-NOTIZ)", tk.Number)
	}
	for _, m := range internal {
		if strings.Contains(html, m.Body) {
			t.Errorf("ticket #%d shows Anna the internal note %q", tk.Number, m.Body)
		}
	}
	if n := eval[int](anna, `document.querySelectorAll('.message-internal').length`); n != 0 || strings.Contains(html, "message-internal") {
		t.Errorf("ticket #%d for Anna: got %d elements with class message-internal, want none", tk.Number, n)
	}
	anna.close()

	sam := newBrowser(t, p, "en-US")
	sam.open("/login")
	sam.login(seed.SamEmail, seed.Password)
	sam.waitText("dashboard heading", jsH1, "Support dashboard")
	sam.open(path)
	sam.waitText("ticket subject", `document.getElementById('ticket-subject')?.textContent ?? ''`, tk.Subject)
	notes := `Array.from(document.querySelectorAll('article.message.message-internal'), a => (a.querySelector('.message-body')?.textContent ?? '') + ' | ' + (a.querySelector('.internal-badge')?.textContent ?? ''))`
	want := make([]string, len(internal))
	for i, m := range internal {
		want[i] = m.Body + " | " + msg(t, "en", "InternalNote")
	}
	gotNotes, ok, err := poll(sam, notes, func(got []string) bool { return slices.Equal(got, want) })
	if !ok {
		t.Fatalf("internal notes on ticket #%d for the agent: got %q, want %q%s", tk.Number, gotNotes, want, errNote(err))
	}
}
