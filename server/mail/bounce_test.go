package mail_test

import (
	"strings"
	"testing"

	"github.com/supportal/supportal/locales"
	"github.com/supportal/supportal/server/mail"
)

func TestReplyRefusedInEveryLanguage(t *testing.T) {
	reasons := []mail.Refusal{mail.RefusedUnknown, mail.RefusedSender, mail.RefusedForbidden, mail.RefusedClosed,
		mail.RefusedFileType, mail.RefusedFileTooLarge, mail.RefusedTooManyFiles, mail.RefusedEmpty, mail.RefusedTooLong, mail.RefusedUnreadable}
	for _, lang := range locales.Supported {
		for _, r := range reasons {
			b := mail.Bounce{Reason: r, Number: 10042, File: "scan.exe", MaxFileBytes: 25 << 20, MaxFiles: 10, Types: []string{".pdf", ".png"}}
			l := mail.ReplyRefused(lang, "Anna", "https://support.example/", b)
			text, html := l.Render()
			all := l.Subject + text + html
			for _, bad := range []string{"<no value>", "{{", "MailRefused"} {
				if strings.Contains(all, bad) {
					t.Errorf("%s %s: %q in\n%s", lang, r, bad, text)
				}
			}
			if r.Private() {
				if strings.Contains(all, "10042") || strings.Contains(all, "/tickets/") {
					t.Errorf("%s %s: a private bounce names the ticket:\n%s", lang, r, text)
				}
				continue
			}
			if !strings.Contains(l.Subject, "#10042") || !strings.Contains(text, "https://support.example/tickets/10042") {
				t.Errorf("%s %s: no ticket number or link:\n%s\n%s", lang, r, l.Subject, text)
			}
		}
	}
}
