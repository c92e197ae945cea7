//go:build !(js && wasm)

package state

import (
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
)

// freshDrafts starts the tests with an empty book and database of drafts,
// as a browser that never ran the app.
func freshDrafts() {
	drafts.flush()
	drafts = newDraftBook()
	memoryDBMu.Lock()
	memoryDBOff = false
	for k := range memoryDB {
		if len(k) > len(dbDrafts) && k[:len(dbDrafts)+1] == dbDrafts+"\x00" {
			delete(memoryDB, k)
		}
	}
	memoryDBMu.Unlock()
}

// restart is the browser started again: the tab's memory is gone, the
// browser's database and localStorage stay.
func restart(ctx app.Context) {
	drafts.flush()
	drafts = newDraftBook()
	openDrafts(ctx)
}

// Drafts are written to the browser's database, not localStorage, and are
// there after a restart.
func TestDraftsSurviveRestart(t *testing.T) {
	ctx := testContext(t)
	openDrafts(ctx)
	SaveDraft(ctx, 7, Draft{Draft: ticket.Draft{Subject: "Befund fehlt", Description: "Seit Montag"}, Flow: FlowForm, Key: "k1"})
	SaveReplyDraft(ctx, 7, 10005, ReplyDraft{Body: "Erster Satz"})
	SaveReplyDraft(ctx, 7, 10005, ReplyDraft{Body: "Erster Satz. Zweiter Satz."})
	SaveReplyDraft(ctx, 7, 10006, ReplyDraft{Body: "weg"})
	SaveReplyDraft(ctx, 7, 10006, ReplyDraft{})
	var inLocal []string
	ctx.LocalStorage().ForEach(func(k string) {
		if isDraftKey(k) {
			inLocal = append(inLocal, k)
		}
	})
	if len(inLocal) != 0 {
		t.Errorf("drafts in localStorage: %v", inLocal)
	}

	restart(ctx)
	if d := LoadDraft(ctx, 7, FlowForm); d.Subject != "Befund fehlt" || d.Description != "Seit Montag" || d.Key != "k1" {
		t.Errorf("form draft after a restart: %+v", d)
	}
	if d := LoadReplyDraft(ctx, 7, 10005); d.Body != "Erster Satz. Zweiter Satz." {
		t.Errorf("reply draft after a restart: %q, want the last text", d.Body)
	}
	if _, ok, _ := dbGet(dbDrafts, replyKey(7, 10006)); ok {
		t.Error("an emptied reply draft is still in the database")
	}
	DiscardDraft(ctx, 7, FlowForm)
	restart(ctx)
	if d := LoadDraft(ctx, 7, FlowForm); d.Subject != "" || d.Key == "k1" {
		t.Errorf("a discarded draft came back: %+v", d)
	}
}

// Without a browser database (a sandboxed frame, a private mode) the drafts
// are kept in localStorage, and move to the database once there is one.
func TestDraftsWithoutDatabase(t *testing.T) {
	ctx := testContext(t)
	defer func() { memoryDBOff = false }()
	memoryDBOff = true
	openDrafts(ctx)
	SaveReplyDraft(ctx, 7, 10005, ReplyDraft{Body: "ohne Datenbank"})
	if !ctx.LocalStorage().Contains(replyKey(7, 10005)) {
		t.Fatal("the draft is nowhere")
	}
	if got := UnsentDrafts(ctx, 7); len(got) != 1 || got[0].Ticket != 10005 {
		t.Errorf("UnsentDrafts without a database: %+v", got)
	}

	memoryDBOff = false
	restart(ctx)
	if d := LoadReplyDraft(ctx, 7, 10005); d.Body != "ohne Datenbank" {
		t.Errorf("the draft after the database came: %q", d.Body)
	}
	if ctx.LocalStorage().Contains(replyKey(7, 10005)) {
		t.Error("the draft stayed in localStorage")
	}
}

