package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store/pgtest"
)

// nodeEnv, when set, makes the test binary a supportal node: it runs the
// server with the JSON-encoded arguments and exits (see TestMain). The
// tests of several nodes start such processes, so that one can be killed.
const nodeEnv = "SUPPORTAL_TEST_NODE"

func TestMain(m *testing.M) {
	if args := os.Getenv(nodeEnv); args != "" {
		var a []string
		if err := json.Unmarshal([]byte(args), &a); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
		defer stop()
		if err := run(ctx, a); err != nil {
			fmt.Fprintln(os.Stderr, "supportal:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

// node is a supportal process of the test.
type node struct {
	base string
	cmd  *exec.Cmd
	done chan struct{}
}

// startNode starts a supportal node with args and waits until it serves.
func startNode(t *testing.T, args ...string) *node {
	t.Helper()
	addr := freeAddr(t)
	a, _ := json.Marshal(append([]string{"-addr", addr}, args...))
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), nodeEnv+"="+string(a))
	cmd.Stderr = &logTail{t: t, name: addr}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	n := &node{base: "http://" + addr, cmd: cmd, done: make(chan struct{})}
	go func() { cmd.Wait(); close(n.done) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-n.done:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			<-n.done
		}
	})
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		res, err := http.Get(n.base + "/api/v1/me")
		if err == nil {
			res.Body.Close()
			return n
		}
		select {
		case <-n.done:
			t.Fatalf("node %s stopped: %v", addr, cmd.ProcessState)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("node %s did not start", addr)
		}
	}
}

// kill ends the node with SIGKILL: nothing is closed in order.
func (n *node) kill() {
	n.cmd.Process.Kill()
	<-n.done
}

// logTail passes a node's log to the test's, line by line.
type logTail struct {
	t    *testing.T
	name string
	mu   sync.Mutex
	buf  []byte
}

func (l *logTail) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	for {
		i := strings.IndexByte(string(l.buf), '\n')
		if i < 0 {
			return len(p), nil
		}
		if line := string(l.buf[:i]); strings.Contains(line, "level=ERROR") || strings.Contains(line, "level=WARN") {
			l.t.Logf("node %s: %s", l.name, line)
		}
		l.buf = l.buf[i+1:]
	}
}

// user is a logged-in client that may talk to any node.
type user struct {
	t   *testing.T
	c   *http.Client
	url *url.URL // any node's: the session cookie is the same for all
}

func logIn(t *testing.T, n *node, email string) *user {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	u := &user{t: t, c: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	u.url, _ = url.Parse(n.base)
	if status, body := u.call(n, "POST", "/api/v1/login", `{"email":"`+email+`","password":"`+seed.Password+`"}`, nil); status != 200 {
		t.Fatalf("login %s: %d %s", email, status, body)
	}
	return u
}

// call sends a request to node n and decodes a JSON answer into v.
func (u *user) call(n *node, method, path, body string, v any) (int, string) {
	req, _ := http.NewRequest(method, n.base+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := u.c.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if v != nil && res.StatusCode < 300 {
		if err := json.Unmarshal(b, v); err != nil {
			u.t.Errorf("%s %s: %v", method, path, err)
		}
	}
	return res.StatusCode, string(b)
}

// reply posts a public reply to ticket number on node n and returns its
// message id (0: not acknowledged).
func (u *user) reply(n *node, number int64, body string) int64 {
	var m ticket.ReplyAnswer
	status, answer := u.call(n, "POST", "/api/v1/tickets/"+strconv.FormatInt(number, 10)+"/messages", `{"body":`+strconv.Quote(body)+`}`, &m)
	if status != 201 {
		if status != 0 { // 0: the node is gone
			u.t.Logf("reply: %d %s", status, answer)
		}
		return 0
	}
	return m.Message.ID
}

// stream is u's live event stream on one node.
type stream struct {
	ws     *websocket.Conn
	frames chan ticket.EventView
	closed chan struct{}
	code   int // the close code, once closed
}

func (u *user) stream(t *testing.T, n *node, after int64) *stream {
	t.Helper()
	header := http.Header{"Origin": {n.base}}
	for _, ck := range u.c.Jar.Cookies(u.url) {
		header.Add("Cookie", ck.Name+"="+ck.Value)
	}
	ws, res, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(n.base, "http")+"/api/v1/events?after="+strconv.FormatInt(after, 10), header)
	if err != nil {
		status := 0
		if res != nil {
			status = res.StatusCode
		}
		t.Fatalf("events on %s: %v (%d)", n.base, err, status)
	}
	t.Cleanup(func() { ws.Close() })
	s := &stream{ws: ws, frames: make(chan ticket.EventView, 100000), closed: make(chan struct{})}
	go func() {
		defer close(s.closed)
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				if ce, ok := err.(*websocket.CloseError); ok {
					s.code = ce.Code
				}
				return
			}
			var ev ticket.EventView
			if err := json.Unmarshal(data, &ev); err == nil {
				s.frames <- ev
			}
		}
	}()
	return s
}

