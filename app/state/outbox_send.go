package state

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
)

// OutboxState is the user's outbox (Outbox).
const OutboxState = "outbox"

// Action names.
const (
	LoadOutbox   = "/outbox/load"
	FlushOutbox  = "/outbox/flush"  // send what is due, one tab at a time
	RetryOutbox  = "/outbox/retry"  // value: the item's id; send it now
	DeleteOutbox = "/outbox/delete" // value: the item's id
)

func init() {
	app.Handle(LoadOutbox, handleLoadOutbox)
	app.Handle(FlushOutbox, handleFlushOutbox)
	app.Handle(RetryOutbox, handleRetryOutbox)
	app.Handle(DeleteOutbox, handleDeleteOutbox)
}

// outboxLock is the Web Lock a tab holds while it sends: one tab at a time.
const outboxLock = "supportal-outbox"

// errNoOutbox: the send failed and the browser cannot keep it for later.
var errNoOutbox = ticket.Errorf(ticket.CodeInternal, "ErrOutboxUnavailable", "")

func (s Session) outboxPrefix() string { return outboxPrefix(s.Store, s.User.ID) }

// readOutbox returns the items of s's user, oldest first.
func readOutbox(s Session) ([]OutboxItem, error) {
	entries, err := dbEntries(dbOutbox, s.outboxPrefix())
	if err != nil {
		return nil, err
	}
	return decodeOutbox(entries, s.outboxPrefix()), nil
}

func writeOutboxItem(s Session, it OutboxItem) error {
	b, err := json.Marshal(it)
	if err != nil {
		return err
	}
	return dbPut(dbOutbox, s.outboxPrefix()+it.ID, string(b))
}

// enqueue keeps it in the outbox and has it sent when it is due; false
// when the browser cannot keep it.
func enqueue(ctx app.Context, s Session, it OutboxItem) bool {
	if writeOutboxItem(s, it) != nil {
		return false
	}
	publishOutbox(ctx, s)
	scheduleFlush(ctx, time.Until(it.NextTry))
	tellTabs(tabOutbox)
	return true
}

// queueFailed puts a send that failed for a passing reason (o) into the
// outbox; false when the browser cannot keep it (the caller tells the
// user).
func queueFailed(ctx app.Context, s Session, it OutboxItem, o sendOutcome) bool {
	now := time.Now().UTC()
	it.Status, it.Created = OutboxSending, now
	return enqueue(ctx, s, it.after(o, now, rand.Float64()))
}

// outcomeOf is the outcome of a send for the outbox.
func outcomeOf(status int, body ticket.ErrorAnswer, err *Error) sendOutcome {
	if err != nil && status >= 200 && status < 300 {
		err = nil // stored: the answer alone could not be read
	}
	return sendOutcome{Status: status, Err: err, Fields: body.Fields, RetryAfter: body.RetryAfter}
}

// publishOutbox reads the outbox into its state (drops sent items after
// sentKept).
func publishOutbox(ctx app.Context, s Session) {
	items, err := readOutbox(s)
	if err != nil {
		ctx.SetState(OutboxState, Outbox{Status: Loaded, Unavailable: true})
		return
	}
	kept := items[:0]
	for _, it := range items {
		if it.Status == OutboxSent && time.Since(it.Updated) > sentKept {
			dbDel(dbOutbox, s.outboxPrefix()+it.ID)
			continue
		}
		if it.Reply != nil {
			_, _, it.TicketKept = keptValue[json.RawMessage](s.ticketKey(it.Reply.Number))
		}
		kept = append(kept, it)
	}
	ctx.SetState(OutboxState, Outbox{Status: Loaded, Items: kept})
}

func handleLoadOutbox(ctx app.Context, a app.Action) {
	s := CurrentSession(ctx)
	if !s.LoggedIn {
		ctx.SetState(OutboxState, Outbox{})
		return
	}
	publishOutbox(ctx, s)
}

var (
	// sessionGen changes when a session ends here (logout, expiry): a send
	// under way for it stops and writes nothing back.
	sessionGen atomic.Int64
	// errSessionEnded: a send stopped because its session ended.
	errSessionEnded = ticket.Errorf(ticket.CodeUnauthorized, "ErrUnauthorized", "")
	flushing        atomic.Bool
	flushTimer      struct {
		sync.Mutex
		t *time.Timer
	}
)

