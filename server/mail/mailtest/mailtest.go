// Package mailtest is a real SMTP server for tests
// (github.com/emersion/go-smtp) that keeps every message it receives:
// start one, point the sender at its address, wait for the messages and
// read them.
//
//	sink := mailtest.Start(t)
//	sender, _ := mail.NewSMTP(mail.SMTPConfig{Addr: sink.Addr, TLS: mail.NoTLS, From: "Supportal <support@example.com>"})
//	… queue a mail, run the worker …
//	msg := sink.Wait(t, 1, 10*time.Second)[0]
//	text, _ := msg.Text()
//
// It can require STARTTLS (WithTLS, with a certificate from SelfSigned)
// and SMTP AUTH PLAIN (WithAuth), and refuse deliveries (Refuse).
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one message the sink accepted.
type Message struct {
	From string   // the envelope sender (MAIL FROM)
	To   []string // the envelope recipients (RCPT TO)
	Data []byte   // the message as received
	// Header and Body are Data parsed (net/mail).
	Header mail.Header
	Body   []byte
	// User is who logged in with SMTP AUTH ("" nobody); TLS whether the
	// connection was encrypted (STARTTLS).
	User string
	TLS  bool
}

// MessageID is the Message-ID header.
func (m Message) MessageID() string { return m.Header.Get("Message-Id") }

// Subject is the Subject header, decoded.
func (m Message) Subject() string {
	s, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return m.Header.Get("Subject")
	}
	return s
}

// Text is the message's text/plain part, decoded.
func (m Message) Text() (string, error) { return m.Part("text/plain") }

// HTML is the message's text/html part, decoded.
func (m Message) HTML() (string, error) { return m.Part("text/html") }

// Part is the first part of type mediaType (searched through nested
// multiparts), decoded from its transfer encoding.
func (m Message) Part(mediaType string) (string, error) {
	s, ok, err := findPart(textproto.MIMEHeader(m.Header), bytes.NewReader(m.Body), mediaType)
	if err == nil && !ok {
		err = fmt.Errorf("mailtest: no %s part", mediaType)
	}
	return s, err
}

func findPart(h textproto.MIMEHeader, body io.Reader, want string) (string, bool, error) {
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "text/plain"
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return "", false, err
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				return "", false, nil
			}
			if err != nil {
				return "", false, err
			}
			if s, ok, err := findPart(p.Header, p, want); ok || err != nil {
				return s, ok, err
			}
		}
	}
	if mt != want {
		return "", false, nil
	}
	// multipart.Part decodes quoted-printable itself (and drops the header).
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, &lineJoiner{r: body})
	}
	b, err := io.ReadAll(body)
	return string(b), err == nil, err
}

// lineJoiner drops line breaks (base64 bodies are wrapped).
type lineJoiner struct{ r io.Reader }

func (l *lineJoiner) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	j := 0
	for _, c := range p[:n] {
		if c != '\r' && c != '\n' {
			p[j] = c
			j++
		}
	}
	return j, err
}

// Refusals the sink may answer with (Refuse).
var (
	TempFailure = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "Try again later"}
	PermFailure = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
)

// Sink is a running SMTP server that keeps what it receives.
type Sink struct {
	// Addr is where it listens: 127.0.0.1 and a free port.
	Addr string

	srv         *smtp.Server
	user        string
	password    string
	implicitTLS *tls.Config

	mu       sync.Mutex
	messages []Message
	changed  chan struct{} // closed (and replaced) when a message arrives
	refuse   []error
	refused  int
}

// Option configures a Sink.
type Option func(*Sink)

// WithTLS offers STARTTLS with cfg (see SelfSigned).
func WithTLS(cfg *tls.Config) Option { return func(s *Sink) { s.srv.TLSConfig = cfg } }

// WithImplicitTLS speaks TLS from the first byte (as on port 465).
func WithImplicitTLS(cfg *tls.Config) Option { return func(s *Sink) { s.implicitTLS = cfg } }

