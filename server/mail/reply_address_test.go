package mail_test

import (
	"strings"
	"testing"

	"github.com/supportal/supportal/server/mail"
)

func TestReplyAddress(t *testing.T) {
	const tok = "k5xq2abcdefghijklmnopqrstuvwxyz7"
	if got, want := mail.ReplyAddress(tok, "support.example.com"), "reply+"+tok+"@support.example.com"; got != want {
		t.Fatalf("ReplyAddress = %q, want %q", got, want)
	}
	if got := mail.ReplyAddress(tok, ""); got != "" {
		t.Fatalf("ReplyAddress without a domain = %q, want \"\"", got)
	}
	if got := mail.ReplyAddress("Bad Token", "support.example.com"); got != "" {
		t.Fatalf("ReplyAddress of a bad token = %q, want \"\"", got)
	}
	for _, c := range []struct {
		addr string
		want string // "" : not a reply address
	}{
		{"reply+" + tok + "@support.example.com", tok},
		{"REPLY+" + strings.ToUpper(tok) + "@Support.Example.COM", tok}, // a case-folding MTA
		{"Support <reply+" + tok + "@support.example.com>", tok},
		{`"Supportal, Team" <reply+` + tok + `@support.example.com>`, tok},
		{"reply+" + tok + "@other.example.com", ""},
		{"reply+" + tok + "@support.example.com.evil.example", ""},
		{"noreply@support.example.com", ""},
		{"reply@support.example.com", ""},
		{"reply+@support.example.com", ""},
		{"replies+" + tok + "@support.example.com", ""},
		{"reply+" + tok + "+x@support.example.com", ""},
		{"reply+" + tok + "1@support.example.com", ""}, // 1 is no base32 digit
		{"reply+" + strings.Repeat("a", 65) + "@support.example.com", ""},
		{"", ""},
		{"<>", ""},
	} {
		got, ok := mail.ParseReplyAddress(c.addr, "support.example.com")
		if got != c.want || ok != (c.want != "") {
			t.Errorf("ParseReplyAddress(%q) = %q, %v; want %q, %v", c.addr, got, ok, c.want, c.want != "")
		}
	}
}

func FuzzParseReplyAddress(f *testing.F) {
	for _, s := range []string{"reply+abc@support.example.com", "Support <reply+ABC@SUPPORT.example.com>", "reply+@x", "@", "a+b@c", "\"<>\"@x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, addr string) {
		const domain = "support.example.com"
		token, ok := mail.ParseReplyAddress(addr, domain)
		if !ok {
			if token != "" {
				t.Fatalf("ParseReplyAddress(%q) = %q, false: a token without ok", addr, token)
			}
			return
		}
		// What parses is a token that makes the same address again.
		again := mail.ReplyAddress(token, domain)
		if again == "" {
			t.Fatalf("ParseReplyAddress(%q) = %q, which ReplyAddress refuses", addr, token)
		}
		if back, ok := mail.ParseReplyAddress(again, domain); !ok || back != token {
			t.Fatalf("round trip of %q: %q -> %q, %v", addr, again, back, ok)
		}
	})
}
