package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
)

// answers keeps the encoded answers of reads that depend on nothing but
// the store and the caller (the ticket list and its counts). An answer is
// kept with the store's version it was read at and served only while the
// store is still at that version: every commit moves the version before
// its writer returns, so no one is ever served an answer older than the
// last write (their own included). A busy portal writes often and the
// cache mostly misses; a quiet one, or many readers between writes, is
// served from memory.
type answers struct {
	mu      sync.Mutex
	version int64
	entries map[string][]byte
	size    int // bytes in entries
	max     int // bytes at most
	// reading: the answers being read. Right after a write every reader
	// misses at once; those asking the same wait for one read.
	reading map[readKey]*reading
}

type readKey struct {
	version int64
	key     string
}

type reading struct {
	done chan struct{}
	b    []byte
	err  error
}

func newAnswers(maxBytes int) *answers {
	return &answers{entries: map[string][]byte{}, max: maxBytes, reading: map[readKey]*reading{}}
}

// answer returns the answer for key at version: kept, being read by
// another request (then it waits for it), or read now by read.
func (c *answers) answer(version int64, key string, read func() ([]byte, error)) ([]byte, error) {
	c.mu.Lock()
	if b, ok := c.entries[key]; ok && c.version == version {
		c.mu.Unlock()
		return b, nil
	}
	k := readKey{version, key}
	if r, ok := c.reading[k]; ok {
		c.mu.Unlock()
		<-r.done
		return r.b, r.err
	}
	r := &reading{done: make(chan struct{})}
	c.reading[k] = r
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.reading, k)
		c.mu.Unlock()
		close(r.done)
	}()
	r.b, r.err = read()
	if r.err == nil {
		c.put(version, key, r.b)
	}
	return r.b, r.err
}

// put keeps b as the answer for key read at version. An older version's
// answer is dropped; a newer version drops everything kept before.
func (c *answers) put(version int64, key string, b []byte) {
	if len(b) > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case version < c.version:
		return
	case version > c.version:
		clear(c.entries)
		c.version, c.size = version, 0
	}
	if old, ok := c.entries[key]; ok {
		c.size -= len(old)
	}
	for k, old := range c.entries { // room, at random (map order)
		if c.size+len(b) <= c.max {
			break
		}
		delete(c.entries, k)
		c.size -= len(old)
	}
	c.entries[key] = b
	c.size += len(b)
}

// cachedJSON answers r (a read of the logged-in user) with what compute
// returns, from s.answers while the store has not changed since the same
// user asked the same.
func (s *Server) cachedJSON(w http.ResponseWriter, r *http.Request, compute func(context.Context) (any, error)) error {
	if s.answers == nil {
		v, err := compute(r.Context())
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, v)
		return nil
	}
	// A host's session sees one account of its user's: its answers are
	// its own.
	key := strconv.FormatInt(viewerOf(r).User.ID, 10) + "/" + strconv.FormatInt(sessionOf(r).OrganizationID, 10) + " " + r.URL.Path + "?" + r.URL.RawQuery
	// The answer is as new as the older of the viewer (read first) and
	// what compute reads: kept under a newer version, an answer computed
	// with access withdrawn meanwhile would outlive the withdrawal.
	version := viewerVersion(r)
	b, err := s.answers.answer(version, key, func() ([]byte, error) {
		// Others may wait for this answer: it is read to the end even if
		// this request's client leaves.
		v, err := compute(context.WithoutCancel(r.Context()))
		if err != nil {
			return nil, err
		}
		b, err := json.Marshal(v)
		return append(b, '\n'), err
	})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b)
	return nil
}
