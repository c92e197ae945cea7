package pages

// The fields and choices of a draft, shown by the assistant and the form alike.

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// fieldError is the live error text of a field; screen readers announce it.
func fieldError(lang, id, problem string) app.UI {
	p := app.P().ID("err-"+id).Class("field-error").Aria("live", "polite")
	if problem != "" {
		p = p.Text(t(lang, problem))
	}
	return p
}

func domID(field string) string { return "f-" + strings.ReplaceAll(field, ".", "-") }

// choice renders radio buttons (assistant) or a select (form).
func (c *intake) choice(lang, field, legend, current string, values, labels []string, problem string, radios bool) app.UI {
	id := domID(field)
	if radios {
		return app.FieldSet().ID(id).Class("choices").Aria("describedby", "err-"+id).Body(
			app.Legend().Class("choices-legend").Text(t(lang, legend)),
			app.Range(values).Slice(func(i int) app.UI {
				rid := id + "-" + values[i]
				value := values[i]
				return app.Label().For(rid).Class("choice").Body(
					app.Input().Type("radio").ID(rid).Name(field).Value(value).Checked(value == current).
						Aria("invalid", ariaBool(problem != "")).
						DataSet("field", field).DataSet("value", value).OnChange(c.onField),
					app.Span().Text(labels[i]),
				)
			}),
			fieldError(lang, id, problem),
		)
	}
	return app.Div().Class("field").Body(
		app.Label().For(id).Text(t(lang, legend)),
		app.Select().ID(id).Aria("invalid", ariaBool(problem != "")).Aria("describedby", "err-"+id).DataSet("field", field).OnChange(c.onField).Body(
			app.Option().Value("").Selected(current == "").Text(t(lang, "ChooseOne")),
			app.Range(values).Slice(func(i int) app.UI {
				return app.Option().Value(values[i]).Selected(values[i] == current).Text(labels[i])
			}),
		),
		fieldError(lang, id, problem),
	)
}

func (c *intake) renderType(lang string, problems map[string]string, radios bool) app.UI {
	var values, labels []string
	for _, ct := range c.catalog.Types {
		if ct.Records {
			continue // filed from a record's Get Help only
		}
		values = append(values, ct.ID)
		labels = append(labels, typeLabel(lang, ct.Type))
	}
	return c.choice(lang, "type", "StepType", c.draft.Type, values, labels, c.visible(problems, "type"), radios)
}

func (c *intake) renderAccount(lang string, problems map[string]string, radios bool) app.UI {
	var values, labels []string
	for _, o := range c.accountsFor(c.draft.Type) {
		values = append(values, strconv.FormatInt(o.ID, 10))
		labels = append(labels, t(lang, "AccountOption", "Name", o.Name, "Number", o.AccountNumber))
	}
	current := ""
	if c.draft.OrganizationID != 0 {
		current = strconv.FormatInt(c.draft.OrganizationID, 10)
	}
	return c.choice(lang, "organizationId", "StepAccount", current, values, labels, c.visible(problems, "organizationId"), radios)
}

// renderExisting offers the account's open tickets. Its container is always
// there, so that the choices below do not move (and go-app does not reuse
// their elements) when the list arrives.
func (c *intake) renderExisting(lang string, problems map[string]string) app.UI {
	return app.Div().ID("existing-choice").Body(c.existingChoices(lang, problems))
}

func (c *intake) existingChoices(lang string, problems map[string]string) app.UI {
	open := c.openTickets()
	if len(open) == 0 || c.draft.Type == "" || c.draft.FollowUpOf != 0 {
		return nil // offered once type and account are chosen; a follow-up is a new ticket
	}
	values := []string{"0"}
	labels := []string{t(lang, "NewProblem")}
	for _, tk := range open {
		values = append(values, strconv.FormatInt(tk.Number, 10))
		labels = append(labels, t(lang, "BelongsTo", "Number", tk.Number, "Subject", ticket.Isolate(tk.Subject)))
	}
	return c.choice(lang, "existingTicket", "ExistingQuestion", strconv.FormatInt(c.draft.ExistingTicket, 10), values, labels, c.visible(problems, "existingTicket"), true)
}

func (c *intake) renderCategory(lang string, problems map[string]string, radios bool) app.UI {
	return app.Div().ID("category-choice").Body(c.categoryChoices(lang, problems, radios))
}

func (c *intake) categoryChoices(lang string, problems map[string]string, radios bool) app.UI {
	ct, ok := c.catalog.Type(c.draft.Type)
	if !ok || (c.draft.ExistingTicket != 0 && len(c.openTickets()) > 0) {
		return nil
	}
	var values, labels []string
	for _, cat := range ct.Categories {
		values = append(values, cat.ID)
		labels = append(labels, categoryLabel(lang, cat))
	}
	return c.choice(lang, "category", "TicketCategory", c.draft.Category, values, labels, c.visible(problems, "category"), radios)
}

// category returns the draft's category.
func (c *intake) category() (ticket.Category, bool) {
	ct, ok := c.catalog.Type(c.draft.Type)
	if !ok {
		return ticket.Category{}, false
	}
	return ct.Category(c.draft.Category)
}

