package state

import (
	"net/url"
	"strings"
	"testing"
)

func TestSafeEmbedNext(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/tickets/new", "/tickets/new"},
		{"/tickets?open=false&q=Drucker", "/tickets?open=false&q=Drucker"},
		{"/records/17?help=1", "/records/17?help=1"},
		{"", ""},
		{"tickets", ""},
		{"//evil.example/x", ""},
		{"https://evil.example/", ""},
		{"javascript:alert(1)", ""},
		{"/embed", ""},
		{"/embed/tickets", ""},
		{"/login?next=/", ""},
		{"/api/v1/me", ""},
	}
	for _, tt := range tests {
		if got := SafeEmbedNext(tt.in); got != tt.want {
			t.Errorf("SafeEmbedNext(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzSafeEmbedNext: whatever the address says, the frame goes to a page
// of this app or nowhere.
func FuzzSafeEmbedNext(f *testing.F) {
	for _, s := range []string{"/tickets/new", "//evil", "/\\evil", "https:evil", "/%2F%2Fevil", "/.//evil", "\t/x", "/embed?x=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := SafeEmbedNext(in)
		if got == "" {
			return
		}
		u, err := url.Parse(got)
		if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.HasPrefix(got, "/\\") {
			t.Fatalf("SafeEmbedNext(%q) = %q: not a path of this app", in, got)
		}
	})
}
