package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/files"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/store"
	"github.com/supportal/supportal/server/store/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

// balancer is a load balancer in front of nodes: it passes every request,
// websockets included, to the node chosen now.
type balancer struct {
	URL    string
	target atomic.Pointer[url.URL]
}

func newBalancer(t *testing.T, to *portal) *balancer {
	t.Helper()
	lb := &balancer{}
	lb.to(to)
	proxy := &httputil.ReverseProxy{Director: func(r *http.Request) {
		u := lb.target.Load()
		r.URL.Scheme, r.URL.Host = u.Scheme, u.Host // r.Host stays: the portal's address is the balancer's
	}, FlushInterval: -1}
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)
	lb.URL = srv.URL
	return lb
}

// to sends the requests from now on to node p.
func (lb *balancer) to(p *portal) {
	u, _ := url.Parse(p.URL)
	lb.target.Store(u)
}

// startNodes starts two portal nodes on one new PostgreSQL database (the
// first loads the demo data), each with its own store connection, live
// hub, caches and notification listener, as two machines would have.
func startNodes(t *testing.T) (a, b *portal) {
	t.Helper()
	t.Parallel()
	if _, err := os.Stat(chromiumPath); err != nil {
		unavailable(t, chromiumPath+" is missing")
	}
	ctx := context.Background()
	dbURL := pgtest.URL(t)
	blobs := files.NewMemory() // the directory both nodes mount
	nodes := make([]*portal, 2)
	for i := range nodes {
		db, err := store.OpenPostgres(ctx, dbURL, store.PostgresOptions{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if i == 0 {
			hash, err := passwordHash()
			if err != nil {
				t.Fatal(err)
			}
			if ok, err := seed.Load(ctx, db, hash, time.Now()); err != nil || !ok {
				t.Fatalf("seed.Load = %v, %v", ok, err)
			}
		}
		p := &portal{DB: db, orgs: map[string]ticket.OrgRef{}, blobs: blobs}
		p.serve(t, "")
		for _, tk := range p.tickets(t, 0) {
			p.orgs[tk.Organization.AccountNumber] = tk.Organization
		}
		nodes[i] = p
	}
	return nodes[0], nodes[1]
}

// Anna works in German through a load balancer in front of two nodes on
// PostgreSQL. Sam answers on the other node: his replies appear on her
// page without a reload and as a badge. The node she is on goes away; the
// balancer sends her to the other one, and her page goes on with the
// replies written meanwhile, without a reload and without logging in
// again.
func TestTwoNodesBehindABalancer(t *testing.T) {
	a, b := startNodes(t)
	ctx := context.Background()
	lb := newBalancer(t, b)
	var open []ticket.Ticket
	for _, tk := range a.tickets(t, a.org(t, "100200").ID) {
		if !tk.Status.Closed() {
			open = append(open, tk)
		}
	}
	if len(open) < 2 {
		t.Fatal("the demo data needs two open tickets of 100200")
	}
	x, y := open[0], open[1]
	sam, _, err := a.DB.UserByEmail(ctx, seed.SamEmail)
	if err != nil {
		t.Fatal(err)
	}
	// Sam writes on node A.
	reply := func(n int64, body string) {
		t.Helper()
		if _, err := a.DB.AddMessage(ctx, ticket.Message{TicketNumber: n, Author: sam.Ref(), Body: body, CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}

	anna := loginTo(t, &portal{URL: lb.URL, DB: b.DB}, "de-DE", seed.AnnaEmail)
	anna.open("/tickets/" + strconv.FormatInt(x.Number, 10))
	anna.waitContains("ticket page", qText("#ticket-subject"), x.Subject)
	anna.waitTrue("live stream connected", jsLiveResumes(userID(t, a, seed.AnnaEmail)))

	reply(x.Number, "Antwort von Knoten A")
	anna.waitContains("the reply written on node A, on her page from node B", qText("section.conversation"), "Antwort von Knoten A")
	reply(y.Number, "Zweite Antwort von Knoten A")
	yNav := `nav.sidenav a[href="/tickets/` + strconv.FormatInt(y.Number, 10) + `"] .badge`
	anna.waitTrue("badge on the other ticket", qExists(yNav))

	// She is typing her answer when node B goes away; the balancer sends
	// everything to node A.
	anna.typeIn("textarea#reply-body", "Ich schaue")
	eval[string](anna, `document.querySelector("textarea#reply-body").dataset.mark = "before"`)
	lb.to(a)
	b.stop()
	reply(x.Number, "Antwort, während Knoten B weg war")
	anna.waitContains("caught up on node A", qText("section.conversation"), "Antwort, während Knoten B weg war")
	anna.waitFalse("connected again", qExists("#live-reconnecting, #offline-bar"))
	// The page was not built anew: the same reply box, with her text and
	// the focus.
	anna.waitTrue("the reply box kept through the move", `document.querySelector("textarea#reply-body")?.dataset.mark === "before"`)
	anna.waitText("her text kept", qValue("textarea#reply-body"), "Ich schaue")
	anna.waitTrue("the reply box keeps the focus", `document.activeElement?.id === "reply-body"`)
	reply(x.Number, "Antwort über Knoten A, live")
	anna.waitContains("live on node A", qText("section.conversation"), "Antwort über Knoten A, live")
	anna.waitTrue("still logged in, the badge still there", qExists(yNav))
	anna.shot("two-nodes-de")

	// No node answers: the balancer says 502. That is offline, as without
	// any answer: the offline bar, not an error.
	a.stop()
	anna.click(`nav.sidenav a[href="/tickets"]`)
	anna.waitTrue("offline shown when the balancer finds no node", qExists("#offline-bar"))
	if body := eval[string](anna, "document.body.innerText"); strings.Contains(body, msg(t, "de", "ErrInternal")) {
		t.Errorf("the balancer's 502 shown as the server's error: %q", body)
	}
	anna.shot("two-nodes-none-de")
	a.restart(t)
	anna.waitFalse("online again when a node answers", qExists("#offline-bar"))
	anna.waitTrue("the list shown", qExists("tr#ticket-row-"+strconv.FormatInt(x.Number, 10)))
}
