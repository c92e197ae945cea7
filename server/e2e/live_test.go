package e2e

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/seed"
)

// Anna has a ticket open; Sam's reply appears on her page without a
// reload, a reply on another ticket shows as a badge in her navigation, in
// the page title and in a second tab's list, and clears when she opens
// that ticket. After the server was killed and restarted, her page
// catches up with what Sam wrote meanwhile.
func TestLiveRepliesAndBadges(t *testing.T) {
	p := startPortal(t)
	ctx := context.Background()
	sonnenschein := p.org(t, "100200")
	var open []ticket.Ticket
	for _, tk := range p.tickets(t, sonnenschein.ID) {
		if !tk.Status.Closed() {
			open = append(open, tk)
		}
	}
	if len(open) < 2 {
		t.Fatal("the demo data needs two open tickets of 100200")
	}
	x, y := open[0], open[1]
	sam, _, err := p.DB.UserByEmail(ctx, seed.SamEmail)
	if err != nil {
		t.Fatal(err)
	}
	reply := func(n int64, body string) {
		t.Helper()
		if _, err := p.DB.AddMessage(ctx, ticket.Message{TicketNumber: n, Author: sam.Ref(), Body: body, CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}

	anna := loginTo(t, p, "de-DE", seed.AnnaEmail)
	anna.open("/tickets/" + strconv.FormatInt(x.Number, 10))
	anna.waitContains("ticket page", qText("#ticket-subject"), x.Subject)
	anna.waitTrue("live stream connected", jsLiveResumes(userID(t, p, seed.AnnaEmail)))

	// Anna is typing her answer when Sam's reply comes in.
	anna.typeIn("textarea#reply-body", "Ich schaue")
	start := time.Now()
	reply(x.Number, "Live-Antwort eins")
	anna.waitContains("Sam's reply without a reload", qText("section.conversation"), "Live-Antwort eins")
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the reply took %v to appear, want ≤ 2 s", d)
	}
	// She goes on typing where she was: the reply box kept the focus.
	anna.do("typing on", chromedp.KeyEvent(" gleich nach"))
	anna.waitText("her answer, typed on after the live reply", qValue("textarea#reply-body"), "Ich schaue gleich nach")
	anna.waitTrue("the reply box has the focus", `document.activeElement?.id === "reply-body"`)
	// Seen while open: no badge for x.
	anna.waitFalse("no badge on the open ticket", qExists(`nav.sidenav a[href="/tickets/`+strconv.FormatInt(x.Number, 10)+`"] .badge`))

	// A reply on y: badges in the navigation and the title.
	reply(y.Number, "Live-Antwort zwei")
	yNav := `nav.sidenav a[href="/tickets/` + strconv.FormatInt(y.Number, 10) + `"] .badge`
	anna.waitTrue("badge on y in the navigation", qExists(yNav))
	anna.waitContains("unread count in the title", "document.title", "(")

	// A reply in Anna's other account (the Potsdam branch) counts there,
	// not in the badge of the account she works in.
	potsdam := p.tickets(t, p.org(t, "100201").ID)
	if len(potsdam) == 0 {
		t.Fatal("the demo data needs a ticket of 100201")
	}
	reply(potsdam[0].Number, "Antwort an die Filiale")

	// Anna's second window (another browser: another device): the list
	// shows the badge.
	second := loginTo(t, p, "de-DE", seed.AnnaEmail)
	second.click(`nav.sidenav a[href="/tickets"]`)
	row := "tr#ticket-row-" + strconv.FormatInt(y.Number, 10)
	second.waitTrue("badge on y's row in the second tab", qExists(row+" .badge"))
	second.waitTrue("the other account's unread shown beside the account switcher", qExists("#account-unread"))
	second.waitTrue("the Tickets badge counts the rows of the account's list", `(() => {
		const nav = document.querySelector('nav.sidenav a[href="/tickets"] .badge [aria-hidden]');
		let rows = 0;
		document.querySelectorAll('tr[id^="ticket-row-"] .badge [aria-hidden]').forEach(e => rows += Number(e.textContent));
		return nav !== null && Number(nav.textContent) === rows;
	})()`)
	// Opening y in the second tab clears the badge in the first.
	second.click(row + " a")
	second.waitContains("y opened", qText("#ticket-subject"), y.Subject)
	anna.waitFalse("badge cleared in the first tab", qExists(yNav))

	// Kill the server; Sam writes; the server comes back: Anna catches up.
	p.stop()
	// The server is gone: the offline bar says so (instead of "reconnecting").
	anna.waitTrue("offline shown", qExists("#offline-bar"))
	reply(x.Number, "Live-Antwort drei, während der Server weg war")
	p.restart(t)
	anna.waitContains("caught up after the restart", qText("section.conversation"), "Live-Antwort drei")
	anna.waitFalse("reconnected", qExists("#live-reconnecting, #offline-bar"))
	reply(x.Number, "Live-Antwort vier")
	anna.waitContains("live again after the restart", qText("section.conversation"), "Live-Antwort vier")
}
