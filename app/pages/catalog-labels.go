package pages

// Labels of the catalog's types, categories and fields: an operator's
// catalog brings its own per language (ticket.Labels), which win over the
// locales' messages (Type_<id>, …); the server refuses a catalog that
// leaves an entry unnamed in a language, so the ids are a last resort.

import "github.com/supportal/supportal/app/ticket"

// catalogLabel is an entry's label in lang: its own, else message id,
// else fallback.
func catalogLabel(lang string, own ticket.Labels, id, fallback string) string {
	if s, ok := own.In(lang); ok {
		return s
	}
	return labelOr(lang, id, fallback)
}

func typeLabel(lang string, t ticket.Type) string {
	return catalogLabel(lang, t.Labels, ticket.TypeMessageID(t.ID), t.ID)
}

func categoryLabel(lang string, c ticket.Category) string {
	return catalogLabel(lang, c.Labels, ticket.CategoryMessageID(c.ID), c.ID)
}

func fieldLabel(lang string, f ticket.Field) string {
	return catalogLabel(lang, f.Labels, ticket.FieldMessageID(f.ID), f.ID)
}

// fieldHelp is the help text of a field that has one (f.HasHelp).
func fieldHelp(lang string, f ticket.Field) string {
	return catalogLabel(lang, f.HelpTexts, ticket.FieldHelpMessageID(f.ID), "")
}

// typeLabelOf names type typ of a ticket by the first of catalogs that
// knows it (state.Catalog.Known).
func typeLabelOf(lang string, catalogs []ticket.Catalog, typ string) string {
	for _, c := range catalogs {
		if t, ok := c.Type(typ); ok {
			return typeLabel(lang, t)
		}
	}
	return typeLabel(lang, ticket.Type{ID: typ})
}

// categoryLabelOf names category cat of type typ likewise.
func categoryLabelOf(lang string, catalogs []ticket.Catalog, typ, cat string) string {
	for _, c := range catalogs {
		if t, ok := c.Type(typ); ok {
			if c, ok := t.Category(cat); ok {
				return categoryLabel(lang, c)
			}
		}
	}
	return categoryLabel(lang, ticket.Category{ID: cat})
}