// scheduleFlush sends what is due after d (at once when d ≤ 0), unless an
// earlier send is already scheduled.
func scheduleFlush(ctx app.Context, d time.Duration) {
	if !app.IsClient {
		return
	}
	flushTimer.Lock()
	defer flushTimer.Unlock()
	if flushTimer.t != nil {
		flushTimer.t.Stop()
	}
	flushTimer.t = time.AfterFunc(max(d, 0), func() { ctx.NewAction(FlushOutbox) })
}

// handleFlushOutbox sends the due items in order, in one tab at a time;
// the others follow its progress.
func handleFlushOutbox(ctx app.Context, a app.Action) {
	s := CurrentSession(ctx)
	if !s.LoggedIn || s.Offline {
		return
	}
	if !flushing.CompareAndSwap(false, true) {
		return
	}
	defer flushing.Store(false)
	ran, err := dbExclusive(outboxLock, func() { flushOutbox(ctx, s) })
	if err != nil {
		return
	}
	publishOutbox(ctx, s)
	var o Outbox
	ctx.GetState(OutboxState, &o)
	next := time.Duration(-1)
	for _, it := range o.Items {
		if it.Status == OutboxQueued || it.Status == OutboxSending {
			if d := time.Until(it.NextTry); next < 0 || d < next {
				next = d
			}
		}
	}
	switch {
	case !ran && next >= 0:
		scheduleFlush(ctx, 15*time.Second) // another tab sends; look again later
	case next >= 0 && !Offline():
		scheduleFlush(ctx, next)
	}
}

// flushOutbox sends s's due items, oldest first. It stops at the first
// that cannot go out for a passing reason: the next would fare alike, and
// the order is kept.
func flushOutbox(ctx app.Context, s Session) {
	gen := sessionGen.Load()
	items, err := readOutbox(s)
	if err != nil {
		return
	}
	for _, it := range items {
		if sessionGen.Load() != gen || CurrentSession(ctx).User.ID != s.User.ID {
			return // logged out meanwhile: nothing more goes out, nothing is written back
		}
		// This tab holds the lock: an item still "sending" was left by a
		// tab or browser that ended; a "login" one waited for this login.
		it = it.recovered()
		if it.Status == OutboxLogin {
			it.Status = OutboxQueued
		}
		if !it.Due(time.Now()) {
			continue
		}
		it = it.sending(time.Now().UTC())
		if writeOutboxItem(s, it) != nil {
			return
		}
		publishOutbox(ctx, s)
		tellTabs(tabOutbox)
		o := sendOutboxItem(ctx, s, gen, &it)
		if sessionGen.Load() != gen {
			return // the outbox was erased with the session
		}
		it = it.after(o, time.Now().UTC(), rand.Float64())
		writeOutboxItem(s, it)
		publishOutbox(ctx, s)
		tellTabs(tabOutbox)
		if it.Status == OutboxLogin {
			expired(ctx, o.Err)
			return
		}
		if it.Status == OutboxQueued {
			return
		}
	}
}

// sendOutboxItem sends it once, with its key: first the files attached
// offline (the item keeps their uploads at once, so they go up once),
// then the ticket or reply.
func sendOutboxItem(ctx app.Context, s Session, gen int64, it *OutboxItem) sendOutcome {
	var uploaded []HeldFile
	var err *Error
	switch {
	case it.Draft != nil:
		uploaded, err = it.Draft.sendHeld(s, gen)
	case it.Reply != nil:
		uploaded, err = it.Reply.sendHeld(s, gen)
	}
	if len(uploaded) > 0 && writeOutboxItem(s, *it) == nil {
		ForgetHeld(s, uploaded)
	}
	if err == nil && sessionGen.Load() != gen {
		err = errSessionEnded // logged out while the files went up: the item waits
	}
	if err != nil {
		status, body := heldOutcome(err)
		return outcomeOf(status, body, err)
	}
	key := map[string]string{"Idempotency-Key": it.ID}
	switch {
	case it.Draft != nil:
		var res struct {
			Ticket  ticket.TicketView   `json:"ticket"`
			Message *ticket.MessageView `json:"message"`
		}
		status, body, err := send(context.Background(), "POST", "/api/v1/tickets", it.Draft.Draft, key, &res)
		o := outcomeOf(status, body, err)
		if o.Err == nil {
			o.Ticket = res.Ticket.Number
			if res.Message == nil {
				notifyHost(map[string]any{"type": "ticket-created", "number": res.Ticket.Number})
			}
			ctx.NewActionWithValue(LoadOpen, TicketQuery{OrganizationID: s.Account, Open: "true"})
			ctx.NewActionWithValue(LoadCounts, TicketQuery{OrganizationID: s.Account})
		}
		return o
	case it.Reply != nil:
		var res ticket.ReplyAnswer
		status, body, err := send(context.Background(), "POST", "/api/v1/tickets/"+strconv.FormatInt(it.Reply.Number, 10)+"/messages", it.Reply.ReplyRequest, key, &res)
		o := outcomeOf(status, body, err)
		o.Ticket = it.Reply.Number
		if o.Err == nil && res.Message.ID != 0 {
			updateDetail(ctx, it.Reply.Number, res.Ticket, &res.Message)
		}
		return o
	}
	return sendOutcome{Status: 400, Err: errOutboxDamaged}
}

