package api

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/supportal/supportal/server/store"
)

func memoryThrottle(t *testing.T, free, clientFree, accountFree int) (*loginThrottle, *store.DB) {
	t.Helper()
	db, err := store.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return newLoginThrottle(db, free, clientFree, accountFree, 10*time.Minute, time.Second), db
}

// The counts' keys stay small whatever was typed, and the janitor forgets
// the counts past the window.
func TestLoginThrottleKeysAndJanitor(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	th, db := memoryThrottle(t, 100, 100, 100)
	for _, k := range keys("2001:db8::/64", strings.Repeat("long@example.com", 65536)) {
		if len(k) > 100 {
			t.Errorf("a count is kept under a key of %d bytes, want at most 100", len(k))
		}
	}
	for i := range 10 {
		if _, _, err := th.admit(ctx, "192.0.2.1", "u@example.com", now.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	// Failures at 0…9 min; the window is 10 min: at 15 min the last five
	// (5…9) are within it.
	later := now.Add(15 * time.Minute)
	if p, c, a := th.counts(ctx, "192.0.2.1", "u@example.com", later); p != 10 || c != 10 || a != 10 {
		t.Fatalf("counts within the window = %d, %d, %d; want 10 each (counted from the last failure)", p, c, a)
	}
	n, err := db.DeleteLoginFailuresBefore(ctx, now.Add(9*time.Minute+time.Second))
	if err != nil || n != 3 {
		t.Fatalf("janitor removed %d counts (%v), want the 3 last failed at 9 min", n, err)
	}
	if p, _, _ := th.counts(ctx, "192.0.2.1", "u@example.com", later); p != 0 {
		t.Fatalf("after the janitor: %d failures, want none", p)
	}
}

func TestLoginThrottleDelayGrowsToTheWindow(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	th, _ := memoryThrottle(t, 2, 100, 100)
	admit := func() time.Duration {
		t.Helper()
		wait, _, err := th.admit(ctx, "192.0.2.1", "a@example.com", now)
		if err != nil {
			t.Fatal(err)
		}
		return wait
	}
	// The delay doubles up to the window; a client that waited that long
	// is forgotten and starts afresh.
	var waits []time.Duration
	for range 13 {
		if wait := admit(); wait > 0 {
			waits = append(waits, wait)
			now = now.Add(wait)
			admit()
		}
	}
	want := []time.Duration{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 600}
	if len(waits) != len(want) {
		t.Fatalf("waits = %v, want %v seconds", waits, want)
	}
	if n, _, _ := th.counts(ctx, "192.0.2.1", "a@example.com", now); n != 1 {
		t.Fatalf("failures after waiting the window = %d, want 1", n)
	}
	for i := range want {
		if waits[i] != want[i]*time.Second {
			t.Fatalf("waits = %v, want %v seconds", waits, want)
		}
	}
}
