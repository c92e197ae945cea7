package e2e

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
)

// Sam asks Anna something on a ticket of Praxis Sonnenschein and notes
// something internally; Anna sees "Antwort erwartet" in red and the public
// reply but never the note, writes an answer that survives a reload, sends
// it, and the ticket turns orange "In Bearbeitung".
func TestConversationAgentAndCustomer(t *testing.T) {
	p := startPortal(t)
	ctx := context.Background()
	sonnenschein := p.org(t, "100200")
	list, _, err := p.DB.ListTickets(ctx, store.ListQuery{Scope: ticket.Scope{All: true}, OrganizationID: sonnenschein.ID, Statuses: []ticket.Status{ticket.StatusOpen, ticket.StatusNew}, Limit: 100})
	annaID := userID(t, p, seed.AnnaEmail)
	i := slices.IndexFunc(list, func(tk ticket.Ticket) bool { return tk.Requester.ID == annaID })
	if err != nil || i < 0 {
		t.Fatalf("no open ticket of 100200 raised by Anna: %v", err)
	}
	n := list[i].Number
	page := "/tickets/" + strconv.FormatInt(n, 10)
	const (
		question = "Could you send us the invoice number, please?"
		secret   = "ZEBRA-7319 check the ERP first"
		answer   = "Die Rechnungsnummer lautet RE-2026-10977.\nViele Grüße"
	)

	sam := newBrowser(t, p, "en-US")
	sam.open("/login")
	sam.login(seed.SamEmail, seed.Password)
	sam.waitText("path after login", jsPath, "/")
	sam.open(page)
	sam.waitTrue("agent status select", qExists("select#agent-status"))
	sam.choose("agent-status", string(ticket.StatusWaitingExternal))
	sam.waitContains("status after the agent's change", qText("#ticket-status"), msg(t, "en", "PortalStatus_response_expected"))
	sam.typeIn("textarea#reply-body", question)
	sam.click("button#reply-send")
	sam.waitContains("the agent's public reply", qText("section.conversation"), question)
	sam.typeIn("textarea#reply-body", secret)
	sam.jsClick("input#reply-internal")
	sam.waitText("the button says what it does", qText("button#reply-send"), msg(t, "en", "SaveInternalNote"))
	sam.click("button#reply-send")
	sam.waitContains("the internal note, marked", qText("article.message-internal"), secret)
	sam.waitFalse("the next message is a public reply again", `document.querySelector("input#reply-internal").checked`)
	sam.waitText("and its button says so", qText("button#reply-send"), msg(t, "en", "SendReply"))
	if got := storedTicket(t, p, n).Status; got != ticket.StatusWaitingExternal {
		t.Fatalf("stored status after the agent's reply = %s, want waiting_external", got)
	}

	anna := loginTo(t, p, "de-DE", seed.AnnaEmail)
	anna.open(page)
	anna.waitContains("status seen by the customer", qText("#ticket-status"), msg(t, "de", "PortalStatus_response_expected"))
	anna.waitTrue("red light", qExists("#ticket-status .status-red"))
	anna.waitContains("the agent's question", qText("section.conversation"), question)
	if html := anna.html(); strings.Contains(html, "ZEBRA-7319") || strings.Contains(html, "message-internal") || strings.Contains(html, "reply-internal") {
		t.Fatalf("the customer's page shows the internal note or the note toggle")
	}

	// The answer being written survives a reload.
	anna.typeIn("textarea#reply-body", answer)
	anna.do("reloading the ticket page", chromedp.Reload())
	anna.waitApp()
	anna.waitText("reply after the reload", qValue("textarea#reply-body"), answer)

	anna.click("button#reply-send")
	anna.waitContains("status after the customer's answer", qText("#ticket-status"), msg(t, "de", "PortalStatus_in_progress"))
	anna.waitTrue("orange light", qExists("#ticket-status .status-orange"))
	anna.waitContains("the answer in the conversation", qText("section.conversation"), "RE-2026-10977")
	anna.waitText("reply box emptied", qValue("textarea#reply-body"), "")
	anna.waitText("and focused for what she writes next", `document.activeElement?.id ?? ''`, "reply-body")
	if got := storedTicket(t, p, n).Status; got != ticket.StatusOpen {
		t.Errorf("stored status after the customer's answer = %s, want open", got)
	}
	ms, _ := p.DB.Messages(ctx, n)
	if last := ms[len(ms)-1]; last.Body != answer || last.Internal {
		t.Errorf("last message = %+v, want Anna's answer, public", last)
	}

	// "Problem solved" asks first: closing cannot be undone.
	anna.click("button#problem-solved")
	anna.waitText("the question", qText("#solve-question"), msg(t, "de", "CloseTicketQuestion"))
	anna.waitText("the focus on the answer", `document.activeElement?.id ?? ''`, "problem-solved-confirm")
	anna.click("button#problem-solved-cancel")
	anna.waitTrue("cancelled: the button is back", qExists("button#problem-solved"))
	if got := storedTicket(t, p, n).Status; got != ticket.StatusOpen {
		t.Fatalf("stored status after cancelling = %s, want open", got)
	}
	anna.click("button#problem-solved")
	anna.click("button#problem-solved-confirm")
	anna.waitContains("closed", qText("#ticket-status"), msg(t, "de", "PortalStatus_closed"))
	anna.waitTrue("a follow-up instead of the reply box", qExists("a#create-follow-up"))
	if got := storedTicket(t, p, n).Status; got != ticket.StatusClosed {
		t.Errorf("stored status after confirming = %s, want closed", got)
	}
}

