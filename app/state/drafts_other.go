//go:build !(js && wasm)

package state

func spillAtPageHide() {}
