// Package locales holds supportal's translations (go-i18n message files,
// embedded) and the language negotiation (Match, on the server only: the
// browser reads its result from the page, BrowserLangMeta).
// It does no I/O beyond reading its embedded files.
//
// The server renders messages with a go-i18n bundle. The browser renders the
// same files with a small renderer of the same format (plain {{.Name}}
// placeholders, CLDR plural forms): go-i18n's text/template costs app.wasm
// about 0.6 MB brotli, and the wasm budget is 1.7 MB. A test renders every
// message in every language through both and requires identical results.
package locales

import (
	"embed"
	"strconv"
	"strings"
	"time"
)

//go:embed active.*.json
var files embed.FS

// Default is the language used when nothing else matches.
const Default = "en"

// Supported lists the languages supportal speaks, Default first.
var Supported = []string{"en", "de", "fr", "es"}

// BrowserLangMeta names the <meta> element of every page that carries the
// language the browser asks for: the server matches the request's
// Accept-Language (browsers build it from the same list as
// navigator.languages) with Match, and the app reads it, so that x/text's
// matcher stays out of app.wasm.
const BrowserLangMeta = "supportal-browser-lang"

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

// Money formats an amount the way lang writes money, as CLDR has it: the
// amount as records and money fields hold it (digits, then "." or "," and
// up to two decimals), currency an ISO 4217 code ("" for none). Layout,
// separators and symbols are messages ("MoneyLayout",
// "DecimalSeparator", "ThousandsLayout", "GroupMinimum",
// "CurrencySymbol_USD"); a currency
// without a symbol in lang is written as its code. English:
// "$1,234.50", "€1,234.50", "CHF 1,234.50"; German: "1.234,50 $";
// French: "1 234,50 $US" (narrow no-break space between groups);
// Spanish: "1234,50 US$" (Spanish groups from five digits on:
// "12.345,00 US$"). A value that is no amount is returned as it is.
func Money(lang, value, currency string) string {
	whole, frac, ok := splitAmount(value)
	if !ok {
		return value
	}
	minimum, _ := strconv.Atoi(T(lang, "GroupMinimum", nil))
	if len(whole) >= 3+max(minimum, 1) {
		whole = thousands(lang, whole)
	}
	amount := whole + T(lang, "DecimalSeparator", nil) + frac
	if currency == "" {
		return amount
	}
	symbol := currency
	if id := "CurrencySymbol_" + currency; Has(lang, id) {
		symbol = T(lang, id, nil)
	}
	out := T(lang, "MoneyLayout", map[string]any{"Amount": amount, "Symbol": symbol})
	// A code before the amount is set apart: "CHF 1,234.50".
	if last := symbol[len(symbol)-1]; last >= 'A' && last <= 'Z' && strings.HasPrefix(out, symbol) {
		out = symbol + "\u00a0" + strings.TrimPrefix(out, symbol)
	}
	return out
}

// thousands groups the digits of whole by three ("ThousandsLayout").
func thousands(lang, whole string) string {
	if len(whole) <= 3 {
		return whole
	}
	return T(lang, "ThousandsLayout", map[string]any{"Thousands": thousands(lang, whole[:len(whole)-3]), "Rest": whole[len(whole)-3:]})
}

// splitAmount reads "1234.5" as "1234" and "50".
func splitAmount(v string) (whole, frac string, ok bool) {
	whole, frac, _ = strings.Cut(strings.Replace(v, ",", ".", 1), ".")
	if whole == "" || len(frac) > 2 || strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" {
		return "", "", false
	}
	if t := strings.TrimLeft(whole, "0"); t != "" {
		whole = t
	} else {
		whole = "0"
	}
	return whole, (frac + "00")[:2], true
}
