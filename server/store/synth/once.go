package synth

import (
	"fmt"
	"os"
	"sync"
	"testing"
	"time"
)

// Once is a big store built once per test binary, on first use by a
// benchmark (a minute or two), and kept until the binary removes it.
type Once[T any] struct {
	once sync.Once
	v    T
	err  error
	done bool
}

// Get returns the value, building it with build the first time.
func (o *Once[T]) Get(b testing.TB, build func() (T, error)) T {
	b.Helper()
	o.once.Do(func() {
		t0 := time.Now()
		o.v, o.err = build()
		o.done = o.err == nil
		if o.done {
			fmt.Fprintf(os.Stderr, "big store: %d tickets, %d messages built in %v\n",
				Tickets, Tickets*MessagesPerTicket, time.Since(t0).Round(time.Second))
		}
	})
	if o.err != nil {
		b.Fatal(o.err)
	}
	return o.v
}

// Built returns the value if a benchmark built it (to remove it after).
func (o *Once[T]) Built() (T, bool) { return o.v, o.done }
