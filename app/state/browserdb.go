package state

import "errors"

// The browser's database (IndexedDB, through web/store.js) holds what must
// outlive the tab: the outbox and what the app needs to open offline. It
// has these object stores, of JSON strings but for the files:
const (
	dbOutbox = "outbox" // items waiting to be sent, by outboxKey
	dbCache  = "cache"  // the last session and catalog, by cacheKey
	dbFiles  = "files"  // files attached offline (File objects), by heldKey
	dbDrafts = "drafts" // tickets and replies being written, by draftKey and replyKey
)

// errNoDB reports that the browser keeps nothing: no IndexedDB (a sandboxed
// frame, some private modes), its quota used up, or a host build.
var errNoDB = errors.New("browser database unavailable")

// dbEntry is one key and value of the browser's database.
type dbEntry struct {
	Key   string
	Value string
}
