package api

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestLoginThrottleBounded(t *testing.T) {
	now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	th := newLoginThrottle(3, 6, 3, 10*time.Minute, time.Second)
	th.max = 4
	for i := range 10 {
		th.admit(fmt.Sprintf("192.0.2.%d", i), fmt.Sprintf("u%d@example.com", i), now.Add(time.Duration(i)*time.Second))
	}
	if got, want := len(th.clients), 4; got != want {
		t.Fatalf("clients kept = %d, want %d", got, want)
	}
	if got, want := len(th.accounts), 4; got != want {
		t.Fatalf("accounts kept = %d, want %d", got, want)
	}
	if got, want := len(th.pairs), 4; got != want {
		t.Fatalf("client and account pairs kept = %d, want %d", got, want)
	}
	th.admit("192.0.2.1", strings.Repeat("long@example.com", 65536), now)
	for k := range th.accounts {
		if len(k) > 32 {
			t.Fatalf("an account is kept under a key of %d bytes, want at most 32", len(k))
		}
	}
	for k := range th.pairs {
		if len(k) > 80 {
			t.Fatalf("a pair is kept under a key of %d bytes", len(k))
		}
	}
	if _, ok := th.clients["192.0.2.9"]; !ok {
		t.Fatalf("the latest client was evicted: %v", th.clients)
	}
	if _, ok := th.clients["192.0.2.0"]; ok {
		t.Fatalf("the oldest client was kept: %v", th.clients)
	}
}

func TestLoginThrottleDelayGrowsToTheWindow(t *testing.T) {
	now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	th := newLoginThrottle(2, 100, 100, 10*time.Minute, time.Second)
	// The delay doubles up to the window; a client that waited that long
	// is forgotten and starts afresh.
	var waits []time.Duration
	for range 13 {
		wait, _ := th.admit("192.0.2.1", "a@example.com", now)
		if wait > 0 {
			waits = append(waits, wait)
			now = now.Add(wait)
			th.admit("192.0.2.1", "a@example.com", now)
		}
	}
	want := []time.Duration{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 600}
	if len(waits) != len(want) {
		t.Fatalf("waits = %v, want %v seconds", waits, want)
	}
	if n, _, _ := th.counts("192.0.2.1", "a@example.com", now); n != 1 {
		t.Fatalf("failures after waiting the window = %d, want 1", n)
	}
	for i := range want {
		if waits[i] != want[i]*time.Second {
			t.Fatalf("waits = %v, want %v seconds", waits, want)
		}
	}
}