// ticketsOf returns the numbers of up to k tickets u sees, listed on
// node n.
func (u *user) ticketsOf(n *node, k int) []int64 {
	var list struct{ Tickets []struct{ Number int64 } }
	if status, body := u.call(n, "GET", "/api/v1/tickets?limit="+strconv.Itoa(k), "", &list); status != 200 || len(list.Tickets) == 0 {
		u.t.Fatalf("tickets: %d %s", status, body)
	}
	out := make([]int64, len(list.Tickets))
	for i, tk := range list.Tickets {
		out[i] = tk.Number
	}
	return out
}

// twoNodes starts two nodes on one new PostgreSQL database, sharing one
// directory of attachments; the first loads the demo data.
func twoNodes(t *testing.T, aArgs ...string) (a, b *node) {
	url := pgtest.URL(t)
	files := t.TempDir()
	a = startNode(t, append([]string{"-db", url, "-files", files, "-demo", "-data", t.TempDir(), "-live-opens", "-1"}, aArgs...)...)
	b = startNode(t, "-db", url, "-files", files, "-data", t.TempDir(), "-live-opens", "-1")
	return a, b
}

// Two nodes serve one portal: a session opened on A is good on B, a reply
// posted on A reaches a websocket on B and B's answers at once, and a
// logout on A closes B's websocket of that session.
func TestTwoNodesServeOnePortal(t *testing.T) {
	a, b := twoNodes(t)
	anna := logIn(t, a, seed.AnnaEmail)
	sam := logIn(t, b, seed.SamEmail)
	number := anna.ticketsOf(b, 1)[0]
	path := "/api/v1/tickets/" + strconv.FormatInt(number, 10)
	var before struct{ Messages []struct{ Body string } }
	if status, body := anna.call(b, "GET", path, "", &before); status != 200 {
		t.Fatalf("ticket on node B: %d %s", status, body)
	}
	s := anna.stream(t, b, 0)
	// The catch-up ends: everything before is in.
	time.Sleep(200 * time.Millisecond)
	for len(s.frames) > 0 {
		<-s.frames
	}

	const text = "Antwort über Knoten A"
	id := sam.reply(a, number, text)
	if id == 0 {
		t.Fatal("reply on node A not acknowledged")
	}
	// Node B answers with it at once (its kept answer is not served).
	var after struct{ Messages []struct{ Body string } }
	anna.call(b, "GET", path, "", &after)
	if len(after.Messages) != len(before.Messages)+1 || after.Messages[len(after.Messages)-1].Body != text {
		t.Errorf("node B's ticket right after the reply on A: %d messages, want %d ending in the reply", len(after.Messages), len(before.Messages)+1)
	}
	timeout := time.After(10 * time.Second)
	for got := false; !got; {
		select {
		case ev := <-s.frames:
			got = ev.Data.Message != nil && ev.Data.Message.ID == id && ev.Data.Message.Body == text
		case <-s.closed:
			t.Fatalf("node B's stream closed (%d)", s.code)
		case <-timeout:
			t.Fatal("the reply on node A did not reach the websocket on node B within 10 s")
		}
	}

	// A logout on A: B's socket of the session closes, B refuses the cookie.
	cookies := anna.c.Jar.Cookies(anna.url)
	if status, _ := anna.call(a, "POST", "/api/v1/logout", "", nil); status >= 300 {
		t.Fatalf("logout on A: %d", status)
	}
	select {
	case <-s.closed:
		if s.code != websocket.ClosePolicyViolation {
			t.Errorf("node B closed the stream with %d, want %d (session ended)", s.code, websocket.ClosePolicyViolation)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a logout on node A left the session's websocket on node B open")
	}
	req, _ := http.NewRequest("GET", b.base+path, nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("node B with the logged-out session: %d, want 401", res.StatusCode)
	}
}

// A browser following node A resumes on node B after A is killed
// (SIGKILL) and misses nothing, while eight writers post replies to
// tickets of its user on both nodes for 10 s: every acknowledged reply
// reaches the browser exactly once, in event id order.
func TestResumeOnAnotherNodeAfterAKill(t *testing.T) {
	a, b := twoNodes(t)
	anna := logIn(t, a, seed.AnnaEmail)
	numbers := anna.ticketsOf(a, 8)
	s := anna.stream(t, a, 0)

	var mu sync.Mutex
	acked := map[int64]bool{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 8 {
		n := []*node{a, b}[w%2]
		sam := logIn(t, n, seed.SamEmail)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				target := n
				select {
				case <-a.done:
					target = b // A is gone: its writers go on with B
				default:
				}
				if id := sam.reply(target, numbers[w%len(numbers)], fmt.Sprintf("writer %d reply %d", w, i)); id != 0 {
					mu.Lock()
					acked[id] = true
					mu.Unlock()
				}
			}
		}()
	}
	seen := map[int64]int{}
	var last int64
	take := func(ev ticket.EventView) {
		if ev.Type == ticket.EventSync { // caught up, at the place it names
			return
		}
		if ev.ID <= last {
			t.Errorf("event %d (%s, ticket %d, message %v) after %d", ev.ID, ev.Type, ev.Ticket, ev.Data.Message != nil, last)
		}
		last = ev.ID
		if ev.Data.Message != nil {
			seen[ev.Data.Message.ID]++
		}
	}
	killAt := time.After(5 * time.Second)
	for killed := false; !killed; {
		select {
		case ev := <-s.frames:
			take(ev)
		case <-killAt:
			a.kill()
			killed = true
		}
	}
	// What A sent before it died, then B from there.
	<-s.closed
	for len(s.frames) > 0 {
		take(<-s.frames)
	}
	t.Logf("resuming on node B after %d", last)
	s = anna.stream(t, b, last)
	end := time.After(5 * time.Second)
	for running := true; running; {
		select {
		case ev := <-s.frames:
			take(ev)
		case <-end:
			running = false
		}
	}
	close(stop)
	wg.Wait()
	for quiet := time.After(2 * time.Second); ; {
		select {
		case ev := <-s.frames:
			take(ev)
			continue
		case <-quiet:
		}
		break
	}
	mu.Lock()
	defer mu.Unlock()
	if len(acked) < 100 {
		t.Fatalf("only %d replies acknowledged in 10 s", len(acked))
	}
	missed := 0
	for id := range acked {
		if seen[id] != 1 {
			missed++
			if missed <= 5 {
				t.Errorf("reply %d reached the browser %d times, want once", id, seen[id])
			}
		}
	}
	if missed > 0 {
		t.Fatalf("%d of %d acknowledged replies not received exactly once", missed, len(acked))
	}
	t.Logf("%d replies to %d tickets acknowledged on two nodes, node A killed after 5 s; every one received once, in order", len(acked), len(numbers))
}

