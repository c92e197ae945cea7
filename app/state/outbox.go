package state

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/supportal/supportal/app/ticket"
)

// The outbox holds tickets and replies the user sent while the server could
// not be reached (or answered 5xx, 429, 409): they wait in the browser's
// database and go out later, each with the Idempotency-Key made when the
// user pressed Send, so the server creates each of them exactly once.
//
// An item moves
//
//	queued ──send──▶ sending ──2xx──────────▶ sent (#number)
//	   ▲                │────network, 5xx, 408, 409, 429──▶ queued (backoff)
//	   │                │────401──────────────▶ login (waits for the next login)
//	   └──retry/fix─────┴────other 4xx, 422───▶ attention (the user fixes it)

// OutboxStatus is where an outbox item is in its life.
type OutboxStatus string

const (
	OutboxQueued    OutboxStatus = "queued"
	OutboxSending   OutboxStatus = "sending"
	OutboxSent      OutboxStatus = "sent"
	OutboxAttention OutboxStatus = "attention"
	OutboxLogin     OutboxStatus = "login"
)

// Kinds of outbox items.
const (
	OutboxTicket = "ticket"
	OutboxReply  = "reply"
)

// OutboxItem is a ticket or a reply waiting in the outbox.
type OutboxItem struct {
	ID   string `json:"id"` // its Idempotency-Key
	Kind string `json:"kind"`
	// Draft: the ticket (Kind OutboxTicket) as it was sent.
	Draft *Draft `json:"draft,omitempty"`
	// Reply: the reply (Kind OutboxReply) and its ticket.
	Reply   *ReplyInput  `json:"reply,omitempty"`
	Status  OutboxStatus `json:"status"`
	Created time.Time    `json:"created"`
	Updated time.Time    `json:"updated"`
	// Attempts: sends that failed in a row for a reason that passes (the
	// backoff grows with them); NextTry: not before then.
	Attempts int       `json:"attempts,omitempty"`
	NextTry  time.Time `json:"nextTry,omitempty"`
	// Err and Fields: why the server refused it (OutboxAttention).
	Err    *Error              `json:"error,omitempty"`
	Fields []ticket.FieldError `json:"fields,omitempty"`
	// Ticket: the ticket made (a sent ticket) or replied to.
	Ticket int64 `json:"ticket,omitempty"`
	// Damaged: the stored item could not be read; it is shown as needing
	// attention and can only be deleted.
	Damaged bool `json:"-"`
	// TicketKept: this browser keeps the ticket a reply goes to, so the
	// ticket page can show it (and the reply box, to edit) offline.
	TicketKept bool `json:"-"`
}

// Subject is what the outbox shows of the item.
func (it OutboxItem) Subject() string {
	if it.Draft != nil {
		if it.Draft.Subject == "" {
			return firstLine(it.Draft.Description, 80) // an addition to a ticket
		}
		return it.Draft.Subject
	}
	if it.Reply != nil {
		return firstLine(it.Reply.Body, 80)
	}
	return ""
}

// held returns the files attached offline that the item still holds.
func (it OutboxItem) held() []HeldFile {
	switch {
	case it.Draft != nil:
		return it.Draft.Held
	case it.Reply != nil:
		return it.Reply.Held
	}
	return nil
}

// Waiting reports whether the item still has to go out (the navigation's
// badge counts these).
func (it OutboxItem) Waiting() bool { return it.Status != OutboxSent }

// Due reports whether the item is to be sent at now.
func (it OutboxItem) Due(now time.Time) bool {
	return !it.Damaged && (it.Status == OutboxQueued || it.Status == OutboxLogin) && !now.Before(it.NextTry)
}

// sendOutcome is the answer to one send of an item.
type sendOutcome struct {
	Status     int // HTTP status; 0 when the server could not be reached
	Err        *Error
	Fields     []ticket.FieldError
	RetryAfter int   // seconds, from a 429 or 409
	Ticket     int64 // the ticket made or replied to
}

// passing reports whether a send that ended with status may work later as
// it is: the server could not be reached, failed, was busy, or is still
// working on the same key.
func passing(status int) bool {
	return status == 0 || status >= 500 || status == 408 || status == 409 || status == 429
}

// Backoff bounds: the wait after the first failed send, and the longest.
const (
	backoffFirst = 2 * time.Second
	backoffMax   = 5 * time.Minute
)