// Diego searches a word of a public message of his ticket and finds it;
// the address keeps the search.
func TestSearchDiego(t *testing.T) {
	p := startPortal(t)
	ctx := context.Background()
	sol := p.org(t, "300400")
	open := append(ticket.PortalInProgress.InternalStatuses(), ticket.PortalResponseExpected.InternalStatuses()...)
	mine, _, err := p.DB.ListTickets(ctx, store.ListQuery{Scope: ticket.Scope{All: true}, OrganizationID: sol.ID, Statuses: open, Limit: 1})
	if err != nil || len(mine) == 0 {
		t.Fatalf("Diego has no ticket: %v", err)
	}
	ms, _ := p.DB.Messages(ctx, mine[0].Number)
	word := ""
	for _, m := range ms {
		for _, w := range strings.Fields(m.Body) {
			if w = strings.Trim(w, ".,:;!?¿¡()«»\""); !m.Internal && word == "" && len([]rune(w)) > 6 {
				word = w
			}
		}
	}
	if word == "" {
		t.Fatal("no word to search")
	}
	b := loginTo(t, p, "es-ES", seed.DiegoEmail)
	b.click(`nav.sidenav a[href="/tickets"]`)
	b.waitTrue("search box", qExists("input#ticket-search"))
	b.typeIn("input#ticket-search", word)
	b.click("button#ticket-search-button")
	b.waitContains("address with the search", "location.search", "q=")
	want := strconv.FormatInt(mine[0].Number, 10)
	b.waitTrue("the ticket in the results", qExists("tr#ticket-row-"+want))
	b.do("reloading the results", chromedp.Reload())
	b.waitApp()
	b.waitTrue("the ticket in the results after a reload", qExists("tr#ticket-row-"+want))
	b.waitText("search box after a reload", qValue("input#ticket-search"), word)

	// No match: the list says what was looked for.
	b.open("/tickets?q=Zyxwvutsrq")
	b.waitText("no match, in Spanish, with the words", qText("#no-tickets"), fill(msg(t, "es", "NoSearchResults"), "Query", "Zyxwvutsrq"))
}

// Diego opens one of his closed tickets: it takes no reply, but offers
// "Create follow-up", which opens the ticket form as a follow-up of that
// ticket, of its account, and the draft in the browser keeps both.
func TestFollowUpDiego(t *testing.T) {
	p := startPortal(t)
	sol := p.org(t, "300400")
	n := strconv.FormatInt(p.numbers(t, sol, false)[0], 10)

	b := loginTo(t, p, "es-ES", seed.DiegoEmail)
	b.open("/tickets/" + n)
	b.waitContains("status of the closed ticket", qText("#ticket-status"), msg(t, "es", "PortalStatus_closed"))
	b.waitText("notice instead of the reply box", qText("#ticket-closed-text"), msg(t, "es", "FollowUpClosedNotice"))
	b.waitText("follow-up action", qText("a#create-follow-up"), msg(t, "es", "CreateFollowUp"))
	b.waitText("follow-up address", `document.querySelector('a#create-follow-up')?.getAttribute('href') ?? ''`, "/tickets/new?followUp="+n)
	for _, sel := range []string{"textarea#reply-body", "button#reply-send", "button#problem-solved"} {
		if eval[bool](b, qExists(sel)) {
			t.Errorf("the closed ticket offers %s to the customer", sel)
		}
	}

	b.click("a#create-follow-up")
	b.waitText("address of the form", jsPath+` + location.search`, "/tickets/new?followUp="+n)
	b.waitText("follow-up notice", qText("a#follow-up-link"), fill(msg(t, "es", "FollowUpFormNotice"), "Number", n))
	b.waitText("the notice links the closed ticket", `document.querySelector('a#follow-up-link')?.getAttribute('href') ?? ''`, "/tickets/"+n)
	b.waitTrue("the form under the notice", qExists("form#ticket-form"))
	drafts := jsDrafts
	b.waitContains("the draft keeps the follow-up", drafts, `"followUpOf":`+n)
	b.waitContains("the draft has the ticket's account", drafts, `"organizationId":`+idString(sol))
}

