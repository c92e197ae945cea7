// Package addrs reads the lists of addresses and networks that flags name
// (-trusted-proxies, -smtp-in-from) and tells whether an address is in one.
package addrs

import (
	"fmt"
	"net/netip"
	"strings"
)

// List is a set of networks; a single address is a network of one.
type List []netip.Prefix

// Parse reads a comma-separated list of addresses and CIDR prefixes
// ("127.0.0.1, 10.0.0.0/24, fd00::/8"); blanks around the commas and empty
// entries are ignored, IPv4-mapped IPv6 addresses read as IPv4. A prefix
// shorter than minBits (say /0 where only known hosts belong) is refused;
// a single address never is.
func Parse(s string, minBits int) (List, error) {
	out := List{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if p, err := netip.ParsePrefix(part); err == nil {
			if p.Addr().Is4In6() && p.Bits() >= 96 {
				p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
			}
			if p.Bits() < minBits && p.Bits() < p.Addr().BitLen() { // one address always is
				return nil, fmt.Errorf("%q would take in most of the internet: name the hosts' own addresses or networks", part)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(part)
		if err != nil || a.Zone() != "" {
			return nil, fmt.Errorf("%q is neither an address nor a CIDR prefix (like 10.0.0.0/24)", part)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// Contains reports whether a (IPv4-mapped IPv6 read as IPv4) is in l.
func (l List) Contains(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	a = a.Unmap()
	for _, p := range l {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// String lists l as Parse reads it.
func (l List) String() string {
	parts := make([]string, len(l))
	for i, p := range l {
		parts[i] = p.String()
	}
	return strings.Join(parts, ",")
}
