// supportal: go-app v10.1.11's pkg/app/wasm.go for the browser build
// (Makefile, -overlay), without GenerateStaticWebsite (see resource.go).

//go:build wasm
// +build wasm

package app

func wasmExecJS() string {
	return ""
}
