package e2e

import (
	"context"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/demohost"
	"github.com/supportal/supportal/server/embed"
	"github.com/supportal/supportal/server/seed"
)

// demoSetup is the portal with the demo practice portal as its host, each
// on its own site (the portal as http://localhost:PORT, the host on
// 127.0.0.1), as make run serves them.
type demoSetup struct {
	p      *portal
	portal string // the portal's URL as the host frames it
	host   string // the demo practice portal
}

func startDemoHost(t *testing.T, idleMinutes float64) *demoSetup {
	t.Helper()
	hostLn, portalLn := listen(t), listen(t)
	s := &demoSetup{portal: "http://localhost:" + port(portalLn), host: "http://" + hostLn.Addr().String()}
	d, err := demohost.New(s.portal, s.host)
	if err != nil {
		t.Fatal(err)
	}
	d.Host.Kiosk.IdleMinutes = idleMinutes
	hosts := &embed.Hosts{}
	if err := hosts.Add(d.Host); err != nil {
		t.Fatal(err)
	}
	s.p = startPortalWith(t, hosts, portalLn)
	srv := httptest.NewUnstartedServer(d.Handler)
	srv.Listener.Close()
	srv.Listener = hostLn
	srv.Start()
	t.Cleanup(srv.Close)
	return s
}

// pick signs into the demo practice portal as the user ("diego"…).
func (s *demoSetup) pick(b *browser, user string) {
	b.t.Helper()
	b.base = s.host
	b.do("opening the practice portal", chromedp.Navigate(s.host+"/"))
	b.click(`button.person[data-user="` + user + `"]`)
	b.waitTrue("picked "+user, `document.cookie !== '' || !!document.querySelector('button.person.current')`)
}

// TestDemoHostDiegoClaim: Diego gets help from a claim in his practice
// portal without logging in to supportal: the ticket is linked to the
// claim, Sam's answer marks the host's Get Help button, and the frame is
// as tall as its content.
func TestDemoHostDiegoClaim(t *testing.T) {
	s := startDemoHost(t, 1)
	b := newBrowser(t, s.p, "es-ES")
	s.pick(b, "diego")
	b.do("opening the claim", chromedp.Navigate(s.host+"/claim"))
	b.click("#help-RCL-26-1224")
	f := b.frame(s.portal)
	f.waitContains("the claim's Get Help in the frame", jsH1, "RCL-26-1224")
	f.waitContains("Diego is the contact", qText("#help-contact"), seed.DiegoEmail)
	const subject = "El pago de la reclamación no coincide"
	f.typeIn("#help-subject", subject)
	f.click("#help-send")
	f.waitTrue("ticket created", qExists("#help-created"))
	b.waitContains("the host's toast", `document.querySelector('.toasts')?.textContent ?? ''`, "creado")

	sol := s.p.org(t, "300400")
	n := newestTicket(t, s.p, sol, subject)
	if n == 0 {
		t.Fatalf("no ticket %q in the store", subject)
	}
	links, err := s.p.DB.Links(context.Background(), n)
	if err != nil || len(links) != 1 || links[0].Record.Kind != ticket.RecordClaim || links[0].Record.ExternalID != "RCL-26-1224" {
		t.Fatalf("ticket #%d links %+v, %v; want the claim RCL-26-1224", n, links, err)
	}

	// Diego reads the ticket in the panel, then closes the panel. Sam
	// answers: unseen, the answer stays unread and the host marks its
	// Get Help; opening the panel again shows and reads it.
	num := strconv.FormatInt(n, 10)
	f.waitTrue("the ticket among the panel's tickets", qExists("#help-ticket-"+num))
	f.click("#help-show-" + num)
	f.waitTrue("the conversation in the panel", qExists("#help-conversation-"+num))
	b.click("#panel [data-close]")
	b.waitFalse("the panel is closed", `document.getElementById('panel').classList.contains('open')`)
	b.waitTrue("the panel has slid away", `getComputedStyle(document.getElementById('panel')).visibility === 'hidden'`)
	sam := apiAs(t, s.p, seed.SamEmail)
	apiPost(t, sam, s.p, "/api/v1/tickets/"+num+"/messages", `{"body":"Hola Diego: la aseguradora pagó con el código de ajuste CO-45."}`, 201)
	const marker = `(() => {
		const m = document.querySelector('#help-RCL-26-1224 [data-unread]');
		return m && !m.hidden ? m.textContent.trim() : '';
	})()`
	b.waitText("the host's Get Help marker", marker, "11 mensaje sin leer")
	b.click("#help-RCL-26-1224")
	f.waitContains("the answer in the panel", qText("#help-conversation-"+num), "CO-45")
	b.waitText("the marker goes once the answer is seen", marker, "")

	// The frame never scrolls: the host sizes it to the content.
	f.waitTrue("no scrollbar in the frame", `window.innerHeight > 400 && document.documentElement.scrollHeight <= window.innerHeight + 1`)
	// Escape in the frame closes the host's panel.
	f.do("pressing Escape in the frame", chromedp.Focus(chromedp.ID("help-subject")), chromedp.KeyEvent(kb.Escape))
	b.waitFalse("Escape closed the panel", `document.getElementById('panel').classList.contains('open')`)
}

// TestDemoHostKiosk: the reception kiosk of the practice portal: a person
// picks who they are, nobody touches the screen, the kiosk asks, then
// ends the session and goes back to its start; the next person finds
// nothing of the last one.
func TestDemoHostKiosk(t *testing.T) {
	s := startDemoHost(t, 0.1)
	b := newBrowser(t, s.p, "de-DE")
	b.base = s.host
	b.do("opening the kiosk", chromedp.Navigate(s.host+"/kiosk"))
	b.jsClick(`button.person[data-user="anna"]`) // a form post: a mouse click's events may outlive the page they were sent to
	f := b.frame(s.portal)
	f.waitTrue("the kiosk's frame", qExists("#kiosk-end"))
	f.click("#embed-nav-new")
	f.waitText("the form", jsPath, "/tickets/new")
	f.typeIn("#f-subject", "Kartenterminal am Empfang")
	f.waitTrue("the kiosk asks", `document.getElementById('kiosk-dialog')?.open === true`)
	b.waitTrue("the kiosk is back at its start", `!document.querySelector('[data-kiosk-start]').hidden && !document.querySelector('[data-ended]').hidden`)
	if n := eval[int](b, `document.querySelectorAll('iframe').length`); n != 0 {
		t.Fatalf("%d frames left after the session ended", n)
	}

	b.jsClick(`button.person[data-user="bernd"]`)
	f = b.frame(s.portal)
	f.waitTrue("Bernd's kiosk", qExists("#kiosk-end"))
	f.click("#embed-nav-new")
	f.waitText("the form", jsPath, "/tickets/new")
	f.waitTrue("the subject field", qExists("#f-subject"))
	if v := eval[string](f, `document.getElementById('f-subject').value`); v != "" {
		t.Fatalf("Bernd's form holds %q", v)
	}
}
