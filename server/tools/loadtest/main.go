// Command loadtest measures a running supportal.
//
// "loadtest api" measures the API where users wait for a write or a page:
// creates, replies and the first page of the ticket list, each at 1, 16 and
// 64 concurrent clients (keep-alive connections) for a few seconds, and
// prints requests per second and the p50/p99 latency:
//
//	bin/supportal -data /tmp/load -demo -addr 127.0.0.1:8080 &
//	go run ./server/tools/loadtest api -url http://127.0.0.1:8080
//
// "loadtest live" measures live delivery: it opens many event websockets of
// one portal user, has an agent reply on a ticket of that user's account,
// and reports how long each reply took from the moment it was sent to its
// arrival on every socket, and the server's resident memory:
//
//	bin/supportal -memory -demo -addr 127.0.0.1:8080 -live-per-user 20000 -live-opens -1 &
//	go run ./server/tools/loadtest live -url http://127.0.0.1:8080 -sockets 10000 -pid $!
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"os"
	"time"

	"github.com/supportal/supportal/server/seed"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: loadtest api|live [flags] (-h for the flags)")
		os.Exit(2)
	}
	fs := flag.NewFlagSet("loadtest "+os.Args[1], flag.ExitOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "the running portal (api: several nodes of one, comma-separated)")
	var err error
	switch os.Args[1] {
	case "api":
		ops := fs.String("ops", "create,reply,list", "what to measure, in order: create, reply, list, search")
		clients := fs.String("clients", "1,16,64", "concurrent clients of each run")
		d := fs.Duration("duration", 5*time.Second, "how long each run lasts")
		fs.Parse(os.Args[2:])
		err = apiLoad(*base, *ops, *clients, *d)
	case "live":
		sockets := fs.Int("sockets", 50, "websockets to open (all of the customer)")
		replies := fs.Int("replies", 20, "replies to send, one after the other")
		pid := fs.Int("pid", 0, "the server's process id, to report its resident memory")
		fs.Parse(os.Args[2:])
		err = live(*base, *sockets, *replies, *pid)
	default:
		fmt.Fprintln(os.Stderr, "usage: loadtest api|live [flags]")
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// login logs email in, waiting up to 30 s for a server that is starting.
func login(base, email string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	b, _ := json.Marshal(map[string]string{"email": email, "password": seed.Password})
	var res *http.Response
	var err error
	for start := time.Now(); ; time.Sleep(100 * time.Millisecond) {
		res, err = c.Post(base+"/api/v1/login", "application/json", bytes.NewReader(b))
		if err == nil || time.Since(start) > 30*time.Second {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		return nil, fmt.Errorf("login %s: %s", email, res.Status)
	}
	return c, nil
}
