//go:build js && wasm

package state

import (
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

var spillOnce sync.Once

// spillAtPageHide keeps the last keystrokes when the page goes away
// before the writer wrote them (drafts.spill).
func spillAtPageHide() {
	spillOnce.Do(func() {
		app.Window().Call("addEventListener", "pagehide", app.FuncOf(func(this app.Value, args []app.Value) any {
			drafts.spill()
			return nil
		}))
	})
}
