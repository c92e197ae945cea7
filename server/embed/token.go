package embed

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/supportal/supportal/app/ticket"
)

// A host's server signs a short-lived token for each user it shows the
// portal to (a JWS in compact form); the portal's frame receives it from
// its parent page by postMessage and exchanges it for a session.
const (
	// MaxLifetime is the longest a token may be valid (exp - iat).
	MaxLifetime = 60 * time.Second
	// Skew is how far the host's clock may be off the portal's.
	Skew = 30 * time.Second
	// maxToken bounds the token's size before it is parsed.
	maxToken = 16 << 10
)

// Claims are what a host's token says.
type Claims struct {
	jwt.Claims
	// Org is the account number the user works in.
	Org string `json:"org"`
	// Name and Locale are the user's, as the host knows them (a new user
	// is created with them).
	Name   string `json:"name"`
	Locale string `json:"locale"`
	// Ctx is the record the user is looking at in the host, if any.
	Ctx *Context `json:"ctx,omitempty"`
	// Kiosk: the session is on a shared terminal (it ends when idle).
	Kiosk bool `json:"kiosk"`
}

// Context is the record a host shows the portal beside: its kind and
// external id, and (so that it can be created or brought up to date) its
// title and fields.
type Context struct {
	Kind       ticket.RecordKind    `json:"kind"`
	ExternalID string               `json:"externalId"`
	Title      string               `json:"title,omitempty"`
	Fields     []ticket.RecordField `json:"fields,omitempty"`
	URL        string               `json:"url,omitempty"`
}

// Email is the user's email, as the portal keeps it.
func (c Claims) Email() string { return strings.ToLower(strings.TrimSpace(c.Subject)) }

// Refusal says why a token was refused. Reason is for the log; the user
// is told what they can do about it (api maps Reason to a message).
type Refusal struct {
	Reason Reason
	Err    error
}

func (r *Refusal) Error() string {
	if r.Err != nil {
		return string(r.Reason) + ": " + r.Err.Error()
	}
	return string(r.Reason)
}

func (r *Refusal) Unwrap() error { return r.Err }

// Reason is why a token was refused.
type Reason string

const (
	Malformed    Reason = "malformed"     // not a compact JWS of a JSON object
	UnknownHost  Reason = "unknown_host"  // iss names no configured host
	Algorithm    Reason = "algorithm"     // not the host's algorithm (none, or HS256 for an EdDSA host…)
	UnknownKey   Reason = "unknown_key"   // kid names none of the host's keys
	Signature    Reason = "signature"     // the signature does not verify
	Audience     Reason = "audience"      // aud is not this portal
	Expired      Reason = "expired"       // exp has passed
	Future       Reason = "future"        // iat is in the future
	Lifetime     Reason = "lifetime"      // exp or iat missing, or exp more than a minute after iat
	MissingClaim Reason = "missing_claim" // sub, org or jti missing or malformed
	WrongOrigin  Reason = "origin"        // the framing page is not one of the host's origins
	Organization Reason = "organization"  // the host may not speak for org
	BadContext   Reason = "context"       // ctx is not a record the portal can keep
)

func refuse(r Reason, format string, args ...any) error {
	return &Refusal{Reason: r, Err: fmt.Errorf(format, args...)}
}

