package pages

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
)

// accountSettingsPage (Settings → Account settings) lets a customer
// account's admins set what each vendor may see and which members may see
// the account's tickets. Changes apply at once.
type accountSettingsPage struct {
	app.Compo
	session  state.Session
	settings state.AccountSettings
}

func newAccountSettingsPage() *accountSettingsPage { return &accountSettingsPage{} }

func (p *accountSettingsPage) OnPreRender(ctx app.Context) {
	p.session.Lang = sessionLang(ctx, p.session)
}

func (p *accountSettingsPage) OnMount(ctx app.Context) {
	ctx.ObserveState(state.AccountSettingsState, &p.settings)
	observeSession(ctx, &p.session, p.load)
}

func (p *accountSettingsPage) load(ctx app.Context) {
	if p.session.LoggedIn && p.session.Viewer().IsAdmin(p.session.Account) &&
		(p.settings.OrgID != p.session.Account || p.settings.Status == state.Idle) {
		ctx.NewActionWithValue(state.LoadAccountSettings, p.session.Account)
	}
}

func (p *accountSettingsPage) onVendor(ctx app.Context, e app.Event) {
	id, err := strconv.ParseInt(ctx.JSSrc().Get("dataset").Get("vendor").String(), 10, 64)
	if err != nil {
		return
	}
	ctx.NewActionWithValue(state.SetVendorAccess, state.VendorAccessInput{OrgID: p.settings.OrgID, VendorID: id,
		Access: ticket.Access(ctx.JSSrc().Get("value").String())})
}

func (p *accountSettingsPage) onMember(ctx app.Context, e app.Event) {
	id, err := strconv.ParseInt(ctx.JSSrc().Get("dataset").Get("user").String(), 10, 64)
	if err != nil {
		return
	}
	ctx.NewActionWithValue(state.SetMemberAccess, state.MemberAccessInput{OrgID: p.settings.OrgID, UserID: id,
		TicketAccess: ctx.JSSrc().Get("checked").Bool()})
}

func (p *accountSettingsPage) Render() app.UI {
	lang := p.session.Lang
	shell := newShell().WithTitle("AccountSettings").WithSession(p.session)
	if !p.session.Viewer().IsAdmin(p.session.Account) {
		return shell.Body(errorBox(lang, ticket.ErrForbidden))
	}
	st := p.settings
	switch {
	case st.Status == state.Failed && st.Vendors == nil:
		return shell.Body(errorBox(lang, st.Err))
	case st.Status != state.Loaded:
		return shell.Body(loading(lang))
	}
	levels := []ticket.Access{ticket.AccessNone, ticket.AccessRead, ticket.AccessFull}
	return shell.Body(
		app.Section().ID("vendor-settings").Class("panel").Aria("labelledby", "vendor-settings-heading").Body(
			app.H2().ID("vendor-settings-heading").Text(t(lang, "VendorSettings")),
			app.P().Class("muted").Text(t(lang, "VendorSettingsIntro")),
			app.If(len(st.Vendors) == 0, func() app.UI { return app.P().Text(t(lang, "NoVendors")) }),
			app.Range(st.Vendors).Slice(func(i int) app.UI {
				v := st.Vendors[i]
				id := strconv.FormatInt(v.Vendor.ID, 10)
				note := "vendor-note-" + id
				return app.Div().Class("field").Body(
					app.Label().For("vendor-access-"+id).Text(t(lang, "VendorAccessFor", "Vendor", v.Vendor.Name+" ("+v.Vendor.AccountNumber+")")),
					app.Select().ID("vendor-access-"+id).DataSet("vendor", id).Disabled(v.VendorPaid).
						Aria("describedby", note).OnChange(p.onVendor).Body(
						app.Range(levels).Slice(func(j int) app.UI {
							return app.Option().Value(string(levels[j])).Selected(v.Effective() == levels[j]).Text(t(lang, "Access_"+string(levels[j])))
						}),
					),
					app.P().ID(note).Class("help").Text(map[bool]string{true: t(lang, "VendorPaidNote", "Vendor", v.Vendor.Name)}[v.VendorPaid]),
				)
			}),
		),
		app.Section().ID("member-settings").Class("panel").Aria("labelledby", "member-settings-heading").Body(
			app.H2().ID("member-settings-heading").Text(t(lang, "MemberAccess")),
			app.Ul().Class("plain-list").Body(app.Range(st.Members).Slice(func(i int) app.UI {
				m := st.Members[i]
				id := strconv.FormatInt(m.User.ID, 10)
				self := m.User.ID == p.session.User.ID
				label := t(lang, "TicketAccessFor", "Name", m.User.Name)
				if self {
					label += " " + t(lang, "YouLabel")
				}
				return app.Li().Body(app.Label().For("member-access-"+id).Class("check").Body(
					app.Input().Type("checkbox").ID("member-access-"+id).DataSet("user", id).Checked(m.TicketAccess).
						Disabled(self).OnChange(p.onMember),
					app.Span().Text(label),
				))
			})),
		),
		app.P().ID("settings-status").Role("status").Body(
			app.If(st.Saved, func() app.UI { return app.Text(t(lang, "Saved")) }),
		),
		errorBox(lang, st.Err),
	)
}
