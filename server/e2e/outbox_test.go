package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/seed"
)

// withSubject returns the tickets of organization o with the subject.
func withSubject(t *testing.T, p *portal, o ticket.OrgRef, subject string) []ticket.Ticket {
	t.Helper()
	var out []ticket.Ticket
	for _, tk := range p.tickets(t, o.ID) {
		if tk.Subject == subject {
			out = append(out, tk)
		}
	}
	return out
}

// goOffline stops the portal and waits until the app says it is offline
// (the bar above the page moves the page down: clicks wait for it).
func (b *browser) goOffline(p *portal) {
	b.t.Helper()
	p.stop()
	b.waitTrue("the offline bar", qExists("#offline-bar"))
}

// fillTechnicalTicket fills the one-page form with a web interface problem
// about subject, as a new problem.
func (b *browser) fillTechnicalTicket(p *portal, account, subject, description string) {
	t := b.t
	t.Helper()
	b.open("/tickets/new")
	b.waitTrue("form#ticket-form", qExists("form#ticket-form"))
	b.choose("f-type", "web_interface_problem")
	b.waitOpenTicketChoices(p.numbers(t, p.org(t, account), true))
	b.click("#f-existingTicket-0")
	b.choose("f-category", "error_message")
	b.typeIn("input#f-subject", subject)
	b.typeIn("textarea#f-description", description)
}

