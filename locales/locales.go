// Package locales holds supportal's translations (go-i18n message files,
// embedded) and the language negotiation used by the browser and the server.
// It does no I/O beyond reading its embedded files.
//
// The server renders messages with a go-i18n bundle. The browser renders the
// same files with a small renderer of the same format (plain {{.Name}}
// placeholders, CLDR plural forms): go-i18n's text/template costs app.wasm
// about 0.6 MB brotli, and the wasm budget is 2.2 MB. A test renders every
// message in every language through both and requires identical results.
package locales

import (
	"embed"
	"strconv"
	"sync"
	"time"

	"golang.org/x/text/language"
)

//go:embed active.*.json
var files embed.FS

// Default is the language used when nothing else matches.
const Default = "en"

// Supported lists the languages supportal speaks, Default first.
var Supported = []string{"en", "de", "fr", "es"}

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
		return Default
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return Default
	}
	return Supported[i]
}

// Supports reports whether lang is one of the supported languages, exactly.
func Supports(lang string) bool {
	for _, l := range Supported {
		if l == lang {
			return true
		}
	}
	return false
}

// T translates id into lang. data fills the message's {{.Placeholders}}.
// A missing id returns the id itself, so a gap shows instead of hiding;
// the completeness test keeps that from shipping.
func T(lang, id string, data map[string]any) string {
	return localize(lang, id, -1, data)
}

// N translates id into lang with the CLDR plural form for count; data may
// use {{.Count}}.
func N(lang, id string, count int, data map[string]any) string {
	if count < 0 {
		count = -count
	}
	next := make(map[string]any, len(data)+1)
	for k, v := range data {
		next[k] = v
	}
	next["Count"] = count
	return localize(lang, id, count, next)
}

// DateTime formats t (in loc) the way lang writes dates and times. The
// layouts are messages like every other text ("DateTimeLayout").
func DateTime(lang string, t time.Time, loc *time.Location) string {
	if loc != nil {
		t = t.In(loc)
	}
	return t.Format(T(lang, "DateTimeLayout", nil))
}

// Date formats the day of t (in loc) the way lang writes dates.
func Date(lang string, t time.Time, loc *time.Location) string {
	if loc != nil {
		t = t.In(loc)
	}
	return t.Format(T(lang, "DateLayout", nil))
}

// Size formats a file size the way lang writes it, with its units and
// decimal separator as messages ("SizeBytes", "SizeKB", "SizeMB",
// "DecimalSeparator"): "512 B", "13 KB", "1,5 MB" in German, "1,5 Mo" in
// French.
func Size(lang string, bytes int64) string {
	switch {
	case bytes < 1000:
		return T(lang, "SizeBytes", map[string]any{"N": strconv.FormatInt(bytes, 10)})
	case bytes < 1000*1024:
		return T(lang, "SizeKB", map[string]any{"N": strconv.FormatInt((bytes+512)/1024, 10)})
	}
	tenths := (bytes*10 + 512*1024) / (1024 * 1024)
	n := strconv.FormatInt(tenths/10, 10)
	if tenths < 100 { // one decimal below 10 MB
		n += T(lang, "DecimalSeparator", nil) + strconv.FormatInt(tenths%10, 10)
	}
	return T(lang, "SizeMB", map[string]any{"N": n})
}
