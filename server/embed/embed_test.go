package embed_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/supportal/supportal/server/embed"
)

const portal = "http://localhost:8080"

type keys struct {
	pub  ed25519.PublicKey
	priv ed25519.PrivateKey
}

func newKeys(t *testing.T) keys {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return keys{pub, priv}
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// hostsFile is a hosts file with an EdDSA host and an HS256 host.
func hostsFile(k keys, secret []byte) string {
	return fmt.Sprintf(`{"hosts": [
	{"id": "praxis", "name": "Praxisportal", "origins": ["http://127.0.0.1:8081", "HTTPS://Praxis.Example"],
	 "keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "k1", "alg": "EdDSA", "x": %q}],
	 "organizations": ["100200", "300400"], "provisionUsers": true, "kiosk": {"idleMinutes": 3}},
	{"id": "simple", "name": "Simple host", "origins": ["https://simple.example"],
	 "keys": [{"kty": "oct", "kid": "s1", "alg": "HS256", "k": %q}],
	 "organizations": ["200300"]}
]}`, b64(k.pub), b64(secret))
}

func mustHosts(t *testing.T, k keys, secret []byte) *embed.Hosts {
	t.Helper()
	hs, err := embed.Read(strings.NewReader(hostsFile(k, secret)))
	if err != nil {
		t.Fatal(err)
	}
	return hs
}

// sign signs claims with key under alg and kid (alg "none" writes an
// unsigned token by hand: no library makes one).
func sign(t *testing.T, alg jose.SignatureAlgorithm, kid string, key any, claims any) string {
	t.Helper()
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(s).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func claims(now time.Time) embed.Claims {
	return embed.Claims{
		Claims: jwt.Claims{Issuer: "praxis", Subject: "diego@clinica-sol.example", Audience: jwt.Audience{portal},
			IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(50 * time.Second)), ID: "jti-1"},
		Org: "300400", Name: "Diego Durán", Locale: "es",
		Ctx: &embed.Context{Kind: "claim", ExternalID: "RCL-26-1219", Title: "Radiografía de rodilla"},
	}
}

func TestVerify(t *testing.T) {
	k := newKeys(t)
	secret := []byte("0123456789abcdef0123456789abcdef")
	hs := mustHosts(t, k, secret)
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	other := newKeys(t)
	const origin = "http://127.0.0.1:8081"
	tests := []struct {
		name   string
		token  func() string
		origin string
		want   embed.Reason // "" = accepted
	}{
		{"valid", func() string { return sign(t, jose.EdDSA, "k1", k.priv, claims(now)) }, origin, ""},
		{"valid HS256 host", func() string {
			c := claims(now)
			c.Issuer, c.Org = "simple", "200300"
			return sign(t, jose.HS256, "s1", secret, c)
		}, "https://simple.example", ""},
		{"clock skew tolerated", func() string {
			c := claims(now.Add(20 * time.Second))
			return sign(t, jose.EdDSA, "k1", k.priv, c)
		}, origin, ""},
		{"expired", func() string { return sign(t, jose.EdDSA, "k1", k.priv, claims(now.Add(-2*time.Minute))) }, origin, embed.Expired},
		{"iat in the future", func() string { return sign(t, jose.EdDSA, "k1", k.priv, claims(now.Add(2*time.Minute))) }, origin, embed.Future},
		{"valid too long", func() string {
			c := claims(now)
			c.Expiry = jwt.NewNumericDate(now.Add(10 * time.Minute))
			return sign(t, jose.EdDSA, "k1", k.priv, c)
		}, origin, embed.Lifetime},
		{"no exp", func() string {
			c := claims(now)
			c.Expiry = nil
			return sign(t, jose.EdDSA, "k1", k.priv, c)
		}, origin, embed.Lifetime},
		{"wrong aud", func() string {
			c := claims(now)
			c.Audience = jwt.Audience{"https://evil.example"}
			return sign(t, jose.EdDSA, "k1", k.priv, c)
		}, origin, embed.Audience},
		{"alg none", func() string {
			head := b64([]byte(`{"alg":"none","kid":"k1","typ":"JWT"}`))
			body := b64([]byte(`{"iss":"praxis","sub":"diego@clinica-sol.example","aud":"` + portal + `","org":"300400","jti":"x","iat":` + fmt.Sprint(now.Unix()) + `,"exp":` + fmt.Sprint(now.Unix()+30) + `}`))
			return head + "." + body + "."
		}, origin, embed.Algorithm},
		{"HS256 token for an EdDSA host (public key as secret)", func() string {
			return sign(t, jose.HS256, "k1", append([]byte(nil), k.pub...), claims(now))
		}, origin, embed.Algorithm},
		{"unknown kid", func() string { return sign(t, jose.EdDSA, "k9", k.priv, claims(now)) }, origin, embed.UnknownKey},
		{"signed by another key", func() string { return sign(t, jose.EdDSA, "k1", other.priv, claims(now)) }, origin, embed.Signature},
		{"unknown host", func() string {
			c := claims(now)
			c.Issuer = "stranger"
			return sign(t, jose.EdDSA, "k1", k.priv, c)
		}, origin, embed.UnknownHost},
		{"organization the host may not speak for", func() string {
			c := claims(now)
			c.Org = "200300"
			return sign(t, jose.EdDSA, "k1", k.priv, c)
		}, origin, embed.Organization},
		{"framed by another origin", func() string { return sign(t, jose.EdDSA, "k1", k.priv, claims(now)) }, "https://evil.example", embed.WrongOrigin},
		{"no jti", func() string {
			c := claims(now)
			c.ID = ""
			return sign(t, jose.EdDSA, "k1", k.priv, c)
		}, origin, embed.MissingClaim},
		{"sub not an email", func() string {
			c := claims(now)
			c.Subject = "diego"
			return sign(t, jose.EdDSA, "k1", k.priv, c)
		}, origin, embed.MissingClaim},
		{"ctx of an unknown kind", func() string {
			c := claims(now)
			c.Ctx.Kind = "spaceship"
			return sign(t, jose.EdDSA, "k1", k.priv, c)
		}, origin, embed.BadContext},
		{"not a token", func() string { return "hello" }, origin, embed.Malformed},
		{"too long", func() string { return strings.Repeat("a", 20000) }, origin, embed.Malformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, c, err := hs.Verify(tt.token(), portal, tt.origin, now)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if h == nil || c.Email() == "" || c.ID == "" {
					t.Fatalf("host %v, claims %+v", h, c)
				}
				return
			}
			var r *embed.Refusal
			if !errors.As(err, &r) {
				t.Fatalf("got %v, want a refusal for %s", err, tt.want)
			}
			if r.Reason != tt.want {
				t.Fatalf("refused for %s (%v), want %s", r.Reason, err, tt.want)
			}
		})
	}
}