// Bernd (de) writes a ticket with a PDF; the server goes away before he
// sends it. It waits in the outbox, and when the server is back it is
// created exactly once, with the PDF, and the outbox says "sent #N".
func TestOutboxTicketSentOnceWhenServerReturns(t *testing.T) {
	p := startPortal(t)
	praxis := p.org(t, "100200")
	const subject = "Drucker meldet Fehler 0x2A"
	b := loginTo(t, p, "de-DE", seed.BerndEmail)
	b.fillTechnicalTicket(p, "100200", subject, "Beim Drucken der Quittungen erscheint seit heute Morgen Fehler 0x2A.")
	b.upload("#files-input", writeFile(t, "fehler.pdf", pdfBytes))
	b.waitTrue("privacy dialog open", `document.querySelector('#files-privacy')?.open === true`)
	b.click("#files-privacy-confirm")
	b.waitContains("the PDF uploaded", qText("#files-list"), msg(t, "de", "FileUploaded"))

	b.goOffline(p)
	b.click("button#send")
	b.waitText("address after sending offline", jsPath, "/outbox")
	b.waitText("what happened", qText("#outbox-queued"), msg(t, "de", "OutboxQueuedTicket"))
	b.waitTrue("the offline bar", qExists("#offline-bar"))
	b.waitContains("the item's state", qText(".outbox-item .outbox-badge"), msg(t, "de", "OutboxQueued"))
	b.waitContains("the item's subject", qText(".outbox-item .outbox-subject"), subject)
	b.waitContains("the navigation's count", qText("#nav-outbox .badge"), "1")
	if got := withSubject(t, p, praxis, subject); len(got) != 0 {
		t.Fatalf("%d tickets %q while the server was away", len(got), subject)
	}
	if n := evalAwait[int](b, `supportalStore.entries("outbox", "").then(e => e.length)`); n != 1 {
		t.Errorf("IndexedDB outbox holds %d items, want 1", n)
	}
	if n := eval[int](b, `Object.keys(localStorage).filter(k => k.startsWith("supportal.draft.")).length`); n != 0 {
		t.Errorf("%d drafts left in localStorage", n)
	}
	b.waitText("no draft left: the outbox has the ticket now", `supportalStore.entries("drafts", "").then(e => String(e.filter(([k, v]) => v.includes(`+strconv.Quote(subject)+`)).length))`, "0")

	p.restart(t)
	b.waitContains("the item once the server is back", qText(".outbox-item .outbox-badge"), msg(t, "de", "OutboxSent"))
	got := withSubject(t, p, praxis, subject)
	if len(got) != 1 {
		t.Fatalf("%d tickets %q after the server came back, want exactly 1", len(got), subject)
	}
	n := got[0].Number
	b.waitText("the notice says it went out", qText("#outbox-queued"), fill(msg(t, "de", "OutboxNowSent"), "Number", strconv.FormatInt(n, 10)))
	b.waitText("link to the new ticket", qText(".outbox-badge-sent a"), "#"+strconv.FormatInt(n, 10))
	if tk := storedTicket(t, p, n); len(tk.Attachments) != 1 || tk.Attachments[0].Name != "fehler.pdf" {
		t.Errorf("ticket #%d attachments %+v, want fehler.pdf", n, tk.Attachments)
	}
	b.waitFalse("the offline bar once the server is back", qExists("#offline-bar"))
	// Going online again, visibility changes, a second flush: still one.
	b.do("flush again", chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event("online")); document.dispatchEvent(new Event("visibilitychange"))`))
	time.Sleep(time.Second)
	if got := withSubject(t, p, praxis, subject); len(got) != 1 {
		t.Errorf("%d tickets after more flushes, want 1", len(got))
	}
}

// Bernd replies while the server is away: the reply waits under the
// conversation and appears in it, once, when the server is back.
func TestOutboxReplyWaitsUnderTheConversation(t *testing.T) {
	p := startPortal(t)
	praxis := p.org(t, "100200")
	open := p.numbers(t, praxis, true)
	n := open[len(open)-1]
	before, err := p.DB.Messages(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	const body = "Die Fehlermeldung kommt weiterhin, auch nach dem Neustart."
	b := loginTo(t, p, "de-DE", seed.BerndEmail)
	b.open("/tickets/" + strconv.FormatInt(n, 10))
	b.waitTrue("reply box", qExists("textarea#reply-body"))
	b.typeIn("textarea#reply-body", body)
	b.goOffline(p)
	b.click("button#reply-send")
	b.waitContains("the waiting reply", qText("#reply-waiting"), body)
	b.waitText("the reply box is empty again", `document.querySelector('#reply-body')?.value ?? 'missing'`, "")
	b.waitTrue("the offline bar", qExists("#offline-bar"))

	p.restart(t)
	b.waitContains("the reply in the conversation", qText("#messages"), body)
	b.waitFalse("no reply waits once it is sent", qExists("#reply-waiting"))
	after, err := p.DB.Messages(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before)+1 || after[len(after)-1].Body != body {
		t.Errorf("ticket #%d has %d messages (was %d), last %q; want the reply once", n, len(after), len(before), after[len(after)-1].Body)
	}
}

// A queued ticket the server refuses (here: the ticket it was to be added
// to was closed meanwhile) needs attention; the user edits it in the form,
// sees the server's message on the field, fixes it and sends.
func TestOutboxRefusedItemIsFixedAndSent(t *testing.T) {
	p := startPortal(t)
	praxis := p.org(t, "100200")
	open := p.numbers(t, praxis, true)
	target := open[0]
	const (
		subject     = "Kartenleser nach Update ohne Verbindung"
		description = "Der Kartenleser am Empfang verbindet sich nicht mehr."
	)
	b := loginTo(t, p, "de-DE", seed.BerndEmail)
	b.fillTechnicalTicket(p, "100200", subject, description)
	b.click("#f-existingTicket-" + strconv.FormatInt(target, 10))
	b.goOffline(p)
	b.click("button#send")
	b.waitText("address after sending offline", jsPath, "/outbox")

	tk := storedTicket(t, p, target)
	if err := p.DB.SetStatus(context.Background(), target, tk.Status, ticket.StatusClosed, time.Now()); err != nil {
		t.Fatal(err)
	}
	p.restart(t)
	b.waitContains("the item needs attention", qText(".outbox-item .outbox-badge"), msg(t, "de", "OutboxAttention"))
	b.waitContains("the server's reason", qText(".outbox-item .outbox-reason"), msg(t, "de", "ErrExistingTicket"))
	b.waitContains("what it was", qText(".outbox-item h2"), fill(msg(t, "de", "OutboxAddTo"), "Number", strconv.FormatInt(target, 10)))
	id := eval[string](b, `document.querySelector('.outbox-item').id.slice("outbox-".length)`)

	b.click("#outbox-edit-" + id)
	b.waitText("address after Edit", jsPath, "/tickets/new")
	b.waitText("the form says it is out of the outbox", qText("#taken-back"), msg(t, "de", "OutboxTakenBack"))
	b.waitText("description kept", qValue("textarea#f-description"), description)
	b.waitText("the server's message on the field", qText("#err-f-existingTicket"), msg(t, "de", "ErrExistingTicket"))
	b.click("#f-existingTicket-0") // a new problem after all
	b.choose("f-category", "error_message")
	b.waitTrue("the subject field", qExists("input#f-subject"))
	if eval[string](b, qValue("input#f-subject")) == "" {
		b.typeIn("input#f-subject", subject)
	}
	b.waitText("the subject", qValue("input#f-subject"), subject)
	b.waitText("no message on the field once changed", qText("#err-f-existingTicket"), "")
	b.click("button#send")
	q := b.waitSent()
	n, _ := strconv.ParseInt(q.Get("ticket"), 10, 64)
	if got := withSubject(t, p, praxis, subject); len(got) != 1 || got[0].Number != n {
		t.Errorf("tickets %q: %d, want the one sent (#%d)", subject, len(got), n)
	}
	b.open("/outbox")
	b.waitTrue("the outbox is empty", qExists("#outbox-empty"))
}

// Claire (fr) opened the app once; later the server cannot be reached.
// She opens the form by its address: the app starts from the cached shell
// with her kept session and catalog, she writes a ticket, it waits in the
// outbox, still there after a reload offline, and goes out once when the
// server is back.
func TestOutboxOfflineStart(t *testing.T) {
	p := startPortal(t)
	lumiere := p.org(t, "200300")
	const subject = "Impression des ordonnances impossible hors ligne"
	open := p.numbers(t, lumiere, true)
	n := open[len(open)-1]
	b := loginTo(t, p, "fr-FR", seed.ClaireEmail)
	b.controlled("/tickets/" + strconv.FormatInt(n, 10)) // a ticket she opened
	b.waitTrue("the ticket's conversation", qExists("#messages"))
	subjectOf := storedTicket(t, p, n).Subject
	b.open("/tickets/new") // the catalog, once online
	b.waitTrue("form#ticket-form", qExists("form#ticket-form"))

	p.stop()
	// The ticket she opened, by its address: shown as it was, with its age.
	b.open("/tickets/" + strconv.FormatInt(n, 10))
	b.waitTrue("the offline bar", qExists("#offline-bar"))
	b.waitContains("the kept ticket's notice", qText("#ticket-kept"), strings.SplitN(msg(t, "fr", "KeptAsOf"), "{{", 2)[0])
	b.waitContains("the kept ticket's subject", `document.title`, subjectOf)
	b.waitTrue("its conversation", qExists("#messages .message, #messages article"))

	b.open("/tickets/new")
	b.waitTrue("the offline bar", qExists("#offline-bar"))
	b.waitText("the offline bar in French", qText("#offline-bar strong"), msg(t, "fr", "OfflineTitle"))
	b.waitTrue("the form, offline", qExists("form#ticket-form"))
	b.choose("f-type", "web_interface_problem")
	b.waitTrue("the category", qExists("select#f-category"))
	b.choose("f-category", "error_message")
	b.typeIn("input#f-subject", subject)
	b.typeIn("textarea#f-description", "Depuis ce matin, l’impression des ordonnances échoue.")
	// A PDF attached offline: kept in the browser, uploaded with the send.
	b.upload("#files-input", writeFile(t, "erreur.pdf", pdfBytes))
	b.waitTrue("privacy dialog open", `document.querySelector('#files-privacy')?.open === true`)
	b.click("#files-privacy-confirm")
	b.waitContains("the PDF kept offline", qText("#files-list"), msg(t, "fr", "FileHeldOffline"))
	if n := p.uploadRequests.Load(); n != 0 {
		t.Errorf("%d upload requests while offline", n)
	}
	b.click("button#send")
	b.waitText("address after sending offline", jsPath, "/outbox")
	b.waitText("what happened", qText("#outbox-queued"), msg(t, "fr", "OutboxQueuedTicket"))

	b.open("/outbox") // a reload, offline
	b.waitContains("the item after a reload offline", qText(".outbox-item .outbox-subject"), subject)
	b.waitContains("its state", qText(".outbox-item .outbox-badge"), msg(t, "fr", "OutboxQueued"))
	if got := withSubject(t, p, lumiere, subject); len(got) != 0 {
		t.Fatalf("%d tickets while the server was away", len(got))
	}

	p.restart(t)
	b.waitContains("sent once the server is back", qText(".outbox-item .outbox-badge"), msg(t, "fr", "OutboxSent"))
	got := withSubject(t, p, lumiere, subject)
	if len(got) != 1 {
		t.Fatalf("%d tickets %q, want exactly 1", len(got), subject)
	}
	if tk := storedTicket(t, p, got[0].Number); len(tk.Attachments) != 1 || tk.Attachments[0].Name != "erreur.pdf" {
		t.Errorf("ticket #%d attachments %+v, want erreur.pdf", got[0].Number, tk.Attachments)
	}
	if n := evalAwait[int](b, `supportalStore.entries("files", "").then(e => e.length)`); n != 0 {
		t.Errorf("%d files still kept in the browser after the send", n)
	}
}

// The server dies right after it stored a ticket, before it answers: the
// app cannot know, so the ticket waits in the outbox; after the restart
// its key brings back the ticket made, not a second one.
func TestOutboxServerDiesWhileSending(t *testing.T) {
	p := startPortal(t)
	praxis := p.org(t, "100200")
	const subject = "Terminbuchung zeigt leere Seite"
	b := loginTo(t, p, "de-DE", seed.BerndEmail)
	b.fillTechnicalTicket(p, "100200", subject, "Nach dem Klick auf „Termin buchen“ bleibt die Seite leer.")
	p.crashed = make(chan struct{})
	p.crashAfterCreate.Store(true)
	b.click("button#send")
	select {
	case <-p.crashed:
	case <-time.After(waitTimeout):
		t.Fatal("the send never reached the server")
	}
	if got := withSubject(t, p, praxis, subject); len(got) != 1 {
		t.Fatalf("%d tickets stored before the crash, want 1", len(got))
	}
	b.waitText("address after the lost answer", jsPath, "/outbox")
	b.waitContains("the item waits", qText(".outbox-item .outbox-badge"), msg(t, "de", "OutboxQueued"))

	p.restart(t)
	b.waitContains("sent after the restart", qText(".outbox-item .outbox-badge"), msg(t, "de", "OutboxSent"))
	got := withSubject(t, p, praxis, subject)
	if len(got) != 1 {
		t.Fatalf("%d tickets after the restart, want 1", len(got))
	}
	b.waitText("the outbox links the one ticket", qText(".outbox-badge-sent a"), "#"+strconv.FormatInt(got[0].Number, 10))
}

// Two tabs of the app hold the same outbox when the server comes back:
// they send it together, and still one ticket is made.
func TestOutboxTwoTabsOneTicket(t *testing.T) {
	p := startPortal(t)
	praxis := p.org(t, "100200")
	const subject = "Zwei Tabs, ein Ticket"
	b := loginTo(t, p, "de-DE", seed.BerndEmail)
	b2 := b.newTab()
	b2.open("/outbox")
	b2.waitTrue("the second tab's outbox", qExists("#outbox-empty"))
	b.front()

	b.fillTechnicalTicket(p, "100200", subject, "Geschrieben in einem Tab, offen in zweien.")
	b.goOffline(p)
	b.click("button#send")
	b.waitText("address after sending offline", jsPath, "/outbox")
	b2.waitContains("the second tab shows the item", qText(".outbox-item .outbox-subject"), subject)

	p.restart(t)
	// Both tabs find the server again at once.
	for _, x := range []*browser{b, b2} {
		x.do("back online", chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event("online"))`))
	}
	b.waitContains("sent", qText(".outbox-item .outbox-badge"), msg(t, "de", "OutboxSent"))
	b2.front()
	b2.waitContains("sent, in the second tab too", qText(".outbox-item .outbox-badge"), msg(t, "de", "OutboxSent"))
	time.Sleep(time.Second)
	if got := withSubject(t, p, praxis, subject); len(got) != 1 {
		t.Errorf("%d tickets from two tabs, want 1", len(got))
	}
}

