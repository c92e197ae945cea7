package mail

import (
	"bytes"
	"html/template"
	"strings"

	"github.com/supportal/supportal/locales"
)

// Letter is what a mail says, in its reader's language, before it is
// written out as text and HTML (Render).
type Letter struct {
	Lang    string
	Subject string
	// Name greets the reader ("": a plain greeting).
	Name       string
	Paragraphs []string
	// Action: the one thing to do, a link shown as a button.
	Action *Action
	// After: paragraphs below the button (what to do if it was not you).
	After []string
}

// Action is a link a mail asks its reader to follow.
type Action struct {
	Label, URL string
}

// t is a mail text in l's language.
func (l Letter) t(id string, data map[string]any) string { return locales.T(l.Lang, id, data) }

// Render writes the letter as plain text and as HTML (escaped by
// html/template: nothing of what users typed becomes markup).
func (l Letter) Render() (text, html string) {
	greeting := l.t("MailGreeting", map[string]any{"Name": l.Name})
	if l.Name == "" {
		greeting = l.t("MailGreetingPlain", nil)
	}
	var b strings.Builder
	b.WriteString(greeting + "\n\n")
	for _, p := range l.Paragraphs {
		b.WriteString(p + "\n\n")
	}
	if l.Action != nil {
		b.WriteString(l.t("MailActionLine", map[string]any{"Label": l.Action.Label}) + "\n" + l.Action.URL + "\n\n")
	}
	for _, p := range l.After {
		b.WriteString(p + "\n\n")
	}
	b.WriteString(l.t("MailSignature", nil) + "\n\n-- \n" + l.t("MailAutomatic", nil) + "\n")

	var h bytes.Buffer
	err := page.Execute(&h, map[string]any{
		"Lang": l.Lang, "Subject": l.Subject, "Greeting": greeting, "Paragraphs": l.Paragraphs, "Action": l.Action,
		"After": l.After, "Fallback": l.t("MailLinkFallback", nil), "Signature": l.t("MailSignature", nil), "Automatic": l.t("MailAutomatic", nil),
	})
	if err != nil {
		return b.String(), ""
	}
	return b.String(), h.String()
}

// page is the HTML of every mail: one column, inline styles (mail readers
// ignore style sheets), the action as a button with its address below.
var page = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{.Subject}}</title></head>
<body style="margin:0;padding:24px;background:#f5f7fa;font-family:-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1c2430;line-height:1.5">
<div style="max-width:560px;margin:0 auto;background:#fff;border:1px solid #d8dee6;border-radius:8px;padding:24px">
<p style="margin:0 0 16px">{{.Greeting}}</p>
{{range .Paragraphs}}<p style="margin:0 0 16px;white-space:pre-wrap">{{.}}</p>
{{end}}{{with .Action}}<p style="margin:24px 0"><a href="{{.URL}}" style="background:#1f5f8b;color:#fff;text-decoration:none;padding:12px 20px;border-radius:6px;display:inline-block;font-weight:600">{{.Label}}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#5b6675">{{$.Fallback}}<br><a href="{{.URL}}" style="color:#1f5f8b;word-break:break-all">{{.URL}}</a></p>
{{end}}{{range .After}}<p style="margin:0 0 16px">{{.}}</p>
{{end}}<p style="margin:24px 0 0">{{.Signature}}</p>
</div>
<p style="max-width:560px;margin:12px auto 0;font-size:12px;color:#5b6675">{{.Automatic}}</p>
</body></html>
`))

// PasswordReset is the mail with a password reset link.
func PasswordReset(lang, name, link string) Letter {
	l := Letter{Lang: lang, Name: name}
	l.Subject = l.t("MailResetSubject", nil)
	l.Paragraphs = []string{l.t("MailResetBody", nil)}
	l.Action = &Action{Label: l.t("MailResetAction", nil), URL: link}
	l.After = []string{l.t("MailResetIgnore", nil)}
	return l
}

// EmailConfirm is the mail to a new contact email with the link that
// confirms it. It greets nobody by name: whoever asked for it chose the
// name too, and the address is not known to be the user's yet.
func EmailConfirm(lang, email, link string) Letter {
	l := Letter{Lang: lang}
	l.Subject = l.t("MailConfirmSubject", nil)
	l.Paragraphs = []string{l.t("MailConfirmBody", map[string]any{"Email": email})}
	l.Action = &Action{Label: l.t("MailConfirmAction", nil), URL: link}
	l.After = []string{l.t("MailConfirmIgnore", nil)}
	return l
}

// EmailChanged is the mail to the previous contact email once a new one
// was confirmed.
func EmailChanged(lang, name, email string) Letter {
	l := Letter{Lang: lang, Name: name}
	l.Subject = l.t("MailEmailChangedSubject", nil)
	l.Paragraphs = []string{l.t("MailEmailChangedBody", map[string]any{"Email": email})}
	l.After = []string{l.t("MailEmailChangedWarn", nil)}
	return l
}
