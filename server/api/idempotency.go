package api

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

// Requests that create something (a ticket, a reply) may carry an
// Idempotency-Key, as the IETF httpapi "Idempotency-Key header" draft
// describes:
//
//   - A key binds only a request that succeeded (2xx): it is recorded in
//     the transaction that makes the change. A request that failed (say 422,
//     a required field left empty) binds nothing, so the browser's outbox
//     may send the corrected draft with the same key.
//   - The same key with another request (another body, another ticket,
//     another kind of request) is answered 422 ErrIdempotencyReused.
//   - The same key while its first request is still being handled is
//     answered 409 ErrIdempotencyInProgress with Retry-After: 1.
//   - The same key once its request succeeded is answered what the first
//     request was: the same status and the same body bytes, with
//     Idempotent-Replayed: true.
//   - Keys are per user and kept at least KeepKeys (an outbox in a browser
//     can be old); the janitor removes older ones (RemoveOldKeys).

// KeepKeys is how long an idempotency key is kept: 30 days, well over the
// 7 days promised.
const KeepKeys = 30 * 24 * time.Hour

// Kinds of requests that take a key. The kind is hashed with the request,
// so that a key sent with one kind never matches a request of another.
const (
	kindCreate = "create" // POST /api/v1/tickets
	kindReply  = "reply"  // POST /api/v1/tickets/{number}/messages
)

var (
	errIdempotencyKey        = ticket.Errorf(ticket.CodeInvalid, "ErrIdempotencyKey", "Idempotency-Key")
	errIdempotencyInProgress = ticket.Errorf(ticket.CodeConflict, "ErrIdempotencyInProgress", "Idempotency-Key")
)

// onceOf reads the Idempotency-Key of r (1 to 100 visible ASCII
// characters) and hashes the request: its kind and parts, what identifies
// it (the body, and for a reply the ticket's number).
func onceOf(r *http.Request, userID int64, kind string, parts ...any) (store.Once, error) {
	keys := r.Header.Values("Idempotency-Key")
	if len(keys) == 0 {
		return store.Once{}, nil
	}
	key := strings.TrimSpace(keys[0])
	if len(keys) > 1 || key == "" || len(key) > 100 || strings.IndexFunc(key, func(c rune) bool { return c > unicode.MaxASCII || !unicode.IsGraphic(c) || c == ' ' }) >= 0 {
		return store.Once{}, errIdempotencyKey
	}
	h := sha256.New()
	h.Write([]byte(kind))
	for _, p := range parts {
		b, err := json.Marshal(p)
		if err != nil {
			return store.Once{}, err
		}
		h.Write([]byte{'\n'})
		h.Write(b)
	}
	return store.Once{UserID: userID, Key: key, RequestHash: h.Sum(nil)}, nil
}

// oldCreateHash is how a ticket's creation was hashed before the kind was
// (keys kept before migration 0015 still replay).
func oldCreateHash(d ticket.Draft) []byte {
	b, _ := json.Marshal(d)
	h := sha256.Sum256(b)
	return h[:]
}

// inFlight is the set of keys whose request is being handled on this
// server. With several servers on one store each has its own set: a retry
// sent to another server while the first is under way is not refused
// with 409, but it cannot make a second ticket or message either — the
// store looks the key up again in the write transaction, and replays.
type inFlight struct {
	mu   sync.Mutex
	keys map[flightKey]bool
}

type flightKey struct {
	user int64
	key  string
}

// begin marks once's key as in progress; ok is false when it already is.
// end (never nil) unmarks it. The zero Once is never in progress.
func (f *inFlight) begin(once store.Once) (end func(), ok bool) {
	if once.Key == "" {
		return func() {}, true
	}
	k := flightKey{once.UserID, once.Key}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.keys[k] {
		return func() {}, false
	}
	if f.keys == nil {
		f.keys = map[flightKey]bool{}
	}
	f.keys[k] = true
	return func() {
		f.mu.Lock()
		delete(f.keys, k)
		f.mu.Unlock()
	}, true
}

// startOnce marks once in progress until end, or refuses the request: its
// key's first request is still being handled.
func (s *Server) startOnce(w http.ResponseWriter, once store.Once) (end func(), err error) {
	end, ok := s.inFlight.begin(once)
	if !ok {
		w.Header().Set("Retry-After", "1")
		return end, errIdempotencyInProgress
	}
	return end, nil
}

// rebuild makes the answer to a replayed request whose answer was not
// kept (keys kept before answers were).
type rebuild func(store.Replay) (any, error)

// replayed answers r as once's first request was answered, when once was
// seen before: ok reports that it was (and r is answered, or err says why
// not). ErrKeyReused when the key came with another request.
func (s *Server) replayed(w http.ResponseWriter, r *http.Request, once store.Once, again rebuild) (ok bool, err error) {
	prev, ok, err := s.store.Replayed(r.Context(), once)
	if err != nil || !ok {
		return false, err
	}
	return true, s.writeReplay(w, prev, again)
}

// replay answers r as once's first request was answered, after the store
// found once had been seen (in its write transaction).
func (s *Server) replay(w http.ResponseWriter, r *http.Request, once store.Once, again rebuild) error {
	ok, err := s.replayed(w, r, once, again)
	if err == nil && !ok {
		err = fmt.Errorf("idempotency key %q of user %d replayed, then not found", once.Key, once.UserID)
	}
	return err
}

func (s *Server) writeReplay(w http.ResponseWriter, prev store.Replay, again rebuild) error {
	// Rebuilt also when the answer was kept: the user must still see the
	// ticket (a vendor's access may have ended since).
	v, err := again(prev)
	if err != nil {
		return err
	}
	status, body := prev.Status, prev.Body
	if body == nil {
		// Every request that binds a key was answered 201.
		status, body = http.StatusCreated, encodeJSON(v)
	}
	w.Header().Set("Idempotent-Replayed", "true")
	writeRaw(w, status, body)
	return nil
}

// answerOnce answers status and v, after keeping them with once's key (if
// any) for a retry to get the same bytes.
func (s *Server) answerOnce(w http.ResponseWriter, r *http.Request, once store.Once, status int, v any) {
	body := encodeJSON(v)
	if once.Key != "" {
		// The change is committed: it is answered even if its answer
		// cannot be kept (a retry then gets it rebuilt).
		if err := s.store.KeepAnswer(context.WithoutCancel(r.Context()), once, status, body); err != nil {
			s.log.Error("keeping the answer of an idempotency key", slog.String("path", r.URL.Path), slog.Any("err", err))
		}
	}
	writeRaw(w, status, body)
}

// RemoveOldKeys deletes the idempotency keys older than KeepKeys (by the
// server's clock).
func (s *Server) RemoveOldKeys(ctx context.Context) error {
	_, err := s.store.DeleteKeysBefore(ctx, s.cfg.Now().Add(-KeepKeys))
	return err
}
