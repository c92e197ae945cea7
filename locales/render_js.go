//go:build js && wasm

package locales

// localize renders with the lite renderer in the browser; count < 0 means
// no plural.
func localize(lang, id string, count int, data map[string]any) string {
	return localizeLite(lang, id, count, data)
}
