package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/seed"
)

// Diego (es) corrects his name: a refused change names every bad field
// in his language and changes nothing; an accepted one is his profile and
// the name others see.
func TestProfileUpdate(t *testing.T) {
	srv, _ := mustDemo(t, api.Config{})
	c := newClient(t, srv)
	c.lang = "es"
	c.login(seed.DiegoEmail)
	var me ticket.Me
	c.get("/api/v1/me").decode(t, &me)
	if me.Profile == nil || me.Profile.FirstName != "Diego" || me.Profile.LastName != "Durán" || me.Profile.Email != seed.DiegoEmail ||
		me.Profile.Notifications != ticket.NotifyAll || !me.Profile.HasPassword {
		t.Fatalf("profile = %+v", me.Profile)
	}

	r := c.send("PATCH", "/api/v1/me", map[string]string{"firstName": "D", "lastName": "Dur4n", "phone": "llámame", "notifications": "weekly"})
	e := mustError(t, r, 422, ticket.CodeUnprocessable)
	var body struct {
		Error struct {
			Fields []ticket.FieldError `json:"fields"`
		} `json:"error"`
	}
	r.decode(t, &body)
	want := map[string]string{"firstName": "ErrFirstNameInvalid", "lastName": "ErrLastNameInvalid", "phone": "ErrPhoneInvalid", "notifications": "ErrNotificationsInvalid"}
	if len(body.Error.Fields) != len(want) {
		t.Fatalf("fields %+v (%s), want %v", body.Error.Fields, e.Error.Message, want)
	}
	for _, f := range body.Error.Fields {
		if want[f.Field] != f.MessageID || f.Message == "" || f.Message == f.MessageID {
			t.Errorf("field %+v, want %s translated", f, want[f.Field])
		}
		if f.Field == "firstName" && !strings.Contains(f.Message, "2") {
			t.Errorf("first name message %q does not say how many letters", f.Message)
		}
	}
	c.get("/api/v1/me").decode(t, &me)
	if me.Profile.FirstName != "Diego" || me.Profile.Phone != "" {
		t.Errorf("a refused change changed the profile: %+v", me.Profile)
	}

	r = c.send("PATCH", "/api/v1/me", map[string]string{"firstName": " Diego ", "lastName": "Núñez  García", "phone": "+34 912 345 678", "notifications": "replies"})
	if r.status != 200 {
		t.Fatalf("PATCH: %d %s", r.status, r.body)
	}
	r.decode(t, &me)
	if p := me.Profile; p.FirstName != "Diego" || p.LastName != "Núñez García" || p.Phone != "+34 912 345 678" || p.Notifications != ticket.NotifyReplies {
		t.Errorf("profile after the change = %+v", p)
	}
	if me.User.Name != "Diego Núñez García" {
		t.Errorf("name = %q", me.User.Name)
	}
	var again ticket.Me
	c.get("/api/v1/me").decode(t, &again)
	if again.User.Name != "Diego Núñez García" || again.Profile.Phone != "+34 912 345 678" {
		t.Errorf("GET /me after the change: %+v %+v", again.User, again.Profile)
	}
	// Only what is sent changes.
	c.send("PATCH", "/api/v1/me", map[string]string{"locale": "fr"}).decode(t, &again)
	if again.Profile.LastName != "Núñez García" || again.Profile.Locale != "fr" || again.User.Locale != "fr" {
		t.Errorf("after a language change: %+v", again.Profile)
	}
}

// A password change needs the current password and a good new one; then
// every session of the user ends at once — the other device's too, its
// live socket closes — and their cookies say why. The old password no
// longer opens a session, the new one does.
func TestPasswordChangeEndsEverySession(t *testing.T) {
	srv, _ := mustDemo(t, api.Config{})
	here, there := newClient(t, srv), newClient(t, srv)
	here.lang = "es"
	here.login(seed.DiegoEmail)
	there.login(seed.DiegoEmail)

	header := http.Header{"Origin": {srv.URL}}
	for _, ck := range there.http.Jar.Cookies(mustURL(t, srv.URL)) {
		header.Add("Cookie", ck.Name+"="+ck.Value)
	}
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/api/v1/events", header)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()

	const good = "tres tristes tigres comen"
	cases := []struct {
		current, new, field, id string
	}{
		{"", good, "current", "ErrPasswordRequired"},
		{seed.Password, "kurz", "new", "ErrPasswordTooShort"},
		{seed.Password, "qwerty123456", "new", "ErrPasswordCommon"},
		{seed.Password, "diego@clinica-sol.example", "new", "ErrPasswordPersonal"},
		{"not the password", good, "current", "ErrCurrentPasswordWrong"},
	}
	for _, c := range cases {
		r := here.send("POST", "/api/v1/me/password", ticket.PasswordChange{Current: c.current, New: c.new})
		e := mustError(t, r, 422, ticket.CodeUnprocessable)
		if e.Error.Field != c.field || !strings.Contains(string(r.body), c.id) {
			t.Errorf("%q → %q: %s, want %s on %s", c.current, c.new, r.body, c.id, c.field)
		}
	}
	if r := here.get("/api/v1/me"); r.status != 200 {
		t.Fatalf("a refused change ended the session: %d", r.status)
	}

	if r := here.send("POST", "/api/v1/me/password", ticket.PasswordChange{Current: seed.Password, New: good}); r.status != 204 {
		t.Fatalf("change: %d %s", r.status, r.body)
	}
	for name, c := range map[string]*client{"this browser": here, "the other device": there} {
		if e := mustError(t, c.get("/api/v1/me"), 401, ticket.CodeUnauthorized); e.Error.MessageID != "ErrPasswordChangedLogin" {
			t.Errorf("%s: %s, want ErrPasswordChangedLogin", name, e.Error.MessageID)
		}
	}
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		if _, _, err := ws.ReadMessage(); err != nil {
			if ne, ok := err.(interface{ Timeout() bool }); ok && ne.Timeout() {
				t.Fatal("the other device's live socket stayed open")
			}
			break
		}
	}
	mustError(t, newClient(t, srv).send("POST", "/api/v1/login", ticket.Credentials{Email: seed.DiegoEmail, Password: seed.Password}), 401, ticket.CodeUnauthorized)
	if r := newClient(t, srv).send("POST", "/api/v1/login", ticket.Credentials{Email: seed.DiegoEmail, Password: good}); r.status != 200 {
		t.Errorf("login with the new password: %d %s", r.status, r.body)
	}
}
