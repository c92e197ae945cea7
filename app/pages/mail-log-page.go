package pages

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/supportal/supportal/app/state"
	"github.com/supportal/supportal/app/ticket"
)

// mailLogPage (agents, on a demo server without a mail server) lists the
// mails the portal wrote, newest first, as their readers would get them:
// reset and confirmation links can be followed from here.
type mailLogPage struct {
	app.Compo
	session state.Session
	log     state.MailLog
}

func newMailLogPage() *mailLogPage { return &mailLogPage{} }

func (p *mailLogPage) OnPreRender(ctx app.Context) {
	p.session.Lang = sessionLang(ctx, p.session)
}

func (p *mailLogPage) OnMount(ctx app.Context) {
	ctx.ObserveState(state.MailLogState, &p.log)
	observeSession(ctx, &p.session, p.load)
}

func (p *mailLogPage) load(ctx app.Context) {
	if p.session.MailLog && p.log.Status == state.Idle {
		ctx.NewAction(state.LoadMailLog)
	}
}

func (p *mailLogPage) Render() app.UI {
	lang := p.session.Lang
	shell := newShell().WithTitle("MailLogTitle").WithSession(p.session)
	if p.session.LoggedIn && !p.session.MailLog {
		return shell.Body(errorBox(lang, ticket.ErrNotFound))
	}
	return shell.Body(
		app.P().Class("muted").Text(t(lang, "MailLogIntro")),
		app.Div().Class("actions").Body(
			app.Button().ID("mail-log-refresh").Type("button").Disabled(p.log.Status == state.Loading).
				OnClick(func(ctx app.Context, e app.Event) { ctx.NewAction(state.LoadMailLog) }).Text(t(lang, "Refresh")),
		),
		errorBox(lang, p.log.Err),
		app.If(p.log.Status == state.Loading && p.log.Mails == nil, func() app.UI { return loading(lang) }),
		app.If(p.log.Status == state.Loaded && len(p.log.Mails) == 0, func() app.UI {
			return app.P().ID("no-mails").Text(t(lang, "NoMails"))
		}),
		app.Ul().ID("mail-log").Class("mail-log").Body(
			app.Range(p.log.Mails).Slice(func(i int) app.UI {
				m := p.log.Mails[i]
				id := "mail-" + strconv.FormatInt(m.ID, 10)
				to := m.To
				if m.ToName != "" {
					to = m.ToName + " <" + m.To + ">"
				}
				return app.Li().ID(id).Class("panel", "mail").Body(
					app.H2().Dir("auto").Text(m.Subject),
					app.Dl().Class("mail-meta").Body(
						app.Dt().Text(t(lang, "MailTo")), app.Dd().Text(to),
						app.Dt().Text(t(lang, "MailKind")), app.Dd().Text(t(lang, "MailKind_"+string(m.Kind))),
						app.Dt().Text(t(lang, "MailWritten")), app.Dd().Body(app.Time().DateTime(m.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")).Text(when(lang, m.CreatedAt))),
					),
					app.Details().Open(i == 0).Body(
						app.Summary().Text(t(lang, "ShowMail")),
						app.Pre().Class("mail-text").Body(messageText(m.Text)...),
					),
				)
			}),
		),
	)
}
