package api

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"sync"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/locales"
)

// RefusalListener wraps the server's listener so that the refusals
// net/http writes by itself, before any handler runs, are answered on API
// paths with the API's JSON error like every other refusal: 431 for
// headers over the server's MaxHeaderBytes, 400 for a request that cannot
// be parsed, 501 for an unknown Transfer-Encoding. net/http writes those
// as one fixed plain-text message straight to the connection; each
// connection remembers how the request being read began (its request
// line), and when that message is written for an /api/ path, the JSON
// error goes out instead. The message is in English: the request's
// headers were not read. Wrap the TCP listener itself, under any TLS
// listener (net/http looks for a *tls.Conn).
func RefusalListener(ln net.Listener) net.Listener { return refusalListener{ln} }

type refusalListener struct{ net.Listener }

func (l refusalListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &refusalConn{Conn: c, fresh: true}, nil
}

// refusalConn is a connection that remembers the start of the request
// being read. net/http reads and writes a connection from two goroutines.
type refusalConn struct {
	net.Conn
	mu    sync.Mutex
	start []byte // the first bytes read since the last write
	fresh bool   // nothing read since the last write: a request begins
}

// startKept is how much of a request's beginning is kept: enough for the
// method and the start of its path.
const startKept = 256

func (c *refusalConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.mu.Lock()
		if c.fresh {
			c.start, c.fresh = c.start[:0], false
		}
		if k := startKept - len(c.start); k > 0 {
			c.start = append(c.start, p[:min(n, k)]...)
		}
		c.mu.Unlock()
	}
	return n, err
}

// netHTTPRefusal is what net/http writes when it cannot read a request: a
// status line, these two headers (no Date: no handler's answer looks like
// this) and a line of text.
var netHTTPRefusal = regexp.MustCompile(`\AHTTP/1\.1 ([45]\d\d) [^\r\n]*\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n[^\r\n]*\z`)

// apiRequestLine matches the start of a request for an /api/ path (of
// which a byte may already have been read by net/http's background read).
var apiRequestLine = regexp.MustCompile(`\A[A-Z]* (?:https?://[^/\s]*)?/api(?:[/?\s]|\z)`)

func (c *refusalConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	api := !c.fresh && apiRequestLine.Match(c.start)
	c.fresh = true
	c.mu.Unlock()
	if api && len(p) < 512 {
		if m := netHTTPRefusal.FindSubmatch(p); m != nil {
			status, _ := strconv.Atoi(string(m[1]))
			if _, err := c.Conn.Write(refusalJSON(status)); err != nil {
				return 0, err
			}
			return len(p), nil
		}
	}
	return c.Conn.Write(p)
}

// refusalJSON is a whole HTTP response with the API's error for status.
func refusalJSON(status int) []byte {
	code, id := ticket.CodeInvalid, "ErrBadRequest"
	switch status {
	case http.StatusRequestHeaderFieldsTooLarge:
		code, id = ticket.CodeTooLarge, "ErrHeaderTooLarge"
	case http.StatusNotImplemented:
		code = ticket.CodeUnsupported
	}
	var body ticket.ErrorBody
	body.Error.Code = code
	body.Error.MessageID = id
	body.Error.Message = locales.T("en", id, nil)
	b, _ := json.Marshal(body)
	b = append(b, '\n')
	head := "HTTP/1.1 " + strconv.Itoa(status) + " " + http.StatusText(status) + "\r\n" +
		"Content-Type: application/json; charset=utf-8\r\n" +
		"Cache-Control: no-store\r\n" +
		"X-Content-Type-Options: nosniff\r\n" +
		"Connection: close\r\n" +
		"Content-Length: " + strconv.Itoa(len(b)) + "\r\n\r\n"
	return append([]byte(head), b...)
}

// CloseWrite lets net/http half-close the connection after a refusal, so
// that the client reads the answer before the connection is reset.
func (c *refusalConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// ReadFrom keeps the connection's own ReadFrom (sendfile) for file
// downloads; no refusal is written this way.
func (c *refusalConn) ReadFrom(r io.Reader) (int64, error) {
	c.mu.Lock()
	c.fresh = true
	c.mu.Unlock()
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{c.Conn}, r)
}
