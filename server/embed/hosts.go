// Package embed is what the portal knows of the web applications that show
// it in a frame (hosts): which origins may frame it, the keys their servers
// sign users' tokens with, the accounts they may speak for; and how such a
// token is checked (Verify). The HTTP side is server/api/embed.go.
package embed

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Host is a web application allowed to show the portal in a frame and to
// sign its users in.
type Host struct {
	// ID is the token's issuer (iss).
	ID string `json:"id"`
	// Name is how the portal names the host to its users.
	Name string `json:"name"`
	// Origins may frame the portal's /embed pages (scheme://host[:port]).
	Origins []string `json:"origins"`
	// Keys verify the host's tokens: Ed25519 public keys (alg EdDSA) or
	// shared secrets of at least 32 bytes (alg HS256), as JSON Web Keys
	// with a kid; all of one algorithm. More than one while a key is
	// replaced.
	Keys []jose.JSONWebKey `json:"keys"`
	// Organizations are the account numbers the host may speak for.
	Organizations []string `json:"organizations"`
	// ProvisionUsers: a user the portal does not know is created on first
	// use, as a member of the token's account.
	ProvisionUsers bool `json:"provisionUsers"`
	// Kiosk: how kiosk sessions (a token with kiosk:true) behave.
	Kiosk Kiosk `json:"kiosk"`
}

// Idle is how long a kiosk waits for input before it asks.
func (k Kiosk) Idle() time.Duration { return time.Duration(k.IdleMinutes * float64(time.Minute)) }

// Kiosk holds the settings of a host's shared terminals.
type Kiosk struct {
	// IdleMinutes: after this long without input, the kiosk asks whether
	// the user is still there, then ends the session (0.5 is half a minute).
	IdleMinutes float64 `json:"idleMinutes"`
}

// DefaultIdleMinutes is a kiosk's idle time when the hosts file names none.
const DefaultIdleMinutes = 5

// Algorithm is the one signature algorithm of the host's keys.
func (h *Host) Algorithm() jose.SignatureAlgorithm {
	return jose.SignatureAlgorithm(h.Keys[0].Algorithm)
}

// key returns the host's key with the key id kid.
func (h *Host) key(kid string) (jose.JSONWebKey, bool) {
	for _, k := range h.Keys {
		if k.KeyID == kid {
			return k, true
		}
	}
	return jose.JSONWebKey{}, false
}

// AllowsOrigin reports whether a page of origin may frame the portal for h.
func (h *Host) AllowsOrigin(origin string) bool {
	o, err := Origin(origin)
	return err == nil && slices.Contains(h.Origins, o)
}

// SpeaksFor reports whether h may sign users of the account in.
func (h *Host) SpeaksFor(account string) bool { return slices.Contains(h.Organizations, account) }

// Hosts are the configured hosts.
type Hosts struct {
	list []*Host
}

// file is the hosts file (-hosts).
type file struct {
	Hosts []Host `json:"hosts"`
}

// Read reads a hosts file. Its errors name the entry at fault.
func Read(r io.Reader) (*Hosts, error) {
	data, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("not a hosts file: %w", err)
	}
	if dec.More() {
		return nil, errors.New("not a hosts file: more than one JSON value")
	}
	hs := &Hosts{}
	for i, h := range f.Hosts {
		if err := hs.Add(h); err != nil {
			name := h.ID
			if name == "" {
				name = fmt.Sprintf("#%d", i+1)
			}
			return nil, fmt.Errorf("host %q: %w", name, err)
		}
	}
	return hs, nil
}

var (
	hostIDRE  = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)
	accountRE = regexp.MustCompile(`^[0-9A-Za-z-]{1,40}$`)
)

