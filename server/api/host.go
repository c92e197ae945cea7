package api

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/supportal/supportal/app/ticket"
)

// CodeMisdirected is the HTTP layer's code for a request for a host name
// this server does not answer for.
const CodeMisdirected ticket.Code = "misdirected"

var errMisdirected = ticket.Errorf(CodeMisdirected, "ErrMisdirected", "")

// ParsePublicURL reads -public-url: an absolute http or https URL of the
// site's root, like https://support.example.com or http://10.0.0.5:8080.
func ParsePublicURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("public URL %q: %w", s, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("public URL %q must start with https:// or http://", s)
	case u.Hostname() == "":
		return nil, fmt.Errorf("public URL %q has no host", s)
	case u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return nil, fmt.Errorf("public URL %q must be only a scheme, a host and an optional port", s)
	case u.Path != "" && u.Path != "/":
		return nil, fmt.Errorf("public URL %q has a path: supportal is served from the root of its host", s)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("public URL %q has a bad port", s)
		}
	}
	return &url.URL{Scheme: u.Scheme, Host: strings.ToLower(u.Host)}, nil
}

// PublicURL is the address users reach the portal at (for links in mails,
// an embed's audience), or nil when it was not configured.
func (s *Server) PublicURL() *url.URL {
	if s.cfg.PublicURL == nil {
		return nil
	}
	u := *s.cfg.PublicURL
	return &u
}

// Guard wraps the whole portal (pages and API). It refuses requests for
// another host than the public URL's, 421 Misdirected Request: a web page
// whose name an attacker re-points at this server (DNS rebinding) must not
// be answered as if it were the portal. Without a public URL, only
// localhost and IP addresses are answered, which no DNS name can pose as.
// When the public URL is https, every answer carries HSTS.
func (s *Server) Guard(next http.Handler) http.Handler {
	hsts := s.cfg.PublicURL != nil && s.cfg.PublicURL.Scheme == "https"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hsts {
			w.Header().Set("Strict-Transport-Security", "max-age=31536000")
		}
		if !s.hostAllowed(r.Host) {
			if r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/") {
				s.writeError(w, r, errMisdirected)
				return
			}
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusMisdirectedRequest)
			io.WriteString(w, s.misdirectedText())
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) misdirectedText() string {
	if u := s.cfg.PublicURL; u != nil {
		return "421 Misdirected Request: this server answers for " + u.Host + " only.\n"
	}
	return "421 Misdirected Request: this server answers for localhost and IP addresses only; start it with -public-url to serve a host name.\n"
}

// hostAllowed reports whether host (a Host header) is one this server
// answers for.
func (s *Server) hostAllowed(host string) bool {
	name, port, err := net.SplitHostPort(host)
	if err != nil {
		name, port = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"), ""
	}
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	if name == "" {
		return false
	}
	u := s.cfg.PublicURL
	if u == nil {
		if name == "localhost" {
			return true
		}
		_, err := netip.ParseAddr(name)
		return err == nil
	}
	want, wantPort := strings.ToLower(u.Hostname()), u.Port()
	if port == "" {
		port = defaultPort[u.Scheme]
	}
	if wantPort == "" {
		wantPort = defaultPort[u.Scheme]
	}
	if a, err := netip.ParseAddr(name); err == nil {
		// [::1] and [0:0::1] name one host.
		b, err := netip.ParseAddr(want)
		return err == nil && a.Unmap() == b.Unmap() && port == wantPort
	}
	return name == want && port == wantPort
}

var defaultPort = map[string]string{"http": "80", "https": "443"}
