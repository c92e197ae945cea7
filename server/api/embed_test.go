package api_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/embed"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
)

const hostOrigin = "http://praxis.example"

// embedFixture is the demo API with two hosts: "praxis" (EdDSA, may create
// users, speaks for Sonnenschein and Clínica Sol) and "strict" (HS256,
// creates nobody, speaks for Cabinet Lumière).
type embedFixture struct {
	t      *testing.T
	srv    *httptest.Server
	db     *store.DB
	priv   ed25519.PrivateKey
	secret []byte
	n      int
	hosts  *embed.Hosts
	clock  func() time.Time
}

func mustEmbed(t *testing.T) *embedFixture {
	t.Helper()
	return mustEmbedWith(t, api.Config{})
}

// mustEmbedWith is mustEmbed with cfg (its Hosts are the fixture's).
func mustEmbedWith(t *testing.T, cfg api.Config) *embedFixture {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte("a shared secret of at least 32 bytes, for HS256")
	b64 := base64.RawURLEncoding.EncodeToString
	hosts, err := embed.Read(strings.NewReader(fmt.Sprintf(`{"hosts": [
		{"id": "praxis", "name": "Praxisportal", "origins": [%q],
		 "keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "k1", "alg": "EdDSA", "x": %q}],
		 "organizations": ["100200", "300400", "900100"], "provisionUsers": true, "kiosk": {"idleMinutes": 2}},
		{"id": "strict", "name": "Strict host", "origins": ["https://strict.example"],
		 "keys": [{"kty": "oct", "kid": "s1", "alg": "HS256", "k": %q}],
		 "organizations": ["200300"]}]}`, hostOrigin, b64(pub), b64(secret))))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Hosts = hosts
	srv, db := mustDemo(t, cfg)
	return &embedFixture{t: t, srv: srv, db: db, priv: priv, secret: secret, hosts: hosts}
}

// claims are a token's claims from the praxis host for email in account
// org, issued now.
func (f *embedFixture) claims(email, org string) embed.Claims {
	f.n++
	now := f.now()
	return embed.Claims{
		Claims: jwt.Claims{Issuer: "praxis", Subject: email, Audience: jwt.Audience{f.srv.URL},
			IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(45 * time.Second)), ID: fmt.Sprintf("jti-%d-%d", f.n, now.UnixNano())},
		Org: org, Name: "", Locale: "es",
	}
}

// now is the fixture's clock (the tests' fake one when they set it).
func (f *embedFixture) now() time.Time {
	if f.clock != nil {
		return f.clock()
	}
	return time.Now()
}

