package pages

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
)

// intake writes a ticket, either step by step (the Support Assistant, one
// URL per step) or on one page (the ticket form). Both read the same
// catalog, check with the same ticket.Validate the server runs, keep the
// draft in browser storage on every change and send it the same way.
type intake struct {
	app.Compo

	Flow string // state.FlowAssistant or state.FlowForm

	ui app.Context // the component's own context (focusIn)

	session  state.Session
	catalog  state.Catalog
	existing state.TicketList
	submit   state.Submit

	draft      state.Draft
	draftFor   int64 // user whose draft is loaded
	step       string
	touched    map[string]bool
	attempted  bool // the user tried to go on: show every problem
	previewing bool // the form shows its preview
	existingOf int64
	files      files // the draft's attachments
	takenBack  bool  // the draft was just taken back from the outbox

	// Record fields: the account's records of each kind (state), the
	// account they were asked for, the filter typed per field and the
	// records chosen (named in the preview whatever the list shows).
	choices      map[ticket.RecordKind]*state.RecordList
	choicesFor   map[ticket.RecordKind]int64
	recordFilter map[string]string
	known        map[string]ticket.Record

	// A follow-up of a closed ticket (/tickets/new?followUp=N): the draft
	// keeps the number in FollowUpOf and takes that ticket's account.
	followUp     int64              // the ticket the address names (the form only)
	followTicket state.TicketDetail // the ticket followed up, to take its account
	followLoad   int64              // follow-up whose ticket was asked for
	followOrgFor int64              // follow-up whose account was taken
}

func newIntake(flow string) *intake {
	c := &intake{Flow: flow,
		choices:      map[ticket.RecordKind]*state.RecordList{},
		choicesFor:   map[ticket.RecordKind]int64{},
		recordFilter: map[string]string{},
		known:        map[string]ticket.Record{},
	}
	for _, k := range ticket.RecordKinds() {
		c.choices[k] = &state.RecordList{}
	}
	c.files.id = "files"
	c.files.changed = func(ctx app.Context) {
		c.draft.Files, c.draft.Held = c.files.stored(), c.files.held()
		c.draft.PrivacyConfirmed = c.files.confirmed
		c.save(ctx)
	}
	return c
}

// Steps of the assistant, in order.
const (
	stepType     = "type"
	stepAccount  = "account"
	stepCategory = "category"
	stepDetails  = "details"
	stepFiles    = "files"
	stepPreview  = "preview"
)

// stepFields are the draft fields each step asks for.
var stepFields = map[string][]string{
	stepType:     {"type"},
	stepAccount:  {"organizationId"},
	stepCategory: {"category", "existingTicket"},
	stepDetails:  {"subject", "description", "fields."},
	stepFiles:    {"attachments"},
}

func (c *intake) OnPreRender(ctx app.Context) {
	c.session.Lang = sessionLang(ctx, c.session)
}

func (c *intake) OnNav(ctx app.Context) {
	step := strings.TrimPrefix(strings.TrimPrefix(ctx.Page().URL().Path, "/assistant"), "/")
	if c.Flow == state.FlowAssistant && c.step != "" && step != c.step {
		focusStart(ctx, "assistant") // a new step: go on where it starts
	}
	c.step = step
	c.attempted = c.refused() // the server's messages stay shown
	c.followUp = 0
	if c.Flow == state.FlowForm {
		if n, err := strconv.ParseInt(ctx.Page().URL().Query().Get("followUp"), 10, 64); err == nil && n > 0 {
			c.followUp = n
		}
	}
	if c.draftFor != 0 {
		c.applyFollowUp(ctx)
		c.settle(ctx)
	}
}

