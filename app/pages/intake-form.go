package pages

// The one-page ticket form: the whole draft on one page.

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
)

// submitErr is the send's error that belongs to no field.
func (c *intake) submitErr() *state.Error {
	if c.submit.Status != state.Failed || len(c.submit.Fields) > 0 {
		return nil
	}
	return c.submit.Err
}

func (c *intake) sendButton(lang string) app.UI {
	label := "Send"
	if c.submit.Status == state.Loading {
		label = "Sending"
	}
	return app.Button().ID("send").Type("button").Class("primary").Disabled(c.submit.Status == state.Loading).OnClick(c.onSend).Text(t(lang, label))
}

func (c *intake) renderForm(lang string, problems map[string]string) app.UI {
	if c.previewing {
		return app.Div().ID("ticket-form-preview").Class("intake panel").Body(
			app.H2().ID("preview-title").TabIndex(-1).Text(t(lang, "PreviewTitle")),
			c.renderPreview(lang),
			errorBox(lang, c.submitErr()),
			app.Div().Class("actions").Body(
				app.Button().ID("preview-edit").Type("button").OnClick(c.onEdit).Text(t(lang, "EditDraft")),
				c.sendButton(lang),
			),
		)
	}
	return app.Form().ID("ticket-form").Class("intake panel").NoValidate(true).OnSubmit(c.onPreview).Body(
		c.renderType(lang, problems, false),
		app.Div().ID("account-choice").Body(
			app.If(len(c.accountsFor(c.draft.Type)) > 1, func() app.UI { return c.renderAccount(lang, problems, false) }),
		),
		c.renderExisting(lang, problems),
		c.renderCategory(lang, problems, false),
		c.renderDetails(lang, problems),
		app.FieldSet().Class("files-field").Body(
			app.Legend().Text(t(lang, c.filesTitle("AttachmentsLabel"))),
			c.renderFiles(lang, problems),
		),
		errorBox(lang, c.submitErr()),
		app.P().Class("muted small").Text(t(lang, draftSavedID())),
		app.Div().Class("actions").Body(
			app.Button().ID("preview").Type("submit").Text(t(lang, "PreviewButton")),
			c.sendButton(lang),
		),
	)
}
