// Package locales holds supportal's translations (go-i18n message files,
// embedded) and the language negotiation used by the browser and the server.
// It does no I/O beyond reading its embedded files.
package locales

import (
	"embed"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed active.*.json
var files embed.FS

// Default is the language used when nothing else matches.
const Default = "en"

// Supported lists the languages supportal speaks, Default first.
var Supported = []string{"en", "de", "fr", "es"}

var (
	once       sync.Once
	bundle     *i18n.Bundle
	matcher    language.Matcher
	localizers map[string]*i18n.Localizer
	loadErr    error
)

func load() {
	bundle = i18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	tags := make([]language.Tag, len(Supported))
	localizers = make(map[string]*i18n.Localizer, len(Supported))
	for i, lang := range Supported {
		tags[i] = language.MustParse(lang)
		if _, err := bundle.LoadMessageFileFS(files, "active."+lang+".json"); err != nil {
			loadErr = fmt.Errorf("locales: %s: %w", lang, err)
			return
		}
		localizers[lang] = i18n.NewLocalizer(bundle, lang)
	}
	matcher = language.NewMatcher(tags)
}

// Bundle returns the bundle of every supported language.
func Bundle() (*i18n.Bundle, error) {
	once.Do(load)
	return bundle, loadErr
}

// Match returns the supported language that best fits the preferences given
// (language tags or Accept-Language values, most preferred first), Default
// when none fits.
func Match(prefs ...string) string {
	once.Do(load)
	if loadErr != nil {
		return Default
	}
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

func localizer(lang string) *i18n.Localizer {
	once.Do(load)
	if loadErr != nil {
		return nil
	}
	if l, ok := localizers[lang]; ok {
		return l
	}
	return localizers[Default]
}

// T translates id into lang. data fills the message's {{.Placeholders}}.
// A missing id returns the id itself, so a gap shows instead of hiding;
// the completeness test keeps that from shipping.
func T(lang, id string, data map[string]any) string {
	l := localizer(lang)
	if l == nil {
		return id
	}
	s, err := l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		return id
	}
	return s
}

// N translates id into lang with the plural form for count; data may use
// {{.Count}}.
func N(lang, id string, count int, data map[string]any) string {
	l := localizer(lang)
	if l == nil {
		return id
	}
	if data == nil {
		data = map[string]any{}
	}
	data["Count"] = count
	s, err := l.Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: count, TemplateData: data})
	if err != nil {
		return id
	}
	return s
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
