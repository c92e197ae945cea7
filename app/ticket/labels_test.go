package ticket_test

import (
	"testing"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// Labels derived from ids (statuses, catalog entries, error codes) must be
// translated in every language.
func TestEveryDerivedLabelIsTranslated(t *testing.T) {
	var ids []string
	for _, s := range ticket.Statuses() {
		ids = append(ids, s.MessageID(), s.Portal().MessageID())
	}
	for _, typ := range ticket.DefaultCatalog.Types {
		ids = append(ids, ticket.TypeMessageID(typ.ID))
		for _, c := range typ.Categories {
			ids = append(ids, ticket.CategoryMessageID(c.ID))
			for _, f := range c.Fields {
				ids = append(ids, ticket.FieldMessageID(f.ID))
				if f.Help {
					ids = append(ids, ticket.FieldHelpMessageID(f.ID))
				}
				for _, col := range f.Columns {
					ids = append(ids, ticket.FieldMessageID(col.ID))
				}
			}
		}
	}
	for _, k := range ticket.RecordKinds() {
		ids = append(ids, k.MessageID(), k.PluralMessageID())
	}
	for _, e := range []*ticket.Error{ticket.ErrNotFound, ticket.ErrUnauthorized, ticket.ErrForbidden, ticket.ErrBadCredentials, ticket.ErrTooManyLogins, ticket.ErrInternal} {
		ids = append(ids, e.MessageID)
	}
	for _, lang := range locales.Supported {
		for _, id := range ids {
			if got := locales.T(lang, id, nil); got == id || got == "" {
				t.Errorf("%s: %q is not translated", lang, id)
			}
		}
	}
}