// A node told to stop (SIGTERM) drains: /readyz says 503 at once while it
// still answers for -drain-wait, then its websockets close with
// "reconnect" (1012) and the browser resumes on the other node.
func TestDrainOnSIGTERM(t *testing.T) {
	a, b := twoNodes(t, "-drain-wait", "2s")
	anna := logIn(t, a, seed.AnnaEmail)
	sam := logIn(t, b, seed.SamEmail)
	numbers := anna.ticketsOf(a, 1)
	s := anna.stream(t, a, 0)
	status := func(n *node, path string) int {
		res, err := http.Get(n.base + path)
		if err != nil {
			return 0
		}
		res.Body.Close()
		return res.StatusCode
	}
	if got := status(a, "/readyz"); got != 200 {
		t.Fatalf("node A ready: %d, want 200", got)
	}
	a.cmd.Process.Signal(syscall.SIGTERM)
	deadline := time.Now().Add(time.Second)
	for status(a, "/readyz") != 503 {
		if time.Now().After(deadline) {
			t.Fatal("node A still ready 1 s after SIGTERM")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := status(a, "/healthz"); got != 200 {
		t.Errorf("draining node A alive: %d, want 200", got)
	}
	if code, _ := anna.call(a, "GET", "/api/v1/tickets?limit=1", "", nil); code != 200 {
		t.Errorf("draining node A answers: %d, want 200 until the wait is over", code)
	}
	var last int64
	select {
	case <-s.closed:
		if s.code != websocket.CloseServiceRestart {
			t.Errorf("node A closed the stream with %d, want %d (reconnect)", s.code, websocket.CloseServiceRestart)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("node A's websocket still open 10 s after SIGTERM")
	}
	for len(s.frames) > 0 {
		if ev := <-s.frames; ev.ID > last {
			last = ev.ID
		}
	}
	select {
	case <-a.done:
	case <-time.After(15 * time.Second):
		t.Fatal("node A did not stop")
	}
	if !a.cmd.ProcessState.Success() {
		t.Errorf("node A stopped with %v", a.cmd.ProcessState)
	}
	s = anna.stream(t, b, last)
	id := sam.reply(b, numbers[0], "Nach dem Umzug auf Knoten B")
	for timeout := time.After(10 * time.Second); ; {
		select {
		case ev := <-s.frames:
			if ev.Data.Message != nil && ev.Data.Message.ID == id {
				return
			}
		case <-timeout:
			t.Fatal("the browser resumed on node B missed the reply")
		}
	}
}

// A portal on its SQLite file moves to PostgreSQL: supportal export, then
// supportal import into a new database, and a node on it serves the same
// tickets to the same users (their sessions too).
func TestMoveToPostgres(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	base, stop := start(t, "-data", dir, "-demo")
	lite := login(t, base, seed.AnnaEmail)
	var before struct{ Tickets []struct{ Number int64 } }
	lite.json("GET", "/api/v1/tickets?limit=500", "", &before)
	stop()

	file := filepath.Join(t.TempDir(), "supportal.export")
	var said strings.Builder
	if err := runExport(ctx, []string{"-data", dir, "-o", file}, io.Discard, &said); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(said.String(), "tickets ") {
		t.Errorf("export said %q, want the counts", said.String())
	}
	if err := runExport(ctx, []string{"-data", dir, "-o", file}, io.Discard, io.Discard); err == nil {
		t.Error("export over an existing file: no error")
	}
	url := pgtest.URL(t)
	said.Reset()
	if err := runImport(ctx, []string{file, "-db", url}, &said); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(said.String(), "counted and checked") {
		t.Errorf("import said %q", said.String())
	}
	if err := runImport(ctx, []string{file, "-db", url}, io.Discard); err == nil || !strings.Contains(err.Error(), "holds data already") {
		t.Errorf("a second import: %v, want it refused", err)
	}

	n := startNode(t, "-db", url, "-files", t.TempDir(), "-data", t.TempDir())
	var after struct{ Tickets []struct{ Number int64 } }
	status := 0
	// The session made on the SQLite node was moved along.
	req, _ := http.NewRequest("GET", n.base+"/api/v1/tickets?limit=500", nil)
	for _, c := range lite.c.Jar.Cookies(mustURL(base)) {
		req.AddCookie(c)
	}
	if res, err := http.DefaultClient.Do(req); err == nil {
		status = res.StatusCode
		json.NewDecoder(res.Body).Decode(&after)
		res.Body.Close()
	}
	if status != 200 || len(after.Tickets) != len(before.Tickets) || len(before.Tickets) == 0 {
		t.Fatalf("on PostgreSQL, with the session of SQLite: %d, %d tickets; want 200 and the %d of before", status, len(after.Tickets), len(before.Tickets))
	}
	for i := range before.Tickets {
		if after.Tickets[i] != before.Tickets[i] {
			t.Fatalf("ticket list differs at %d: %v, want %v", i, after.Tickets[i], before.Tickets[i])
		}
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// A second signal during the drain ends the node at once — SIGINT too,
// which a node started in the background by a script begins ignoring.
func TestSecondSignalStopsAtOnce(t *testing.T) {
	n := startNode(t, "-data", t.TempDir(), "-drain-wait", "60s")
	n.cmd.Process.Signal(syscall.SIGTERM)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		res, err := http.Get(n.base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 503 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("not draining 5 s after SIGTERM")
		}
	}
	start := time.Now()
	n.cmd.Process.Signal(os.Interrupt)
	select {
	case <-n.done:
		if code := n.cmd.ProcessState.ExitCode(); code != 1 {
			t.Errorf("exit status %d after a second signal, want 1", code)
		}
		t.Logf("stopped %v after the second signal", time.Since(start).Round(time.Millisecond))
	case <-time.After(10 * time.Second):
		t.Fatal("a second signal during a 60 s drain did not end the node")
	}
}