// Verify checks a token for the portal at audience (its origin, like
// https://support.example.com), framed by a page of origin, at now. It
// returns the host that signed it and what it says, or a *Refusal. Whether
// the token was used before is the caller's to check (the store keeps the
// ids it has seen).
func (hs *Hosts) Verify(token, audience, origin string, now time.Time) (*Host, Claims, error) {
	var c Claims
	if len(token) > maxToken {
		return nil, c, refuse(Malformed, "%d bytes", len(token))
	}
	// Only the algorithms any host may use are parsed; a token's own
	// algorithm is then held against its host's.
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.EdDSA, jose.HS256})
	if err != nil {
		if strings.Contains(err.Error(), "unexpected signature algorithm") {
			return nil, c, &Refusal{Reason: Algorithm, Err: err}
		}
		return nil, c, &Refusal{Reason: Malformed, Err: err}
	}
	if len(tok.Headers) != 1 {
		return nil, c, refuse(Malformed, "%d signatures", len(tok.Headers))
	}
	var unverified jwt.Claims
	if err := tok.UnsafeClaimsWithoutVerification(&unverified); err != nil {
		return nil, c, &Refusal{Reason: Malformed, Err: err}
	}
	h := hs.Host(unverified.Issuer)
	if h == nil {
		return nil, c, refuse(UnknownHost, "iss %q", unverified.Issuer)
	}
	head := tok.Headers[0]
	if head.Algorithm != string(h.Algorithm()) {
		return h, c, refuse(Algorithm, "%s token for a host that signs with %s", head.Algorithm, h.Algorithm())
	}
	key, ok := h.key(head.KeyID)
	if !ok {
		return h, c, refuse(UnknownKey, "kid %q", head.KeyID)
	}
	if err := tok.Claims(key.Key, &c); err != nil {
		return h, c, &Refusal{Reason: Signature, Err: err}
	}
	if c.IssuedAt == nil || c.Expiry == nil {
		return h, c, refuse(Lifetime, "iat and exp are required")
	}
	if life := c.Expiry.Time().Sub(c.IssuedAt.Time()); life > MaxLifetime || life <= 0 {
		return h, c, refuse(Lifetime, "valid for %s (at most %s)", life, MaxLifetime)
	}
	err = c.Claims.ValidateWithLeeway(jwt.Expected{Issuer: h.ID, AnyAudience: jwt.Audience{audience}, Time: now}, Skew)
	switch {
	case errors.Is(err, jwt.ErrInvalidAudience):
		return h, c, refuse(Audience, "aud %q, this portal is %q", []string(c.Audience), audience)
	case errors.Is(err, jwt.ErrExpired):
		return h, c, refuse(Expired, "expired at %s, now %s", c.Expiry.Time().UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	case errors.Is(err, jwt.ErrIssuedInTheFuture), errors.Is(err, jwt.ErrNotValidYet):
		return h, c, refuse(Future, "issued at %s, now %s", c.IssuedAt.Time().UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	case err != nil:
		return h, c, &Refusal{Reason: Malformed, Err: err}
	}
	if err := c.check(); err != nil {
		return h, c, err
	}
	if !h.AllowsOrigin(origin) {
		return h, c, refuse(WrongOrigin, "framed by %q, host's origins %q", origin, h.Origins)
	}
	if !h.SpeaksFor(c.Org) {
		return h, c, refuse(Organization, "org %q", c.Org)
	}
	return h, c, nil
}

// check refuses claims the portal cannot act on.
func (c *Claims) check() error {
	if a, err := mail.ParseAddress(c.Subject); err != nil || a.Address != strings.TrimSpace(c.Subject) || len(c.Subject) > 254 {
		return refuse(MissingClaim, "sub %q is not an email address", c.Subject)
	}
	if c.ID == "" || len(c.ID) > 200 {
		return refuse(MissingClaim, "jti: required, at most 200 bytes")
	}
	if !accountRE.MatchString(c.Org) {
		return refuse(MissingClaim, "org %q is not an account number", c.Org)
	}
	// A name is shown to agents: nothing invisible in it (a name of
	// zero-width spaces is no name; the email's local part stands in).
	c.Name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) || unicode.IsControl(r) {
			return -1
		}
		return r
	}, c.Name))
	if len([]rune(c.Name)) > 100 {
		return refuse(MissingClaim, "name: at most 100 characters")
	}
	if c.Ctx != nil {
		x := c.Ctx
		if !x.Kind.Valid() || !ticket.ValidExternalID(x.ExternalID) {
			return refuse(BadContext, "ctx names no record (kind %q, externalId %q)", x.Kind, x.ExternalID)
		}
		if x.Title != "" {
			in := x.Input()
			in.Clean()
			if err := in.Check(); err != nil {
				return &Refusal{Reason: BadContext, Err: err}
			}
		}
	}
	return nil
}

// Input is the record as the integration API would receive it.
func (x Context) Input() ticket.RecordInput {
	return ticket.RecordInput{Title: x.Title, Fields: x.Fields, URL: x.URL}
}
