package demohost

// How a host signs its users in to supportal: the server half of the
// integration (static/host.js is the page half); a real host copies both.
// The host's page fetches a token (POST /token, same origin, the host's own
// session cookie) each time the frame asks: who the user is, their account
// and record, signed with a private key whose public half the portal has.

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// claims are what a token says (the portal's server/embed.Claims).
type claims struct {
	jwt.Claims         // iss: the host's id; aud: the portal's origin; sub: the user's email; iat, exp, jti
	Org        string  `json:"org"`    // the account number the user works in
	Name       string  `json:"name"`   // the user's name, and
	Locale     string  `json:"locale"` // language (de, en, es, fr): a new user is created with them
	Ctx        *ctxRec `json:"ctx,omitempty"`
	Kiosk      bool    `json:"kiosk"` // a shared terminal: the session ends when idle
}

// ctxRec is the record the user looks at: the portal creates or updates
// it from the title and fields, and shows the user its tickets.
type ctxRec struct {
	Kind       string  `json:"kind"` // claim, remittance, eligibility, asset…
	ExternalID string  `json:"externalId"`
	Title      string  `json:"title"`
	Fields     []field `json:"fields,omitempty"`
	URL        string  `json:"url,omitempty"` // the record's page in the host
}

// signer signs tokens with the host's Ed25519 key.
type signer struct {
	sig              jose.Signer
	issuer, audience string // the host's id (iss) and the portal's origin (aud)
}

// newSigner makes a key; the public one is for the portal's hosts file
// ({"kty":"OKP","crv":"Ed25519","kid":…,"alg":"EdDSA","x":…}).
func newSigner(issuer, audience, kid string) (*signer, jose.JSONWebKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, jose.JSONWebKey{}, err
	}
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: jose.JSONWebKey{Key: priv, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return nil, jose.JSONWebKey{}, err
	}
	return &signer{sig: sig, issuer: issuer, audience: audience},
		jose.JSONWebKey{Key: pub, KeyID: kid, Algorithm: string(jose.EdDSA)}, nil
}

// sign returns a token for u in lang beside ctx (or none), valid for 50 s.
func (s *signer) sign(u user, lang string, ctx *ctxRec, kiosk bool, now time.Time) (string, error) {
	jti := make([]byte, 16)
	rand.Read(jti)
	return jwt.Signed(s.sig).Claims(claims{
		Claims: jwt.Claims{Issuer: s.issuer, Audience: jwt.Audience{s.audience}, Subject: u.Email,
			IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(50 * time.Second)), ID: hex.EncodeToString(jti)},
		Org: u.Account, Name: u.Name, Locale: lang, Ctx: ctx, Kiosk: kiosk,
	}).Serialize()
}

// token answers POST /token {record?: {kind, externalId}, kiosk?} with
// {token}: for the user of the host's own session, never one the page names.
func (d *Demo) token(w http.ResponseWriter, r *http.Request) {
	// Only the host's own pages may ask (another site's page could post with the cookie).
	if r.Header.Get("Origin") != d.origin || r.Header.Get("Content-Type") != "application/json" {
		http.Error(w, "cross-origin request refused", http.StatusForbidden)
		return
	}
	u, ok := d.user(r)
	if !ok {
		http.Error(w, "not signed in", http.StatusUnauthorized)
		return
	}
	var req struct {
		Record *struct{ Kind, ExternalID string }
		Kiosk  bool
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10)).Decode(&req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	var ctx *ctxRec
	if req.Record != nil {
		// The page names the record; its title and fields come from the host's data, in the user's account.
		rec, ok := findRecord(u.Account, req.Record.Kind, req.Record.ExternalID)
		if !ok {
			http.Error(w, "no such record", http.StatusNotFound)
			return
		}
		ctx = &ctxRec{Kind: rec.Kind, ExternalID: rec.ID, Title: rec.Title, Fields: rec.Fields, URL: d.origin + rec.page()}
	}
	tok, err := d.signer.sign(u, d.lang(r), ctx, req.Kiosk, time.Now())
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(map[string]string{"token": tok})
}
