package state

import (
	"context"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/ticket"
)

// AccountSettingsState holds a customer account's vendor and member
// settings, as its admins manage them.
const AccountSettingsState = "accountSettings"

// Actions of the account settings.
const (
	LoadAccountSettings = "/settings/load"   // value: the organization id
	SetVendorAccess     = "/settings/vendor" // value: VendorAccessInput
	SetMemberAccess     = "/settings/member" // value: MemberAccessInput
)

// Member is a user of an account with their ticket access.
type Member struct {
	User         ticket.UserRef `json:"user"`
	Email        string         `json:"email"`
	Role         ticket.Role    `json:"role"`
	TicketAccess bool           `json:"ticketAccess"`
}

// AccountSettings is the state of an account's settings page.
type AccountSettings struct {
	Status  Load
	OrgID   int64
	Vendors []ticket.VendorAccount
	Members []Member
	Err     *Error // the last change's error (a vendor-paid access, …)
	Saved   bool   // the last change was saved
}

// VendorAccessInput sets a vendor's access to an account's tickets.
type VendorAccessInput struct {
	OrgID, VendorID int64
	Access          ticket.Access
}

// MemberAccessInput grants or revokes a member's ticket access.
type MemberAccessInput struct {
	OrgID, UserID int64
	TicketAccess  bool
}

func init() {
	app.Handle(LoadAccountSettings, handleLoadAccountSettings)
	app.Handle(SetVendorAccess, handleSetVendorAccess)
	app.Handle(SetMemberAccess, handleSetMemberAccess)
}

func orgPath(orgID int64) string { return "/api/v1/organizations/" + strconv.FormatInt(orgID, 10) }

func handleLoadAccountSettings(ctx app.Context, a app.Action) {
	orgID, _ := a.Value.(int64)
	ctx.SetState(AccountSettingsState, AccountSettings{Status: Loading, OrgID: orgID})
	var vs struct {
		Vendors []ticket.VendorAccount `json:"vendors"`
	}
	var ms struct {
		Members []Member `json:"members"`
	}
	err := call(context.Background(), "GET", orgPath(orgID)+"/vendors", nil, &vs)
	if err == nil {
		err = call(context.Background(), "GET", orgPath(orgID)+"/members", nil, &ms)
	}
	if err != nil {
		expired(ctx, err)
		ctx.SetState(AccountSettingsState, AccountSettings{Status: Failed, OrgID: orgID, Err: err})
		return
	}
	ctx.SetState(AccountSettingsState, AccountSettings{Status: Loaded, OrgID: orgID, Vendors: vs.Vendors, Members: ms.Members})
}

// change sends one change of the settings; the answer is the new list.
func change(ctx app.Context, orgID int64, path string, body any) {
	var cur AccountSettings
	ctx.GetState(AccountSettingsState, &cur)
	var vs struct {
		Vendors []ticket.VendorAccount `json:"vendors"`
		Members []Member               `json:"members"`
	}
	err := call(context.Background(), "PUT", orgPath(orgID)+path, body, &vs)
	next := cur
	next.Err, next.Saved = err, err == nil
	if err != nil {
		expired(ctx, err)
	} else {
		if vs.Vendors != nil {
			next.Vendors = vs.Vendors
		}
		if vs.Members != nil {
			next.Members = vs.Members
		}
	}
	ctx.SetState(AccountSettingsState, next)
}

func handleSetVendorAccess(ctx app.Context, a app.Action) {
	in, _ := a.Value.(VendorAccessInput)
	change(ctx, in.OrgID, "/vendors/"+strconv.FormatInt(in.VendorID, 10), map[string]string{"access": string(in.Access)})
}

func handleSetMemberAccess(ctx app.Context, a app.Action) {
	in, _ := a.Value.(MemberAccessInput)
	change(ctx, in.OrgID, "/members/"+strconv.FormatInt(in.UserID, 10), map[string]bool{"ticketAccess": in.TicketAccess})
}
