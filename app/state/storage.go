package state

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// What the app keeps in the browser's storage, every key under one prefix:
// ticket drafts (draftKey) and reply drafts (replyKey) in the browser's
// database (drafts.go), the last event seen (lastEventKey) and the account
// chosen last (accountKey) in localStorage. All of it is the
// user's: a practice computer is shared, and a draft may name a patient.
const storagePrefix = "supportal."

// storeID is the identity of the server's store the logged-in user works
// on (ticket.Me.StoreID): what is kept for one store (a reply draft to its
// #10005) never shows on another's.
var storeID atomic.Value // string

// userKey is the prefix of the keys of kind ("draft", "reply", "events")
// of userID on the current store.
func userKey(kind string, userID int64) string {
	store, _ := storeID.Load().(string)
	if store != "" {
		store += "."
	}
	return storagePrefix + kind + "." + store + strconv.FormatInt(userID, 10) + "."
}

// adoptUnkeyedDrafts moves the drafts of userID kept before drafts were
// kept per store ("supportal.draft.7.form") to the current store's keys:
// an update loses no draft.
func adoptUnkeyedDrafts(ctx app.Context, userID int64) {
	store, _ := storeID.Load().(string)
	if store == "" {
		return
	}
	uid := strconv.FormatInt(userID, 10)
	moves := map[string]string{}
	for _, kind := range []string{"draft", "reply", "events"} {
		old := storagePrefix + kind + "." + uid
		ctx.LocalStorage().ForEach(func(k string) {
			if k == old || strings.HasPrefix(k, old+".") {
				moves[k] = strings.TrimSuffix(userKey(kind, userID), ".") + strings.TrimPrefix(k, old)
			}
		})
	}
	for from, to := range moves {
		var v any
		ctx.LocalStorage().Get(from, &v)
		if !ctx.LocalStorage().Contains(to) {
			ctx.LocalStorage().Set(to, v)
		}
		ctx.LocalStorage().Del(from)
	}
}

// forgetBrowserData removes everything the app keeps in browser storage,
// of every user: at logout and when a session is found ended, so the next
// person at the computer reads nothing of the last one.
func forgetBrowserData(ctx app.Context) {
	drafts.forget(ctx)
	var keys []string
	ctx.LocalStorage().ForEach(func(k string) {
		if strings.HasPrefix(k, storagePrefix) {
			keys = append(keys, k)
		}
	})
	for _, k := range keys {
		ctx.LocalStorage().Del(k)
	}
}

// forgetUserState empties what the app holds in memory of a user who
// leaves this tab (a logout, a kiosk's ended session): the next person
// sees none of it, not even while their own is loading.
func forgetUserState(ctx app.Context) {
	ctx.SetState(UnreadState, Unread{})
	ctx.SetState(OpenState, TicketList{})
	ctx.SetState(TicketsState, TicketList{})
	ctx.SetState(ExistingState, TicketList{})
	ctx.SetState(CountsState, Counts{})
	ctx.SetState(TicketState, TicketDetail{})
	ctx.SetState(ReplyState, Reply{})
	ctx.SetState(SubmitState, Submit{})
	ctx.SetState(CatalogState, Catalog{})
	ctx.SetState(ViewsState, Views{})
	ctx.SetState(RecordsState, RecordList{})
	ctx.SetState(RecordSearchState, RecordList{})
	ctx.SetState(RecordState, RecordDetail{})
	ctx.SetState(LinkState, Link{})
	ctx.SetState(OrganizationsState, Organizations{})
	ctx.SetState(AccountSettingsState, AccountSettings{})
	ctx.SetState(OutboxState, Outbox{})
	ctx.SetState(MailLogState, MailLog{})
	ctx.SetState(ProfileState, ProfileForm{})
}

// UnsentDraft is a draft that logging out would delete: a ticket being
// written in a flow (FlowAssistant, FlowForm, a record's Get Help:
// RecordFlow(Record)), or a reply to Ticket.
type UnsentDraft struct {
	Flow    string
	Ticket  int64
	Record  int64  // the record of a Get Help draft
	Subject string // the ticket draft's subject, if it has one
}

// UnsentDrafts lists the user's drafts that hold something they typed or
// attached, ticket drafts first, then replies by ticket number.
func UnsentDrafts(ctx app.Context, userID int64) []UnsentDraft {
	var out, replies []UnsentDraft
	for _, flow := range []string{FlowAssistant, FlowForm} {
		if !drafts.get(ctx, draftKey(userID, flow), &Draft{}) {
			continue
		}
		if d := LoadDraft(ctx, userID, flow); d.holdsWork() {
			out = append(out, UnsentDraft{Flow: flow, Subject: d.Subject})
		}
	}
	// Get Help drafts, by record.
	var records []UnsentDraft
	recordPrefix := draftKey(userID, RecordFlow(0))
	recordPrefix = recordPrefix[:len(recordPrefix)-1]
	for _, k := range drafts.keys(ctx, recordPrefix) {
		id, err := strconv.ParseInt(strings.TrimPrefix(k, recordPrefix), 10, 64)
		if err != nil {
			continue
		}
		if d := LoadDraft(ctx, userID, RecordFlow(id)); d.holdsWork() {
			records = append(records, UnsentDraft{Flow: RecordFlow(id), Record: id, Subject: d.Subject})
		}
	}
	slices.SortFunc(records, func(a, b UnsentDraft) int { return cmp.Compare(a.Record, b.Record) })
	out = append(out, records...)
	prefix := userKey("reply", userID)
	for _, k := range drafts.keys(ctx, prefix) {
		n, err := strconv.ParseInt(strings.TrimPrefix(k, prefix), 10, 64)
		if err != nil {
			continue
		}
		if d := LoadReplyDraft(ctx, userID, n); strings.TrimSpace(d.Body) != "" || len(d.Files) > 0 {
			replies = append(replies, UnsentDraft{Ticket: n})
		}
	}
	slices.SortFunc(replies, func(a, b UnsentDraft) int { return cmp.Compare(a.Ticket, b.Ticket) })
	return append(out, replies...)
}

// holdsWork reports whether the user has done anything in the draft:
// chosen a type, typed, attached (an account chosen alone is not work).
func (d Draft) holdsWork() bool {
	if d.Type != "" || strings.TrimSpace(d.Subject) != "" || strings.TrimSpace(d.Description) != "" || len(d.Files) > 0 {
		return true
	}
	for _, v := range d.Fields {
		if strings.TrimSpace(v) != "" {
			return true
		}
	}
	return false
}
