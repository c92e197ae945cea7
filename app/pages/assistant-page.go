package pages

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
)

// assistantPage is the Support Assistant: /assistant/{step}.
type assistantPage struct{ app.Compo }

func newAssistantPage() *assistantPage { return &assistantPage{} }

func (p *assistantPage) Render() app.UI { return newIntake(state.FlowAssistant) }
