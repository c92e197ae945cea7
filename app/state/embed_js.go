//go:build js && wasm

package state

import (
	"net/url"
	"syscall/js"
	"time"

	"github.com/supportal/supportal/app/ticket"
)

// parentOrigin is the origin of the page that frames the app, "" when it
// is not framed: the browser's own record of it (location.ancestorOrigins)
// where there is one, else the referrer the frame was opened from.
func parentOrigin() string {
	w := js.Global()
	if w.Get("parent").Equal(w.Get("self")) {
		return ""
	}
	if anc := w.Get("location").Get("ancestorOrigins"); anc.Truthy() && anc.Length() > 0 {
		return anc.Index(0).String()
	}
	if ref := w.Get("document").Get("referrer").String(); ref != "" {
		if u, err := url.Parse(ref); err == nil && u.Scheme != "" && u.Host != "" {
			return u.Scheme + "://" + u.Host
		}
	}
	return ""
}

// listenParent calls fn with each message of the parent window: messages of
// any other window (another frame, a popup) are dropped here, and fn checks
// the origin.
func listenParent(fn func(m hostMessage, origin string)) {
	w := js.Global()
	w.Call("addEventListener", "message", js.FuncOf(func(this js.Value, args []js.Value) any {
		ev := args[0]
		if !ev.Get("source").Equal(w.Get("parent")) || w.Get("parent").Equal(w.Get("self")) {
			return nil
		}
		d := ev.Get("data")
		if d.Type() != js.TypeObject || d.IsNull() || d.Get("supportal").Type() != js.TypeNumber || d.Get("supportal").Int() != ProtocolVersion {
			return nil
		}
		m := hostMessage{Type: str(d.Get("type"), 40), Token: str(d.Get("token"), 16<<10), Lang: str(d.Get("lang"), 10)}
		if r := d.Get("record"); r.Type() == js.TypeObject && !r.IsNull() {
			m.Record = &recordKey{Kind: ticket.RecordKind(str(r.Get("kind"), 40)), ExternalID: str(r.Get("externalId"), 200)}
		}
		fn(m, ev.Get("origin").String())
		return nil
	}))
}

// str is v when it is a string of at most max bytes, else "".
func str(v js.Value, max int) string {
	if v.Type() != js.TypeString {
		return ""
	}
	s := v.String()
	if len(s) > max {
		return ""
	}
	return s
}

// postParent posts msg to the parent window, for origin only.
func postParent(origin string, msg map[string]any) {
	js.Global().Get("parent").Call("postMessage", msg, origin)
}

// observeHeight calls fn with the page's height whenever it changes, so the
// host can size its frame to it.
func observeHeight(fn func(int)) {
	doc := js.Global().Get("document").Get("documentElement")
	last := -1
	report := func() {
		h := doc.Get("scrollHeight").Int()
		if b := js.Global().Get("document").Get("body"); b.Truthy() {
			// The body's own height: the document is at least as tall as
			// the frame, so it would never shrink.
			h = int(b.Call("getBoundingClientRect").Get("height").Float() + 0.999)
		}
		if h != last {
			last = h
			fn(h)
		}
	}
	ro := js.Global().Get("ResizeObserver")
	if !ro.Truthy() {
		return
	}
	obs := ro.New(js.FuncOf(func(this js.Value, args []js.Value) any { report(); return nil }))
	obs.Call("observe", js.Global().Get("document").Get("body"))
	report()
}

// forgetSessionStorage empties this tab's session storage.
func forgetSessionStorage() {
	if s := js.Global().Get("sessionStorage"); s.Truthy() {
		s.Call("clear")
	}
}

// WatchInput calls fn on every key press, pointer press, touch and wheel
// turn in the page (a kiosk counts its idle time from the last one).
func WatchInput(fn func()) {
	f := js.FuncOf(func(this js.Value, args []js.Value) any { fn(); return nil })
	for _, ev := range []string{"keydown", "pointerdown", "touchstart", "wheel"} {
		js.Global().Call("addEventListener", ev, f, map[string]any{"passive": true, "capture": true})
	}
}

// whenDrawn calls fn(true) as soon as the page is drawn on screen, or
// fn(false) after wait when it is not — browsers do not draw a frame its
// host hides or scrolls away, nor a tab in the background — and then
// fn(true) once it is drawn again.
func whenDrawn(wait time.Duration, fn func(drawn bool)) {
	drawn, timedOut := false, false
	var raf, timer js.Func
	raf = js.FuncOf(func(this js.Value, args []js.Value) any {
		raf.Release()
		drawn = true
		fn(true)
		return nil
	})
	timer = js.FuncOf(func(this js.Value, args []js.Value) any {
		timer.Release()
		if !drawn && !timedOut {
			timedOut = true
			fn(false)
		}
		return nil
	})
	js.Global().Call("requestAnimationFrame", raf)
	js.Global().Call("setTimeout", timer, wait.Milliseconds())
}

// onEscape calls fn when Escape is pressed in the page and nothing in it
// took the key (no open dialog or menu handled it): the host may close the
// panel the frame is in, as it would with the focus on its own page.
func onEscape(fn func()) {
	doc := js.Global().Get("document")
	js.Global().Call("addEventListener", "keydown", js.FuncOf(func(this js.Value, args []js.Value) any {
		e := args[0]
		if e.Get("key").String() != "Escape" || e.Get("defaultPrevented").Bool() || doc.Call("querySelector", "dialog[open]").Truthy() {
			return nil
		}
		fn()
		return nil
	}))
}
