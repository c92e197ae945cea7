package main

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/supportal/supportal/server/mail/mailtest"
	"github.com/supportal/supportal/server/seed"
)

func TestMailFlags(t *testing.T) {
	dir := t.TempDir()
	pwFile := filepath.Join(dir, "smtp-password")
	if err := os.WriteFile(pwFile, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const from = "Supportal <support@example.com>"
	for _, tc := range []struct {
		name                             string
		addr, user, pwFile, policy, from string
		env                              string
		want                             string // the sender; "" none; "error" an error
	}{
		{name: "off", want: ""},
		{name: "relay", addr: "127.0.0.1:25", policy: "none", from: from, want: "smtp://127.0.0.1:25 (none)"},
		{name: "submission with a password file", addr: "mail.example.com", user: "supportal", pwFile: pwFile, policy: "starttls", from: from, want: "smtp://mail.example.com:587 (starttls)"},
		{name: "password from the environment", addr: "mail.example.com:465", user: "supportal", env: "s3cret", policy: "tls", from: from, want: "smtp://mail.example.com:465 (tls)"},
		{name: "no sender", addr: "mail.example.com:587", policy: "starttls", want: "error"},
		{name: "user without password", addr: "mail.example.com:587", user: "supportal", policy: "starttls", from: from, want: "error"},
		{name: "missing password file", addr: "mail.example.com:587", user: "supportal", pwFile: filepath.Join(dir, "none"), policy: "starttls", from: from, want: "error"},
		{name: "password without user", addr: "mail.example.com:587", env: "s3cret", policy: "starttls", from: from, want: "error"},
		{name: "bad policy", addr: "mail.example.com:587", policy: "ssl", from: from, want: "error"},
		{name: "mail flags without -smtp", from: from, want: "error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("SUPPORTAL_SMTP_PASSWORD", tc.env)
			s, err := smtpSender(tc.addr, tc.user, tc.pwFile, tc.policy, tc.from)
			switch {
			case tc.want == "error":
				if err == nil {
					t.Fatalf("smtpSender = %v, want an error", s)
				}
			case err != nil:
				t.Fatalf("smtpSender: %v", err)
			case tc.want == "" && s != nil:
				t.Fatalf("smtpSender = %v, want none", s)
			case tc.want != "" && (s == nil || s.String() != tc.want):
				t.Fatalf("smtpSender = %v, want %s", s, tc.want)
			}
		})
	}
}

func TestMailDomain(t *testing.T) {
	public, _ := url.Parse("https://support.example.org")
	ip, _ := url.Parse("https://10.0.0.1")
	for _, tc := range []struct {
		from   string
		public *url.URL
		want   string
	}{
		{"Supportal <support@example.com>", public, "example.com"},
		{"", public, "support.example.org"},
		{"", ip, "supportal"},
		{"", nil, "supportal"},
	} {
		if got := mailDomain(tc.from, tc.public); got != tc.want {
			t.Errorf("mailDomain(%q, %v) = %q, want %q", tc.from, tc.public, got, tc.want)
		}
	}
}

// The demo mail view is there with -demo and no -smtp; where mails really
// go out, it is not.
func TestDemoMailView(t *testing.T) {
	get := func(base string) int {
		s := login(t, base, seed.SamEmail)
		res, err := s.c.Get(base + "/api/v1/admin/mail")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	base, stop := start(t, "-memory", "-demo")
	if got := get(base); got != http.StatusOK {
		t.Errorf("-demo without -smtp: status %d, want 200", got)
	}
	stop()

	sink := mailtest.Start(t)
	base, stop = start(t, "-memory", "-demo", "-smtp", sink.Addr, "-smtp-tls", "none", "-mail-from", "Supportal <support@example.com>")
	defer stop()
	if got := get(base); got != http.StatusNotFound {
		t.Errorf("-demo with -smtp: status %d, want 404", got)
	}
	if err := run(t.Context(), []string{"-memory", "-smtp", sink.Addr}); err == nil || !strings.Contains(err.Error(), "-mail-from") {
		t.Errorf("-smtp without -mail-from: %v, want an error naming -mail-from", err)
	}
}
