package state

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
)

// State names.
const (
	CatalogState  = "catalog"  // the ticket types the user may use
	ExistingState = "existing" // open tickets of the draft's account (new problem or existing ticket)
	SubmitState   = "submit"   // the last send of a draft
)

// Action names.
const (
	LoadCatalog  = "/catalog/load"
	LoadExisting = "/draft/existing"
	SubmitDraft  = "/draft/submit"
)

// Flows a draft can be written in.
const (
	FlowAssistant = "assistant"
	FlowForm      = "form"
)

// CatalogType is a ticket type with the accounts the user may use it in.
type CatalogType = ticket.CatalogType

// Catalog is the part of the ticket catalog the user may use; Others are
// the catalog's other types, to show tickets of them.
type Catalog struct {
	Status      Load
	Types       []CatalogType
	Others      []ticket.Type
	Attachments AttachmentLimits
	Err         *Error
}

// Ticket returns the catalog for ticket.Validate.
func (c Catalog) Ticket() ticket.Catalog {
	out := ticket.Catalog{}
	for _, t := range c.Types {
		out.Types = append(out.Types, t.Type)
	}
	return out
}

// Known returns the catalogs that name the types of tickets the user
// sees, in the order to ask them: the types the user may use, the other
// types of the server's catalog, the built-in catalog.
func (c Catalog) Known() []ticket.Catalog {
	return []ticket.Catalog{c.Ticket(), {Types: c.Others}, ticket.DefaultCatalog}
}

// Type returns the type with id.
func (c Catalog) Type(id string) (CatalogType, bool) {
	for _, t := range c.Types {
		if t.ID == id {
			return t, true
		}
	}
	return CatalogType{}, false
}

// Draft is a ticket being written, kept in browser storage (per user and
// flow) on every change, so nothing typed is ever lost.
type Draft struct {
	ticket.Draft
	// Files are the draft's uploaded files (their ids are sent as
	// Attachments); PrivacyConfirmed records that the user confirmed, in
	// this draft, that its files hold no protected health information.
	Files            []ticket.Attachment `json:"files,omitempty"`
	PrivacyConfirmed bool                `json:"privacyConfirmed,omitempty"`
	// Held: files attached while the server could not be reached, kept
	// in the browser and uploaded when the draft is sent.
	Held []HeldFile `json:"held,omitempty"`
	// AccountChosen: the user chose the account. Until then the draft
	// follows the account of the top bar.
	AccountChosen bool      `json:"accountChosen,omitempty"`
	Flow          string    `json:"flow"`
	Step          string    `json:"step,omitempty"` // the assistant's step
	Key           string    `json:"key"`            // Idempotency-Key of its send
	Updated       time.Time `json:"updated"`
}

// Submit is the outcome of the last send.
type Submit struct {
	Status  Load
	Flow    string
	Ticket  ticket.TicketView
	Message *ticket.MessageView
	Err     *Error
	Fields  []ticket.FieldError // the server's validation errors
	// Queued: the id of the outbox item the send became (Status Queued).
	Queued string
}

func init() {
	app.Handle(LoadCatalog, handleLoadCatalog)
	app.Handle(LoadExisting, func(ctx app.Context, a app.Action) { loadList(ctx, a, ExistingState, false) })
	app.Handle(SubmitDraft, handleSubmitDraft)
}

func draftKey(userID int64, flow string) string {
	return userKey("draft", userID) + flow
}

// NewKey returns a fresh Idempotency-Key.
func NewKey() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// LoadDraft returns the user's saved draft of flow, or a new one.
func LoadDraft(ctx app.Context, userID int64, flow string) Draft {
	var d Draft
	drafts.get(ctx, draftKey(userID, flow), &d)
	if d.Key == "" {
		d = Draft{Flow: flow, Key: NewKey()}
	}
	if d.Fields == nil {
		d.Fields = map[string]string{}
	}
	d.Flow = flow
	return d
}

// SaveDraft writes d to browser storage at once, on the calling (UI)
// goroutine, so keystrokes are stored in order.
func SaveDraft(ctx app.Context, userID int64, d Draft) {
	d.Updated = time.Now().UTC()
	drafts.set(ctx, draftKey(userID, d.Flow), d)
}

// DiscardDraft forgets the user's draft of flow.
func DiscardDraft(ctx app.Context, userID int64, flow string) {
	drafts.set(ctx, draftKey(userID, flow), nil)
}

