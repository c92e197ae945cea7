package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/supportal/supportal/server/seed"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// start runs the server like the binary would, until the test stops it.
func start(t *testing.T, args ...string) (base string, stop func()) {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, append([]string{"-addr", addr}, args...)) }()
	base = "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(base + "/api/v1/me")
		if err == nil {
			res.Body.Close()
			break
		}
		select {
		case err := <-done:
			t.Fatalf("server stopped: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return base, func() {
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	}
}

type session struct {
	t    *testing.T
	base string
	c    *http.Client
}

func login(t *testing.T, base, email string) *session {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	s := &session{t: t, base: base, c: &http.Client{Jar: jar}}
	res, err := s.c.Post(base+"/api/v1/login", "application/json", strings.NewReader(`{"email":"`+email+`","password":"demo"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("login %s: %d", email, res.StatusCode)
	}
	return s
}

func (s *session) json(method, path, body string, v any) {
	s.t.Helper()
	req, _ := http.NewRequest(method, s.base+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := s.c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		s.t.Fatalf("%s %s: %d", method, path, res.StatusCode)
	}
	if v != nil {
		json.NewDecoder(res.Body).Decode(v)
	}
}

// TestRestartKeepsData runs the server on a data directory twice, with
// -demo both times: the second start adds nothing and finds what the first
// one stored.
func TestRestartKeepsData(t *testing.T) {
	dir := t.TempDir()
	count := func(base string) int {
		var list struct{ Tickets []json.RawMessage }
		login(t, base, seed.SamEmail).json("GET", "/api/v1/tickets?limit=500", "", &list)
		return len(list.Tickets)
	}

	base, stop := start(t, "-data", dir, "-demo")
	first := count(base)
	if first < 30 {
		t.Fatalf("demo tickets = %d, want >= 30", first)
	}
	login(t, base, seed.DiegoEmail).json("PATCH", "/api/v1/me", `{"locale":"de"}`, nil)
	stop()

	base, stop = start(t, "-data", dir, "-demo")
	defer stop()
	if got := count(base); got != first {
		t.Fatalf("after restart with -demo: %d tickets, want %d", got, first)
	}
	var me struct{ User struct{ Locale string } }
	login(t, base, seed.DiegoEmail).json("GET", "/api/v1/me", "", &me)
	if me.User.Locale != "de" {
		t.Fatalf("locale after restart = %q, want de", me.User.Locale)
	}
}

// TestMemoryModeWritesNothing runs with -memory in an empty working
// directory and checks that nothing appears on disk.
func TestMemoryModeWritesNothing(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	base, stop := start(t, "-memory", "-demo")
	login(t, base, seed.AnnaEmail).json("PATCH", "/api/v1/me", `{"locale":"fr"}`, nil)
	stop()
	entries, err := osReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Fatalf("-memory wrote %v", entries)
	}
}

func osReadDir(dir string) ([]string, error) {
	es, err := os.ReadDir(dir)
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names, err
}

func TestBadCatalogStopsTheServer(t *testing.T) {
	file := t.TempDir() + "/catalog.json"
	os.WriteFile(file, []byte(`{"types":[{"id":"billing","categories":[{"id":"claim","fields":[{"id":"amount","kind":"euros"}]}]}]}`), 0o600)
	err := run(context.Background(), []string{"-memory", "-addr", freeAddr(t), "-catalog", file})
	if err == nil || !strings.Contains(err.Error(), `type "billing" category "claim" field "amount": unknown kind "euros"`) {
		t.Fatalf("run with a bad catalog: %v", err)
	}
}

func TestBadHostsFileStopsTheServer(t *testing.T) {
	file := t.TempDir() + "/hosts.json"
	os.WriteFile(file, []byte(`{"hosts":[{"id":"praxis","name":"Praxisportal","origins":["https://praxis.example/app"],"keys":[],"organizations":["100200"]}]}`), 0o600)
	err := run(context.Background(), []string{"-memory", "-addr", freeAddr(t), "-hosts", file})
	if err == nil || !strings.Contains(err.Error(), `hosts.json: host "praxis": keys: at least one`) {
		t.Fatalf("run with a bad hosts file: %v", err)
	}
}

func TestBadEdgeFlagsStopTheServer(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-public-url", "support.example.com"}, `-public-url: public URL "support.example.com" must start with https:// or http://`},
		{[]string{"-public-url", "https://support.example.com/portal"}, `-public-url: public URL "https://support.example.com/portal" has a path`},
		{[]string{"-trusted-proxies", "10.0.0.0/8,proxy"}, `-trusted-proxies: "proxy" is neither an address nor a CIDR prefix`},
	}
	for _, tt := range tests {
		err := run(context.Background(), append([]string{"-memory", "-addr", freeAddr(t)}, tt.args...))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("run %q: %v, want %q", tt.args, err, tt.want)
		}
	}
}