func (c *intake) OnMount(ctx app.Context) {
	c.ui = ctx
	c.files.owner = &ctx
	c.touched = map[string]bool{}
	ctx.ObserveState(state.CatalogState, &c.catalog).OnChange(func() { c.settle(ctx) })
	ctx.ObserveState(state.ExistingState, &c.existing)
	ctx.ObserveState(state.SubmitState, &c.submit).OnChange(func() { c.submitted(ctx) })
	ctx.ObserveState(state.TicketState, &c.followTicket).OnChange(func() { c.takeFollowUpAccount(ctx) })
	c.observeChoices(ctx)
	observeSession(ctx, &c.session, c.sessionChanged)
}

func (c *intake) sessionChanged(ctx app.Context) {
	if !c.session.LoggedIn {
		return
	}
	if c.draftFor == c.session.User.ID {
		c.settle(ctx) // the account of the top bar may have changed
		return
	}
	c.draftFor = c.session.User.ID
	c.draft = state.LoadDraft(ctx, c.session.User.ID, c.Flow)
	c.takenBack = state.TakenBack(c.draft.Key)
	c.files.restore(c.draft.Files, c.draft.Held, c.draft.PrivacyConfirmed)
	if c.catalog.Status != state.Loaded && c.catalog.Status != state.Loading {
		ctx.NewAction(state.LoadCatalog)
	}
	if c.refused() {
		// A draft taken back from the outbox: the server's messages
		// stay on its fields, for the user to fix what they say.
		c.attempted = true
	} else {
		ctx.SetState(state.SubmitState, state.Submit{})
	}
	c.applyFollowUp(ctx)
	c.settle(ctx)
}

