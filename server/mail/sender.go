// Package mail sends the mails of the store's outbox: an SMTP sender
// (github.com/wneessen/go-mail) and a worker that claims due mails, sends
// them and records each outcome, retrying with backoff. Package mailtest
// is a real SMTP server for tests that collects what it receives.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/supportal/supportal/server/store"
)

// TLSPolicy says how the connection to the mail server is protected.
type TLSPolicy string

// The TLS policies.
const (
	// StartTLS: a plain connection upgraded with STARTTLS, which the
	// server must offer (submission, port 587). The default.
	StartTLS TLSPolicy = "starttls"
	// ImplicitTLS: TLS from the first byte (port 465).
	ImplicitTLS TLSPolicy = "tls"
	// NoTLS: nothing is encrypted (a relay on the same host, tests).
	NoTLS TLSPolicy = "none"
)

// ParseTLSPolicy reads a policy's name ("" is StartTLS).
func ParseTLSPolicy(s string) (TLSPolicy, error) {
	switch p := TLSPolicy(strings.ToLower(strings.TrimSpace(s))); p {
	case "":
		return StartTLS, nil
	case StartTLS, ImplicitTLS, NoTLS:
		return p, nil
	}
	return "", fmt.Errorf("TLS policy %q: want starttls, tls or none", s)
}

// defaultPort is the port of a policy when the address names none.
func (p TLSPolicy) defaultPort() int {
	switch p {
	case ImplicitTLS:
		return 465
	case NoTLS:
		return 25
	}
	return 587
}

// SMTPConfig says how to reach the mail server.
type SMTPConfig struct {
	// Addr is the server's host:port (without a port: 587, 465 or 25 by
	// the policy).
	Addr string
	// Username and Password log in with SMTP AUTH (the strongest
	// mechanism both sides know; PLAIN and LOGIN only over TLS). No
	// username: no AUTH.
	Username, Password string
	// TLS is the policy (default StartTLS).
	TLS TLSPolicy
	// TLSConfig checks the server's certificate (default: the system's
	// roots, for the host of Addr).
	TLSConfig *tls.Config
	// From is the sender, e.g. "Supportal <support@example.com>".
	From string
	// Timeout bounds one mail: connecting, logging in and sending
	// (default 30 s).
	Timeout time.Duration
}

// SMTP sends mails to one mail server, a new connection for each mail.
// It is safe for concurrent use.
type SMTP struct {
	host    string
	port    int
	cfg     SMTPConfig
	from    *netmail.Address
	timeout time.Duration
}

// DefaultTimeout bounds one mail when SMTPConfig.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// NewSMTP checks cfg and returns a sender.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	policy, err := ParseTLSPolicy(string(cfg.TLS))
	if err != nil {
		return nil, err
	}
	cfg.TLS = policy
	host, portText, err := net.SplitHostPort(cfg.Addr)
	port := policy.defaultPort()
	switch {
	case err != nil && strings.Contains(err.Error(), "missing port"):
		host = cfg.Addr
	case err != nil:
		return nil, fmt.Errorf("mail server %q: %w", cfg.Addr, err)
	default:
		if port, err = strconv.Atoi(portText); err != nil || port < 1 || port > 65535 {
			return nil, fmt.Errorf("mail server %q: bad port", cfg.Addr)
		}
	}
	if host == "" {
		return nil, fmt.Errorf("mail server %q: no host", cfg.Addr)
	}
	from, err := netmail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("sender %q: %w", cfg.From, err)
	}
	if cfg.Username != "" && cfg.Password == "" {
		return nil, errors.New("a mail server username needs a password")
	}
	s := &SMTP{host: host, port: port, cfg: cfg, from: from, timeout: cfg.Timeout}
	if s.timeout <= 0 {
		s.timeout = DefaultTimeout
	}
	return s, nil
}

// From is the sender's address.
func (s *SMTP) From() *netmail.Address { return s.from }

// Timeout is the most one mail may take.
func (s *SMTP) Timeout() time.Duration { return s.timeout }

// String names the server and policy (never the password).
func (s *SMTP) String() string {
	return fmt.Sprintf("smtp://%s (%s)", net.JoinHostPort(s.host, strconv.Itoa(s.port)), s.cfg.TLS)
}

// Send hands m to the mail server: the plain text with the HTML as an
// alternative, the stored Message-ID (a resend carries the same), Reply-To
// when set, the Date it was queued.
func (s *SMTP) Send(ctx context.Context, m store.Mail) error {
	msg, err := s.message(m)
	if err != nil {
		return err
	}
	c, err := gomail.NewClient(s.host, s.options()...)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	return c.DialAndSendWithContext(ctx, msg)
}

func (s *SMTP) options() []gomail.Option {
	tc := s.cfg.TLSConfig
	if tc == nil {
		tc = &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12}
	}
	opts := []gomail.Option{gomail.WithPort(s.port), gomail.WithTimeout(s.timeout), gomail.WithTLSConfig(tc)}
	switch s.cfg.TLS {
	case ImplicitTLS:
		opts = append(opts, gomail.WithSSL())
	case NoTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	return opts
}

// message builds the mail as it goes on the wire.
func (s *SMTP) message(m store.Mail) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(s.from)
	if err := msg.AddToFormat(m.ToName, m.To); err != nil {
		return nil, fmt.Errorf("recipient: %w", err)
	}
	if m.ReplyTo != "" {
		if err := msg.ReplyTo(m.ReplyTo); err != nil {
			return nil, fmt.Errorf("reply-to: %w", err)
		}
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(strings.TrimSuffix(strings.TrimPrefix(m.MessageID, "<"), ">"))
	msg.SetDateWithValue(m.CreatedAt)
	// RFC 3834: no vacation replies to notifications.
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// Permanent reports whether err is a permanent refusal of the mail server
// (a 5xx reply): trying again soon will not help.
func Permanent(err error) bool {
	var se *gomail.SendError
	if errors.As(err, &se) && se.ErrorCode() >= 500 && se.ErrorCode() < 600 {
		return true
	}
	var te *textproto.Error
	return errors.As(err, &te) && te.Code >= 500 && te.Code < 600
}
