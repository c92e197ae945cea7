//go:build !(js && wasm)

package state

import (
	"sort"
	"strings"
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Outside a browser (host tests) the database is a map; memoryDBOff makes
// it unavailable, as in a sandboxed frame.
var (
	memoryDBMu  sync.Mutex
	memoryDB    = map[string]string{}
	memoryDBOff bool
	memoryLock  sync.Mutex
)

func dbAvailable() bool {
	memoryDBMu.Lock()
	defer memoryDBMu.Unlock()
	return !memoryDBOff
}

func dbGet(store, key string) (string, bool, error) {
	memoryDBMu.Lock()
	defer memoryDBMu.Unlock()
	if memoryDBOff {
		return "", false, errNoDB
	}
	v, ok := memoryDB[store+"\x00"+key]
	return v, ok, nil
}

func dbEntries(store, prefix string) ([]dbEntry, error) {
	memoryDBMu.Lock()
	defer memoryDBMu.Unlock()
	if memoryDBOff {
		return nil, errNoDB
	}
	var out []dbEntry
	for k, v := range memoryDB {
		s, key, _ := strings.Cut(k, "\x00")
		if s == store && strings.HasPrefix(key, prefix) {
			out = append(out, dbEntry{Key: key, Value: v})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

func dbPut(store, key, value string) error {
	memoryDBMu.Lock()
	defer memoryDBMu.Unlock()
	if memoryDBOff {
		return errNoDB
	}
	memoryDB[store+"\x00"+key] = value
	return nil
}

func dbDel(store, key string) error {
	memoryDBMu.Lock()
	defer memoryDBMu.Unlock()
	if memoryDBOff {
		return errNoDB
	}
	delete(memoryDB, store+"\x00"+key)
	return nil
}

func dbClear(prefix string) error {
	memoryDBMu.Lock()
	defer memoryDBMu.Unlock()
	if memoryDBOff {
		return errNoDB
	}
	for k := range memoryDB {
		_, key, _ := strings.Cut(k, "\x00")
		if strings.HasPrefix(key, prefix) {
			delete(memoryDB, k)
		}
	}
	return nil
}

func dbExclusive(name string, fn func()) (bool, error) {
	if !memoryLock.TryLock() {
		return false, nil
	}
	defer memoryLock.Unlock()
	fn()
	return true, nil
}

// Files off the browser: their sizes stand for them.
var memoryFiles = map[string]int64{}

func dbPutFile(key string, file app.Value) error {
	memoryDBMu.Lock()
	defer memoryDBMu.Unlock()
	if memoryDBOff {
		return errNoDB
	}
	memoryFiles[key] = 1
	return nil
}

func dbGetFile(key string) (app.Value, bool, error) {
	memoryDBMu.Lock()
	defer memoryDBMu.Unlock()
	_, ok := memoryFiles[key]
	return nil, ok, nil
}

func dbFilesSize(prefix string) (int64, error) {
	memoryDBMu.Lock()
	defer memoryDBMu.Unlock()
	var n int64
	for k, size := range memoryFiles {
		if strings.HasPrefix(k, prefix) {
			n += size
		}
	}
	return n, nil
}
