package api

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/supportal/supportal/app/ticket"
)

// Limits on what one user may hold of the server at a time, and how often
// they may ask for what costs the server most (opening the event stream,
// uploading a file).

var (
	errTooManyReconnects = ticket.Errorf(ticket.CodeTooMany, "ErrTooManyReconnects", "")
	errTooManyUploads    = ticket.Errorf(ticket.CodeTooMany, "ErrTooManyUploads", "file")
	errServerBusy        = ticket.Errorf(ticket.CodeTooMany, "ErrServerBusy", "")
	errUploadRate        = ticket.Errorf(ticket.CodeTooMany, "ErrUploadRate", "file")
)

// rate is a token bucket per user: n requests per window, refilled
// evenly; a user who waited a window has all n again.
type rate struct {
	mu     sync.Mutex
	n      float64
	window time.Duration
	users  map[int64]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// newRate returns a limit of n requests per window; nil (no limit) when n
// is negative.
func newRate(n int, window time.Duration) *rate {
	if n < 0 {
		return nil
	}
	return &rate{n: float64(n), window: window, users: map[int64]*bucket{}}
}

// allow takes a token of user at now; when there is none it reports false
// and how long until there is.
func (r *rate) allow(user int64, now time.Time) (bool, time.Duration) {
	if r == nil {
		return true, 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	b := r.fill(user, now)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	if r.n == 0 {
		return false, r.window
	}
	return false, time.Duration((1 - b.tokens) / r.n * float64(r.window))
}

// fill returns user's bucket refilled up to now.
func (r *rate) fill(user int64, now time.Time) *bucket {
	b := r.users[user]
	if b == nil {
		if len(r.users) >= 10000 { // forget the users whose buckets are full again
			for u, o := range r.users {
				if o.tokens+r.n*float64(now.Sub(o.at))/float64(r.window) >= r.n {
					delete(r.users, u)
				}
			}
		}
		b = &bucket{tokens: r.n, at: now}
		r.users[user] = b
	}
	if now.After(b.at) {
		b.tokens = math.Min(r.n, b.tokens+r.n*float64(now.Sub(b.at))/float64(r.window))
		b.at = now
	}
	return b
}

// slots counts what is in progress, per user and in all, up to a limit of
// each.
type slots struct {
	mu      sync.Mutex
	perUser int
	total   int
	n       int
	users   map[int64]int
}

func newSlots(perUser, total int) *slots {
	return &slots{perUser: perUser, total: total, users: map[int64]int{}}
}

// take takes a slot for user: errTooManyUploads when the user holds their
// most, errServerBusy when everyone together does. Each slot taken is
// given back with put.
func (s *slots) take(user int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.users[user] >= s.perUser:
		return errTooManyUploads
	case s.n >= s.total:
		return errServerBusy
	}
	s.users[user]++
	s.n++
	return nil
}

func (s *slots) put(user int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n--
	if s.users[user]--; s.users[user] <= 0 {
		delete(s.users, user)
	}
}

// retryAfter tells the client when to try again, in whole seconds (at
// least one).
func retryAfter(w http.ResponseWriter, d time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(d.Seconds())))))
}
