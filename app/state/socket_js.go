//go:build js && wasm

package state

import "syscall/js"

// dialSocket opens a browser WebSocket to path on this origin (gorilla
// cannot dial from js/wasm). Its frames and its end go to s without
// blocking the browser's event loop; when s has no room left, the
// connection closes (see socket.deliver).
func dialSocket(path string, s *socket) (close func()) {
	loc := js.Global().Get("location")
	scheme := "ws://"
	if loc.Get("protocol").String() == "https:" {
		scheme = "wss://"
	}
	ws := js.Global().Get("WebSocket").New(scheme + loc.Get("host").String() + path)
	var onMessage, onClose js.Func
	onMessage = js.FuncOf(func(this js.Value, args []js.Value) any {
		if !s.deliver([]byte(args[0].Get("data").String())) {
			ws.Call("close")
		}
		return nil
	})
	onClose = js.FuncOf(func(this js.Value, args []js.Value) any {
		s.end()
		return nil
	})
	ws.Set("onmessage", onMessage)
	ws.Set("onclose", onClose)
	ws.Set("onerror", onClose)
	return func() {
		ws.Set("onmessage", js.Null())
		ws.Set("onclose", js.Null())
		ws.Set("onerror", js.Null())
		ws.Call("close")
		onMessage.Release()
		onClose.Release()
	}
}
