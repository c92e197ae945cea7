//go:build js && wasm

package state

import "syscall/js"

// The app's tabs tell one another over a BroadcastChannel of a logout (the
// others go to the login page as logged out, not as expired) and of a
// changed outbox (they show its items as they are now).

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

// tellTabs tells the app's other tabs msg (tabLogout, tabOutbox).
func tellTabs(msg string) {
	if c := tabChannel(); c.Truthy() {
		c.Call("postMessage", msg)
	}
}

// listenTabs calls heard with what another tab tells.
func listenTabs(heard func(msg string)) {
	c := tabChannel()
	if !c.Truthy() {
		return
	}
	c.Set("onmessage", js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) > 0 {
			if d := args[0].Get("data"); d.Type() == js.TypeString {
				heard(d.String())
			}
		}
		return nil
	}))
}