func (f *embedFixture) sign(c embed.Claims) string {
	f.t.Helper()
	alg, kid, key := jose.EdDSA, "k1", any(f.priv)
	if c.Issuer == "strict" {
		alg, kid, key = jose.HS256, "s1", f.secret
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
	if err != nil {
		f.t.Fatal(err)
	}
	tok, err := jwt.Signed(s).Claims(c).Serialize()
	if err != nil {
		f.t.Fatal(err)
	}
	return tok
}

// open exchanges a token for a session in a new browser.
func (f *embedFixture) open(token, origin string) (*client, response) {
	c := newClient(f.t, f.srv)
	return c, c.send("POST", "/api/v1/embed/session", ticket.EmbedRequest{Token: token, Origin: origin})
}

func (f *embedFixture) mustOpen(claims embed.Claims) (*client, ticket.Me) {
	f.t.Helper()
	c, r := f.open(f.sign(claims), hostOrigin)
	if r.status != 200 {
		f.t.Fatalf("embed session for %s: %d %s", claims.Subject, r.status, r.body)
	}
	var me ticket.Me
	r.decode(f.t, &me)
	return c, me
}

func TestEmbedSession(t *testing.T) {
	f := mustEmbed(t)
	ctx := context.Background()

	// Diego, from the claim page of his host: the session works in his
	// account, with the claim as its context.
	claims := f.claims(seed.DiegoEmail, "300400")
	claims.Ctx = &embed.Context{Kind: ticket.RecordClaim, ExternalID: "RCL-26-1219"}
	token := f.sign(claims)
	diego, r := f.open(token, hostOrigin)
	if r.status != 200 {
		t.Fatalf("Diego: %d %s", r.status, r.body)
	}
	cookie := r.header.Get("Set-Cookie")
	for _, want := range []string{"__Host-supportal_embed=", "HttpOnly", "Secure", "SameSite=None", "Partitioned", "Path=/"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("Set-Cookie %q lacks %q", cookie, want)
		}
	}
	var me ticket.Me
	r.decode(t, &me)
	claim, err := f.db.RecordByKey(ctx, me.Memberships[0].Organization.ID, ticket.RecordClaim, "RCL-26-1219")
	if err != nil {
		t.Fatal(err)
	}
	if me.Embed == nil || me.Embed.Host != "praxis" || me.Embed.HostName != "Praxisportal" || me.Embed.Record != claim.ID ||
		me.Embed.Kiosk || len(me.Embed.Origins) != 1 || me.Embed.Origins[0] != hostOrigin || me.Embed.ExpiresAt.Before(time.Now().Add(time.Hour)) {
		t.Fatalf("embed = %+v", me.Embed)
	}
	var again ticket.Me
	diego.get("/api/v1/me").decode(t, &again)
	if again.Embed == nil || again.Embed.Record != claim.ID || again.User.Email != seed.DiegoEmail {
		t.Fatalf("GET /me in the frame: %+v", again)
	}

	// The same token again: refused, whoever sends it.
	_, r = f.open(token, hostOrigin)
	if e := mustError(t, r, 401, ticket.CodeUnauthorized); e.Error.MessageID != "ErrEmbedReplay" {
		t.Fatalf("replay: %+v", e)
	}

	// The language the host asked for is the session's: Diego's own stays.
	var changed ticket.Me
	diego.send("PATCH", "/api/v1/me", map[string]string{"locale": "fr"}).decode(t, &changed)
	if changed.User.Locale != "fr" {
		t.Fatalf("session language %q, want fr", changed.User.Locale)
	}
	if u, _, _ := f.db.UserByEmail(ctx, seed.DiegoEmail); u.Locale != "es" {
		t.Fatalf("Diego's own language became %q", u.Locale)
	}

	// Logging out of the frame ends the session and clears its cookie.
	if r := diego.send("POST", "/api/v1/logout", nil); r.status != 204 || !strings.Contains(r.header.Get("Set-Cookie"), "__Host-supportal_embed=;") {
		t.Fatalf("logout: %d %q", r.status, r.header.Get("Set-Cookie"))
	}
	mustNobody(t, diego.get("/api/v1/me"))
}

// TestEmbedSessionOneAccount: a host's session sees only the account its
// token names, though its user is a member of more.
func TestEmbedSessionOneAccount(t *testing.T) {
	f := mustEmbed(t)
	anna, me := f.mustOpen(f.claims(seed.AnnaEmail, "100200"))
	if len(me.Memberships) != 1 || me.Memberships[0].Organization.AccountNumber != "100200" {
		t.Fatalf("memberships %+v, want Praxis Sonnenschein only", me.Memberships)
	}
	var page struct{ Tickets []ticket.TicketView }
	anna.get("/api/v1/tickets?limit=200").decode(t, &page)
	if len(page.Tickets) == 0 {
		t.Fatal("Anna lists no ticket in the frame")
	}
	for _, tk := range page.Tickets {
		if tk.Organization.AccountNumber != "100200" {
			t.Fatalf("the frame lists ticket %d of account %s", tk.Number, tk.Organization.AccountNumber)
		}
	}
	potsdam := firstTicket(t, f.db, "100201", 0)
	mustError(t, anna.get(fmt.Sprintf("/api/v1/tickets/%d", potsdam.Number)), 404, ticket.CodeNotFound)
	// Her login (a password) still sees both accounts, and its answers are
	// not the frame's (the answer cache keeps them apart).
	portal := newClient(t, f.srv)
	portal.login(seed.AnnaEmail)
	if r := portal.get(fmt.Sprintf("/api/v1/tickets/%d", potsdam.Number)); r.status != 200 {
		t.Fatalf("Anna's own login: %d", r.status)
	}
	var all struct{ Tickets []ticket.TicketView }
	portal.get("/api/v1/tickets?limit=200").decode(t, &all)
	if len(all.Tickets) <= len(page.Tickets) {
		t.Fatalf("Anna's login lists %d tickets, the frame %d", len(all.Tickets), len(page.Tickets))
	}
}

