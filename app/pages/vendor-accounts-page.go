package pages

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
)

// vendorAccountsPage ("Manage accounts") lists a vendor user's customer
// accounts with the access each customer gave, and switches into one.
type vendorAccountsPage struct {
	app.Compo
	session state.Session
	search  string // what the user typed to find an account (seed 003: "busque y seleccione su cuenta")
}

func newVendorAccountsPage() *vendorAccountsPage { return &vendorAccountsPage{} }

func (p *vendorAccountsPage) OnPreRender(ctx app.Context) {
	p.session.Lang = sessionLang(ctx, p.session)
}

func (p *vendorAccountsPage) OnMount(ctx app.Context) {
	observeSession(ctx, &p.session, func(app.Context) {})
}

func (p *vendorAccountsPage) onSwitch(ctx app.Context, e app.Event) {
	id, err := strconv.ParseInt(ctx.JSSrc().Get("dataset").Get("org").String(), 10, 64)
	if err != nil {
		return
	}
	ctx.NewActionWithValue(state.SwitchAccount, id)
	ctx.Navigate("/")
}

func (p *vendorAccountsPage) onSearch(ctx app.Context, e app.Event) {
	p.search = ctx.JSSrc().Get("value").String()
}

func (p *vendorAccountsPage) Render() app.UI {
	lang := p.session.Lang
	all := p.session.VendorAccounts
	var accounts []ticket.VendorAccount
	for _, a := range all {
		if ticket.Matches(a.Organization.Name+" "+a.Organization.AccountNumber, p.search) {
			accounts = append(accounts, a)
		}
	}
	if p.session.LoggedIn && p.session.VendorOrg() == 0 {
		// Only vendors' users have customer accounts to manage.
		return newShell().WithTitle("ManageAccounts").WithSession(p.session).Body(errorBox(lang, ticket.ErrForbidden))
	}
	return newShell().WithTitle("ManageAccounts").WithSession(p.session).Body(
		app.Div().Class("panel").Body(
			app.P().Class("muted").Text(t(lang, "ManageAccountsIntro")),
			app.If(len(all) > 0, func() app.UI {
				return app.Div().Class("field search").Body(
					app.Label().For("vendor-accounts-search").Text(t(lang, "SearchAccounts")),
					app.Input().ID("vendor-accounts-search").Type("search").Value(typed("vendor-accounts-search", p.search)).
						Attr("autocomplete", "off").Aria("controls", "vendor-accounts").OnInput(p.onSearch),
				)
			}),
			app.If(len(all) == 0, func() app.UI {
				return app.P().ID("no-vendor-accounts").Text(t(lang, "NoVendorAccounts"))
			}).ElseIf(len(accounts) == 0, func() app.UI {
				return app.P().ID("no-vendor-accounts").Role("status").Text(t(lang, "NoAccountMatches", "Query", ticket.Isolate(p.search)))
			}).Else(func() app.UI {
				return app.Table().ID("vendor-accounts").Class("settings-table").Body(
					app.THead().Body(app.Tr().Body(
						app.Th().Scope("col").Text(t(lang, "ColAccount")),
						app.Th().Scope("col").Text(t(lang, "ColAccess")),
						app.Th().Scope("col").Body(app.Span().Class("visually-hidden").Text(t(lang, "SwitchToAccount"))),
					)),
					app.TBody().Body(app.Range(accounts).Slice(func(i int) app.UI {
						a := accounts[i]
						id := strconv.FormatInt(a.Organization.ID, 10)
						return app.Tr().ID("vendor-account-"+id).Body(
							app.Td().Text(t(lang, "AccountOption", "Name", a.Organization.Name, "Number", a.Organization.AccountNumber)),
							app.Td().Body(
								app.Text(t(lang, "Access_"+string(a.Effective()))),
								app.If(a.VendorPaid, func() app.UI {
									return app.P().Class("muted small").Text(t(lang, "VendorPaidNote", "Vendor", a.Vendor.Name))
								}),
							),
							app.Td().Body(app.If(a.Effective() != ticket.AccessNone, func() app.UI {
								return app.Button().ID("switch-"+id).Type("button").DataSet("org", id).OnClick(p.onSwitch).Text(t(lang, "SwitchToAccount"))
							})),
						)
					})),
				)
			}),
		),
	)
}
