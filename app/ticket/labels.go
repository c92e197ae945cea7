package ticket

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Labels are the texts of a catalog entry by language ("en", "de", "fr",
// "es"): an operator's catalog names its own types, categories and fields
// with them, and may override the locales' labels of known ones.
type Labels map[string]string

// In returns the text for lang, if the entry gives one (blank is none).
func (l Labels) In(lang string) (string, bool) {
	s := strings.TrimSpace(l[lang])
	return s, s != ""
}

// HasHelp reports whether field f shows a help text: FieldHelp_<id>
// (Help) or its own HelpTexts.
func (f Field) HasHelp() bool { return f.Help || len(f.HelpTexts) > 0 }

// CheckLabels checks that every entry of the catalog can be named in
// every language of langs: by its own label for that language, or else by
// its locale message (has reports whether language lang has message id).
// A field with a help text needs one in every language likewise. Labels
// in a language not in langs are refused (a typo would go unseen). The
// error names each entry at fault with the languages it lacks.
func (c Catalog) CheckLabels(langs []string, has func(lang, id string) bool) error {
	var errs []error
	check := func(entry, key string, own Labels, id string) {
		for lang := range own {
			if !slices.Contains(langs, lang) {
				errs = append(errs, &CatalogError{Entry: entry, Reason: fmt.Sprintf("%s: unknown language %q (%s)", key, lang, strings.Join(langs, ", "))})
			}
		}
		var missing []string
		for _, lang := range langs {
			if _, ok := own.In(lang); !ok && !has(lang, id) {
				missing = append(missing, lang)
			}
		}
		if len(missing) > 0 {
			what := "label"
			if key == "helpTexts" {
				what = "help text"
			}
			errs = append(errs, &CatalogError{Entry: entry, Reason: fmt.Sprintf("no %s in %s: its %q need these languages (the locales have no %s)",
				what, strings.Join(missing, ", "), key, id)})
		}
	}
	field := func(entry string, f Field) {
		check(entry, "labels", f.Labels, FieldMessageID(f.ID))
		if f.HasHelp() {
			check(entry, "helpTexts", f.HelpTexts, FieldHelpMessageID(f.ID))
		}
	}
	for _, t := range c.Types {
		entry := fmt.Sprintf("type %q", t.ID)
		check(entry, "labels", t.Labels, TypeMessageID(t.ID))
		for _, cat := range t.Categories {
			centry := fmt.Sprintf("%s category %q", entry, cat.ID)
			check(centry, "labels", cat.Labels, CategoryMessageID(cat.ID))
			for _, f := range cat.Fields {
				fentry := fmt.Sprintf("%s field %q", centry, f.ID)
				field(fentry, f)
				for _, col := range f.Columns {
					field(fmt.Sprintf("%s column %q", fentry, col.ID), col)
				}
			}
		}
	}
	return errors.Join(errs...)
}