// outboxBackoff is the wait after attempts failed sends in a row: doubling from
// backoffFirst up to backoffMax, of which jitter (0 ≤ jitter < 1) takes
// away up to half, so that tabs and browsers coming back together spread.
func outboxBackoff(attempts int, jitter float64) time.Duration {
	d := backoffFirst
	for i := 1; i < attempts && d < backoffMax; i++ {
		d *= 2
	}
	d = min(d, backoffMax)
	return d - time.Duration(float64(d/2)*jitter)
}

// sending returns the item as it goes out.
func (it OutboxItem) sending(now time.Time) OutboxItem {
	it.Status, it.Updated = OutboxSending, now
	return it
}

// after returns the item after a send that ended with o.
func (it OutboxItem) after(o sendOutcome, now time.Time, jitter float64) OutboxItem {
	it.Updated = now
	switch {
	case o.Err == nil && o.Status >= 200 && o.Status < 300:
		it.Status, it.Ticket, it.Err, it.Fields, it.Attempts, it.NextTry = OutboxSent, o.Ticket, nil, nil, 0, time.Time{}
	case o.Status == 401:
		it.Status, it.NextTry = OutboxLogin, time.Time{}
	case passing(o.Status):
		it.Status = OutboxQueued
		it.Attempts++
		wait := outboxBackoff(it.Attempts, jitter)
		if ra := time.Duration(o.RetryAfter) * time.Second; ra > wait {
			wait = ra
		}
		it.NextTry = now.Add(wait)
		it.Err = o.Err // shown as the last reason
	default:
		it.Status, it.Err, it.Fields, it.NextTry = OutboxAttention, o.Err, o.Fields, time.Time{}
		if it.Err == nil {
			it.Err = ticket.ErrInternal
		}
	}
	return it
}

// retried returns the item to be sent again now (Retry, or fixed after
// the server refused it): same key, so still never twice.
func (it OutboxItem) retried(now time.Time) OutboxItem {
	if it.Status == OutboxSent || it.Damaged {
		return it
	}
	it.Status, it.Attempts, it.NextTry, it.Updated = OutboxQueued, 0, time.Time{}, now
	it.Err, it.Fields = nil, nil
	return it
}

// recovered returns an item found "sending" when no tab is sending (the
// tab or browser ended during the send) as queued: the key makes the
// second send safe.
func (it OutboxItem) recovered() OutboxItem {
	if it.Status == OutboxSending {
		it.Status = OutboxQueued
	}
	return it
}

// Outbox is the user's outbox in this browser, oldest first.
type Outbox struct {
	Status Load
	Items  []OutboxItem
	// Unavailable: the browser keeps nothing (no IndexedDB, no quota):
	// sending works online only.
	Unavailable bool
}

// Waiting counts the items that still have to go out.
func (o Outbox) Waiting() int {
	n := 0
	for _, it := range o.Items {
		if it.Waiting() {
			n++
		}
	}
	return n
}

// Item returns the item id.
func (o Outbox) Item(id string) (OutboxItem, bool) {
	for _, it := range o.Items {
		if it.ID == id {
			return it, true
		}
	}
	return OutboxItem{}, false
}

// RepliesTo returns the waiting replies to ticket number.
func (o Outbox) RepliesTo(number int64) []OutboxItem {
	var out []OutboxItem
	for _, it := range o.Items {
		if it.Reply != nil && it.Reply.Number == number && it.Waiting() {
			out = append(out, it)
		}
	}
	return out
}

// outboxPrefix is where the outbox of userID on the server's store
// storeID is kept: a store's ticket 10005 is not another's.
func outboxPrefix(storeID string, userID int64) string {
	return storeID + "/" + strconv.FormatInt(userID, 10) + "/"
}

// decodeOutbox reads stored items (key, JSON) into an outbox, oldest first;
// an item that cannot be read is kept as damaged.
func decodeOutbox(entries []dbEntry, prefix string) []OutboxItem {
	items := make([]OutboxItem, 0, len(entries))
	for _, e := range entries {
		var it OutboxItem
		id := strings.TrimPrefix(e.Key, prefix)
		if err := json.Unmarshal([]byte(e.Value), &it); err != nil || it.ID != id || (it.Draft == nil && it.Reply == nil) {
			it = OutboxItem{ID: id, Status: OutboxAttention, Damaged: true, Err: errOutboxDamaged}
		}
		items = append(items, it)
	}
	slices.SortStableFunc(items, func(a, b OutboxItem) int { return a.Created.Compare(b.Created) })
	return items
}

var errOutboxDamaged = ticket.Errorf(ticket.CodeInternal, "ErrOutboxDamaged", "")

// sentKept is how long a sent item stays in the outbox with its number.
const sentKept = 24 * time.Hour

// firstLine returns the first line of s, cut to n runes.
func firstLine(s string, n int) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
