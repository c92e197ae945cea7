package files

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzCleanName: whatever name a browser sends, the name kept has no
// directory, no control or invisible formatting character, no leading dot,
// is never empty nor longer than MaxName, and is cleaned already.
func FuzzCleanName(f *testing.F) {
	for _, s := range []string{"", "../../etc/passwd", `C:\Users\anna\Rechnung.pdf`, "invoice\u202Efdp.exe", ".pdf", "...", " . ",
		strings.Repeat("ä", 300) + ".pdf", "a\x00b\tc.txt", "\xff\xfe.png"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got := CleanName(name)
		switch {
		case got == "":
			t.Fatalf("CleanName(%q) is empty", name)
		case strings.ContainsAny(got, `/\`):
			t.Fatalf("CleanName(%q) = %q keeps a directory", name, got)
		case strings.HasPrefix(got, "."):
			t.Fatalf("CleanName(%q) = %q is hidden", name, got)
		case utf8.RuneCountInString(got) > MaxName:
			t.Fatalf("CleanName(%q) = %q is %d characters", name, got, utf8.RuneCountInString(got))
		case !utf8.ValidString(got):
			t.Fatalf("CleanName(%q) = %q is not UTF-8", name, got)
		}
		for _, r := range got {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
				t.Fatalf("CleanName(%q) = %q holds %U", name, got, r)
			}
		}
		if again := CleanName(got); again != got {
			t.Fatalf("CleanName(%q) = %q, cleaned again %q", name, got, again)
		}
	})
}