func TestEmbedSessionRefusals(t *testing.T) {
	f := mustEmbed(t)
	expired := f.claims(seed.DiegoEmail, "300400")
	expired.IssuedAt = jwt.NewNumericDate(time.Now().Add(-5 * time.Minute))
	expired.Expiry = jwt.NewNumericDate(time.Now().Add(-4*time.Minute - 30*time.Second))
	strict := f.claims("nobody@cabinet-lumiere.example", "200300")
	strict.Issuer = "strict"
	strict.Audience = jwt.Audience{f.srv.URL}
	wrongAud := f.claims(seed.DiegoEmail, "300400")
	wrongAud.Audience = jwt.Audience{"https://support.other.example"}
	tests := []struct {
		name   string
		token  string
		origin string
		status int
		code   ticket.Code
		id     string
	}{
		{"expired", f.sign(expired), hostOrigin, 401, ticket.CodeUnauthorized, "ErrEmbedExpired"},
		{"framed by another origin", f.sign(f.claims(seed.DiegoEmail, "300400")), "https://evil.example", 403, ticket.CodeForbidden, "ErrEmbedOrigin"},
		{"account the host may not speak for", f.sign(f.claims(seed.ClaireEmail, "200300")), hostOrigin, 403, ticket.CodeForbidden, "ErrEmbedAccount"},
		{"unknown account", f.sign(f.claims(seed.DiegoEmail, "999999")), hostOrigin, 403, ticket.CodeForbidden, "ErrEmbedAccount"},
		{"unknown user, host creates nobody", f.sign(strict), "https://strict.example", 403, ticket.CodeForbidden, "ErrEmbedNoAccess"},
		{"support staff", f.sign(f.claims(seed.SamEmail, "100200")), hostOrigin, 403, ticket.CodeForbidden, "ErrEmbedNoAccess"},
		{"no ticket access", f.sign(f.claims(seed.CarlaEmail, "100200")), hostOrigin, 403, ticket.CodeForbidden, "ErrEmbedNoAccess"},
		{"member of another account", f.sign(f.claims(seed.DiegoEmail, "100200")), hostOrigin, 403, ticket.CodeForbidden, "ErrEmbedNoAccess"},
		{"wrong audience", f.sign(wrongAud), hostOrigin, 401, ticket.CodeUnauthorized, "ErrEmbedSignIn"},
		{"not a token", "not.a.token", hostOrigin, 401, ticket.CodeUnauthorized, "ErrEmbedSignIn"},
		{"no token", "", hostOrigin, 400, ticket.CodeInvalid, "ErrEmbedSignIn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, r := f.open(tt.token, tt.origin)
			e := mustError(t, r, tt.status, tt.code)
			if e.Error.MessageID != tt.id {
				t.Fatalf("messageId %q, want %q", e.Error.MessageID, tt.id)
			}
			if strings.Contains(r.header.Get("Set-Cookie"), "supportal_embed") {
				t.Fatal("a refused token set a session cookie")
			}
			mustNobody(t, c.get("/api/v1/me"))
		})
	}
	// Refusals are told in the browser's language.
	c := newClient(t, f.srv)
	c.lang = "de"
	r := c.send("POST", "/api/v1/embed/session", ticket.EmbedRequest{Token: f.sign(expired), Origin: hostOrigin})
	if e := mustError(t, r, 401, ticket.CodeUnauthorized); !strings.Contains(e.Error.Message, "Laden Sie die Seite neu") {
		t.Fatalf("German refusal: %q", e.Error.Message)
	}
	// A page of another site cannot open a session for its visitor.
	r = c.do("POST", "/api/v1/embed/session", "application/json", []byte(`{"token":"x"}`), "Sec-Fetch-Site", "cross-site", "Origin", hostOrigin)
	mustError(t, r, 403, ticket.CodeForbidden)
}