// Logging out with an item in the outbox asks first. Kept for the next
// login, it goes out after that login; discarded, nothing of the user is
// left in the browser.
func TestOutboxLogout(t *testing.T) {
	p := startPortal(t)
	praxis := p.org(t, "100200")
	const kept, discarded = "Für später behalten", "Verworfen beim Abmelden"
	b := loginTo(t, p, "de-DE", seed.BerndEmail)
	b.fillTechnicalTicket(p, "100200", kept, "Wird nach der nächsten Anmeldung gesendet.")
	b.goOffline(p)
	b.click("button#send")
	b.waitText("address after sending offline", jsPath, "/outbox")

	b.click("button#user-menu-button")
	b.click("button#logout")
	b.waitTrue("the question before logout", `document.querySelector("dialog#logout-dialog").open`)
	b.waitText("the question names the waiting item", qText("#logout-dialog-title"), "1 Eintrag wurde noch nicht gesendet")
	b.waitText("the safe choice has the focus", `document.activeElement.id`, "logout-keep")
	if eval[bool](b, qExists("#logout-send-now")) {
		t.Error("offline, the question offers to send now")
	}
	b.click("button#logout-keep-outbox")
	b.waitText("address after logout", jsPath, "/login")
	if n := evalAwait[int](b, `supportalStore.entries("outbox", "").then(e => e.length)`); n != 1 {
		t.Errorf("outbox after logout with Keep: %d items, want 1", n)
	}
	if n := evalAwait[int](b, `supportalStore.entries("cache", "").then(e => e.length)`); n != 0 {
		t.Errorf("after logout %d kept answers (session, catalog, tickets) are left", n)
	}

	if !eval[bool](b, `localStorage.getItem("supportal-logout-pending") !== null`) {
		t.Error("logged out offline, and nothing says the server must end the session")
	}
	p.restart(t)
	b.open("/login")
	b.login(seed.BerndEmail, seed.Password)
	b.waitText("path after login", jsPath, "/")
	for deadline := time.Now().Add(waitTimeout); len(withSubject(t, p, praxis, kept)) != 1; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the kept item was not sent after the login")
		}
	}

	b.fillTechnicalTicket(p, "100200", discarded, "Wird beim Abmelden verworfen.")
	b.goOffline(p)
	b.click("button#send")
	b.waitText("address after sending offline", jsPath, "/outbox")
	b.click("button#user-menu-button")
	b.click("button#logout")
	b.waitTrue("asked again", `document.querySelector("dialog#logout-dialog").open`)
	b.click("button#logout-confirm")
	b.waitText("address after logout", jsPath, "/login")
	for _, st := range []string{"outbox", "cache", "files", "drafts"} {
		if n := evalAwait[int](b, `supportalStore.entries("`+st+`", "").then(e => e.length)`); n != 0 {
			t.Errorf("IndexedDB %s holds %d entries after logout, want none", st, n)
		}
	}
	if left := eval[[]string](b, `Object.keys(localStorage).filter(k => k.startsWith("supportal."))`); len(left) != 0 {
		t.Errorf("localStorage after logout: %v, want nothing of the user", left)
	}
	p.restart(t)
	time.Sleep(time.Second)
	if got := withSubject(t, p, praxis, discarded); len(got) != 0 {
		t.Errorf("the discarded item was sent: %d tickets", len(got))
	}
}

