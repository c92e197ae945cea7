package store

import (
	"context"
	"strconv"
	"strings"
)

// Versions are the store's versions at one moment. An answer (a ticket
// list, a session's viewer, a socket's access) read at one version may be
// reused as long as the store is still at it.
type Versions struct {
	// Store moves after every commit.
	Store int64
	// Identity moves after a commit that wrote to the tables a session's
	// viewer is read from (sessions, users, memberships, organizations,
	// vendor access).
	Identity int64
	// Access moves after a commit that changed who may see what.
	Access int64
}

// Versions returns the store's versions, moved by every write committed
// before the call, on any node.
//
// SQLite: one node writes the file, and its versions live in memory; they
// move after each commit, before its writer returns.
//
// PostgreSQL: every write transaction moves the shared row
// (store_versions) under the write lock, so the row is read here: a write
// acknowledged by node A is seen by a request to node B made after it.
// (Notifications alone would tell B a moment later; a cache on B would
// serve what was read before the write in between.) One primary-key read
// per request that uses a kept answer or session.
func (s *DB) Versions(ctx context.Context) (Versions, error) {
	if !s.postgres {
		return Versions{Store: s.version.Load(), Identity: s.identityVersion.Load(), Access: s.accessVersion.Load()}, nil
	}
	var v Versions
	err := s.read.QueryRowContext(ctx, `SELECT version, identity, access FROM store_versions WHERE id = 1`).Scan(&v.Store, &v.Identity, &v.Access)
	return v, err
}

// AccessVersion is the access version the live hub filters events with:
// it moves whenever who may see what changes, before any event committed
// after the change is handed to the hub. On PostgreSQL it is this node's
// knowledge, raised by its own commits and by the other nodes'
// notifications, always before the events of the same commit become
// readable to the hub (see knownEvent).
func (s *DB) AccessVersion() int64 { return s.accessVersion.Load() }

// raise takes in versions v and the newest event id last, as of one
// commit (this node's or another's, in any order): each only grows. Access
// goes first and knownEvent last, so the hub never reads an event before
// the access that filters it. It reports whether knownEvent grew (there
// are events to read).
func (s *DB) raise(v Versions, last int64) bool {
	raiseTo(&s.accessVersion, v.Access)
	raiseTo(&s.identityVersion, v.Identity)
	raiseTo(&s.version, v.Store)
	return raiseTo(&s.knownEvent, last)
}

// moveShared moves PostgreSQL's shared versions in tx, a write
// transaction holding the write lock, just before its commit, and
// announces the commit to every node (the notification goes out when tx
// commits, in commit order). It returns the versions and the newest event
// id as of the commit.
func (s *DB) moveShared(ctx context.Context, tx *Tx, identity, access bool) (Versions, int64, error) {
	var v Versions
	var last int64
	err := tx.Tx.QueryRowContext(ctx, `WITH v AS (
		UPDATE store_versions SET version = version + 1, identity = identity + $1, access = access + $2 WHERE id = 1
		RETURNING version, identity, access)
		SELECT v.version, v.identity, v.access, e.last,
			pg_notify('`+commitsChannel+`', v.version || ' ' || v.identity || ' ' || v.access || ' ' || e.last)
		FROM v, (SELECT coalesce(max(id), 0) AS last FROM events) e`, b2i(identity), b2i(access)).Scan(&v.Store, &v.Identity, &v.Access, &last, new(string))
	return v, last, err
}

// parseCommit reads a commit notification's payload: "version identity
// access lastEvent".
func parseCommit(payload string) (Versions, int64, bool) {
	f := strings.Fields(payload)
	if len(f) != 4 {
		return Versions{}, 0, false
	}
	var n [4]int64
	for i, s := range f {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v < 0 {
			return Versions{}, 0, false
		}
		n[i] = v
	}
	return Versions{Store: n[0], Identity: n[1], Access: n[2]}, n[3], true
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// raiseTo sets a to n if n is greater.
func raiseTo(a interface {
	Load() int64
	CompareAndSwap(old, new int64) bool
}, n int64) bool {
	for {
		old := a.Load()
		if n <= old {
			return false
		}
		if a.CompareAndSwap(old, n) {
			return true
		}
	}
}
