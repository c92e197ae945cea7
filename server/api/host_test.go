package api_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
)

func mustPublicURL(t *testing.T, s string) *url.URL {
	t.Helper()
	if s == "" {
		return nil
	}
	u, err := api.ParsePublicURL(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestParsePublicURL(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"https://support.example.com", "https://support.example.com", ""},
		{"https://Support.Example.com/", "https://support.example.com", ""},
		{"http://10.0.0.5:8080", "http://10.0.0.5:8080", ""},
		{"https://[2001:db8::1]:8443", "https://[2001:db8::1]:8443", ""},
		{"support.example.com", "", "must start with https:// or http://"},
		{"ftp://support.example.com", "", "must start with https:// or http://"},
		{"https://", "", "has no host"},
		{"https://support.example.com/portal", "", "has a path"},
		{"https://support.example.com/?a=b", "", "only a scheme, a host"},
		{"https://user@support.example.com", "", "only a scheme, a host"},
		{"https://support.example.com:99999", "", "bad port"},
	}
	for _, tt := range tests {
		u, err := api.ParsePublicURL(tt.in)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("ParsePublicURL(%q) error = %v, want %q", tt.in, err, tt.err)
		case tt.err == "" && err != nil:
			t.Errorf("ParsePublicURL(%q): %v", tt.in, err)
		case tt.err == "" && u.String() != tt.want:
			t.Errorf("ParsePublicURL(%q) = %s, want %s", tt.in, u, tt.want)
		}
	}
}

func mustEmptyAPI(t *testing.T, cfg api.Config) *api.Server {
	t.Helper()
	db, err := store.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return api.New(db, cfg)
}

// TestGuardHosts: which Host names are answered, with and without a
// public URL; refusals are 421, structured on API paths.
func TestGuardHosts(t *testing.T) {
	tests := []struct {
		public string
		host   string
		ok     bool
	}{
		// Without a public URL: localhost and IP addresses only, so a
		// DNS name re-pointed at the server (DNS rebinding) is refused.
		{"", "127.0.0.1:8080", true},
		{"", "localhost:8080", true},
		{"", "LOCALHOST.", true},
		{"", "[::1]:8080", true},
		{"", "192.168.1.20:8080", true},
		{"", "attacker.example", false},
		{"", "attacker.example:8080", false},
		{"", "localhost.attacker.example", false},
		{"", "", false},
		// With one: its host (and port) only.
		{"https://support.example.com", "support.example.com", true},
		{"https://support.example.com", "Support.Example.COM:443", true},
		{"https://support.example.com", "support.example.com.", true},
		{"https://support.example.com", "support.example.com:8443", false},
		{"https://support.example.com", "attacker.example", false},
		{"https://support.example.com", "127.0.0.1:8080", false},
		{"https://support.example.com", "localhost", false},
		{"http://10.0.0.5:8080", "10.0.0.5:8080", true},
		{"http://10.0.0.5:8080", "10.0.0.5", false},
		{"http://10.0.0.5:8080", "10.0.0.6:8080", false},
		{"https://[2001:db8::1]", "[2001:db8:0::1]:443", true},
	}
	for _, tt := range tests {
		a := mustEmptyAPI(t, api.Config{PublicURL: mustPublicURL(t, tt.public)})
		page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "page") })
		mux := http.NewServeMux()
		mux.Handle("/api/", a)
		mux.Handle("/", page)
		h := a.Guard(mux)
		for _, path := range []string{"/", "/api/v1/me"} {
			req := httptest.NewRequest("GET", path, nil)
			req.Host = tt.host
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			res := response{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
			switch {
			case tt.ok && res.status == http.StatusMisdirectedRequest:
				t.Errorf("public URL %q, Host %q, %s: refused (%s), want answered", tt.public, tt.host, path, res.body)
			case !tt.ok && path == "/":
				if res.status != http.StatusMisdirectedRequest || !strings.HasPrefix(res.header.Get("Content-Type"), "text/plain") {
					t.Errorf("public URL %q, Host %q, %s: %d %q %s, want 421 text/plain", tt.public, tt.host, path, res.status, res.header.Get("Content-Type"), res.body)
				}
			case !tt.ok:
				t.Run(tt.public+" "+tt.host, func(t *testing.T) {
					e := mustError(t, res, http.StatusMisdirectedRequest, api.CodeMisdirected)
					if e.Error.MessageID != "ErrMisdirected" {
						t.Errorf("messageId = %q, want ErrMisdirected", e.Error.MessageID)
					}
				})
			}
		}
	}
}