// TestEmbedProvisioning: a host that may create users brings a new person
// in as a member of the token's account, who can file a ticket at once.
func TestEmbedProvisioning(t *testing.T) {
	f := mustEmbed(t)
	claims := f.claims("Lucia.Navarro@clinica-sol.example", "300400")
	claims.Name = "Lucía Navarro"
	claims.Kiosk = true
	claims.Ctx = &embed.Context{Kind: ticket.RecordAsset, ExternalID: "KIOSK-7", Title: "Quiosco de recepción",
		Fields: []ticket.RecordField{{Label: "serialNumber", Value: "KS-7"}}}
	lucia, me := f.mustOpen(claims)
	if me.User.Email != "lucia.navarro@clinica-sol.example" || me.User.Name != "Lucía Navarro" || me.User.Locale != "es" {
		t.Fatalf("new user %+v", me.User)
	}
	if me.Embed == nil || !me.Embed.Kiosk || me.Embed.IdleSeconds != 120 || me.Embed.Record == 0 {
		t.Fatalf("kiosk session %+v", me.Embed)
	}
	var created ticket.TicketAnswer
	r := lucia.send("POST", "/api/v1/tickets", ticket.Draft{OrganizationID: me.Embed.Account, Type: ticket.RecordHelpType, Category: "general", Subject: "El quiosco no imprime", Links: []int64{me.Embed.Record}})
	if r.status != 201 {
		t.Fatalf("ticket from the kiosk: %d %s", r.status, r.body)
	}
	r.decode(t, &created)
	if created.Ticket.Requester.Name != "Lucía Navarro" || len(created.Ticket.Links) != 1 || created.Ticket.Links[0].Record.ExternalID != "KIOSK-7" {
		t.Fatalf("ticket %+v", created.Ticket)
	}
	// The user cannot log in with a password: they have none.
	c := newClient(t, f.srv)
	for _, pw := range []string{"", "!", seed.Password} {
		if r := c.send("POST", "/api/v1/login", map[string]string{"email": "lucia.navarro@clinica-sol.example", "password": pw}); r.status == 200 {
			t.Fatalf("a provisioned user logged in with password %q", pw)
		}
	}
}

// TestRecordUnread: the frame tells its host the unread replies per record.
func TestRecordUnread(t *testing.T) {
	f := mustEmbed(t)
	diego, _ := f.mustOpen(f.claims(seed.DiegoEmail, "300400"))
	var before ticket.RecordUnread
	diego.get("/api/v1/records/unread").decode(t, &before)
	// Sam answers a ticket of Diego's about a claim.
	claims := f.claims(seed.DiegoEmail, "300400")
	claims.Ctx = &embed.Context{Kind: ticket.RecordClaim, ExternalID: "RCL-26-1219"}
	frame, me := f.mustOpen(claims)
	var created ticket.TicketAnswer
	frame.send("POST", "/api/v1/tickets", ticket.Draft{OrganizationID: me.Embed.Account, Type: ticket.RecordHelpType, Category: "general", Subject: "¿Por qué se rechazó?", Links: []int64{me.Embed.Record}}).decode(t, &created)
	sam := newClient(t, f.srv)
	sam.login(seed.SamEmail)
	if r := sam.send("POST", fmt.Sprintf("/api/v1/tickets/%d/messages", created.Ticket.Number), ticket.ReplyRequest{Body: "Falta el código de diagnóstico."}); r.status != 201 {
		t.Fatalf("Sam's reply: %d %s", r.status, r.body)
	}
	var after ticket.RecordUnread
	diego.get("/api/v1/records/unread").decode(t, &after)
	if after.Total != before.Total+1 || after.ByRecord["claim:RCL-26-1219"] != before.ByRecord["claim:RCL-26-1219"]+1 {
		t.Fatalf("unread before %+v, after %+v", before, after)
	}
}

