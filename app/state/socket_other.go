//go:build !(js && wasm)

package state

// dialSocket is the browser's; off the browser there is no connection: it
// ends at once.
func dialSocket(path string, s *socket) (close func()) {
	s.end()
	return func() {}
}