// TestGuardRebinding: the DNS-rebinding shape, Host and Origin both the
// attacker's name, is refused before it reaches the login.
func TestGuardRebinding(t *testing.T) {
	_, _, a := mustDemoAPI(t, api.Config{})
	srv := httptest.NewServer(a.Guard(a))
	t.Cleanup(srv.Close)
	c := newClient(t, srv)
	body := `{"email":"` + seed.ClaireEmail + `","password":"` + seed.Password + `"}`
	for _, host := range []string{"attacker.example", "attacker.example:" + strconv.Itoa(srv.Listener.Addr().(*net.TCPAddr).Port)} {
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/login", strings.NewReader(body))
		req.Host = host
		req.Header.Set("Origin", "http://"+host)
		req.Header.Set("Content-Type", "application/json")
		res, err := c.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		mustError(t, response{res.StatusCode, res.Header, b}, http.StatusMisdirectedRequest, api.CodeMisdirected)
		if len(res.Cookies()) != 0 {
			t.Errorf("Host %s: a refused login set cookies %v", host, res.Cookies())
		}
	}
	c.login(seed.ClaireEmail) // its own address still works
}

func TestGuardHSTS(t *testing.T) {
	for _, tt := range []struct {
		public, host, want string
	}{
		{"https://support.example.com", "support.example.com", "max-age=31536000"},
		{"https://support.example.com", "attacker.example", "max-age=31536000"},
		{"http://support.example.com", "support.example.com", ""},
		{"", "127.0.0.1", ""},
	} {
		a := mustEmptyAPI(t, api.Config{PublicURL: mustPublicURL(t, tt.public)})
		req := httptest.NewRequest("GET", "/api/v1/me", nil)
		req.Host = tt.host
		w := httptest.NewRecorder()
		a.Guard(a).ServeHTTP(w, req)
		if got := w.Header().Get("Strict-Transport-Security"); got != tt.want {
			t.Errorf("public URL %q, Host %s: Strict-Transport-Security = %q, want %q", tt.public, tt.host, got, tt.want)
		}
	}
}

// TestSessionCookieFlags: the session cookie is Secure and __Host- when
// the browser speaks HTTPS: by the public URL, or by X-Forwarded-Proto
// from a trusted proxy only.
func TestSessionCookieFlags(t *testing.T) {
	local := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	tests := []struct {
		name    string
		public  string
		trusted []netip.Prefix
		proto   string
		secure  bool
	}{
		{"plain http", "", nil, "", false},
		{"https public URL", "https://support.example.com", nil, "", true},
		{"http public URL, even if a proxy says https", "http://support.example.com", local, "https", false},
		{"trusted proxy says https", "", local, "https", true},
		{"trusted proxy says http", "", local, "http", false},
		{"untrusted client says https", "", nil, "https", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := mustDemo(t, api.Config{PublicURL: mustPublicURL(t, tt.public), TrustedProxies: tt.trusted})
			body := `{"email":"` + seed.ClaireEmail + `","password":"` + seed.Password + `"}`
			var header []string
			if tt.proto != "" {
				header = []string{"X-Forwarded-Proto", tt.proto}
			}
			r := newClient(t, srv).do("POST", "/api/v1/login", "application/json", []byte(body), header...)
			if r.status != 200 {
				t.Fatalf("login: %d %s", r.status, r.body)
			}
			cookie := r.header.Get("Set-Cookie")
			wantName := "supportal_session="
			if tt.secure {
				wantName = "__Host-supportal_session="
			}
			if !strings.HasPrefix(cookie, wantName) || strings.Contains(cookie, "; Secure") != tt.secure {
				t.Fatalf("Set-Cookie = %q, want %s… Secure %v", cookie, wantName, tt.secure)
			}
			// The session is read from its own cookie only: over https a
			// cookie without the prefix may have been planted by a sibling
			// host or over plain http (login CSRF).
			token := strings.TrimPrefix(strings.SplitN(cookie, ";", 2)[0], wantName)
			other := "__Host-supportal_session="
			if tt.secure {
				other = "supportal_session="
			}
			if r := newClient(t, srv).do("GET", "/api/v1/me", "", nil, append([]string{"Cookie", wantName + token}, header...)...); r.status != 200 {
				t.Errorf("its own cookie: %d, want 200", r.status)
			}
			if r := newClient(t, srv).do("GET", "/api/v1/me", "", nil, append([]string{"Cookie", other + token}, header...)...); r.status != 401 {
				t.Errorf("the session under the other cookie name %s: %d, want 401", other, r.status)
			}
		})
	}
}

func TestPublicURLExposed(t *testing.T) {
	a := mustEmptyAPI(t, api.Config{PublicURL: mustPublicURL(t, "https://support.example.com")})
	u := a.PublicURL()
	if got, want := u.String(), "https://support.example.com"; got != want {
		t.Fatalf("PublicURL() = %s, want %s", got, want)
	}
	u.Host = "changed.example"
	if got := a.PublicURL().Host; got != "support.example.com" {
		t.Fatalf("PublicURL() can be changed by its caller: %s", got)
	}
	if u := mustEmptyAPI(t, api.Config{}).PublicURL(); u != nil {
		t.Fatalf("PublicURL() without one = %v, want nil", u)
	}
}
