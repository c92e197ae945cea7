package pages

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/supportal/supportal/locales"
)

// usedMessage finds the translation ids the pages name literally: t(lang,
// "Id"…), locales.N(lang, "Id"…), WithTitle("Id"), p.notice = "Id"…
var usedMessage = regexp.MustCompile(`(?:\bt\([A-Za-z.]+, |locales\.[NT]\([A-Za-z.]+, |WithTitle\(|(?:notice|status) = )"([A-Z][A-Za-z0-9_]*)"[,)\n]`)

// Every message a page names exists (in English; the locales' own test
// holds every language to English's set): a missing one would show its id.
func TestEveryUsedMessageExists(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range usedMessage.FindAllSubmatch(src, -1) {
			seen++
			if id := string(m[1]); !locales.Has("en", id) {
				t.Errorf("%s names message %q, which locales/active.en.json lacks", f, id)
			}
		}
	}
	if seen < 200 {
		t.Fatalf("found only %d message ids in the pages: the pattern no longer matches how they are named", seen)
	}
}
