package site

import (
	"encoding/json"
	"net/http"

	"github.com/supportal/supportal/locales"
)

// The app's colors: the manifest's, the pages' theme color, the maskable
// icon's background (web/icon-maskable-512.png).
const (
	backgroundColor = "#f5f7fa"
	themeColor      = "#1f5f8b"
)

// manifestIcon is one icon of the web app manifest.
type manifestIcon struct {
	Src     string `json:"src"`
	Sizes   string `json:"sizes"`
	Type    string `json:"type"`
	Purpose string `json:"purpose"`
}

// manifest is the web app manifest (served as /manifest.webmanifest); go-app's
// own has no id, so supportal serves its own.
type manifest struct {
	ID              string         `json:"id"`
	Name            string         `json:"name"`
	ShortName       string         `json:"short_name"`
	Description     string         `json:"description"`
	Lang            string         `json:"lang"`
	StartURL        string         `json:"start_url"`
	Scope           string         `json:"scope"`
	Display         string         `json:"display"`
	BackgroundColor string         `json:"background_color"`
	ThemeColor      string         `json:"theme_color"`
	Icons           []manifestIcon `json:"icons"`
}

// manifestJSON returns the manifest in lang. Every icon is one of the
// portal's own files.
func manifestJSON(lang string) ([]byte, error) {
	return json.Marshal(manifest{
		ID:              "/",
		Name:            "supportal",
		ShortName:       "supportal",
		Description:     locales.T(lang, "AppDescription", nil),
		Lang:            lang,
		StartURL:        "/",
		Scope:           "/",
		Display:         "standalone",
		BackgroundColor: backgroundColor,
		ThemeColor:      themeColor,
		Icons: []manifestIcon{
			{Src: "/web/icon-192.png", Sizes: "192x192", Type: "image/png", Purpose: "any"},
			{Src: "/web/icon-512.png", Sizes: "512x512", Type: "image/png", Purpose: "any"},
			{Src: "/web/icon-maskable-512.png", Sizes: "512x512", Type: "image/png", Purpose: "maskable"},
			{Src: "/web/icon.svg", Sizes: "any", Type: "image/svg+xml", Purpose: "any"},
		},
	})
}

// serveManifest serves the manifest in the visitor's language.
func (s *Site) serveManifest(w http.ResponseWriter, r *http.Request, lang string) {
	h := w.Header()
	h.Add("Vary", "Cookie, Accept-Language")
	h.Set("Content-Type", "application/manifest+json")
	h.Set("Cache-Control", "no-cache")
	etag := `"` + s.version + "-" + lang + `"`
	h.Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(s.manifests[lang])
}