func (c *intake) renderDetails(lang string, problems map[string]string) app.UI {
	existing := c.draft.ExistingTicket != 0 && len(c.openTickets()) > 0
	cat, _ := c.category()
	return app.Div().Class("details").Body(
		app.Div().Class("details-main").Body(
			app.If(!existing, func() app.UI {
				return c.textInput(lang, "subject", t(lang, "Subject"), c.draft.Subject, true, ticket.MaxSubject, problems)
			}),
			app.If(!existing && len(cat.Fields) > 0, func() app.UI {
				return app.FieldSet().Class("category-fields").Body(
					app.Legend().Text(t(lang, "FieldsOfCategory")),
					app.Range(cat.Fields).Slice(func(i int) app.UI {
						f := cat.Fields[i]
						if c.isAlternative(f.ID) {
							return nil // asked with the files
						}
						return c.renderField(lang, f, problems)
					}),
				)
			}),
			c.textArea(lang, problems),
		),
		app.Aside().Class("guide").Aria("labelledby", "guide-title").Body(
			app.H2().ID("guide-title").Text(t(lang, "GuideTitle")),
			app.Ol().Body(
				app.Li().Text(t(lang, "Guide1")), app.Li().Text(t(lang, "Guide2")), app.Li().Text(t(lang, "Guide3")),
				app.Li().Text(t(lang, "Guide4")), app.Li().Text(t(lang, "Guide5")),
			),
		),
	)
}

// renderField is a category field with the control of its kind.
func (c *intake) renderField(lang string, f ticket.Field, problems map[string]string) app.UI {
	if f.Kind == ticket.KindRows {
		return c.rowsField(lang, f, problems)
	}
	return c.textInput(lang, ticket.FieldKey(f.ID), fieldLabel(lang, f), c.draft.Fields[f.ID], f.Required, f.MaxLength, problems, f)
}

func (c *intake) textInput(lang, field, label, value string, required bool, max int, problems map[string]string, spec ...ticket.Field) app.UI {
	id := domID(field)
	problem := c.visible(problems, field)
	describedBy := "err-" + id
	var help app.UI
	if len(spec) == 1 && spec[0].HasHelp() {
		help = app.P().ID("help-" + id).Class("help").Text(fieldHelp(lang, spec[0]))
		describedBy = "help-" + id + " " + describedBy
	}
	if max == 0 {
		max = ticket.DefaultFieldLimit
	}
	marker := "Optional"
	if required {
		marker = "Required"
	}
	return app.Div().Class("field").Body(
		app.Label().For(id).Body(
			app.Text(label),
			app.Span().Class("marker").Text(" ("+t(lang, marker)+")"),
		),
		c.control(lang, id, field, value, required, max, problem, describedBy, spec...),
		help,
		fieldError(lang, id, problem),
	)
}

// control is the input for a field of the kind its catalog entry says.
func (c *intake) control(lang, id, field, value string, required bool, max int, problem, describedBy string, spec ...ticket.Field) app.UI {
	kind := ticket.KindText
	if len(spec) == 1 {
		kind = spec[0].Kind
	}
	switch kind {
	case ticket.KindSelect:
		f := spec[0]
		return app.Select().ID(id).Required(required).
			Aria("invalid", ariaBool(problem != "")).Aria("describedby", describedBy).
			DataSet("field", field).OnChange(c.onField).Body(
			app.Option().Value("").Selected(value == "").Text(t(lang, "ChooseOne")),
			app.Range(f.Options).Slice(func(i int) app.UI {
				o := f.Options[i]
				return app.Option().Value(o).Selected(o == value).Text(labelOr(lang, ticket.OptionMessageID(f.ID, o), o))
			}),
		)
	case ticket.KindRecord:
		return c.recordControl(lang, id, field, value, problem, describedBy, spec[0])
	}
	in := app.Input().ID(id).Type("text").Value(typed(id, value)).Required(required).
		Aria("invalid", ariaBool(problem != "")).Aria("describedby", describedBy).
		DataSet("field", field).OnInput(c.onField)
	switch kind {
	case ticket.KindDate:
		in = in.Type("date")
	case ticket.KindNumber:
		in = in.Attr("inputmode", "numeric")
	case ticket.KindMoney:
		in = in.Attr("inputmode", "decimal")
	default:
		in = in.MaxLength(max)
	}
	return in
}

// labelOr translates id, or shows fallback when no language has it (an
// operator's catalog may bring ids the locales do not know).
func labelOr(lang, id, fallback string) string {
	if locales.Has(lang, id) {
		return t(lang, id)
	}
	return fallback
}

func (c *intake) textArea(lang string, problems map[string]string) app.UI {
	id := domID("description")
	problem := c.visible(problems, "description")
	questions := guideQuestions(lang, c.draft.Type)
	describedBy := "err-" + id + " guide-title"
	if len(questions) > 0 {
		describedBy = "guide-type " + describedBy
	}
	return app.Div().Class("field").Body(
		app.Label().For(id).Body(
			app.Text(t(lang, "DescribeProblem")),
			app.Span().Class("marker").Text(" ("+t(lang, "Required")+")"),
		),
		renderTypeGuide(lang, questions),
		app.Textarea().ID(id).Rows(10).Required(true).MaxLength(ticket.MaxDescription).
			Aria("invalid", ariaBool(problem != "")).Aria("describedby", describedBy).
			DataSet("field", "description").OnInput(c.onField).Text(c.draft.Description),
		fieldError(lang, id, problem),
	)
}

// renderFiles is the draft's attachments field, for the draft's account.
func (c *intake) renderFiles(lang string, problems map[string]string) app.UI {
	var regime ticket.PrivacyRegime
	for _, o := range c.session.Accounts() {
		if o.ID == c.draft.OrganizationID {
			regime = o.PrivacyRegime
		}
	}
	problem := c.visible(problems, "attachments")
	c.files.problem = problem != ""
	return app.Div().Class("files-step").Body(
		c.renderEvidenceHint(lang),
		c.files.render(lang, t(lang, "AddFiles"), c.draft.OrganizationID, regime, c.catalog.Attachments),
		fieldError(lang, "attachments", problem),
		c.renderAlternative(lang, problems),
	)
}
