//go:build js && wasm

package state

import "syscall/js"

// The app's tabs tell one another of a logout over a BroadcastChannel, so
// that the others go to the login page as logged out, not as expired.

var tabs js.Value // the channel; undefined until first used, null where the browser has none

func tabChannel() js.Value {
	if tabs.IsUndefined() {
		tabs = js.Null()
		if c := js.Global().Get("BroadcastChannel"); c.Truthy() {
			tabs = c.New("supportal")
		}
	}
	return tabs
}

// tellTabsLoggedOut tells the app's other tabs the user logged out here.
func tellTabsLoggedOut() {
	if c := tabChannel(); c.Truthy() {
		c.Call("postMessage", "logout")
	}
}

// listenTabs calls loggedOut when another tab says the user logged out.
func listenTabs(loggedOut func()) {
	c := tabChannel()
	if !c.Truthy() {
		return
	}
	c.Set("onmessage", js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) > 0 && args[0].Get("data").String() == "logout" {
			loggedOut()
		}
		return nil
	}))
}
