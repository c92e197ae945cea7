package pages

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
)

// ticketFormPage is the one-page ticket form: /tickets/new.
type ticketFormPage struct{ app.Compo }

func newTicketFormPage() *ticketFormPage { return &ticketFormPage{} }

func (p *ticketFormPage) Render() app.UI { return newIntake(state.FlowForm) }