func TestVerifiedClaims(t *testing.T) {
	k := newKeys(t)
	hs := mustHosts(t, k, []byte("0123456789abcdef0123456789abcdef"))
	now := time.Now()
	c := claims(now)
	c.Subject = "Diego@Clinica-Sol.example"
	c.Name = "  Diego \u202eDur\u200bán "
	c.Kiosk = true
	h, got, err := hs.Verify(sign(t, jose.EdDSA, "k1", k.priv, c), portal, "http://127.0.0.1:8081/", now)
	if err != nil {
		t.Fatal(err)
	}
	if h.ID != "praxis" || h.Kiosk.IdleMinutes != 3 || !h.ProvisionUsers {
		t.Errorf("host %+v", h)
	}
	if got.Email() != "diego@clinica-sol.example" || got.Name != "Diego Durán" || !got.Kiosk || got.Ctx == nil || got.Ctx.ExternalID != "RCL-26-1219" {
		t.Errorf("claims %+v", got)
	}
}

func TestHostsFileErrors(t *testing.T) {
	k := newKeys(t)
	pub := b64(k.pub)
	priv := b64(k.priv.Seed())
	entry := func(s string) string { return `{"hosts": [` + s + `]}` }
	good := `"name": "P", "origins": ["https://p.example"], "organizations": ["100200"]`
	ed := `"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "k1", "alg": "EdDSA", "x": "` + pub + `"}]`
	tests := []struct {
		name, file, want string
	}{
		{"not JSON", `{`, "not a hosts file"},
		{"unknown field", entry(`{"id": "p", ` + good + `, ` + ed + `, "kioskk": {}}`), "unknown field"},
		{"bad id", entry(`{"id": "P Q", ` + good + `, ` + ed + `}`), `host "P Q": id`},
		{"id twice", entry(`{"id": "p", ` + good + `, ` + ed + `}, {"id": "p", ` + good + `, ` + ed + `}`), `host "p": id: named twice`},
		{"no origins", entry(`{"id": "p", "name": "P", "origins": [], "organizations": ["1"], ` + ed + `}`), `host "p": origins`},
		{"origin with a path", entry(`{"id": "p", "name": "P", "origins": ["https://p.example/portal"], "organizations": ["1"], ` + ed + `}`), `host "p": origins: "https://p.example/portal"`},
		{"wildcard origin", entry(`{"id": "p", "name": "P", "origins": ["https://*.example"], "organizations": ["1"], ` + ed + `}`), `host "p": origins`},
		{"no keys", entry(`{"id": "p", ` + good + `, "keys": []}`), `host "p": keys: at least one`},
		{"private key", entry(`{"id": "p", ` + good + `, "keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "k1", "alg": "EdDSA", "x": "` + pub + `", "d": "` + priv + `"}]}`), `never the private one`},
		{"short secret", entry(`{"id": "p", ` + good + `, "keys": [{"kty": "oct", "kid": "s", "alg": "HS256", "k": "c2hvcnQ"}]}`), `at least 32 bytes`},
		{"alg none", entry(`{"id": "p", ` + good + `, "keys": [{"kty": "oct", "kid": "s", "alg": "none", "k": "` + b64(make([]byte, 40)) + `"}]}`), `alg must be EdDSA or HS256`},
		{"two algorithms", entry(`{"id": "p", ` + good + `, "keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "k1", "alg": "EdDSA", "x": "` + pub + `"}, {"kty": "oct", "kid": "s", "alg": "HS256", "k": "` + b64(make([]byte, 40)) + `"}]}`), `one algorithm`},
		{"no kid", entry(`{"id": "p", ` + good + `, "keys": [{"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "x": "` + pub + `"}]}`), `kid required`},
		{"bad account", entry(`{"id": "p", "name": "P", "origins": ["https://p.example"], "organizations": ["10 02"], ` + ed + `}`), `"10 02" is not an account number`},
		{"bad idle", entry(`{"id": "p", ` + good + `, ` + ed + `, "kiosk": {"idleMinutes": -1}}`), `kiosk.idleMinutes`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := embed.Read(strings.NewReader(tt.file))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	hs, err := embed.Read(strings.NewReader(entry(`{"id": "p", ` + good + `, ` + ed + `}`)))
	if err != nil {
		t.Fatal(err)
	}
	if got := hs.Host("p").Kiosk.IdleMinutes; got != embed.DefaultIdleMinutes {
		t.Errorf("idle minutes %v, want the default %v", got, embed.DefaultIdleMinutes)
	}
	if got := hs.Origins(); len(got) != 1 || got[0] != "https://p.example" {
		t.Errorf("origins %q", got)
	}
}

// TestExampleHostsFile: the README's example hosts file is one the
// portal reads.
func TestExampleHostsFile(t *testing.T) {
	f, err := os.Open("../../docs/hosts.example.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	hs, err := embed.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	if hs.Len() != 2 || hs.Host("praxisportal").Algorithm() != jose.EdDSA || hs.Host("billing-cloud").Algorithm() != jose.HS256 {
		t.Fatalf("hosts %+v", hs)
	}
}
