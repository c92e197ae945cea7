package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"time"

	"github.com/supportal/supportal/server/store"
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
// The counts live in the store, so that every node counts the same
// failures (a guesser spreading attempts over the nodes is slowed as on
// one); the janitor forgets those past the window
// (RemoveOldLoginFailures).
type loginThrottle struct {
	free, clientFree, accountFree int
	window, delay                 time.Duration
	store                         store.LoginThrottle
}

func newLoginThrottle(st store.LoginThrottle, free, clientFree, accountFree int, window, delay time.Duration) *loginThrottle {
	return &loginThrottle{free: free, clientFree: clientFree, accountFree: accountFree, window: window, delay: delay, store: st}
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
func (t *loginThrottle) wait(f store.Failures, free int, now time.Time) time.Duration {
	if f.N == 0 || f.N < free || now.Sub(f.Last) >= t.window {
		return 0
	}
	d := t.window
	if shift := f.N - free; shift < 30 && t.delay<<shift < t.window {
		d = t.delay << shift
	}
	return f.Last.Add(d).Sub(now)
}

// accountKey is what an email is counted by: its SHA-256, so that keys
// stay small whatever was typed (a login body may be 1 MiB).
func accountKey(email string) string {
	h := sha256.Sum256([]byte(email))
	return hex.EncodeToString(h[:])
}

// keys are the keys of one attempt's three counts: client and account,
// client, account.
func keys(client, email string) []string {
	account := accountKey(email)
	return []string{"p " + client + " " + account, "c " + client, "a " + account}
}

// decide is the rule: how long the attempt whose counts are c (client and
// account, client, account) must wait, and which count says so.
func (t *loginThrottle) decide(c []store.Failures, now time.Time) (wait time.Duration, why string) {
	if w := t.wait(c[0], t.free, now); w > 0 {
		return w, "client and account"
	}
	if w := t.wait(c[1], t.clientFree, now); w > 0 {
		return w, "client"
	}
	if c[0].N > 0 { // only clients that failed on the account themselves
		if w := t.wait(c[2], t.accountFree, now); w > 0 {
			return w, "account"
		}
	}
	return 0, ""
}

// admit reports how long client must wait before trying email; when it
// need not wait (0), the attempt is counted as a failure until takeBack
// takes it back. why says which count throttled. An attempt refused is
// refused by a read alone; one admitted is decided again and counted in
// one write, so parallel attempts on any node cannot all slip through.
func (t *loginThrottle) admit(ctx context.Context, client, email string, now time.Time) (wait time.Duration, why string, err error) {
	k := keys(client, email)
	c, err := t.store.LoginFailures(ctx, k, now, t.window)
	if err != nil {
		return 0, "", err
	}
	if wait, why = t.decide(c, now); wait > 0 {
		return wait, why, nil
	}
	_, err = t.store.CountLoginFailure(ctx, k, now, t.window, func(c []store.Failures) bool {
		wait, why = t.decide(c, now)
		return wait == 0
	})
	return wait, why, err
}

// takeBack takes back the failure admit counted at now: the password was
// right, or none was compared. The count's last failure is what it was
// before, so a success makes nobody wait longer.
func (t *loginThrottle) takeBack(ctx context.Context, client, email string, now time.Time) error {
	return t.store.TakeBackLoginFailure(context.WithoutCancel(ctx), keys(client, email), now)
}

// counts returns the failures counted for client on email, for client in
// all and for email (for logs and tests).
func (t *loginThrottle) counts(ctx context.Context, client, email string, now time.Time) (pair, all, account int) {
	c, err := t.store.LoginFailures(ctx, keys(client, email), now, t.window)
	if err != nil {
		return 0, 0, 0
	}
	return c[0].N, c[1].N, c[2].N
}

// RemoveOldLoginFailures forgets the login failures counted longer ago
// than the throttle's window (the janitor).
func (s *Server) RemoveOldLoginFailures(ctx context.Context) error {
	_, err := s.store.DeleteLoginFailuresBefore(ctx, s.cfg.Now().Add(-s.cfg.LoginWindow))
	return err
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
