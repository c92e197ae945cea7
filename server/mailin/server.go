// Package mailin receives replies by email: an SMTP listener
// (github.com/emersion/go-smtp) for the reply addresses that notifications
// carry as Reply-To (reply+<token>@<reply domain>, see
// server/mail.ReplyAddress). A reply from the user the token was made for
// becomes their message on the ticket — quoted history stripped, files
// kept under the upload rules — if the policy (app/ticket.Viewer.MayReply)
// lets them reply there; anything else is refused and, unless it came from
// a machine, explained in a bounce queued to its sender.
//
// The listener speaks plain SMTP without AUTH or TLS: it is meant to be fed
// by the site's mail server (MTA), which receives the domain's mail from
// the internet, filters it and forwards the reply domain here. Do not
// expose it to the internet; Config.AllowFrom limits who may connect.
//
// How it answers: an address that is no reply address, or whose token is
// unknown, is refused at RCPT with 550 (the sending server bounces at
// once). A message over the size limit is refused with 552. Everything
// else is accepted (250) and then judged: refusals for what the message
// says or who sent it are answered with a bounce of our own, in the user's
// language and with a link to the ticket; the same message delivered again
// (same Message-ID) is added once. A failure of ours (the database) is
// answered 451, and the sending server tries again later.
package mailin

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/addrs"
	"github.com/supportal/supportal/server/files"
	"github.com/supportal/supportal/server/mail"
	"github.com/supportal/supportal/server/store"
)

// Config configures the listener.
type Config struct {
	// Domain is the reply domain: only reply+<token>@Domain is accepted.
	// Required.
	Domain string
	// LinkBase is the portal's address in the bounces' links, e.g.
	// https://support.example.com.
	LinkBase string
	// MaxMessageBytes limits a message, attachments and all (default 25
	// MB); larger ones are refused with 552.
	MaxMessageBytes int64
	// MaxRecipients limits the recipients of one message (default 10).
	MaxRecipients int
	// MaxConns limits the connections served at once (default 20); more
	// are answered 421 and closed.
	MaxConns int
	// ReadTimeout and WriteTimeout bound each read and write of a
	// connection (default a minute each).
	ReadTimeout, WriteTimeout time.Duration
	// AllowFrom: only clients with these addresses may connect (nil:
	// any). Others are answered 554 and closed.
	AllowFrom addrs.List
	// MaxFileBytes and MaxFiles are the upload limits that apply to
	// mailed files too (defaults ticket.DefaultMaxFileBytes and
	// DefaultMaxFiles).
	MaxFileBytes int64
	MaxFiles     int
	// Blobs keeps the files' bytes: the API's store (api.Config.Blobs).
	Blobs files.Blobs
	// HoldUploads keeps stale uploads' bytes from being removed while a
	// mailed file is stored and recorded (api.Server.HoldUploads); nil:
	// nothing to hold.
	HoldUploads func() (release func())
	// Log receives every refusal and failure (default slog.Default()).
	// Bodies are never logged.
	Log *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Server is the listener for replies by email.
type Server struct {
	cfg  Config
	db   store.Store
	smtp *smtp.Server
	log  *slog.Logger
	// slots holds a token per connection served.
	slots chan struct{}
}

// New returns a listener for replies to the reply addresses of db.
func New(db store.Store, cfg Config) (*Server, error) {
	if cfg.Domain == "" || mail.ReplyAddress("a", cfg.Domain) == "" {
		return nil, errors.New("mailin: no reply domain")
	}
	if cfg.Blobs == nil {
		return nil, errors.New("mailin: no blob store")
	}
	if cfg.MaxMessageBytes <= 0 {
		cfg.MaxMessageBytes = 25 << 20
	}
	if cfg.MaxRecipients <= 0 {
		cfg.MaxRecipients = 10
	}
	if cfg.MaxConns <= 0 {
		cfg.MaxConns = 20
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = time.Minute
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = time.Minute
	}
	if cfg.MaxFileBytes <= 0 {
		cfg.MaxFileBytes = ticket.DefaultMaxFileBytes
	}
	if cfg.MaxFiles <= 0 {
		cfg.MaxFiles = ticket.DefaultMaxFiles
	}
	if cfg.HoldUploads == nil {
		cfg.HoldUploads = func() func() { return func() {} }
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, db: db, log: cfg.Log.With("component", "mailin"), slots: make(chan struct{}, cfg.MaxConns)}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, remote: c.Conn().RemoteAddr().String()}, nil
	}))
	srv.Domain = cfg.Domain
	srv.MaxMessageBytes = cfg.MaxMessageBytes
	srv.MaxRecipients = cfg.MaxRecipients
	srv.ReadTimeout = cfg.ReadTimeout
	srv.WriteTimeout = cfg.WriteTimeout
	srv.EnableSMTPUTF8 = true
	srv.ErrorLog = slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)
	s.smtp = srv
	return s, nil
}

