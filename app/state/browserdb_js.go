//go:build js && wasm

package state

import (
	"errors"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// store returns web/store.js's API, waiting briefly for the script (it is
// loaded with defer, beside the wasm).
func store() (app.Value, error) {
	for i := 0; i < 40; i++ {
		if s := app.Window().Get("supportalStore"); s.Truthy() {
			return s, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil, errNoDB
}

// awaitLimit bounds a wait for the browser's database: one that never
// answers (an upgrade blocked by a frozen tab holding an older version)
// counts as no database, so the app goes on without it.
const awaitLimit = 10 * time.Second

// await waits for promise p, at most limit (0: no limit). Never call it on
// the UI goroutine.
func await(p app.Value, limit time.Duration) (app.Value, error) {
	type result struct {
		v   app.Value
		err error
	}
	ch := make(chan result, 1)
	var ok, fail app.Func
	var once sync.Once
	release := func() { once.Do(func() { ok.Release(); fail.Release() }) }
	ok = app.FuncOf(func(this app.Value, args []app.Value) any {
		v := app.Undefined()
		if len(args) > 0 {
			v = args[0]
		}
		ch <- result{v: v}
		release()
		return nil
	})
	fail = app.FuncOf(func(this app.Value, args []app.Value) any {
		msg := "failed"
		if len(args) > 0 && args[0].Truthy() {
			msg = args[0].Call("toString").String()
		}
		ch <- result{err: errors.New(msg)}
		release()
		return nil
	})
	p.Call("then", ok, fail)
	if limit <= 0 {
		r := <-ch
		return r.v, r.err
	}
	select {
	case r := <-ch:
		return r.v, r.err
	case <-time.After(limit):
		return nil, errNoDB // the functions stay until the promise settles
	}
}

// dbCall calls method of web/store.js and waits for its answer.
func dbCall(method string, args ...any) (app.Value, error) {
	s, err := store()
	if err != nil {
		return nil, err
	}
	limit := awaitLimit
	if method == "exclusive" {
		limit = 0 // it holds the lock while the outbox is sent
	}
	return await(s.Call(method, args...), limit)
}

func dbAvailable() bool {
	_, err := dbCall("available")
	return err == nil
}

func dbGet(store, key string) (string, bool, error) {
	v, err := dbCall("get", store, key)
	if err != nil {
		return "", false, err
	}
	if v.Type() != app.TypeString {
		return "", false, nil
	}
	return v.String(), true, nil
}

func dbEntries(store, prefix string) ([]dbEntry, error) {
	v, err := dbCall("entries", store, prefix)
	if err != nil {
		return nil, err
	}
	out := make([]dbEntry, 0, v.Length())
	for i := 0; i < v.Length(); i++ {
		e := v.Index(i)
		val := ""
		if e.Index(1).Type() == app.TypeString {
			val = e.Index(1).String() // else not ours: shown as a damaged item
		}
		out = append(out, dbEntry{Key: e.Index(0).String(), Value: val})
	}
	return out, nil
}

func dbPut(store, key, value string) error {
	_, err := dbCall("put", store, key, value)
	return err
}

func dbDel(store, key string) error {
	_, err := dbCall("del", store, key)
	return err
}

func dbClear(prefix string) error {
	_, err := dbCall("clear", prefix)
	return err
}

// dbExclusive runs fn while this tab alone holds the lock name (Web Locks)
// and reports whether it ran: false when another tab holds it.
func dbExclusive(name string, fn func()) (bool, error) {
	run := app.FuncOf(func(this app.Value, args []app.Value) any {
		return app.Window().Get("Promise").New(app.FuncOf(func(this app.Value, args []app.Value) any {
			resolve := args[0]
			go func() {
				fn()
				resolve.Invoke()
			}()
			return nil
		}))
	})
	defer run.Release()
	v, err := dbCall("exclusive", name, run)
	if err != nil {
		return false, err
	}
	return v.Truthy(), nil
}

// dbPutFile keeps file (a browser File) under key in dbFiles.
func dbPutFile(key string, file app.Value) error {
	_, err := dbCall("put", dbFiles, key, file)
	return err
}

// dbGetFile returns the File kept under key.
func dbGetFile(key string) (app.Value, bool, error) {
	v, err := dbCall("get", dbFiles, key)
	if err != nil {
		return nil, false, err
	}
	return v, v.Truthy(), nil
}

// dbFilesSize returns the bytes of the files kept under prefix.
func dbFilesSize(prefix string) (int64, error) {
	v, err := dbCall("size", dbFiles, prefix)
	if err != nil {
		return 0, err
	}
	return int64(v.Float()), nil
}
