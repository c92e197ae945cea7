//go:build !(js && wasm)

package locales

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

var (
	bundleOnce sync.Once
	localizers map[string]*i18n.Localizer
	bundleErr  error
)

func loadBundle() {
	bundle := i18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	localizers = make(map[string]*i18n.Localizer, len(Supported))
	for _, lang := range Supported {
		if _, err := bundle.LoadMessageFileFS(files, "active."+lang+".json"); err != nil {
			bundleErr = fmt.Errorf("locales: %s: %w", lang, err)
			return
		}
		if _, err := bundle.LoadMessageFileFS(mailFiles, "mail."+lang+".json"); err != nil {
			bundleErr = fmt.Errorf("locales: mail %s: %w", lang, err)
			return
		}
		localizers[lang] = i18n.NewLocalizer(bundle, lang)
	}
}

// localize renders with the go-i18n bundle; count < 0 means no plural.
func localize(lang, id string, count int, data map[string]any) string {
	return localizeI18n(lang, id, count, data)
}

func localizeI18n(lang, id string, count int, data map[string]any) string {
	bundleOnce.Do(loadBundle)
	if bundleErr != nil {
		return id
	}
	l, ok := localizers[lang]
	if !ok {
		l = localizers[Default]
	}
	cfg := &i18n.LocalizeConfig{MessageID: id, TemplateData: data}
	if count >= 0 {
		cfg.PluralCount = count
	}
	s, err := l.Localize(cfg)
	if err != nil {
		return id
	}
	return s
}
