package state

import (
	"slices"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
)

// ctxCompo hands its context to the test.
type ctxCompo struct {
	app.Compo
	ctx     app.Context
	mounted bool
}

func (c *ctxCompo) OnPreRender(ctx app.Context) { c.ctx, c.mounted = ctx, true }
func (c *ctxCompo) Render() app.UI              { return app.Div() }

func testContext(t *testing.T) app.Context {
	t.Helper()
	c := &ctxCompo{}
	e := app.NewTestEngine()
	if err := e.Load(c); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	if !c.mounted {
		t.Fatal("the test engine mounted nothing")
	}
	return c.ctx
}

func TestUnsentDraftsAndForgetting(t *testing.T) {
	ctx := testContext(t)
	const bernd, anna = 7, 8
	// Bernd: a form draft with a subject, an assistant draft with a type
	// chosen, one with nothing done yet (another user's flow), replies to
	// two tickets (one empty but confirmed).
	SaveDraft(ctx, bernd, Draft{Draft: ticket.Draft{Type: "login_problem", Subject: "Befund fehlt"}, Flow: FlowForm, Key: "k1"})
	SaveDraft(ctx, bernd, Draft{Draft: ticket.Draft{Type: "login_problem"}, Flow: FlowAssistant, Key: "k2"})
	SaveDraft(ctx, anna, Draft{Draft: ticket.Draft{OrganizationID: 17}, Flow: FlowForm, Key: "k3"})
	SaveReplyDraft(ctx, bernd, 10012, ReplyDraft{Body: "Patientin Erika"})
	SaveReplyDraft(ctx, bernd, 10003, ReplyDraft{Files: []ticket.Attachment{{ID: "u1", Name: "scan.pdf"}}})
	SaveReplyDraft(ctx, bernd, 10020, ReplyDraft{Confirmed: true})
	SaveReplyDraft(ctx, anna, 10001, ReplyDraft{Body: "Annas Antwort"})
	ctx.LocalStorage().Set(lastEventKey(bernd), 4711)
	ctx.LocalStorage().Set(accountKey, "17")
	ctx.LocalStorage().Set("another-app", "kept")

	got := UnsentDrafts(ctx, bernd)
	want := []UnsentDraft{{Flow: FlowAssistant}, {Flow: FlowForm, Subject: "Befund fehlt"}, {Ticket: 10003}, {Ticket: 10012}}
	if !slices.Equal(got, want) {
		t.Fatalf("UnsentDrafts = %+v, want %+v", got, want)
	}
	if got := UnsentDrafts(ctx, anna); !slices.Equal(got, []UnsentDraft{{Ticket: 10001}}) {
		t.Fatalf("Anna's UnsentDrafts = %+v, want her reply only (an account chosen is no work)", got)
	}

	forgetBrowserData(ctx)
	var left []string
	ctx.LocalStorage().ForEach(func(k string) { left = append(left, k) })
	if !slices.Equal(left, []string{"another-app"}) {
		t.Errorf("left in storage after forgetting: %v, want only another-app", left)
	}
	if got := UnsentDrafts(ctx, bernd); len(got) != 0 {
		t.Errorf("UnsentDrafts after forgetting = %+v", got)
	}
}
