package api

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// remoteAddr is the address of the peer of r's connection.
func remoteAddr(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

func (s *Server) trusted(a netip.Addr) bool { return s.cfg.TrustedProxies.Contains(a) }

// fromProxy reports whether r came through a trusted proxy, whose
// X-Forwarded-* headers are believed.
func (s *Server) fromProxy(r *http.Request) bool {
	return s.trusted(remoteAddr(r))
}

// ClientAddr is the address of the client that sent r: the peer of the
// connection, or, when that peer is a trusted proxy, the right-most
// address in X-Forwarded-For that is not a trusted proxy itself (the
// addresses left of it were written by the client and prove nothing).
func (s *Server) ClientAddr(r *http.Request) netip.Addr {
	peer := remoteAddr(r)
	if !s.trusted(peer) {
		return peer
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			// A trusted proxy vouched for something that is no address:
			// the last address known for sure is the client.
			return client
		}
		client = a.Unmap()
		if !s.trusted(client) {
			return client
		}
	}
	return client
}

// Secure reports whether the browser reached r over HTTPS: the public URL
// says so when it is set; otherwise TLS ended here, or a trusted proxy
// says X-Forwarded-Proto: https.
func (s *Server) Secure(r *http.Request) bool {
	if u := s.cfg.PublicURL; u != nil {
		return u.Scheme == "https"
	}
	if r.TLS != nil {
		return true
	}
	if !s.fromProxy(r) {
		return false
	}
	protos := r.Header.Values("X-Forwarded-Proto")
	if len(protos) == 0 {
		return false
	}
	last := protos[len(protos)-1]
	if i := strings.LastIndexByte(last, ','); i >= 0 {
		last = last[i+1:]
	}
	return strings.EqualFold(strings.TrimSpace(last), "https")
}
