//go:build js && wasm

package state

import "syscall/js"

// dialSocket opens a browser WebSocket to path on this origin (gorilla
// cannot dial from js/wasm). Frames and the end of the connection go to
// the channels without blocking the browser's event loop: frames are
// dropped when nobody reads (the stream resumes from the last id anyway).
func dialSocket(path string, frames chan<- []byte, closed chan<- struct{}) (close func()) {
	loc := js.Global().Get("location")
	scheme := "ws://"
	if loc.Get("protocol").String() == "https:" {
		scheme = "wss://"
	}
	ws := js.Global().Get("WebSocket").New(scheme + loc.Get("host").String() + path)
	var onMessage, onClose js.Func
	onMessage = js.FuncOf(func(this js.Value, args []js.Value) any {
		data := args[0].Get("data").String()
		select {
		case frames <- []byte(data):
		default:
		}
		return nil
	})
	done := false
	onClose = js.FuncOf(func(this js.Value, args []js.Value) any {
		if !done {
			done = true
			select {
			case closed <- struct{}{}:
			default:
			}
		}
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