func handleLoadCatalog(ctx app.Context, a app.Action) {
	ctx.SetState(CatalogState, Catalog{Status: Loading})
	var res ticket.CatalogAnswer
	s := CurrentSession(ctx)
	err := call(context.Background(), "GET", "/api/v1/catalog", nil, &res)
	switch {
	case err == nil:
		keepCatalog(s, res)
	case err == errOffline:
		// Offline: the catalog kept at the last visit lets the user write.
		kept, ok := keptCatalogOf(s)
		if !ok {
			ctx.SetState(CatalogState, Catalog{Status: Failed, Err: err})
			return
		}
		res = kept
	default:
		expired(ctx, err)
		ctx.SetState(CatalogState, Catalog{Status: Failed, Err: err})
		return
	}
	c := ticket.Catalog{}
	for _, t := range res.Types {
		c.Types = append(c.Types, t.Type)
	}
	if len(c.Types) > 0 && c.Check() == nil {
		for i := range res.Types {
			res.Types[i].Type = c.Types[i] // with compiled patterns
		}
	}
	ctx.SetState(CatalogState, Catalog{Status: Loaded, Types: res.Types, Others: res.Others, Attachments: res.Attachments})
}

// handleSubmitDraft sends a draft (value Draft) once: a retry carries the
// same Idempotency-Key, so the server never creates two tickets. The draft
// is discarded only once the server has the ticket.
func handleSubmitDraft(ctx app.Context, a app.Action) {
	d, _ := a.Value.(Draft)
	s := CurrentSession(ctx)
	gen := sessionGen.Load()
	ctx.SetState(SubmitState, Submit{Status: Loading, Flow: d.Flow})
	var res struct {
		Ticket  ticket.TicketView   `json:"ticket"`
		Message *ticket.MessageView `json:"message"`
	}
	// Files attached offline go up first.
	uploaded, err := d.sendHeld(s, gen)
	status, body := heldOutcome(err)
	if err == nil && sessionGen.Load() == gen {
		status, body, err = send(context.Background(), "POST", "/api/v1/tickets", d.Draft, map[string]string{"Idempotency-Key": d.Key}, &res)
	}
	if sessionGen.Load() != gen {
		// The user logged out (or another logged in) meanwhile: nothing
		// of the send is kept, shown or queued for them.
		return
	}
	if err != nil && passing(status) && s.LoggedIn {
		// The server cannot take it now: the outbox sends it later, with
		// the same key.
		if queueFailed(ctx, s, OutboxItem{ID: d.Key, Kind: OutboxTicket, Draft: &d}, outcomeOf(status, body, err)) {
			ForgetHeld(s, uploaded) // the item has their uploads
			ctx.Dispatch(func(ctx app.Context) { DiscardDraft(ctx, s.User.ID, d.Flow) })
			ctx.SetState(SubmitState, Submit{Status: Queued, Flow: d.Flow, Queued: d.Key})
			return
		}
		err = errNoOutbox
	}
	if err != nil {
		expired(ctx, err) // the draft stays in storage for after the login
		out := Submit{Status: Failed, Flow: d.Flow, Err: err}
		if status == 422 {
			out.Fields = body.Fields
		}
		ctx.SetState(SubmitState, out)
		return
	}
	ForgetHeld(s, uploaded)
	ctx.Dispatch(func(ctx app.Context) { DiscardDraft(ctx, s.User.ID, d.Flow) })
	ctx.SetState(SubmitState, Submit{Status: Loaded, Flow: d.Flow, Ticket: res.Ticket, Message: res.Message})
	if res.Message == nil { // a new ticket, not a follow-up added to one
		notifyHost(map[string]any{"type": "ticket-created", "number": res.Ticket.Number})
	}
	// Filed from a record's Get Help: its life record shows the ticket.
	var record RecordDetail
	ctx.GetState(RecordState, &record)
	if record.ID != 0 && slices.Contains(d.Links, record.ID) {
		ctx.NewActionWithValue(LoadRecord, record.ID)
	}
	// The new ticket shows in the navigation and on the dashboard.
	ctx.NewActionWithValue(LoadOpen, TicketQuery{OrganizationID: s.Account, Open: "true"})
	ctx.NewActionWithValue(LoadCounts, TicketQuery{OrganizationID: s.Account})
}