// TestEmbedRefusalSignsOut: a host that switches users never leaves the
// last one signed in, even when the next one's token is refused.
func TestEmbedRefusalSignsOut(t *testing.T) {
	f := mustEmbed(t)
	anna, _ := f.mustOpen(f.claims(seed.AnnaEmail, "100200"))
	r := anna.send("POST", "/api/v1/embed/session", ticket.EmbedRequest{Token: f.sign(f.claims(seed.CarlaEmail, "100200")), Origin: hostOrigin})
	mustError(t, r, 403, ticket.CodeForbidden)
	if c := r.header.Get("Set-Cookie"); !strings.Contains(c, "__Host-supportal_embed=;") {
		t.Fatalf("the refusal kept the frame's cookie: %q", c)
	}
	mustNobody(t, anna.get("/api/v1/me"))
}

// TestEmbedKioskIdleOnServer: a kiosk's session ends on the server after
// its host's idle time (and the countdown, and a minute to spare) without
// use, whatever its page does; use keeps it.
func TestEmbedKioskIdleOnServer(t *testing.T) {
	now := time.Now()
	clock := func() time.Time { return now }
	f := mustEmbedWith(t, api.Config{Now: clock})
	f.clock = clock
	claims := f.claims(seed.BerndEmail, "100200")
	claims.Kiosk = true
	kiosk, _ := f.mustOpen(claims)
	desk, _ := f.mustOpen(f.claims(seed.AnnaEmail, "100200")) // not a kiosk
	// Used every 3 minutes (the frame's keep-alive while someone types):
	// it holds.
	for i := 0; i < 3; i++ {
		now = now.Add(3 * time.Minute)
		if r := kiosk.send("POST", "/api/v1/embed/alive", nil); r.status != 204 {
			t.Fatalf("keep-alive after %d×3 min: %d %s", i+1, r.status, r.body)
		}
	}
	// 2 min idle + 20 s countdown + 1 min: 3 min 20 s without use ends it.
	now = now.Add(3*time.Minute + 30*time.Second)
	mustError(t, kiosk.get("/api/v1/me"), 401, ticket.CodeUnauthorized)
	if r := desk.get("/api/v1/me"); r.status != 200 {
		t.Fatalf("a session that is not a kiosk's ended with it: %d", r.status)
	}
}

// TestEmbedHostRemoved: a host removed from the hosts file has no sessions
// any more, and putting it back does not revive them.
func TestEmbedHostRemoved(t *testing.T) {
	f := mustEmbed(t)
	diego, _ := f.mustOpen(f.claims(seed.DiegoEmail, "300400"))
	cookies := diego.http.Jar.Cookies(mustURL(t, f.srv.URL))
	without, err := embed.Read(strings.NewReader(`{"hosts": []}`))
	if err != nil {
		t.Fatal(err)
	}
	other := httptest.NewServer(api.New(f.db, api.Config{Hosts: without}))
	defer other.Close()
	c := newClient(t, other)
	c.http.Jar.SetCookies(mustURL(t, other.URL), cookies)
	mustError(t, c.get("/api/v1/me"), 401, ticket.CodeUnauthorized)
	// Back on the server that still lists the host: the session is gone.
	mustError(t, diego.get("/api/v1/me"), 401, ticket.CodeUnauthorized)
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
