package state

import (
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/supportal/supportal/app/ticket"
)

// What the app keeps in the browser's database to open without the
// server: the last session (who was logged in, their accounts) and the
// ticket catalog of that user, so tickets and replies can be written
// offline and wait in the outbox. All of it goes at logout; the session
// also when the server says it ended.

// keptSessionKey is the key of the last session in dbCache (one per
// browser: the user is not known before it is read).
const keptSessionKey = "session"

type sessionKept struct {
	Me ticket.Me `json:"me"`
	At time.Time `json:"at"`
}

// keepSession keeps me for an offline start.
func keepSession(me ticket.Me) {
	b, err := json.Marshal(sessionKept{Me: me, At: time.Now().UTC()})
	if err == nil {
		dbPut(dbCache, keptSessionKey, string(b))
	}
}

// keptSession returns the session kept by keepSession.
func keptSession() (ticket.Me, bool) {
	v, ok, err := dbGet(dbCache, keptSessionKey)
	if err != nil || !ok {
		return ticket.Me{}, false
	}
	var k sessionKept
	if json.Unmarshal([]byte(v), &k) != nil || k.Me.User.ID == 0 {
		return ticket.Me{}, false
	}
	return k.Me, true
}

// forgetKeptSession forgets the kept session (it ended on the server).
func forgetKeptSession() { dbDel(dbCache, keptSessionKey) }

// catalogKey is where the catalog of s's user is kept.
func (s Session) catalogKey() string { return s.outboxPrefix() + "catalog" }

// keptCatalog is the catalog as the API answered it.
type keptCatalog = ticket.CatalogAnswer

func keepCatalog(s Session, c keptCatalog) {
	if b, err := json.Marshal(c); err == nil {
		dbPut(dbCache, s.catalogKey(), string(b))
	}
}

func keptCatalogOf(s Session) (keptCatalog, bool) {
	v, ok, err := dbGet(dbCache, s.catalogKey())
	if err != nil || !ok {
		return keptCatalog{}, false
	}
	var c keptCatalog
	return c, json.Unmarshal([]byte(v), &c) == nil && len(c.Types) > 0
}

// forgetKeptData erases what this browser keeps of s's user (logout): the
// session, the catalog, lists and tickets and, unless keepOutbox, the
// outbox with its files.
func forgetKeptData(s Session, keepOutbox bool) {
	forgetAllKept()
	if !s.LoggedIn || keepOutbox {
		return
	}
	dbClear(s.outboxPrefix())
}

// forgetAllKept erases every session, catalog, list and ticket kept in
// this browser, of every user and store (the outbox stays): nobody is
// logged in, and what an earlier session left (ended while the app was
// closed, or on a store that is gone) must not stay behind.
func forgetAllKept() {
	entries, _ := dbEntries(dbCache, "")
	for _, e := range entries {
		dbDel(dbCache, e.Key)
	}
}

// forgetKeptAnswers erases the session, catalog, lists and tickets kept of
// s's user (not the outbox).
func forgetKeptAnswers(s Session) {
	forgetKeptSession()
	if s.User.ID == 0 {
		return
	}
	entries, _ := dbEntries(dbCache, s.outboxPrefix())
	for _, e := range entries {
		dbDel(dbCache, e.Key)
	}
}

// The last lists, counts and tickets the user opened are kept too, to be
// shown (with their age) when the server cannot be reached. At most
// keptTickets tickets are kept, the most recently opened.
const keptTickets = 50

// kept is a kept answer and when it was the server's.
type kept[T any] struct {
	At    time.Time `json:"at"`
	Value T         `json:"value"`
}

func keepValue[T any](key string, v T) {
	if b, err := json.Marshal(kept[T]{At: time.Now().UTC(), Value: v}); err == nil {
		dbPut(dbCache, key, string(b))
	}
}

func keptValue[T any](key string) (T, time.Time, bool) {
	var k kept[T]
	v, ok, err := dbGet(dbCache, key)
	if err != nil || !ok || json.Unmarshal([]byte(v), &k) != nil || k.At.IsZero() {
		return k.Value, time.Time{}, false
	}
	return k.Value, k.At, true
}

func (s Session) listKey(name string, q TicketQuery) string {
	return s.outboxPrefix() + "list/" + name + "?" + q.Values().Encode()
}

func (s Session) countsKey(orgID int64) string {
	return s.outboxPrefix() + "counts/" + strconv.FormatInt(orgID, 10)
}

func (s Session) ticketKey(number int64) string {
	return s.outboxPrefix() + "ticket/" + strconv.FormatInt(number, 10)
}

// keepTicket keeps the answer for ticket number and forgets the tickets
// opened longest ago beyond keptTickets.
func keepTicket(s Session, number int64, res ticketAnswer) {
	keepValue(s.ticketKey(number), res)
	entries, err := dbEntries(dbCache, s.outboxPrefix()+"ticket/")
	if err != nil || len(entries) <= keptTickets {
		return
	}
	type aged struct {
		key string
		at  time.Time
	}
	all := make([]aged, 0, len(entries))
	for _, e := range entries {
		var k kept[json.RawMessage]
		json.Unmarshal([]byte(e.Value), &k)
		all = append(all, aged{e.Key, k.At})
	}
	slices.SortFunc(all, func(a, b aged) int { return a.at.Compare(b.at) })
	for _, a := range all[:len(all)-keptTickets] {
		dbDel(dbCache, a.key)
	}
}
