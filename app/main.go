// Command app is supportal's browser app, compiled to web/app.wasm.
package main

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/pages"
)

func main() {
	if app.IsClient {
		// The Go program runs (package init done): server/tools/startbench
		// reads this mark.
		app.Window().Get("performance").Call("mark", "supportal-main")
	}
	pages.Register()
	app.RunWhenOnBrowser()
}
