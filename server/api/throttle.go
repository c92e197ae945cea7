package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"sync"
	"time"
)

// loginThrottle slows password guessing without letting anybody lock a
// user out.
//
// Every attempt is counted as a failure when it is admitted (so parallel
// requests cannot all slip through before the first one fails) and taken
// back when the password was right. Counts live for a window after the
// last failure.
//
//   - Per client address (an IPv6 client by its /64): the first `free`
//     failures are answered normally; after that each attempt must wait
//     delay, 2×delay, 4×delay… (at most the window) after the last failure.
//     60 emails from one address are slowed like 60 passwords for one.
//   - Per account: after `accountFree` failures from all clients together,
//     the account's attempts wait the same growing delay, but only for
//     clients that have failed themselves within the window. A client with
//     no failures (the real user, at home) is always admitted, so nobody
//     can lock anybody out by failing on purpose.
//
// Both maps are bounded: when one is full, expired entries are dropped,
// and then the entry failed longest ago.
type loginThrottle struct {
	free, accountFree int
	window, delay     time.Duration
	max               int // entries per map

	mu       sync.Mutex
	clients  map[string]*failures
	accounts map[string]*failures
}

type failures struct {
	n    int
	last time.Time
}

// loginThrottleKept bounds the entries of each map of a loginThrottle.
const loginThrottleKept = 20000

func newLoginThrottle(free, accountFree int, window, delay time.Duration) *loginThrottle {
	return &loginThrottle{free: free, accountFree: accountFree, window: window, delay: delay, max: loginThrottleKept,
		clients: map[string]*failures{}, accounts: map[string]*failures{}}
}

// clientKey is who is counted for addr: an IPv4 address, an IPv6 /64 (one
// subscriber usually has a whole /64 to pick addresses from).
func clientKey(addr netip.Addr) string {
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.String()
	}
	return addr.String()
}

// wait is how long after f's last failure the next attempt must wait,
// once more than free failures are counted.
func (t *loginThrottle) wait(f *failures, free int, now time.Time) time.Duration {
	if f == nil || f.n < free || now.Sub(f.last) >= t.window {
		return 0
	}
	d := t.window
	if shift := f.n - free; shift < 30 && t.delay<<shift < t.window {
		d = t.delay << shift
	}
	return f.last.Add(d).Sub(now)
}

// live returns m[key] unless it expired.
func (t *loginThrottle) live(m map[string]*failures, key string, now time.Time) *failures {
	f := m[key]
	if f != nil && now.Sub(f.last) >= t.window {
		delete(m, key)
		return nil
	}
	return f
}

// accountKey is what an email is counted by: its SHA-256, so that keys
// stay small whatever was typed (a login body may be 1 MiB).
func accountKey(email string) string {
	h := sha256.Sum256([]byte(email))
	return string(h[:])
}

// admit reports how long client must wait before trying email; when it
// need not wait (0), the attempt is counted as a failure until takeBack
// takes it back. why says which count throttled.
func (t *loginThrottle) admit(client, email string, now time.Time) (wait time.Duration, why string) {
	account := accountKey(email)
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.live(t.clients, client, now)
	a := t.live(t.accounts, account, now)
	if w := t.wait(c, t.free, now); w > 0 {
		return w, "client"
	}
	if c != nil && c.n > 0 {
		if w := t.wait(a, t.accountFree, now); w > 0 {
			return w, "account"
		}
	}
	t.count(t.clients, client, c, now)
	t.count(t.accounts, account, a, now)
	return 0, ""
}

func (t *loginThrottle) count(m map[string]*failures, key string, f *failures, now time.Time) {
	if f == nil {
		if len(m) >= t.max {
			t.evict(m, now)
		}
		f = &failures{}
		m[key] = f
	}
	f.n++
	f.last = now
}

// evict makes room in a full map.
func (t *loginThrottle) evict(m map[string]*failures, now time.Time) {
	var oldest string
	for k, f := range m {
		if now.Sub(f.last) >= t.window {
			delete(m, k)
		} else if oldest == "" || f.last.Before(m[oldest].last) {
			oldest = k
		}
	}
	if len(m) >= t.max {
		delete(m, oldest)
	}
}

// takeBack takes back the failure admit counted: the password was right,
// or none was compared.
func (t *loginThrottle) takeBack(client, email string) {
	account := accountKey(email)
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, e := range []struct {
		m   map[string]*failures
		key string
	}{{t.clients, client}, {t.accounts, account}} {
		if f := e.m[e.key]; f != nil {
			if f.n--; f.n <= 0 {
				delete(e.m, e.key)
			}
		}
	}
}

// counts returns the failures counted for client and email (for logs and
// tests).
func (t *loginThrottle) counts(client, email string, now time.Time) (int, int) {
	account := accountKey(email)
	t.mu.Lock()
	defer t.mu.Unlock()
	var nc, na int
	if f := t.live(t.clients, client, now); f != nil {
		nc = f.n
	}
	if f := t.live(t.accounts, account, now); f != nil {
		na = f.n
	}
	return nc, na
}

// emailHash names an email in logs without writing it down:
// the first 12 hex digits of its SHA-256 (`printf %s email | sha256sum`).
func emailHash(email string) string {
	h := sha256.Sum256([]byte(email))
	return hex.EncodeToString(h[:6])
}

// hashSlots caps the bcrypt comparisons in flight, so that logins (about
// 50 ms of one core each) cannot take every core from the rest of the API.
type hashSlots chan struct{}

// acquire takes a slot, waiting at most wait (or until ctx ends).
func (h hashSlots) acquire(ctx context.Context, wait time.Duration) bool {
	select {
	case h <- struct{}{}:
		return true
	default:
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case h <- struct{}{}:
		return true
	case <-timer.C:
		return false
	case <-ctx.Done():
		return false
	}
}

func (h hashSlots) release() { <-h }
