package mail_test

import (
	"strings"
	"testing"

	"github.com/supportal/supportal/server/mail"
)

// What users wrote (names, subjects, replies) reaches the HTML part as
// text, never as markup; the link is the button's and is written out.
func TestLetterEscapesWhatUsersWrote(t *testing.T) {
	evil := `<img src=x onerror="alert(1)"> & <a href="https://evil.example">hier</a>`
	l := mail.EmailChanged("de", evil, "neu@example.com")
	l.Action = &mail.Action{Label: "Bestätigen", URL: "https://support.example.com/confirm-email#tok"}
	l.Paragraphs = append(l.Paragraphs, evil)
	text, html := l.Render()
	if strings.Contains(html, "<img") || strings.Contains(html, `href="https://evil.example"`) {
		t.Errorf("markup of a user reached the HTML:\n%s", html)
	}
	if !strings.Contains(html, "&lt;img") || !strings.Contains(text, evil) {
		t.Error("the user's text is not shown as text")
	}
	if !strings.Contains(html, `href="https://support.example.com/confirm-email#tok"`) || !strings.Contains(text, "https://support.example.com/confirm-email#tok") {
		t.Error("the confirmation link is missing")
	}
	if !strings.Contains(text, "Hallo") || !strings.Contains(html, `lang="de"`) {
		t.Error("the letter is not in German")
	}
}
