package pages

// What a category asks beyond its fields: proof (the evidence rule of a
// missing remittance: an EOB or the DDAR id for some payers) and the
// questions a type's description should answer.

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// evidence returns the evidence rule of the draft's category, nil if it
// has none (or the draft adds to an existing ticket).
func (c *intake) evidence() *ticket.Evidence {
	cat, ok := c.category()
	if !ok || (c.draft.ExistingTicket != 0 && len(c.openTickets()) > 0) {
		return nil
	}
	return cat.Evidence
}

// evidenceApplies reports whether the draft's value of the rule's field
// is one that needs proof.
func evidenceApplies(e *ticket.Evidence, d ticket.Draft) bool {
	if e == nil {
		return false
	}
	v := strings.TrimSpace(d.Fields[e.Field])
	for _, x := range e.Values {
		if v != "" && strings.EqualFold(v, x) {
			return true
		}
	}
	return false
}

// isAlternative reports whether field id is the evidence rule's
// alternative: it is asked with the files, not with the other fields.
func (c *intake) isAlternative(id string) bool {
	e := c.evidence()
	return e != nil && e.Alternative == id
}

// renderEvidenceHint says, before the files, what proof the category
// needs: for the payers of the rule an EOB or another image of the
// payment, or else the DDAR / bank transaction id (only that id); for
// the others that a paper EOB helps.
func (c *intake) renderEvidenceHint(lang string) app.UI {
	e := c.evidence()
	if e == nil {
		return nil
	}
	cat, _ := c.category()
	if !evidenceApplies(e, c.draft.Draft) {
		return app.P().ID("evidence-optional").Class("muted").Text(t(lang, "EvidenceOptional"))
	}
	value := c.draft.Fields[e.Field]
	name := value
	if f, ok := cat.Field(e.Field); ok && f.Kind == ticket.KindRecord {
		name = c.recordTitle(lang, f.Record, value)
	}
	return app.Div().ID("evidence-hint").Class("notice evidence-hint").Role("note").Body(
		app.P().Class("evidence-title").Text(t(lang, "EvidenceHintTitle")),
		app.P().Text(t(lang, "EvidenceHint", "Payer", name)),
		app.P().Text(t(lang, "EvidenceAlternative")),
	)
}

// renderAlternative is the evidence rule's alternative field (the DDAR /
// bank transaction id), after the files.
func (c *intake) renderAlternative(lang string, problems map[string]string) app.UI {
	e := c.evidence()
	if e == nil {
		return nil
	}
	cat, _ := c.category()
	f, ok := cat.Field(e.Alternative)
	if !ok {
		return nil
	}
	return c.renderField(lang, f, problems)
}

// filesTitle is the files step's title (and the form's legend): proof
// of payment for a category with an evidence rule, else title.
func (c *intake) filesTitle(title string) string {
	if c.evidence() != nil {
		return "StepEvidence"
	}
	return title
}

// guideQuestions are the questions the description of a ticket of type
// typ should answer (Guide_<type>_1, _2, … in the locales), nil if none.
func guideQuestions(lang, typ string) []string {
	var out []string
	for i := 1; ; i++ {
		id := "Guide_" + typ + "_" + strconv.Itoa(i)
		if typ == "" || !locales.Has(lang, id) {
			return out
		}
		out = append(out, t(lang, id))
	}
}

// renderTypeGuide shows the type's questions with the description field.
func renderTypeGuide(lang string, questions []string) app.UI {
	if len(questions) == 0 {
		return nil
	}
	return app.Div().ID("guide-type").Class("guide-type").Body(
		app.P().ID("guide-type-title").Class("guide-type-title").Text(t(lang, "GuideTypeTitle")),
		app.Ul().Body(app.Range(questions).Slice(func(i int) app.UI { return app.Li().Text(questions[i]) })),
	)
}