// Anna attaches a screenshot to a reply with the paperclip: after the
// privacy confirmation it is uploaded, sent with the reply and shown as a
// thumbnail in the conversation; Sam downloads the same bytes.
func TestReplyWithPicture(t *testing.T) {
	p := startPortal(t)
	var open ticket.Ticket
	for _, tk := range p.tickets(t, p.org(t, "100200").ID) {
		if !tk.Status.Closed() {
			open = tk
			break
		}
	}
	img := image.NewRGBA(image.Rect(0, 0, 40, 24))
	for x := 0; x < 40; x++ {
		for y := 0; y < 24; y++ {
			img.Set(x, y, color.RGBA{R: uint8(x * 6), G: 95, B: 139, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	shot := writeFile(t, "Fehlermeldung.png", buf.Bytes())

	anna := loginTo(t, p, "de-DE", seed.AnnaEmail)
	anna.open("/tickets/" + strconv.FormatInt(open.Number, 10))
	anna.waitContains("ticket page", qText("#ticket-subject"), open.Subject)
	anna.upload("#reply-files-input", shot)
	anna.waitTrue("privacy dialog open", `document.querySelector('#reply-files-privacy')?.open === true`)
	anna.click("#reply-files-privacy-confirm")
	anna.waitContains("the picture uploaded", qText("#reply-files-list"), msg(t, "de", "FileUploaded"))
	anna.typeIn("textarea#reply-body", "Hier der Screenshot der Fehlermeldung.")
	anna.click("button#reply-send")
	anna.waitContains("the reply in the conversation", qText("section.conversation"), "Hier der Screenshot der Fehlermeldung.")
	anna.waitTrue("a thumbnail of the picture, loaded", `[...document.querySelectorAll('section.conversation img.thumbnail')].some(i => i.complete && i.naturalWidth === 40 && i.alt === 'Fehlermeldung.png')`)
	anna.waitTrue("its name below it, a download", `[...document.querySelectorAll('section.conversation .attachment.picture a.picture-download[download]')].some(a => a.textContent.includes('Fehlermeldung.png'))`)
	anna.waitFalse("the reply box's files cleared after sending", qExists("#reply-files-list li"))
	// A file dropped on the reply box: confirmed once for this ticket, it is
	// uploaded without asking again.
	anna.do("dropping a PDF", chromedp.Evaluate[chromedp.Void](`(() => {
		const dt = new DataTransfer();
		dt.items.add(new File(['%PDF-1.7\n%%EOF\n'], 'Nachtrag.pdf', {type: 'application/pdf'}));
		document.querySelector('#reply-files').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
	})()`))
	anna.waitContains("the dropped PDF uploaded", qText("#reply-files-list"), "Nachtrag.pdf")
	anna.waitContains("the dropped PDF uploaded", qText("#reply-files-list"), msg(t, "de", "FileUploaded"))
	if eval[bool](anna, `document.querySelector('#reply-files-privacy')?.open === true`) {
		t.Error("the privacy dialog asked again on the same ticket")
	}
	// Once, though both the answer and the live event bring it.
	if n := eval[int](anna, `[...document.querySelectorAll('section.conversation article.message')].filter(a => a.textContent.includes('Hier der Screenshot der Fehlermeldung.')).length`); n != 1 {
		t.Errorf("the reply shows %d times, want once", n)
	}

	var id string
	ms, err := p.DB.Messages(context.Background(), open.Number)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		for _, a := range m.Attachments {
			if a.Name == "Fehlermeldung.png" {
				id = a.ID
			}
		}
	}
	if id == "" {
		t.Fatal("the stored reply has no attachment Fehlermeldung.png")
	}
	if got := apiGet(t, p, seed.SamEmail, "/api/v1/attachments/"+id); !bytes.Equal(got, buf.Bytes()) {
		t.Errorf("Sam downloaded %d bytes, want the %d bytes of the picture", len(got), buf.Len())
	}
}
