package e2e

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/seed"
)

// jsLogicalOrder tells whether, in the element %s, the characters of %q
// are laid out left to right in the order they are stored, and whether the
// element is a bidi isolate of its own.
const jsLogicalOrder = `(() => {
	const el = document.querySelector(%q);
	if (!el) return "missing";
	const text = el.firstChild && el.firstChild.nodeType === 3 ? el.firstChild : null;
	if (!text) return "no text node: " + el.innerHTML;
	if (/[\u202A-\u202E\u2066-\u2069]/.test(text.data)) return "bidi control shown: " + JSON.stringify(text.data);
	const want = %q, at = text.data.indexOf(want);
	if (at < 0) return "not found in " + JSON.stringify(text.data);
	const r = document.createRange();
	const left = [];
	for (let i = 0; i < want.length; i++) {
		r.setStart(text, at + i); r.setEnd(text, at + i + 1);
		left.push(r.getBoundingClientRect().left);
	}
	for (let i = 1; i < left.length; i++) if (!(left[i] > left[i-1])) return "reversed: " + left.join(",");
	const st = getComputedStyle(el);
	if (el.getAttribute("dir") !== "auto" || !st.unicodeBidi.startsWith("isolate")) return "not isolated: dir=" + el.getAttribute("dir") + " unicode-bidi=" + st.unicodeBidi;
	return "ok";
})()`

// A subject stored with a right-to-left override (before overrides were
// dropped on input, or by an import) shows in the order it was typed, in
// an isolate of its own, in the ticket list, the navigation and on the
// ticket's page; so does a message.
func TestTextShowsInLogicalOrder(t *testing.T) {
	p := startPortal(t)
	ctx := context.Background()
	anna := ticket.UserRef{ID: userID(t, p, seed.AnnaEmail)}
	now := time.Now()
	tk, err := p.DB.CreateTicket(ctx, ticket.Ticket{Organization: ticket.OrgRef{ID: p.org(t, "100200").ID}, Requester: anna,
		Type: "web_interface_problem", Category: "display", Subject: "Rechnung \u202E0021 fehlt", Description: "Betrag \u202E98,76 EUR",
		Status: ticket.StatusOpen, CreatedAt: now, UpdatedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	n := strconv.FormatInt(tk.Number, 10)

	b := loginTo(t, p, "de-DE", seed.AnnaEmail)
	b.open("/tickets")
	b.waitText("the list's subject", fmt.Sprintf(jsLogicalOrder, "#ticket-row-"+n+" td.ticket-subject a", "0021"), "ok")
	b.waitText("the navigation's subject", fmt.Sprintf(jsLogicalOrder, `.nav-tickets a[href="/tickets/`+n+`"] .nav-subject`, "0021"), "ok")
	b.open("/tickets/" + n)
	b.waitText("the page's subject", fmt.Sprintf(jsLogicalOrder, "#ticket-subject", "0021"), "ok")
	b.waitText("the description", fmt.Sprintf(jsLogicalOrder, ".message-description .message-body", "98,76"), "ok")
	b.waitFalse("an override in the title", `/[\u202A-\u202E]/.test(document.title)`)
}
