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
// user out — also not the colleagues who share a practice's internet
// address.
//
// Every attempt is counted as a failure when it is admitted (so parallel
// requests cannot all slip through before the first one fails) and taken
// back when the password was right. Counts live for a window after the
// last failure. Three counts:
//
//   - Per client address and account (an IPv6 client by its /64): the
//     first `free` failures are answered normally; after that each
//     attempt must wait delay, 2×delay, 4×delay… (at most the window)
//     after the last failure. Colleagues behind the same router, logging
//     in to their own accounts, are not slowed by somebody's typos.
//   - Per client address, over all accounts: after `clientFree` failures
//     (many emails tried from one address: a sprayer) the address waits
//     the same growing delay, whatever it tries.
//   - Per account: after `accountFree` failures from all clients together,
//     the account's attempts wait the same growing delay, but only for
//     clients that have failed on it themselves. A client with no failures
//     for the account (the real user, at home) is always admitted, so
//     nobody can lock anybody out by failing on purpose.
//
// The maps are bounded: when one is full, expired entries are dropped,
// and then the entry failed longest ago.
type loginThrottle struct {
	free, clientFree, accountFree int
	window, delay                 time.Duration
	max                           int // entries per map

	mu       sync.Mutex
	pairs    map[string]*failures // client + account
	clients  map[string]*failures
	accounts map[string]*failures
}

type failures struct {
	n    int
	last time.Time
	prev time.Time // last before the latest count (restored when it is taken back)
}

// loginThrottleKept bounds the entries of each map of a loginThrottle.
const loginThrottleKept = 20000

func newLoginThrottle(free, clientFree, accountFree int, window, delay time.Duration) *loginThrottle {
	return &loginThrottle{free: free, clientFree: clientFree, accountFree: accountFree, window: window, delay: delay, max: loginThrottleKept,
		pairs: map[string]*failures{}, clients: map[string]*failures{}, accounts: map[string]*failures{}}
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

// keys are the keys of one attempt in the three maps.
func (t *loginThrottle) keys(client, email string) (pair, account string) {
	account = accountKey(email)
	return client + "|" + account, account
}

// admit reports how long client must wait before trying email; when it
// need not wait (0), the attempt is counted as a failure until takeBack
// takes it back. why says which count throttled.
func (t *loginThrottle) admit(client, email string, now time.Time) (wait time.Duration, why string) {
	pairKey, account := t.keys(client, email)
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.live(t.pairs, pairKey, now)
	c := t.live(t.clients, client, now)
	a := t.live(t.accounts, account, now)
	if w := t.wait(p, t.free, now); w > 0 {
		return w, "client and account"
	}
	if w := t.wait(c, t.clientFree, now); w > 0 {
		return w, "client"
	}
	if p != nil && p.n > 0 {
		if w := t.wait(a, t.accountFree, now); w > 0 {
			return w, "account"
		}
	}
	t.count(t.pairs, pairKey, p, now)
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
	f.prev, f.last = f.last, now
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

// takeBack takes back the failure admit counted at now: the password was
// right, or none was compared. The count's last failure is what it was
// before, so a success makes nobody wait longer.
func (t *loginThrottle) takeBack(client, email string, now time.Time) {
	pairKey, account := t.keys(client, email)
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, e := range []struct {
		m   map[string]*failures
		key string
	}{{t.pairs, pairKey}, {t.clients, client}, {t.accounts, account}} {
		f := e.m[e.key]
		if f == nil {
			continue
		}
		if f.n--; f.n <= 0 {
			delete(e.m, e.key)
		} else if f.last.Equal(now) {
			f.last = f.prev
		}
	}
}

// counts returns the failures counted for client on email, for client in
// all and for email (for logs and tests).
func (t *loginThrottle) counts(client, email string, now time.Time) (pair, all, account int) {
	pairKey, accountK := t.keys(client, email)
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, e := range []struct {
		m   map[string]*failures
		key string
		n   *int
	}{{t.pairs, pairKey, &pair}, {t.clients, client, &all}, {t.accounts, accountK, &account}} {
		if f := t.live(e.m, e.key, now); f != nil {
			*e.n = f.n
		}
	}
	return pair, all, account
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
