//go:build !(js && wasm)

package locales

import "testing"

func TestMatch(t *testing.T) {
	tests := []struct{ accept, want string }{
		{"de-DE,de;q=0.9,en;q=0.8", "de"},
		{"fr-CA", "fr"},
		{"es-MX,es;q=0.9", "es"},
		{"en-GB", "en"},
		{"ja-JP", "en"},
		{"", "en"},
		{"garbage;;;", "en"},
		{"it, es;q=0.5", "es"},
	}
	for _, tt := range tests {
		if got := Match(tt.accept); got != tt.want {
			t.Errorf("Match(%q) = %q, want %q", tt.accept, got, tt.want)
		}
	}
}
