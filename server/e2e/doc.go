// Package e2e holds supportal's browser end-to-end tests: the whole portal
// (API, prerendered pages, app.wasm) runs in-process on an httptest server
// with the demo data, and headless Chromium, driven by chromedp, uses it as a
// customer or an agent would.
//
// The tests need /usr/bin/chromium and web/app.wasm (make wasm). Without
// them they are skipped, unless SUPPORTAL_E2E=1 (make test) is set: then
// they fail, so that a missing browser or build cannot pass for green.
package e2e
