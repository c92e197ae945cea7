//go:build js && wasm

package state

import (
	"context"
	"errors"
	"strconv"
	"sync/atomic"
	"syscall/js"

	"github.com/supportal/supportal/app/ticket"
)

// fetch sends one request with the browser's fetch (same origin, so the
// session cookie goes along) and returns the status and body. Using fetch
// instead of net/http keeps TLS and HTTP/2 out of app.wasm.
func fetch(ctx context.Context, method, path string, body []byte, extra map[string]string) (int, []byte, error) {
	if method == "GET" && body == nil {
		if status, data, ok := preloaded(ctx, path, extra[ticket.UserHeader]); ok {
			return status, data, nil
		}
	}
	headers := map[string]any{"Accept": "application/json"}
	for k, v := range extra {
		headers[k] = v
	}
	opts := map[string]any{"method": method, "credentials": "same-origin", "headers": headers, "cache": "no-store"}
	if body != nil {
		headers["Content-Type"] = "application/json"
		opts["body"] = string(body)
	}
	abort := js.Global().Get("AbortController").New()
	opts["signal"] = abort.Get("signal")

	type result struct {
		status int
		body   []byte
		err    error
	}
	done := make(chan result, 1)
	var onResponse, onText, onError js.Func
	status := 0
	onError = js.FuncOf(func(this js.Value, args []js.Value) any {
		done <- result{err: errors.New("fetch failed")}
		return nil
	})
	onText = js.FuncOf(func(this js.Value, args []js.Value) any {
		done <- result{status: status, body: []byte(args[0].String())}
		return nil
	})
	onResponse = js.FuncOf(func(this js.Value, args []js.Value) any {
		res := args[0]
		status = res.Get("status").Int()
		res.Call("text").Call("then", onText, onError)
		return nil
	})
	defer onResponse.Release()
	defer onText.Release()
	defer onError.Release()

	js.Global().Call("fetch", path, opts).Call("then", onResponse, onError)
	select {
	case r := <-done:
		return r.status, r.body, r.err
	case <-ctx.Done():
		abort.Call("abort")
		<-done
		return 0, nil, ctx.Err()
	}
}

// preloadsOff: the page's preloaded answers are no more to be used (the
// session changed, or the page's script said the start is over).
var preloadsOff atomic.Bool

// preloaded returns the answer the page's own script asked the server for
// while app.wasm was still loading (server/site/preload.go), when it asked
// for the same address for the same user (user: the Supportal-User header,
// "" before the app knows the user). The page hands each answer out once;
// ok is false when there is none (then the app asks itself), also when
// that request failed.
func preloaded(ctx context.Context, path, user string) (status int, body []byte, ok bool) {
	if preloadsOff.Load() {
		return 0, nil, false
	}
	take := js.Global().Get("supportalPreloaded")
	if take.Type() != js.TypeFunction {
		preloadsOff.Store(true)
		return 0, nil, false
	}
	if path != "/api/v1/me" && !resumesLive(user) {
		// Read before the live stream starts, a list is shown only when the
		// stream resumes after an event this browser saw (it brings what
		// changed since); the page's script asks for none otherwise.
		return 0, nil, false
	}
	p := take.Invoke(path, user)
	if p.IsNull() || p.IsUndefined() {
		return 0, nil, false
	}
	type answer struct {
		status int
		body   []byte
		ok     bool
	}
	done := make(chan answer, 1)
	then := js.FuncOf(func(this js.Value, args []js.Value) any {
		a := args[0]
		if a.IsNull() || a.IsUndefined() {
			done <- answer{}
			return nil
		}
		done <- answer{status: a.Get("status").Int(), body: []byte(a.Get("body").String()), ok: true}
		return nil
	})
	p.Call("then", then)
	select {
	case a := <-done:
		then.Release()
		return a.status, a.body, a.ok
	case <-ctx.Done():
		go func() { <-done; then.Release() }() // released once called
		return 0, nil, false
	}
}

// resumesLive reports whether this browser kept the last event the live
// stream brought for user (the Supportal-User header's value).
func resumesLive(user string) bool {
	id, err := strconv.ParseInt(user, 10, 64)
	if err != nil {
		return false
	}
	return !js.Global().Get("localStorage").Call("getItem", lastEventKey(id)).IsNull()
}

// preloadedPlace returns the place in user's live stream (the last event
// id) that the page's script found when it asked for the lists, ok false
// when it asked for none.
func preloadedPlace(userID int64) (id int64, ok bool) {
	take := js.Global().Get("supportalPreloaded")
	if preloadsOff.Load() || take.Type() != js.TypeFunction {
		return 0, false
	}
	p := take.Get("place")
	if !p.Truthy() || p.Get("user").String() != strconv.FormatInt(userID, 10) {
		return 0, false
	}
	return int64(p.Get("id").Float()), true
}

// dropPreloads forgets the page's preloaded answers: they were asked for
// the session the page started with.
func dropPreloads() {
	if preloadsOff.Swap(true) {
		return
	}
	if take := js.Global().Get("supportalPreloaded"); take.Type() == js.TypeFunction {
		take.Call("drop")
	}
}
