package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/seed"
)

// live opens n event websockets of one customer, has an agent reply
// replies times on a ticket of the customer's account and reports the time
// from each send to its arrival on every socket, and the server's resident
// memory (pid).
func live(base string, n, replies, pid int) error {
	customer, err := login(base, seed.DiegoEmail)
	if err != nil {
		return err
	}
	agent, err := login(base, seed.SamEmail)
	if err != nil {
		return err
	}
	// A ticket of the customer's account to reply on.
	var list struct{ Tickets []ticket.TicketView }
	res, err := customer.Get(base + "/api/v1/tickets?open=true&limit=1")
	if err != nil {
		return err
	}
	json.NewDecoder(res.Body).Decode(&list)
	res.Body.Close()
	if len(list.Tickets) == 0 {
		return fmt.Errorf("the customer has no open ticket")
	}
	number := list.Tickets[0].Number

	u, _ := url.Parse(base)
	header := http.Header{"Origin": {base}}
	for _, c := range customer.Jar.Cookies(u) {
		header.Add("Cookie", c.Name+"="+c.Value)
	}
	wsURL := "ws" + strings.TrimPrefix(base, "http") + "/api/v1/events"
	rss0 := rss(pid)

	// Each socket's reader notes when a frame arrived and passes it on as
	// it is: decoding JSON in 10,000 readers on the same cores as the
	// server would measure this program, not the delivery.
	type arrival struct {
		frame []byte
		at    time.Time
	}
	got := make(chan arrival, n*4)
	var ready sync.WaitGroup
	conns := make([]*websocket.Conn, 0, n)
	dialer := *websocket.DefaultDialer
	dialer.HandshakeTimeout = 30 * time.Second
	start := time.Now()
	syncType := []byte(`"type":"` + string(ticket.EventSync) + `"`)
	messageType := []byte(`"type":"` + string(ticket.EventMessageCreated) + `"`)
	for i := 0; i < n; i++ {
		ws, _, err := dialer.Dial(wsURL, header)
		if err != nil {
			return fmt.Errorf("socket %d: %w", i, err)
		}
		conns = append(conns, ws)
		ready.Add(1)
		go func() {
			synced := false
			for {
				_, frame, err := ws.ReadMessage()
				if err != nil {
					if !synced {
						ready.Done()
					}
					return
				}
				now := time.Now()
				switch {
				case !synced && bytes.Contains(frame, syncType):
					synced = true
					ready.Done()
				case bytes.Contains(frame, messageType):
					got <- arrival{frame, now}
				}
			}
		}()
	}
	ready.Wait()
	fmt.Printf("%d sockets open and synced in %v\n", n, time.Since(start).Round(time.Millisecond))
	time.Sleep(2 * time.Second) // let the server settle
	rssIdle := rss(pid)

	var all, lasts []time.Duration
	for r := 0; r < replies; r++ {
		body := "load " + strconv.Itoa(r) + " " + strconv.FormatInt(time.Now().UnixNano(), 36)
		b, _ := json.Marshal(map[string]any{"body": body})
		marker := []byte(`"body":"` + body + `"`)
		sent := time.Now()
		res, err := agent.Post(base+"/api/v1/tickets/"+strconv.FormatInt(number, 10)+"/messages", "application/json", bytes.NewReader(b))
		if err != nil {
			return err
		}
		res.Body.Close()
		if res.StatusCode != 201 {
			return fmt.Errorf("reply: %s", res.Status)
		}
		var last time.Duration
		timeout := time.After(30 * time.Second)
		for seen := 0; seen < n; {
			select {
			case a := <-got:
				if !bytes.Contains(a.frame, marker) {
					continue
				}
				d := a.at.Sub(sent)
				all = append(all, d)
				last = max(last, d)
				seen++
			case <-timeout:
				return fmt.Errorf("reply %d reached %d of %d sockets within 30 s", r, seen, n)
			}
		}
		lasts = append(lasts, last)
	}
	for _, ws := range conns {
		ws.Close()
	}
	inOrder := make([]string, len(lasts))
	for i, d := range lasts {
		inOrder[i] = d.Round(time.Millisecond).String()
	}
	slices.Sort(all)
	slices.Sort(lasts)
	pct := func(ds []time.Duration, p float64) time.Duration { return ds[int(float64(len(ds)-1)*p)] }
	fmt.Printf("replies: %d, deliveries: %d\n", replies, len(all))
	fmt.Printf("send → delivery: p50 %v, p99 %v, max %v\n", pct(all, .5).Round(time.Microsecond), pct(all, .99).Round(time.Microsecond), all[len(all)-1].Round(time.Microsecond))
	fmt.Printf("send → last recipient: median %v, worst %v; reply by reply: %s\n", pct(lasts, .5).Round(time.Microsecond), lasts[len(lasts)-1].Round(time.Microsecond), strings.Join(inOrder, " "))
	if pid != 0 {
		fmt.Printf("server resident memory: %.1f MB before, %.1f MB with %d idle sockets\n", rss0, rssIdle, n)
	}
	return nil
}

// rss returns the resident memory of process pid in MB (0 if unknown).
func rss(pid int) float64 {
	if pid == 0 {
		return 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}