// Serve answers the connections ln accepts until Close or Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	err := s.smtp.Serve(&gate{Listener: ln, s: s})
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Close closes the listener and every connection at once.
func (s *Server) Close() error { return s.smtp.Close() }

// Shutdown stops accepting connections and waits for those open to end
// (or ctx).
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.smtp.Shutdown(ctx)
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// gate admits the connections of allowed clients while a slot is free;
// it answers the others itself and closes them.
type gate struct {
	net.Listener
	s *Server
}

func (g *gate) Accept() (net.Conn, error) {
	for {
		c, err := g.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if !g.s.allowed(c.RemoteAddr()) {
			g.s.log.Warn("SMTP client not allowed (-smtp-in-from)", "client", c.RemoteAddr().String())
			refuse(c, "554 5.7.1 Not allowed to connect here\r\n", g.s.cfg.WriteTimeout)
			continue
		}
		select {
		case g.s.slots <- struct{}{}:
			return &slotConn{Conn: c, free: func() { <-g.s.slots }}, nil
		default:
			g.s.log.Warn("SMTP client refused: too many connections", "client", c.RemoteAddr().String(), "max", g.s.cfg.MaxConns)
			refuse(c, "421 4.7.0 Too many connections, try again later\r\n", g.s.cfg.WriteTimeout)
		}
	}
}

// refuse answers c with line and closes it, without holding up Accept.
func refuse(c net.Conn, line string, timeout time.Duration) {
	go func() {
		c.SetWriteDeadline(time.Now().Add(timeout))
		io.WriteString(c, line)
		c.Close()
	}()
}

func (s *Server) allowed(a net.Addr) bool {
	if len(s.cfg.AllowFrom) == 0 {
		return true
	}
	ap, err := netip.ParseAddrPort(a.String())
	return err == nil && s.cfg.AllowFrom.Contains(ap.Addr())
}

// slotConn frees its slot once closed.
type slotConn struct {
	net.Conn
	once sync.Once
	free func()
}

func (c *slotConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.free)
	return err
}

// session is one SMTP session: the envelope of the message being received.
type session struct {
	s      *Server
	remote string
	from   string // MAIL FROM; "" for a bounce
	rcpts  []target
}

// target is a recipient: a known reply address.
type target struct {
	addr   string
	userID int64
	number int64
}

var (
	errNoSuchRecipient = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such recipient here"}
	errUnknownReply    = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Unknown reply address; please reply in the support portal"}
	errTryLater        = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Temporary failure, try again later"}
)

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	se.from, se.rcpts = from, nil
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	token, ok := mail.ParseReplyAddress(to, se.s.cfg.Domain)
	if !ok {
		se.s.log.Info("reply by email refused at RCPT: not a reply address", "rcpt", to, "sender", se.from, "client", se.remote)
		return errNoSuchRecipient
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	userID, number, err := se.s.db.ReplyTarget(ctx, token)
	if ticket.ErrorCode(err) == ticket.CodeNotFound {
		se.s.log.Info("reply by email refused at RCPT", "reason", mail.RefusedUnknown, "sender", se.from, "client", se.remote)
		return errUnknownReply
	}
	if err != nil {
		se.s.log.Error("reply by email: reading a reply address", "err", err)
		return errTryLater
	}
	se.rcpts = append(se.rcpts, target{addr: to, userID: userID, number: number})
	return nil
}

func (se *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		if errors.Is(err, smtp.ErrDataTooLarge) {
			se.s.log.Info("reply by email refused: too large", "sender", se.from, "client", se.remote, "max", se.s.cfg.MaxMessageBytes)
		}
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	env := envelope{from: se.from, client: se.remote}
	for _, t := range se.rcpts {
		if err := se.s.deliver(ctx, env, t, raw); err != nil {
			se.s.log.Error("reply by email: delivering", "ticket", t.number, "user", t.userID, "err", err)
			return errTryLater // what was added stays added: the retry has the same Message-ID
		}
	}
	return nil
}

func (se *session) Reset() { se.from, se.rcpts = "", nil }

func (se *session) Logout() error { return nil }
