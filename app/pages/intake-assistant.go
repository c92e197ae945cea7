package pages

// The Support Assistant: the draft asked step by step.

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

func (c *intake) renderAssistant(lang string, problems map[string]string) app.UI {
	steps := c.steps()
	index := 0
	for i, s := range steps {
		if s == c.step {
			index = i
		}
	}
	var body app.UI
	switch c.step {
	case stepType:
		body = c.renderType(lang, problems, true)
	case stepAccount:
		body = c.renderAccount(lang, problems, true)
	case stepCategory:
		body = app.Div().Body(c.renderExisting(lang, problems), c.renderCategory(lang, problems, true))
	case stepDetails:
		body = c.renderDetails(lang, problems)
	case stepFiles:
		body = c.renderFiles(lang, problems)
	case stepPreview:
		body = c.renderPreview(lang)
	default:
		body = loading(lang)
	}
	last := c.step == stepPreview
	// The step before the preview may send at once: the preview is
	// offered, not required (as on the one-page form).
	beforePreview := index+2 == len(steps) && steps[len(steps)-1] == stepPreview
	return app.Form().ID("assistant").Class("intake panel").NoValidate(true).OnSubmit(c.onNext).Body(
		app.P().ID("step-of").Class("muted").Text(t(lang, "StepOf", "Current", index+1, "Total", len(steps))),
		app.If(c.step == stepDetails || c.step == stepFiles || c.step == stepPreview, func() app.UI {
			title := stepTitle(c.step)
			if c.step == stepFiles {
				title = c.filesTitle(title)
			}
			return app.H2().ID("step-title").TabIndex(-1).Text(t(lang, title))
		}),
		body,
		errorBox(lang, c.submitErr()),
		app.P().Class("muted small").Text(t(lang, draftSavedID())),
		app.Div().Class("actions").Body(
			app.If(index > 0, func() app.UI {
				return app.Button().ID("step-back").Type("button").OnClick(c.onBack).Text(t(lang, "Back"))
			}),
			app.If(beforePreview, func() app.UI {
				return app.Button().ID("step-next").Type("submit").Text(t(lang, "PreviewButton"))
			}),
			app.If(beforePreview, func() app.UI { return c.sendButton(lang) }),
			app.If(!last && !beforePreview, func() app.UI {
				return app.Button().ID("step-next").Type("submit").Class("primary").Text(t(lang, "Next"))
			}).ElseIf(last, func() app.UI {
				return c.sendButton(lang)
			}),
		),
	)
}

func stepTitle(step string) string {
	switch step {
	case stepAccount:
		return "StepAccount"
	case stepCategory:
		return "StepCategory"
	case stepDetails:
		return "StepDetails"
	case stepFiles:
		return "StepAttachments"
	case stepPreview:
		return "PreviewTitle"
	}
	return "StepType"
}