// WithAuth requires SMTP AUTH PLAIN with user and password before a mail
// (go-smtp allows AUTH only over TLS: use WithTLS or WithImplicitTLS too).
func WithAuth(user, password string) Option {
	return func(s *Sink) { s.user, s.password = user, password }
}

// Start starts a sink on 127.0.0.1; it stops when the test ends.
func Start(tb testing.TB, opts ...Option) *Sink {
	tb.Helper()
	s := &Sink{changed: make(chan struct{})}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{sink: s, conn: c}, nil
	}))
	s.srv.Domain = "mailtest.localhost"
	s.srv.ReadTimeout = 30 * time.Second
	s.srv.WriteTimeout = 30 * time.Second
	s.srv.MaxMessageBytes = 16 << 20
	s.srv.ErrorLog = log.New(io.Discard, "", 0)
	for _, o := range opts {
		o(s)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s.Addr = ln.Addr().String()
	if s.implicitTLS != nil {
		ln = tls.NewListener(ln, s.implicitTLS)
	}
	go s.srv.Serve(ln)
	tb.Cleanup(func() { s.srv.Close() })
	return s
}

// Refuse makes the sink refuse the next deliveries, one for each error, at
// RCPT TO (e.g. TempFailure, PermFailure).
func (s *Sink) Refuse(errs ...error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = append(s.refuse, errs...)
}

// Refused counts the deliveries refused so far.
func (s *Sink) Refused() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused
}

// Messages returns the messages received so far, oldest first.
func (s *Sink) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Wait waits until at least n messages have arrived and returns all of
// them; the test fails if they do not arrive within timeout.
func (s *Sink) Wait(tb testing.TB, n int, timeout time.Duration) []Message {
	tb.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		got, changed := len(s.messages), s.changed
		if got >= n {
			out := append([]Message(nil), s.messages...)
			s.mu.Unlock()
			return out
		}
		s.mu.Unlock()
		select {
		case <-changed:
		case <-deadline.C:
			tb.Fatalf("mailtest: %d messages arrived within %v, want %d", got, timeout, n)
			return nil
		}
	}
}

func (s *Sink) add(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, m)
	close(s.changed)
	s.changed = make(chan struct{})
}

// nextRefusal is the error to refuse the next delivery with, nil for none.
func (s *Sink) nextRefusal() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.refuse) == 0 {
		return nil
	}
	err := s.refuse[0]
	s.refuse = s.refuse[1:]
	s.refused++
	return err
}

// session is one SMTP connection.
type session struct {
	sink *Sink
	conn *smtp.Conn
	user string
	from string
	to   []string
}

func (ss *session) AuthMechanisms() []string {
	if ss.sink.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain || ss.sink.user == "" {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != ss.sink.user || password != ss.sink.password || (identity != "" && identity != username) {
			return smtp.ErrAuthFailed
		}
		ss.user = username
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.sink.user != "" && ss.user == "" {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := ss.sink.nextRefusal(); err != nil {
		return err
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	parsed, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "Unparsable message: " + err.Error()}
	}
	body, err := io.ReadAll(parsed.Body)
	if err != nil {
		return err
	}
	_, isTLS := ss.conn.TLSConnectionState()
	ss.sink.add(Message{From: ss.from, To: append([]string(nil), ss.to...), Data: data,
		Header: parsed.Header, Body: body, User: ss.user, TLS: isTLS})
	return nil
}

func (ss *session) Reset() { ss.from, ss.to = "", nil }

func (ss *session) Logout() error { return nil }

// SelfSigned makes a certificate for 127.0.0.1 and localhost with the
// standard library: server is the sink's TLS configuration (WithTLS),
// client trusts it (a sender's TLSConfig).
func SelfSigned(tb testing.TB) (server, client *tls.Config) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "mailtest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}}, MinVersion: tls.VersionTLS12}
	client = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	return server, client
}