// TestPublicURLFlag runs behind an imagined https proxy: only the public
// host is answered, with HSTS and a __Host- session cookie.
func TestPublicURLFlag(t *testing.T) {
	base, stop := start(t, "-memory", "-demo", "-public-url", "https://support.example.com", "-trusted-proxies", "127.0.0.1")
	defer stop()
	login := func(host, password string) *http.Response {
		req, _ := http.NewRequest("POST", base+"/api/v1/login", strings.NewReader(`{"email":"`+seed.AnnaEmail+`","password":"`+password+`"}`))
		req.Host = host
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", "203.0.113.50")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	if res := login(strings.TrimPrefix(base, "http://"), "demo"); res.StatusCode != http.StatusMisdirectedRequest {
		t.Fatalf("login at the listen address: %d, want 421", res.StatusCode)
	}
	res := login("support.example.com", "demo")
	if res.StatusCode != 200 {
		t.Fatalf("login at the public host: %d", res.StatusCode)
	}
	if got := res.Header.Get("Strict-Transport-Security"); got != "max-age=31536000" {
		t.Errorf("Strict-Transport-Security = %q", got)
	}
	if c := res.Header.Get("Set-Cookie"); !strings.HasPrefix(c, "__Host-supportal_session=") || !strings.Contains(c, "; Secure") {
		t.Errorf("Set-Cookie = %q, want a Secure __Host- cookie", c)
	}
}

// TestHugeHeaderGetsJSON: the server's listener answers net/http's own
// refusals on API paths with the API's JSON error.
func TestHugeHeaderGetsJSON(t *testing.T) {
	base, stop := start(t, "-memory")
	defer stop()
	req, _ := http.NewRequest("GET", base+"/api/v1/me", nil)
	req.Header.Set("X-Big", strings.Repeat("a", 2<<20))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var e struct {
		Error struct{ Code, MessageID string }
	}
	if err := json.NewDecoder(res.Body).Decode(&e); err != nil || res.StatusCode != 431 || e.Error.Code != "too_large" {
		t.Fatalf("2 MiB header: %d %+v (%v), want 431 too_large", res.StatusCode, e, err)
	}
}

// TestDemoHostFlag: -demo-host serves the practice portal beside the
// portal, and the portal frames its /embed pages for it only.
func TestDemoHostFlag(t *testing.T) {
	hostAddr := freeAddr(t)
	base, stop := start(t, "-memory", "-demo", "-demo-host", hostAddr)
	defer stop()
	res, err := http.Get("http://" + hostAddr + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("the practice portal answers %d", res.StatusCode)
	}
	res, err = http.Get(base + "/embed")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if csp := res.Header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "frame-ancestors 'self' http://"+hostAddr) {
		t.Fatalf("/embed CSP %q does not let the practice portal frame it", csp)
	}
	res, err = http.Get(base + "/tickets")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if csp := res.Header.Get("Content-Security-Policy"); strings.Contains(csp, hostAddr) {
		t.Fatalf("/tickets may be framed by the practice portal: %q", csp)
	}
}
