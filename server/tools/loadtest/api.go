package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/seed"
)

// apiLoad runs each of ops ("create", "reply", "list", "search") with each
// number of clients for d and prints a line per run. Creates are the
// customer's (the demo's Diego, with an Idempotency-Key as the app sends),
// replies the agent's (Sam) on tickets of the customer's account, a
// different ticket per client, the list is the customer's first page and
// the search the customer's for a word of every created ticket. bases are
// the nodes of one portal (comma-separated): client i talks to node i mod
// their number, with the one session.
func apiLoad(bases, ops, clients string, d time.Duration) error {
	nodes := strings.Split(bases, ",")
	base := nodes[0]
	node := func(client int) string { return nodes[client%len(nodes)] }
	var counts []int
	for _, f := range strings.Split(clients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return fmt.Errorf("-clients: %q is not a number of clients", f)
		}
		counts = append(counts, n)
	}
	transport := &http.Transport{MaxIdleConnsPerHost: slices.Max(counts)}
	customer, err := login(base, seed.DiegoEmail)
	if err != nil {
		return err
	}
	agent, err := login(base, seed.SamEmail)
	if err != nil {
		return err
	}
	customer.Transport, agent.Transport = transport, transport

	var me struct{ Memberships []ticket.Membership }
	if err := getJSON(customer, base+"/api/v1/me", &me); err != nil {
		return err
	}
	if len(me.Memberships) == 0 {
		return fmt.Errorf("the customer has no account")
	}
	draft, _ := json.Marshal(ticket.Draft{OrganizationID: me.Memberships[0].Organization.ID, Type: "login_problem", Category: "password",
		Subject: "No puedo iniciar sesión", Description: "Desde esta mañana la contraseña no funciona. ¿Pueden ayudarme?"})
	var keys atomic.Int64
	run0 := strconv.FormatInt(time.Now().UnixNano(), 36)
	key := func() string { return "load-" + run0 + "-" + strconv.FormatInt(keys.Add(1), 10) }

	fmt.Printf("%-7s %7s %9s %9s %8s %8s %8s\n", "op", "clients", "requests", "req/s", "p50 ms", "p99 ms", "max ms")
	for _, op := range strings.Split(ops, ",") {
		for _, n := range counts {
			var do func(client int) error
			switch op = strings.TrimSpace(op); op {
			case "create":
				do = func(client int) error {
					return send(customer, "POST", node(client)+"/api/v1/tickets", draft, key(), http.StatusCreated)
				}
			case "reply":
				var list struct{ Tickets []ticket.TicketView }
				if err := getJSON(customer, base+"/api/v1/tickets?limit="+strconv.Itoa(n), &list); err != nil {
					return err
				}
				if len(list.Tickets) < n {
					return fmt.Errorf("the customer has %d tickets, %d clients need one each (run create first)", len(list.Tickets), n)
				}
				do = func(client int) error {
					body, _ := json.Marshal(map[string]string{"body": "Danke für die Geduld — wir haben das Passwort zurückgesetzt. " + key()})
					return send(agent, "POST", node(client)+"/api/v1/tickets/"+strconv.FormatInt(list.Tickets[client].Number, 10)+"/messages", body, key(), http.StatusCreated)
				}
			case "list":
				do = func(client int) error {
					return send(customer, "GET", node(client)+"/api/v1/tickets", nil, "", http.StatusOK)
				}
			case "search":
				do = func(client int) error {
					return send(customer, "GET", node(client)+"/api/v1/tickets?q=contrase%C3%B1a", nil, "", http.StatusOK)
				}
			default:
				return fmt.Errorf("-ops: unknown %q (create, reply, list, search)", op)
			}
			r, err := hammer(n, d, do)
			if err != nil {
				return fmt.Errorf("%s with %d clients: %w", op, n, err)
			}
			fmt.Printf("%-7s %7d %9d %9.0f %8.2f %8.2f %8.2f\n", op, n, r.n, r.perSecond, ms(r.p50), ms(r.p99), ms(r.max))
		}
	}
	return nil
}

type result struct {
	n             int
	perSecond     float64
	p50, p99, max time.Duration
}

// hammer calls do from clients goroutines, each one request after the
// other, until d has passed, and sums up their latencies.
func hammer(clients int, d time.Duration, do func(client int) error) (result, error) {
	lats := make([][]time.Duration, clients)
	errs := make([]error, clients)
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				t0 := time.Now()
				if err := do(c); err != nil {
					errs[c] = err
					return
				}
				lats[c] = append(lats[c], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for c := range clients {
		if errs[c] != nil {
			return result{}, errs[c]
		}
		all = append(all, lats[c]...)
	}
	if len(all) == 0 {
		return result{}, fmt.Errorf("no request finished")
	}
	slices.Sort(all)
	pct := func(p float64) time.Duration { return all[min(len(all)-1, int(float64(len(all))*p))] }
	return result{n: len(all), perSecond: float64(len(all)) / elapsed.Seconds(), p50: pct(.50), p99: pct(.99), max: all[len(all)-1]}, nil
}

func send(c *http.Client, method, url string, body []byte, key string, want int) error {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: %s %.200s", method, url, res.Status, b)
	}
	return nil
}

func getJSON(c *http.Client, url string, v any) error {
	res, err := c.Get(url)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, res.Status)
	}
	return json.NewDecoder(res.Body).Decode(v)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