// A database that refuses a write (its quota used up) loses nothing: the
// drafts go to localStorage and are found there after a restart.
func TestDraftsWhenDatabaseRefuses(t *testing.T) {
	ctx := testContext(t)
	defer func() { memoryDBOff = false }()
	openDrafts(ctx)
	SaveDraft(ctx, 7, Draft{Draft: ticket.Draft{Subject: "vorher"}, Flow: FlowAssistant, Key: "k1"})
	drafts.flush()
	memoryDBMu.Lock()
	memoryDBOff = true
	memoryDBMu.Unlock()
	SaveReplyDraft(ctx, 7, 10005, ReplyDraft{Body: "als die Platte voll war"})
	drafts.flush()
	if !ctx.LocalStorage().Contains(replyKey(7, 10005)) || !ctx.LocalStorage().Contains(draftKey(7, FlowAssistant)) {
		t.Fatal("the drafts did not go to localStorage")
	}
	SaveReplyDraft(ctx, 7, 10005, ReplyDraft{Body: "als die Platte voll war, weiter"})

	restart(ctx) // still full: the drafts are read from localStorage
	if d := LoadReplyDraft(ctx, 7, 10005); d.Body != "als die Platte voll war, weiter" {
		t.Errorf("reply draft: %q", d.Body)
	}
	if d := LoadDraft(ctx, 7, FlowAssistant); d.Subject != "vorher" {
		t.Errorf("assistant draft: %q", d.Subject)
	}
	memoryDBMu.Lock()
	memoryDBOff = false
	memoryDBMu.Unlock()
	restart(ctx) // room again: localStorage's newer text wins
	if d := LoadReplyDraft(ctx, 7, 10005); d.Body != "als die Platte voll war, weiter" {
		t.Errorf("reply draft once the database takes it again: %q", d.Body)
	}
}

// Another tab's change is read when that tab tells of it; a change made
// here since is not overwritten by it.
func TestDraftChangedInAnotherTab(t *testing.T) {
	ctx := testContext(t)
	openDrafts(ctx)
	SaveReplyDraft(ctx, 7, 10005, ReplyDraft{Body: "hier"})
	drafts.flush()
	dbPut(dbDrafts, replyKey(7, 10005), `{"body":"im anderen Tab"}`)
	drafts.reread(replyKey(7, 10005))
	if d := LoadReplyDraft(ctx, 7, 10005); d.Body != "im anderen Tab" {
		t.Errorf("after the other tab's change: %q", d.Body)
	}
	dbDel(dbDrafts, replyKey(7, 10005))
	drafts.reread(replyKey(7, 10005))
	if d := LoadReplyDraft(ctx, 7, 10005); d.Body != "" {
		t.Errorf("after the other tab sent it: %q", d.Body)
	}
	SaveDraft(ctx, 7, Draft{Draft: ticket.Draft{Subject: "hier"}, Flow: FlowForm, Key: "k"})
	drafts.reread("")
	if d := LoadDraft(ctx, 7, FlowForm); d.Subject != "" {
		t.Errorf("after another tab logged out: %q", d.Subject)
	}
}

// What is typed while the user logs out (the book forgotten) is not kept
// for the next person; the next session keeps drafts again.
func TestDraftsClosedAfterForgetting(t *testing.T) {
	ctx := testContext(t)
	openDrafts(ctx)
	forgetBrowserData(ctx)
	SaveReplyDraft(ctx, 7, 10005, ReplyDraft{Body: "getippt beim Abmelden"})
	drafts.flush()
	if d := LoadReplyDraft(ctx, 7, 10005); d.Body != "" {
		t.Errorf("a draft typed during logout is shown: %q", d.Body)
	}
	if left, _ := dbEntries(dbDrafts, ""); len(left) != 0 {
		t.Errorf("a draft typed during logout is stored: %v", left)
	}
	openDrafts(ctx) // the next login
	SaveReplyDraft(ctx, 8, 10005, ReplyDraft{Body: "nach der Anmeldung"})
	if d := LoadReplyDraft(ctx, 8, 10005); d.Body != "nach der Anmeldung" {
		t.Errorf("after the next login: %q", d.Body)
	}
}

// A page going away spills what the writer has not written yet to
// localStorage; the next start takes it into the database.
func TestDraftsSpilledWhenThePageGoes(t *testing.T) {
	ctx := testContext(t)
	openDrafts(ctx)
	drafts.mu.Lock() // the writer is held up: nothing reaches the database
	drafts.values[replyKey(7, 10005)] = `{"body":"letzte Tasten"}`
	drafts.dirty[replyKey(7, 10005)] = true
	drafts.ls = ctx.LocalStorage()
	drafts.mu.Unlock()
	drafts.spill()
	if !ctx.LocalStorage().Contains(replyKey(7, 10005)) {
		t.Fatal("nothing spilled")
	}
	drafts = newDraftBook() // the page reloaded
	openDrafts(ctx)
	if d := LoadReplyDraft(ctx, 7, 10005); d.Body != "letzte Tasten" {
		t.Errorf("after the reload: %q", d.Body)
	}
}