// settle fills what follows from the catalog (the only account a type may
// be used in), loads the account's open tickets and keeps the assistant on
// a step it may be on.
func (c *intake) settle(ctx app.Context) {
	if c.catalog.Status != state.Loaded || c.draftFor == 0 {
		return
	}
	orgs := c.accountsFor(c.draft.Type)
	switch {
	case len(orgs) == 1 && c.draft.OrganizationID != orgs[0].ID:
		c.draft.OrganizationID = orgs[0].ID
		c.save(ctx)
	case !c.draft.AccountChosen && c.draft.FollowUpOf == 0 && c.draft.OrganizationID != c.session.Account && containsOrg(orgs, c.session.Account):
		// Until the user chooses, the draft is for the account they work
		// in (the top bar says so), also after they switch it.
		c.set(ctx, "organizationId", strconv.FormatInt(c.session.Account, 10))
		return // set settled the rest
	}
	if c.draft.OrganizationID != 0 && c.existingOf != c.draft.OrganizationID {
		c.existingOf = c.draft.OrganizationID
		ctx.NewActionWithValue(state.LoadExisting, state.TicketQuery{OrganizationID: c.draft.OrganizationID, Open: "true"})
	}
	c.loadChoices(ctx)
	if c.Flow != state.FlowAssistant {
		return
	}
	steps := c.steps()
	if c.step == "" {
		c.goTo(ctx, c.draft.Step)
		return
	}
	// A step is reachable when every step before it is complete.
	for _, s := range steps {
		if s == c.step {
			break
		}
		if len(c.stepProblems(s)) > 0 {
			c.goTo(ctx, s)
			return
		}
	}
	if !contains(steps, c.step) {
		c.goTo(ctx, steps[0])
	}
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

func (c *intake) goTo(ctx app.Context, step string) {
	if !contains(c.steps(), step) {
		step = stepType
	}
	if c.draft.Step != step {
		c.draft.Step = step
		c.save(ctx)
	}
	ctx.Navigate("/assistant/" + step)
}

// steps are the assistant's steps for the draft as it is.
func (c *intake) steps() []string {
	steps := []string{stepType}
	if len(c.accountsFor(c.draft.Type)) > 1 {
		steps = append(steps, stepAccount)
	}
	// The category step also offers the account's open tickets.
	return append(steps, stepCategory, stepDetails, stepFiles, stepPreview)
}

// accountsFor returns the accounts the user may raise a ticket of type in
// (every account while no type is chosen).
func (c *intake) accountsFor(typ string) []ticket.Organization {
	may := map[int64]bool{}
	for _, ct := range c.catalog.Types {
		if ct.ID == typ || typ == "" {
			// No type chosen yet: the accounts some type may be filed in
			// (not those the user may only read).
			for _, id := range ct.OrganizationIDs {
				may[id] = true
			}
		}
	}
	var out []ticket.Organization
	for _, o := range c.session.Accounts() {
		if may[o.ID] {
			out = append(out, o)
		}
	}
	return out
}

// openTickets are the open tickets of the draft's account.
func (c *intake) openTickets() []ticket.TicketView {
	if c.draft.OrganizationID == 0 || c.existing.Query.OrganizationID != c.draft.OrganizationID {
		return nil
	}
	return c.existing.Tickets
}

// problems are the draft's problems by field, as ticket.Validate (the
// server's check) sees them, plus what the server said about the last send.
func (c *intake) problems() map[string]string {
	out := map[string]string{}
	d := c.draft.Draft
	// The files uploaded or held (sent before the ticket) count as sent:
	// the evidence rule sees them.
	d.Attachments = c.files.ids()
	for _, h := range c.files.held() {
		d.Attachments = append(d.Attachments, h.ID)
	}
	if d.OrganizationID == 0 {
		out["organizationId"] = "ErrAccountRequired"
		if orgs := c.accountsFor(d.Type); len(orgs) > 0 {
			d.OrganizationID = orgs[0].ID // check the rest as if chosen
		}
	}
	switch err := ticket.Validate(c.catalog.Ticket(), c.session.Viewer(), d).(type) {
	case nil:
	case *ticket.ValidationError:
		for _, f := range err.Fields {
			out[f.Field] = f.MessageID
		}
	case *ticket.Error:
		out[err.Field] = err.MessageID
	}
	if c.files.busy() {
		out["attachments"] = "ErrUploadsPending"
	}
	if c.submit.Status == state.Failed {
		for _, f := range c.submit.Fields {
			if _, ok := out[f.Field]; !ok {
				out[f.Field] = f.MessageID
			}
		}
	}
	return out
}

// stepProblems are the problems of the fields step asks for.
func (c *intake) stepProblems(step string) map[string]string {
	out := map[string]string{}
	for field, id := range c.problems() {
		if e := c.evidence(); e != nil && field == ticket.FieldKey(e.Alternative) {
			// The evidence's alternative is asked with the files.
			if step == stepFiles {
				out[field] = id
			}
			continue
		}
		for _, f := range stepFields[step] {
			if field == f || (strings.HasSuffix(f, ".") && strings.HasPrefix(field, f)) {
				out[field] = id
			}
		}
	}
	return out
}

// save writes the draft to browser storage now (not once the session has
// ended: logout has removed the user's drafts from this browser).
func (c *intake) save(ctx app.Context) {
	if c.draftFor != 0 && c.session.LoggedIn {
		state.SaveDraft(ctx, c.draftFor, c.draft)
	}
}

// set changes one field of the draft, remembers the user touched it and
// saves the draft.
func (c *intake) set(ctx app.Context, field, value string) {
	d := &c.draft
	switch field {
	case "type":
		if d.Type != value {
			d.Type, d.Category = value, ""
			if !containsOrg(c.accountsFor(value), d.OrganizationID) {
				d.OrganizationID = 0
			}
			c.keepCategoryFields()
		}
	case "organizationId":
		id, _ := strconv.ParseInt(value, 10, 64)
		if d.OrganizationID != id {
			d.OrganizationID, d.ExistingTicket = id, 0
			// Files are confirmed for one account (its privacy regime).
			c.files.clear(ctx, true)
			// Records belong to one account too.
			c.clearRecordFields()
		}
	case "category":
		d.Category = value
		c.keepCategoryFields()
	case "existingTicket":
		d.ExistingTicket, _ = strconv.ParseInt(value, 10, 64)
	case "followUpOf":
		d.FollowUpOf, _ = strconv.ParseInt(value, 10, 64)
		if d.FollowUpOf != 0 {
			d.ExistingTicket = 0 // a follow-up is a new ticket
		}
	case "subject":
		d.Subject = value
	case "description":
		d.Description = value
	default:
		if name, ok := strings.CutPrefix(field, "fields."); ok {
			if d.Fields == nil {
				d.Fields = map[string]string{}
			}
			d.Fields[name] = value
		}
	}
	c.touched[field] = true
	if c.submit.Status == state.Failed && c.submit.Flow == c.Flow {
		// Changed after a failed send: it is a new request, not a retry
		// (a retry of the same text keeps its key and can never duplicate).
		c.draft.Key = state.NewKey()
		c.submit.Status = state.Idle
	}
	c.save(ctx)
	c.settle(ctx)
}

func containsOrg(orgs []ticket.Organization, id int64) bool {
	for _, o := range orgs {
		if o.ID == id {
			return true
		}
	}
	return false
}

// onField copies an input's value into the draft field it names
// (data-field). Radio buttons carry their value in data-value. The handler
// reads both from the element: go-app keeps the first handler of an element
// that re-renders as another input, so a handler must not capture either.
func (c *intake) onField(ctx app.Context, e app.Event) {
	el := ctx.JSSrc()
	field := el.Get("dataset").Get("field").String()
	value := el.Get("value").String()
	if v := el.Get("dataset").Get("value"); v.Truthy() {
		value = v.String()
	}
	// The first option of a select is "please choose": go-app writes no
	// empty value attribute, so the browser would report its label.
	if el.Get("tagName").String() == "SELECT" && el.Get("selectedIndex").Int() <= 0 {
		value = ""
	}
	if field == "organizationId" {
		c.draft.AccountChosen = true
	}
	c.set(ctx, field, value)
}

func (c *intake) onNext(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if len(c.stepProblems(c.step)) > 0 {
		c.attempted = true
		focusProblem(c.ui, "assistant")
		return
	}
	steps := c.steps()
	for i, s := range steps {
		if s == c.step && i+1 < len(steps) {
			c.attempted = false
			c.goTo(ctx, steps[i+1])
			return
		}
	}
}

func (c *intake) onBack(ctx app.Context, e app.Event) {
	steps := c.steps()
	for i, s := range steps {
		if s == c.step && i > 0 {
			c.goTo(ctx, steps[i-1])
			return
		}
	}
}

func (c *intake) onPreview(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if len(c.problems()) > 0 {
		c.attempted = true
		focusProblem(c.ui, "ticket-form")
		return
	}
	c.previewing = true
	focusIn(c.ui, "ticket-form-preview", "#preview-title")
}

func (c *intake) onEdit(ctx app.Context, e app.Event) {
	c.previewing = false
	focusStart(c.ui, "ticket-form")
}

func (c *intake) onSend(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if c.submit.Status == state.Loading {
		return
	}
	if len(c.problems()) > 0 {
		c.attempted = true
		c.previewing = false
		c.focusProblem()
		return
	}
	d := c.draft
	d.Attachments = c.files.ids()
	cat, _ := c.category()
	d.Fields = sentFields(cat.Fields, d.Fields)
	ctx.NewActionWithValue(state.SubmitDraft, d)
}

// submitted follows the send: on success the success page, on failure the
// draft stays as it is with the errors shown.
func (c *intake) submitted(ctx app.Context) {
	if c.submit.Flow != c.Flow {
		return
	}
	switch c.submit.Status {
	case state.Loaded:
		c.draftFor = 0
		href := "/tickets/sent?ticket=" + strconv.FormatInt(c.submit.Ticket.Number, 10)
		if c.submit.Message != nil {
			href += "&added=1"
		}
		ctx.Navigate(href)
	case state.Queued:
		// The outbox sends it when the server is back; the draft went there.
		c.draftFor = 0
		ctx.Navigate(PathOutbox + "?queued=" + url.QueryEscape(c.submit.Queued))
	case state.Failed:
		c.attempted = true
		c.previewing = false
		if c.Flow == state.FlowAssistant && len(c.submit.Fields) > 0 {
			for _, s := range c.steps() {
				if len(c.stepProblems(s)) > 0 {
					c.goTo(ctx, s)
					focusProblem(c.ui, "assistant")
					return
				}
			}
		}
		c.focusProblem()
	}
}

// refused reports whether the server refused this flow's draft with
// messages on its fields.
func (c *intake) refused() bool {
	return c.submit.Status == state.Failed && c.submit.Flow == c.Flow && len(c.submit.Fields) > 0
}

// focusProblem shows the user what stops the send: the first field in
// error, or the error message of the form.
func (c *intake) focusProblem() {
	if c.Flow == state.FlowAssistant {
		focusProblem(c.ui, "assistant")
		return
	}
	focusProblem(c.ui, "ticket-form")
}

// visible returns the problem to show at field: after the user touched it
// or tried to go on.
func (c *intake) visible(problems map[string]string, field string) string {
	if c.attempted || c.touched[field] {
		return problems[field]
	}
	return ""
}

func (c *intake) Render() app.UI {
	lang := c.session.Lang
	title := "FormTitle"
	if c.Flow == state.FlowAssistant {
		title = "SupportAssistant"
	}
	shell := newShell().WithTitle(title).WithSession(c.session)
	switch {
	case c.catalog.Status == state.Failed:
		return shell.Body(errorBox(lang, c.catalog.Err))
	case c.catalog.Status != state.Loaded || c.draftFor == 0:
		return shell.Body(loading(lang))
	case len(c.catalog.Types) == 0:
		return shell.Body(app.P().ID("no-types").Class("panel").Text(t(lang, "NoTicketTypes")))
	}
	problems := c.problems()
	if c.Flow == state.FlowAssistant {
		return shell.Body(takenBackNotice(lang, c.takenBack), c.renderFollowUp(lang, problems), c.renderAssistant(lang, problems))
	}
	return shell.Body(takenBackNotice(lang, c.takenBack), c.renderFollowUp(lang, problems), c.renderForm(lang, problems))
}

// keepCategoryFields drops the values of fields the draft's category does
// not have (another category's, hidden and refused by the check).
func (c *intake) keepCategoryFields() {
	cat, ok := c.category()
	for name := range c.draft.Fields {
		if _, known := cat.Field(name); !ok || !known {
			delete(c.draft.Fields, name)
		}
	}
}

// clearRecordFields empties the draft's record fields (the account changed).
func (c *intake) clearRecordFields() {
	cat, _ := c.category()
	for _, f := range cat.Fields {
		if f.Kind == ticket.KindRecord {
			delete(c.draft.Fields, f.ID)
		}
	}
}

// sentFields are the fields as sent: rows values without the rows left
// blank, empty values left out.
func sentFields(specs []ticket.Field, fields map[string]string) map[string]string {
	out := make(map[string]string, len(fields))
	for k, v := range fields {
		if strings.TrimSpace(v) == "" {
			continue
		}
		if f, ok := specByID(specs, k); ok && f.Kind == ticket.KindRows {
			rows, err := ticket.Rows(v)
			if err == nil && len(rows) == 0 {
				continue
			}
			if err == nil {
				v = rowsValue(rows)
			}
		}
		out[k] = v
	}
	return out
}

func specByID(specs []ticket.Field, id string) (ticket.Field, bool) {
	for _, f := range specs {
		if f.ID == id {
			return f, true
		}
	}
	return ticket.Field{}, false
}

// draftSavedID says where a draft is kept: until it is sent or the user
// logs out; in a host's frame (no logging out there) until it is sent or
// a shared screen's session ends.
func draftSavedID() string {
	if state.Embedded() {
		return "DraftSavedEmbed"
	}
	return "DraftSaved"
}
