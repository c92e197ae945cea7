//go:build !(js && wasm)

package state

import "time"

// Off the browser the app is never framed.

func parentOrigin() string { return "" }

func listenParent(fn func(m hostMessage, origin string)) {}

func postParent(origin string, msg map[string]any) {}

func observeHeight(fn func(int)) {}

func forgetSessionStorage() {}

func WatchInput(fn func()) {}

func whenDrawn(wait time.Duration, fn func(drawn bool)) { fn(true) }

func onEscape(fn func()) {}