// What waits and what cannot: Claire (French) replies offline — the reply
// waits, its age is told; "Problem solved" offline is refused with a
// reason (a status change is not kept for later); a reply to a ticket this
// browser no longer keeps cannot be edited offline (the page could not show
// it) and stays in the outbox, sent once the server is back.
func TestOutboxOfflineLimits(t *testing.T) {
	p := startPortal(t)
	lumiere := p.org(t, "200300")
	var n int64
	for _, tk := range p.tickets(t, lumiere.ID) {
		if !tk.Status.Closed() {
			n = tk.Number
			break
		}
	}
	if n == 0 {
		t.Fatal("Cabinet Lumière has no open ticket")
	}
	const body = "Toujours le même message d’erreur après la mise à jour."
	b := loginTo(t, p, "fr-FR", seed.ClaireEmail)
	b.open("/tickets/" + strconv.FormatInt(n, 10))
	b.waitTrue("reply box", qExists("textarea#reply-body"))
	b.typeIn("textarea#reply-body", body)
	b.goOffline(p)
	b.click("button#reply-send")
	b.waitContains("the waiting reply", qText("#reply-waiting"), body)

	b.click("button#problem-solved")
	b.click("button#problem-solved-confirm")
	b.waitContains("why the ticket is not closed", qText("#reply"), msg(t, "fr", "ErrStatusOffline"))

	b.click("a#reply-waiting-outbox")
	b.waitText("address of the outbox", jsPath, "/outbox")
	b.waitText("the item's age", qText(".outbox-item time"), msg(t, "fr", "AgeJustNow"))
	if !strings.HasPrefix(eval[string](b, `document.querySelector(".outbox-item time").getAttribute("datetime")`), "20") {
		t.Error("the age has no machine-readable time")
	}

	// The ticket kept for offline use is gone (as after 50 others were
	// opened): the page could not show it, so Edit says so and keeps the reply.
	evalAwait[bool](b, `supportalStore.entries("cache", "").then(e => Promise.all(e.filter(([k]) => k.includes("/ticket/")).map(([k]) => supportalStore.del("cache", k)))).then(() => true)`)
	b.do("reloading offline", chromedp.Reload())
	b.waitApp()
	b.waitTrue("the item after the reload", qExists(".outbox-item"))
	id := eval[string](b, `document.querySelector('.outbox-item').id.slice("outbox-".length)`)
	// From the page's script: a mouse click on the page just reloaded
	// offline hung until the deadline now and then on a busy machine (CI).
	b.jsClick("#outbox-edit-" + id)
	b.waitText("why it cannot be edited now", qText("#outbox-notice"), fill(msg(t, "fr", "OutboxEditNeedsTicket"), "Number", "#"+strconv.FormatInt(n, 10)))
	b.waitText("still on the outbox", jsPath, "/outbox")

	p.restart(t)
	b.waitContains("the reply once the server is back", qText(".outbox-item .outbox-badge"), msg(t, "fr", "OutboxSentTo"))
	if tk := storedTicket(t, p, n); tk.Status.Closed() {
		t.Errorf("ticket #%d was closed by the offline click", n)
	}
	msgs, err := p.DB.Messages(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	if last := msgs[len(msgs)-1]; last.Body != body {
		t.Errorf("last message of #%d: %q, want the reply", n, last.Body)
	}
}
