package state

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Drafts — the tickets and replies being written — live in the browser's
// database (dbDrafts), where they survive a reload, a crash and a restart
// of the browser and are not limited to localStorage's few megabytes. The
// pages read and write them keystroke by keystroke on the UI goroutine,
// which must never wait for IndexedDB; so the book below keeps a copy in
// memory that answers at once, and one goroutine writes every change to
// the database in the order made (the latest value of a key wins). The
// copy is read from the database when the user's session starts
// (openDrafts), before any page shows a draft; the other tabs are told of
// each change (tabDraft) and read it again.
//
// Where the browser keeps no database (a sandboxed frame, some private
// modes, a full quota), the drafts go to localStorage as before: nothing
// typed is lost.
var drafts = newDraftBook()

type draftBook struct {
	mu       sync.Mutex
	values   map[string]string  // key (draftKey, replyKey) → JSON
	dirty    map[string]bool    // changed, not written yet
	inflight map[string]bool    // being written
	clear    bool               // every draft to be erased before the dirty ones are written
	busy     bool               // the writer is writing
	local    bool               // no database: localStorage holds the drafts
	closed   bool               // forgotten (logout): nothing is kept until the next session opens the book
	ls       app.BrowserStorage // localStorage, for the writer's fallback
	wake     chan struct{}
	done     *sync.Cond // signalled when the writer has nothing left
}

func newDraftBook() *draftBook {
	b := &draftBook{values: map[string]string{}, dirty: map[string]bool{}, wake: make(chan struct{}, 1)}
	b.done = sync.NewCond(&b.mu)
	go b.write()
	return b
}

// isDraftKey reports whether k is a draft's key (in either store).
func isDraftKey(k string) bool {
	return strings.HasPrefix(k, storagePrefix+"draft.") || strings.HasPrefix(k, storagePrefix+"reply.")
}

// get decodes the draft under key into v and reports whether there is one.
func (b *draftBook) get(ctx app.Context, key string, v any) bool {
	b.mu.Lock()
	s, ok := b.values[key]
	local, closed := b.local, b.closed
	b.mu.Unlock()
	if closed {
		return false
	}
	if local {
		if !ctx.LocalStorage().Contains(key) {
			return false
		}
		return ctx.LocalStorage().Get(key, v) == nil
	}
	return ok && json.Unmarshal([]byte(s), v) == nil
}

// set keeps v under key (v nil: deletes it).
func (b *draftBook) set(ctx app.Context, key string, v any) {
	b.mu.Lock()
	local, closed := b.local, b.closed
	b.ls = ctx.LocalStorage()
	b.mu.Unlock()
	if closed {
		return // typed while logging out: the next person must not find it
	}
	if local {
		if v == nil {
			ctx.LocalStorage().Del(key)
		} else {
			ctx.LocalStorage().Set(key, v)
		}
		return
	}
	s := ""
	if v != nil {
		j, err := json.Marshal(v)
		if err != nil {
			return
		}
		s = string(j)
	}
	b.mu.Lock()
	if v == nil {
		delete(b.values, key)
	} else {
		b.values[key] = s
	}
	b.dirty[key] = true
	b.mu.Unlock()
	b.kick()
}

