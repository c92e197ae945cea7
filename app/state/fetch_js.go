//go:build js && wasm

package state

import (
	"context"
	"errors"
	"syscall/js"
)

// fetch sends one request with the browser's fetch (same origin, so the
// session cookie goes along) and returns the status and body. Using fetch
// instead of net/http keeps TLS and HTTP/2 out of app.wasm.
func fetch(ctx context.Context, method, path string, body []byte, extra map[string]string) (int, []byte, error) {
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
