//go:build !(js && wasm)

package state

// Off the browser there are no other tabs.

func tellTabs(msg string) {}

func listenTabs(heard func(msg string)) {}
