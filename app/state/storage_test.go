//go:build !(js && wasm)

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
	freshDrafts()
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
	drafts.flush()
	if left, _ := dbEntries(dbDrafts, ""); len(left) != 0 {
		t.Errorf("drafts left in the browser's database after forgetting: %v", left)
	}
	var left []string
	ctx.LocalStorage().ForEach(func(k string) { left = append(left, k) })
	if !slices.Equal(left, []string{"another-app"}) {
		t.Errorf("left in storage after forgetting: %v, want only another-app", left)
	}
	if got := UnsentDrafts(ctx, bernd); len(got) != 0 {
		t.Errorf("UnsentDrafts after forgetting = %+v", got)
	}
}

// A draft is kept per store: a reply draft to one store's #10005 never
// shows on another store's #10005, nor its ticket drafts.
func TestDraftsKeyedByStore(t *testing.T) {
	ctx := testContext(t)
	defer storeID.Store("")
	const bernd = 7
	storeID.Store("store-a")
	SaveReplyDraft(ctx, bernd, 10005, ReplyDraft{Body: "Antwort an Store A"})
	SaveDraft(ctx, bernd, Draft{Draft: ticket.Draft{Subject: "Ticket in Store A"}, Flow: FlowForm, Key: "k1"})

	storeID.Store("store-b")
	if d := LoadReplyDraft(ctx, bernd, 10005); d.Body != "" {
		t.Errorf("store B's #10005 shows store A's reply draft %q", d.Body)
	}
	if d := LoadDraft(ctx, bernd, FlowForm); d.Subject != "" || d.Key == "k1" {
		t.Errorf("store B's form shows store A's draft %q (key %s)", d.Subject, d.Key)
	}
	if got := UnsentDrafts(ctx, bernd); len(got) != 0 {
		t.Errorf("store B lists store A's drafts: %+v", got)
	}

	storeID.Store("store-a")
	if d := LoadReplyDraft(ctx, bernd, 10005); d.Body != "Antwort an Store A" {
		t.Errorf("store A's reply draft: %q", d.Body)
	}
	if got := UnsentDrafts(ctx, bernd); len(got) != 2 {
		t.Errorf("store A's unsent drafts: %+v, want the form and the reply", got)
	}
}

// Drafts kept before drafts were kept per store, in localStorage, are
// taken over at login, into the browser's database.
func TestUnkeyedDraftsAdopted(t *testing.T) {
	ctx := testContext(t)
	defer storeID.Store("")
	ctx.LocalStorage().Set("supportal.draft.7.form", Draft{Draft: ticket.Draft{Subject: "vor dem Update"}, Flow: FlowForm, Key: "k1"})
	ctx.LocalStorage().Set("supportal.reply.7.10005", ReplyDraft{Body: "Antwort vor dem Update"})
	ctx.LocalStorage().Set("supportal.reply.8.10005", ReplyDraft{Body: "jemand anderes"})
	storeID.Store("store-a")
	adoptUnkeyedDrafts(ctx, 7)
	openDrafts(ctx)
	if d := LoadDraft(ctx, 7, FlowForm); d.Subject != "vor dem Update" || d.Key != "k1" {
		t.Errorf("form draft after the update: %q (key %s)", d.Subject, d.Key)
	}
	if d := LoadReplyDraft(ctx, 7, 10005); d.Body != "Antwort vor dem Update" {
		t.Errorf("reply draft after the update: %q", d.Body)
	}
	if ctx.LocalStorage().Contains("supportal.draft.7.form") || ctx.LocalStorage().Contains(draftKey(7, FlowForm)) {
		t.Error("the draft is still in localStorage")
	}
	if _, ok, _ := dbGet(dbDrafts, draftKey(7, FlowForm)); !ok {
		t.Error("the draft is not in the browser's database")
	}
	storeID.Store("")
	if d := LoadReplyDraft(ctx, 8, 10005); d.Body != "jemand anderes" {
		t.Errorf("another user's draft: %q", d.Body)
	}
	storeID.Store("store-a")
	if d := LoadReplyDraft(ctx, 8, 10005); d.Body != "" {
		t.Errorf("another user's draft was taken over: %q", d.Body)
	}
}