// keys returns the keys of the drafts starting with prefix, sorted.
func (b *draftBook) keys(ctx app.Context, prefix string) []string {
	var out []string
	b.mu.Lock()
	local := b.local
	for k := range b.values {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	b.mu.Unlock()
	if local {
		ctx.LocalStorage().ForEach(func(k string) {
			if strings.HasPrefix(k, prefix) {
				out = append(out, k)
			}
		})
	}
	slices.Sort(out)
	return out
}

// forget erases every draft of every user: at logout, and when the session
// is found ended.
func (b *draftBook) forget(ctx app.Context) {
	b.mu.Lock()
	b.values = map[string]string{}
	b.dirty = map[string]bool{}
	b.clear, b.closed = true, true
	b.mu.Unlock()
	b.kick()
	// A database that failed once may have left drafts here too.
	var keys []string
	ctx.LocalStorage().ForEach(func(k string) {
		if isDraftKey(k) {
			keys = append(keys, k)
		}
	})
	for _, k := range keys {
		ctx.LocalStorage().Del(k)
	}
}

func (b *draftBook) kick() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// write writes the changes to the database, one batch at a time. A write
// the database refuses (its quota used up) goes to localStorage, and the
// drafts stay there from then on.
func (b *draftBook) write() {
	for range b.wake {
		for {
			b.mu.Lock()
			clear := b.clear
			batch := make(map[string]*string, len(b.dirty))
			for k := range b.dirty {
				if v, ok := b.values[k]; ok {
					batch[k] = &v
				} else {
					batch[k] = nil
				}
			}
			b.inflight = b.dirty
			b.dirty, b.clear = map[string]bool{}, false
			if !clear && len(batch) == 0 {
				b.busy, b.inflight = false, nil
				b.done.Broadcast()
				b.mu.Unlock()
				break
			}
			b.busy = true
			b.mu.Unlock()
			if clear {
				dbClear(storagePrefix)
				tellTabs(tabDraft)
			}
			for k, v := range batch {
				var err error
				if v == nil {
					err = dbDel(dbDrafts, k)
				} else {
					err = dbPut(dbDrafts, k, *v)
				}
				if err != nil && v != nil {
					b.fallBack()
					continue
				}
				tellTabs(tabDraft + k)
			}
		}
	}
}

// fallBack moves the drafts to localStorage: the database refused a write.
func (b *draftBook) fallBack() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.local {
		return
	}
	b.local = true
	for k, v := range b.values {
		if b.ls != nil {
			b.ls.Set(k, json.RawMessage(v))
		}
	}
	b.values = map[string]string{}
}

// flush waits until every change made so far is in the database. Never
// call it on the UI goroutine.
func (b *draftBook) flush() {
	b.kick()
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.busy || b.clear || len(b.dirty) > 0 {
		b.done.Wait()
	}
}

// openDrafts reads the drafts kept in the database into the book, taking
// over the drafts an older version of the app kept in localStorage. It
// runs when a session starts, before the pages show it; never on the UI
// goroutine.
func openDrafts(ctx app.Context) {
	b := drafts
	b.flush()
	b.mu.Lock()
	b.ls = ctx.LocalStorage()
	b.mu.Unlock()
	if !dbAvailable() {
		b.mu.Lock()
		b.local, b.closed = true, false
		b.mu.Unlock()
		return
	}
	entries, err := dbEntries(dbDrafts, storagePrefix)
	if err != nil {
		b.mu.Lock()
		b.local, b.closed = true, false
		b.mu.Unlock()
		return
	}
	values := make(map[string]string, len(entries))
	for _, e := range entries {
		values[e.Key] = e.Value
	}
	// Drafts in localStorage (kept by an older version, or while the
	// database failed: newer than the database's) move to the database.
	var moved []string
	ctx.LocalStorage().ForEach(func(k string) {
		if isDraftKey(k) {
			moved = append(moved, k)
		}
	})
	for _, k := range moved {
		var v json.RawMessage
		if ctx.LocalStorage().Get(k, &v) != nil || len(v) == 0 {
			continue
		}
		if dbPut(dbDrafts, k, string(v)) != nil {
			// The database takes nothing: the drafts stay in localStorage.
			for k, v := range values {
				if !ctx.LocalStorage().Contains(k) {
					ctx.LocalStorage().Set(k, json.RawMessage(v))
				}
			}
			b.mu.Lock()
			b.local, b.closed = true, false
			b.mu.Unlock()
			return
		}
		values[k] = string(v)
		ctx.LocalStorage().Del(k)
	}
	b.mu.Lock()
	b.values, b.local, b.closed = values, false, false
	b.mu.Unlock()
	spillAtPageHide()
}

// spill writes the changes not yet in the database to localStorage, at
// once: the page is going away (a reload, the tab closed) and the writer
// may not get to them. The next openDrafts takes them into the database.
func (b *draftBook) spill() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ls == nil || b.closed {
		return
	}
	for _, keys := range []map[string]bool{b.inflight, b.dirty} {
		for k := range keys {
			if v, ok := b.values[k]; ok {
				b.ls.Set(k, json.RawMessage(v))
			}
		}
	}
}

// reread reads the draft under key again: another tab changed it (key
// empty: erased every draft).
func (b *draftBook) reread(key string) {
	if key == "" {
		b.mu.Lock()
		b.values, b.dirty = map[string]string{}, map[string]bool{}
		b.mu.Unlock()
		return
	}
	v, ok, err := dbGet(dbDrafts, key)
	if err != nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.dirty[key] {
		return // changed here since: this tab's change is the newer
	}
	if ok {
		b.values[key] = v
	} else {
		delete(b.values, key)
	}
}
