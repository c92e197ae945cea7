package api

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/supportal/supportal/server/store"
)

func TestInFlight(t *testing.T) {
	var f inFlight
	held := store.Once{UserID: 1, Key: "k"}
	end, ok := f.begin(held)
	if !ok {
		t.Fatal("the first begin was refused")
	}
	for _, tt := range []struct {
		name string
		once store.Once
		want bool
	}{
		{"same user and key", store.Once{UserID: 1, Key: "k", RequestHash: []byte("other body")}, false},
		{"another user's same key", store.Once{UserID: 2, Key: "k"}, true},
		{"the same user's other key", store.Once{UserID: 1, Key: "k2"}, true},
		{"no key", store.Once{UserID: 1}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := f.begin(tt.once)
			defer e()
			if got, want := ok, tt.want; got != want {
				t.Errorf("begin(%+v) ok = %v, want %v", tt.once, got, want)
			}
		})
	}
	end()
	again, ok := f.begin(held)
	if !ok {
		t.Fatal("begin after end was refused")
	}
	again()
	if got, want := len(f.keys), 0; got != want {
		t.Errorf("keys left = %d, want %d", got, want)
	}
}

// Of requests with one key arriving together, one is taken at a time.
func TestInFlightConcurrent(t *testing.T) {
	var f inFlight
	var running, most atomic.Int32
	var wg sync.WaitGroup
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			end, ok := f.begin(store.Once{UserID: 7, Key: "same"})
			defer end()
			if !ok {
				return
			}
			n := running.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			running.Add(-1)
		}()
	}
	wg.Wait()
	if got, want := most.Load(), int32(1); got != want {
		t.Errorf("most in progress at once = %d, want %d", got, want)
	}
}
