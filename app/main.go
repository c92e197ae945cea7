// Command app is supportal's browser app, compiled to web/app.wasm.
package main

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/pages"
)

func main() {
	pages.Register()
	app.RunWhenOnBrowser()
}
