//go:build !(js && wasm)

package state

// Off the browser there are no network events.
func onNetEvents(changed func(online bool), visible func()) {}
