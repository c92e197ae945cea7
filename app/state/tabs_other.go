//go:build !(js && wasm)

package state

// Off the browser there are no other tabs.

func tellTabsLoggedOut() {}

func listenTabs(loggedOut func()) {}
