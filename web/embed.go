// Package web holds the static files of the browser app: styles, icons and,
// once built, app.wasm with its precompressed forms (app.wasm.br,
// app.wasm.gz). They are embedded so bin/supportal is one self-contained file.
//
// The pattern is "*" so that the package builds before app.wasm exists (a
// fresh checkout: go vet, unit tests); the server serves only the files it
// knows.
package web

import "embed"

// Files are the static files, served under /web/.
//
//go:embed *
var Files embed.FS
