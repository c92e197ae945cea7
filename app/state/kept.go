package state

import (
	"encoding/json"
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
type keptCatalog struct {
	Types       []CatalogType    `json:"types"`
	Attachments AttachmentLimits `json:"attachments"`
}

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
// session, the catalog and, unless keepOutbox, the outbox.
func forgetKeptData(s Session, keepOutbox bool) {
	forgetKeptSession()
	if !s.LoggedIn {
		return
	}
	if keepOutbox {
		dbDel(dbCache, s.catalogKey())
		return
	}
	dbClear(s.outboxPrefix())
}
