package api

import (
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
}

func newAnswers(maxBytes int) *answers {
	return &answers{entries: map[string][]byte{}, max: maxBytes}
}

// get returns the answer for key read at version, if there is one.
func (c *answers) get(version int64, key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		return nil, false
	}
	b, ok := c.entries[key]
	return b, ok
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
func (s *Server) cachedJSON(w http.ResponseWriter, r *http.Request, compute func() (any, error)) error {
	if s.answers == nil {
		v, err := compute()
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, v)
		return nil
	}
	key := strconv.FormatInt(viewerOf(r).User.ID, 10) + " " + r.URL.Path + "?" + r.URL.RawQuery
	version := s.store.Version() // before reading: the answer is at least this new
	b, ok := s.answers.get(version, key)
	if !ok {
		v, err := compute()
		if err != nil {
			return err
		}
		if b, err = json.Marshal(v); err != nil {
			return err
		}
		b = append(b, '\n')
		s.answers.put(version, key, b)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b)
	return nil
}
