package api

import (
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/supportal/supportal/server/store"
)

// Tests compare unknown emails' passwords at the cheapest cost too (see
// mustDemo).
func init() {
	dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a password"), bcrypt.MinCost)
}

// HoldHashers takes n of s's password comparison slots until release.
func HoldHashers(s *Server, n int) (release func()) {
	for range n {
		s.hashers <- struct{}{}
	}
	return func() {
		for range n {
			<-s.hashers
		}
	}
}

// WatchHashers counts the password comparisons running at once until stop,
// which returns the most seen; each comparison takes at least hold.
func WatchHashers(s *Server, hold time.Duration) (stop func() int) {
	var mu sync.Mutex
	running, most := 0, 0
	compare := s.compare
	s.compare = func(hash, password []byte) error {
		mu.Lock()
		running++
		most = max(most, running)
		mu.Unlock()
		defer func() { mu.Lock(); running--; mu.Unlock() }()
		time.Sleep(hold)
		return compare(hash, password)
	}
	return func() int {
		s.compare = compare
		mu.Lock()
		defer mu.Unlock()
		return most
	}
}

// HoldKey marks user userID's idempotency key in progress, as if a request
// with it were being handled, until release.
func HoldKey(s *Server, userID int64, key string) (release func()) {
	end, ok := s.inFlight.begin(store.Once{UserID: userID, Key: key})
	if !ok {
		panic("HoldKey: " + key + " is held already")
	}
	return end
}
