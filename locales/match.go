//go:build !(js && wasm)

package locales

import (
	"sync"

	"golang.org/x/text/language"
)

// Match is not in the browser's build: x/text's matcher and its tables were
// 50 KB of app.wasm (brotli). The server puts its result for the browser's
// Accept-Language into every page (BrowserLangMeta).

var (
	once    sync.Once
	matcher language.Matcher
)

func loadMatcher() {
	tags := make([]language.Tag, len(Supported))
	for i, lang := range Supported {
		tags[i] = language.MustParse(lang)
	}
	matcher = language.NewMatcher(tags)
}

// Match returns the supported language that best fits the preferences given
// (language tags or Accept-Language values, most preferred first), Default
// when none fits.
func Match(prefs ...string) string {
	lang, _ := MatchFound(prefs...)
	if lang == "" {
		return Default
	}
	return lang
}

// MatchFound is Match that tells "none fits" apart: it returns "" then.
func MatchFound(prefs ...string) (string, bool) {
	once.Do(loadMatcher)
	var tags []language.Tag
	for _, p := range prefs {
		if p == "" {
			continue
		}
		ts, _, err := language.ParseAcceptLanguage(p)
		if err != nil {
			continue
		}
		tags = append(tags, ts...)
	}
	if len(tags) == 0 {
		return "", false
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return "", false
	}
	return Supported[i], true
}