// Add checks h and adds it.
func (hs *Hosts) Add(h Host) error {
	switch {
	case !hostIDRE.MatchString(h.ID):
		return errors.New("id: lowercase letters, digits, '.', '_' and '-' (at most 64)")
	case hs.Host(h.ID) != nil:
		return errors.New("id: named twice")
	case strings.TrimSpace(h.Name) == "" || len(h.Name) > 100:
		return errors.New("name: required, at most 100 bytes")
	case len(h.Origins) == 0:
		return errors.New("origins: at least one")
	case len(h.Keys) == 0:
		return errors.New("keys: at least one")
	case len(h.Organizations) == 0:
		return errors.New("organizations: at least one account number")
	case h.Kiosk.IdleMinutes < 0 || (h.Kiosk.IdleMinutes > 0 && h.Kiosk.IdleMinutes < 0.1) || h.Kiosk.IdleMinutes > 24*60:
		return errors.New("kiosk.idleMinutes: between 0.1 and 1440")
	}
	h.Name = strings.TrimSpace(h.Name)
	for i, o := range h.Origins {
		norm, err := Origin(o)
		if err != nil {
			return fmt.Errorf("origins: %w", err)
		}
		h.Origins[i] = norm
	}
	for _, a := range h.Organizations {
		if !accountRE.MatchString(a) {
			return fmt.Errorf("organizations: %q is not an account number", a)
		}
	}
	if err := checkKeys(h.Keys); err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	if h.Kiosk.IdleMinutes == 0 {
		h.Kiosk.IdleMinutes = DefaultIdleMinutes
	}
	hs.list = append(hs.list, &h)
	return nil
}

// minSecret is the shortest HS256 secret accepted: as long as the hash.
const minSecret = 32

func checkKeys(keys []jose.JSONWebKey) error {
	kids := map[string]bool{}
	for i, k := range keys {
		switch {
		case k.KeyID == "":
			return fmt.Errorf("#%d: kid required", i+1)
		case kids[k.KeyID]:
			return fmt.Errorf("kid %q: named twice", k.KeyID)
		case k.Algorithm != keys[0].Algorithm:
			return fmt.Errorf("kid %q: all keys of a host must have one algorithm (%s)", k.KeyID, keys[0].Algorithm)
		}
		kids[k.KeyID] = true
		switch jose.SignatureAlgorithm(k.Algorithm) {
		case jose.EdDSA:
			if !k.IsPublic() || !k.Valid() {
				return fmt.Errorf("kid %q: an EdDSA key must be an Ed25519 public key (never the private one)", k.KeyID)
			}
			if _, ok := k.Key.(ed25519.PublicKey); !ok {
				return fmt.Errorf("kid %q: not an Ed25519 key", k.KeyID)
			}
		case jose.HS256:
			secret, ok := k.Key.([]byte)
			if !ok || len(secret) < minSecret {
				return fmt.Errorf("kid %q: an HS256 key must be a secret (kty oct) of at least %d bytes", k.KeyID, minSecret)
			}
		default:
			return fmt.Errorf("kid %q: alg must be EdDSA or HS256, not %q", k.KeyID, k.Algorithm)
		}
	}
	return nil
}

// Host returns the host with the id, or nil.
func (hs *Hosts) Host(id string) *Host {
	if hs == nil {
		return nil
	}
	for _, h := range hs.list {
		if h.ID == id {
			return h
		}
	}
	return nil
}

// Len is the number of hosts.
func (hs *Hosts) Len() int {
	if hs == nil {
		return 0
	}
	return len(hs.list)
}

// Origins returns every origin that may frame the portal's embed pages.
func (hs *Hosts) Origins() []string {
	var out []string
	if hs == nil {
		return out
	}
	for _, h := range hs.list {
		for _, o := range h.Origins {
			if !slices.Contains(out, o) {
				out = append(out, o)
			}
		}
	}
	return out
}

// Origin returns s as a web origin, scheme://host[:port] in lower case,
// or an error when it is not one.
func Origin(s string) (string, error) {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "", fmt.Errorf("%q is not an origin", s)
	case u.Scheme != "https" && u.Scheme != "http":
		return "", fmt.Errorf("%q is not an http or https origin", s)
	case u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "":
		return "", fmt.Errorf("%q is not an origin (scheme://host[:port], nothing else)", s)
	case strings.ContainsAny(u.Host, "*;, '\""):
		return "", fmt.Errorf("%q is not an origin", s)
	}
	return u.Scheme + "://" + strings.ToLower(u.Host), nil
}