func handleRetryOutbox(ctx app.Context, a app.Action) {
	id, _ := a.Value.(string)
	s := CurrentSession(ctx)
	items, err := readOutbox(s)
	if err != nil {
		return
	}
	for _, it := range items {
		if it.ID == id {
			writeOutboxItem(s, it.retried(time.Now().UTC()))
		}
	}
	publishOutbox(ctx, s)
	tellTabs(tabOutbox)
	ctx.NewAction(FlushOutbox)
}

func handleDeleteOutbox(ctx app.Context, a app.Action) {
	id, _ := a.Value.(string)
	s := CurrentSession(ctx)
	if items, err := readOutbox(s); err == nil {
		for _, it := range items {
			if it.ID == id {
				ForgetHeld(s, it.held())
			}
		}
	}
	dbDel(dbOutbox, s.outboxPrefix()+id)
	publishOutbox(ctx, s)
	tellTabs(tabOutbox)
}

// takenBack holds the keys of items taken back from the outbox until the
// form or reply box that gets them has said so (TakenBack).
var takenBack sync.Map

// TakenBack reports, once, whether the draft with Idempotency-Key key was
// just taken back from the outbox: it goes out only when sent again.
func TakenBack(key string) bool {
	_, ok := takenBack.LoadAndDelete(key)
	return ok && key != ""
}

// TakeOutboxItem removes item id from the outbox to edit it: a ticket
// becomes the form's draft (when the form holds no other work), a reply
// the ticket's reply draft (when none is being written). It reports
// whether it did; false leaves the item where it is.
func TakeOutboxItem(ctx app.Context, id string) (OutboxItem, bool) {
	var o Outbox
	ctx.GetState(OutboxState, &o)
	it, ok := o.Item(id)
	s := CurrentSession(ctx)
	if !ok || it.Damaged || it.Status == OutboxSending || it.Status == OutboxSent {
		return it, false
	}
	switch {
	case it.Draft != nil:
		if cur := LoadDraft(ctx, s.User.ID, FlowForm); cur.holdsWork() {
			return it, false
		}
		d := *it.Draft
		d.Flow, d.Step = FlowForm, ""
		SaveDraft(ctx, s.User.ID, d)
		if it.Status == OutboxAttention {
			// The form shows the server's messages on the fields.
			ctx.SetState(SubmitState, Submit{Status: Failed, Flow: FlowForm, Err: it.Err, Fields: it.Fields})
		}
	case it.Reply != nil:
		if cur := LoadReplyDraft(ctx, s.User.ID, it.Reply.Number); cur.Body != "" || len(cur.Files) > 0 {
			return it, false
		}
		SaveReplyDraft(ctx, s.User.ID, it.Reply.Number, ReplyDraft{Body: it.Reply.Body, Files: it.Reply.Files, Held: it.Reply.Held, Confirmed: len(it.Reply.Files)+len(it.Reply.Held) > 0, Internal: it.Reply.Internal, Key: it.ID})
	}
	takenBack.Store(it.ID, true)
	ctx.Async(func() {
		dbDel(dbOutbox, s.outboxPrefix()+id)
		publishOutbox(ctx, s)
		tellTabs(tabOutbox)
	})
	return it, true
}
