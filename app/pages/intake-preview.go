package pages

// The preview of a draft before it is sent.

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// renderPreview shows everything that will be sent, requester and account
// included.
func (c *intake) renderPreview(lang string) app.UI {
	d := c.draft
	account := ""
	for _, o := range c.session.Accounts() {
		if o.ID == d.OrganizationID {
			account = t(lang, "AccountOption", "Name", o.Name, "Number", o.AccountNumber)
		}
	}
	existing := d.ExistingTicket != 0 && len(c.openTickets()) > 0
	cat, _ := c.category()
	rowText := func(id, label, value string) app.UI {
		return app.Div().Class("dl-row").Body(app.Dt().Text(label), app.Dd().ID(id).Dir("auto").Text(value))
	}
	row := func(id, label, value string) app.UI { return rowText(id, t(lang, label), value) }
	known := c.catalog.Known()
	// The rows are the dl's own children: a group of rows in a div of its
	// own is not a valid description list.
	rows := []app.UI{
		row("preview-requester", "Requester", c.session.User.Name),
		row("preview-account", "ColAccount", account),
		row("preview-type", "TicketKind", typeLabelOf(lang, known, d.Type)),
	}
	if existing {
		rows = append(rows, row("preview-existing", "ExistingTicketLabel", number(d.ExistingTicket)))
	} else {
		rows = append(rows, row("preview-category", "TicketCategory", categoryLabelOf(lang, known, d.Type, d.Category)))
		for _, f := range cat.Fields {
			v := d.Fields[f.ID]
			if strings.TrimSpace(v) == "" {
				continue
			}
			switch f.Kind {
			case ticket.KindRows:
				if rs, err := ticket.Rows(v); err == nil && len(rs) == 0 {
					continue
				}
				rows = append(rows, app.Div().Class("dl-row").Body(
					app.Dt().Text(fieldLabel(lang, f)),
					app.Dd().ID("preview-"+f.ID).Body(rowsTable(lang, "preview-"+f.ID+"-table", f, v)),
				))
			case ticket.KindRecord:
				rows = append(rows, rowText("preview-"+f.ID, fieldLabel(lang, f), c.recordTitle(lang, f.Record, v)))
			default:
				rows = append(rows, rowText("preview-"+f.ID, fieldLabel(lang, f), fieldText(lang, f, v)))
			}
		}
		rows = append(rows, row("preview-subject", "Subject", d.Subject))
	}
	rows = append(rows,
		app.Div().Class("dl-row").Body(app.Dt().Text(t(lang, "DescriptionLabel")), app.Dd().ID("preview-description").Class("message-body").Dir("auto").Text(d.Description)),
		app.Div().Class("dl-row").Body(app.Dt().Text(t(lang, "AttachmentsLabel")), app.Dd().ID("preview-attachments").Body(
			app.If(c.files.attached() == 0, func() app.UI { return app.Text(t(lang, "NoAttachments")) }).Else(func() app.UI {
				stored, held := c.files.stored(), c.files.held()
				return app.Ul().Class("file-list").Body(
					app.Range(stored).Slice(func(i int) app.UI {
						return app.Li().Text(stored[i].Name + " (" + locales.Size(lang, stored[i].Size) + ")")
					}),
					app.Range(held).Slice(func(i int) app.UI {
						return app.Li().Text(held[i].Name + " (" + locales.Size(lang, held[i].Size) + ") – " + t(lang, "FileHeldOffline"))
					}),
				)
			}),
		)),
	)
	return app.Dl().ID("draft-preview").Class("preview").Body(rows...)
}
