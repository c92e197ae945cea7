//go:build js && wasm

package state

import "syscall/js"

// onNetEvents calls changed on the window's online and offline events, and
// visible when the page becomes visible again.
func onNetEvents(changed func(online bool), visible func()) {
	w := js.Global()
	w.Call("addEventListener", "online", js.FuncOf(func(js.Value, []js.Value) any { changed(true); return nil }))
	w.Call("addEventListener", "offline", js.FuncOf(func(js.Value, []js.Value) any { changed(false); return nil }))
	doc := w.Get("document")
	doc.Call("addEventListener", "visibilitychange", js.FuncOf(func(js.Value, []js.Value) any {
		if doc.Get("visibilityState").String() == "visible" {
			visible()
		}
		return nil
	}))
}
