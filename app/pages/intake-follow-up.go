package pages

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
)

// The follow-up of a closed ticket ("Create follow-up"): the form and the
// Assistant start in the closed ticket's account and say what they follow.

// applyFollowUp makes the draft a follow-up of the ticket the address
// names and gets that ticket, to take its account. A draft saved as a
// follow-up stays one (until the user removes the link).
func (c *intake) applyFollowUp(ctx app.Context) {
	if c.followUp != 0 && c.draft.FollowUpOf != c.followUp {
		c.set(ctx, "followUpOf", strconv.FormatInt(c.followUp, 10))
	}
	n := c.draft.FollowUpOf
	if n == 0 {
		return
	}
	if c.followTicket.Number == n && c.followTicket.Status != state.Idle {
		c.takeFollowUpAccount(ctx) // known (the user comes from its page) or on its way
		return
	}
	if c.followLoad != n {
		c.followLoad = n
		ctx.NewActionWithValue(state.LoadTicket, n)
	}
}

// takeFollowUpAccount chooses the account of the ticket followed up, once,
// when it is known: a follow-up belongs to the same account. When the
// ticket cannot be loaded the account choice stays as it is.
func (c *intake) takeFollowUpAccount(ctx app.Context) {
	n := c.draft.FollowUpOf
	if c.draftFor == 0 || n == 0 || c.followOrgFor == n || c.followTicket.Number != n {
		return
	}
	if c.followTicket.Status != state.Loaded && c.followTicket.Status != state.Failed {
		return
	}
	c.followOrgFor = n
	if id, ok := c.followUpAccount(); ok && id != c.draft.OrganizationID {
		c.set(ctx, "organizationId", strconv.FormatInt(id, 10))
	}
}

// followUpAccount is the account of the ticket followed up, if known and
// the user may raise the draft's type of ticket there.
func (c *intake) followUpAccount() (int64, bool) {
	ft := c.followTicket
	id := ft.Ticket.Organization.ID
	if c.draft.FollowUpOf == 0 || ft.Number != c.draft.FollowUpOf || ft.Status != state.Loaded || id == 0 {
		return 0, false
	}
	if !containsOrg(c.accountsFor(c.draft.Type), id) {
		return 0, false
	}
	return id, true
}

// onRemoveFollowUp makes the draft an ordinary new ticket.
func (c *intake) onRemoveFollowUp(ctx app.Context, e app.Event) {
	c.followUp = 0
	c.set(ctx, "followUpOf", "0")
	if u := *ctx.Page().URL(); u.Query().Has("followUp") {
		u.RawQuery = ""
		ctx.NavigateTo(&u)
	}
}

// renderFollowUp names the closed ticket the draft follows up. Its
// container is always there, so that the form below keeps its elements.
func (c *intake) renderFollowUp(lang string, problems map[string]string) app.UI {
	n := c.draft.FollowUpOf
	return app.Div().ID("follow-up").Body(
		app.If(n != 0, func() app.UI {
			return app.Div().ID("follow-up-notice").Class("panel follow-up-notice").Body(
				app.Div().Class("follow-up-text").Body(
					app.P().Class("follow-up-title").Body(
						app.A().ID("follow-up-link").Href(ticketHref(n)).Text(t(lang, "FollowUpFormNotice", "Number", n)),
					),
					app.P().Class("muted small").Text(t(lang, "FollowUpFormHint")),
					fieldError(lang, "follow-up", c.visible(problems, "followUpOf")),
				),
				app.Button().ID("follow-up-remove").Type("button").OnClick(c.onRemoveFollowUp).Text(t(lang, "FollowUpRemove")),
			)
		}),
	)
}
