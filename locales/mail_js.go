//go:build js && wasm

package locales

import "embed"

// mailFiles is empty in the browser, which writes no mail (mail.go).
var mailFiles embed.FS
