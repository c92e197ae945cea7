package site

import _ "embed"

// workerJS is supportal's service worker (worker.js), go-app's
// Handler.ServiceWorkerTemplate: go-app replaces {{.Version}} and
// {{.ResourcesToCache}} in it and serves it as /app-worker.js.
//
//go:embed worker.js
var workerJS string

// precached are the resources the worker caches at install besides those
// go-app lists (its app.js, wasm_exec.js, app.css, the manifest,
// /web/app.wasm, "/", the icons but the SVG, the styles): the frame's shell,
// whose answer carries the framing header for host portals, the SVG icon
// and the paperclip the stylesheet draws on "Attach files" (offline too).
var precached = []string{"/embed", "/web/icon.svg", "/web/clip.svg"}
