package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
)

// Several nodes on one PostgreSQL database hear of each other's commits
// and signals through LISTEN/NOTIFY, on one connection per node kept for
// that alone:
//
//   - every write transaction notifies commitsChannel as it commits
//     (moveShared): "version identity access lastEvent". PostgreSQL
//     delivers notifications in commit order. A node raises its versions
//     and its knownEvent to them and wakes its live hub, which reads the
//     new events itself: the payload carries no event, only where the
//     log ends.
//   - a node's live hub tells the others' of a session that ended and of
//     users whose access changed (Announce, signalsChannel), so their
//     sockets on every node close or reload.
//
// A node that lost its notification connection may have missed anything:
// once listening again it reads the shared versions and the log's end,
// wakes its hub, and signals Resync (its hub has every socket reconnect,
// which checks each session anew).
const (
	commitsChannel = "supportal_commits"
	signalsChannel = "supportal_signals"
)

// Signal is what one node's live hub tells the others'.
type Signal struct {
	// EndSession: the login session with this token hash ended (a logout,
	// a password change); its websockets close on every node.
	EndSession string
	// AccessChanged: what these users may see changed; their websockets
	// reconnect on every node and their pages reload.
	AccessChanged []int64
	// Resync (only ever from the store itself): this node may have missed
	// the others' signals; every websocket reconnects.
	Resync bool
}

// cluster is a PostgreSQL node's part in the notifications.
type cluster struct {
	url       string
	node      string // random, to skip this node's own signals
	log       *slog.Logger
	onSignal  atomic.Pointer[func(Signal)]
	listening atomic.Bool
	stop      context.CancelFunc
	done      chan struct{}
}

// OnSignal sets the function called with the other nodes' signals (and
// Resync). It must not block. SQLite has no other node: it is never
// called.
func (s *DB) OnSignal(f func(Signal)) {
	if s.cluster != nil {
		s.cluster.onSignal.Store(&f)
	}
}

// Announce tells the other nodes' hubs of sig (nothing on SQLite, where
// there is one node). Call it after the change it tells of is committed.
func (s *DB) Announce(ctx context.Context, sig Signal) error {
	if s.cluster == nil {
		return nil
	}
	for _, p := range signalPayloads(s.cluster.node, sig) {
		if _, err := s.db.ExecContext(ctx, `SELECT pg_notify($1, $2)`, signalsChannel, p); err != nil {
			return err
		}
	}
	return nil
}

// ListenerName is the application_name of this node's notification
// connection ("" on SQLite).
func (s *DB) ListenerName() string {
	if s.cluster == nil {
		return ""
	}
	return "supportal notifications " + s.cluster.node
}

// Listening reports whether this node hears the other nodes (always true
// on SQLite).
func (s *DB) Listening() bool { return s.cluster == nil || s.cluster.listening.Load() }

// maxIDsPerSignal keeps a signal's payload far below PostgreSQL's 8,000
// bytes.
const maxIDsPerSignal = 300

// signalPayloads encodes sig as notification payloads: "node end HASHHEX"
// and "node access ID,ID,…" (several when the ids are many).
func signalPayloads(node string, sig Signal) []string {
	var out []string
	if sig.EndSession != "" {
		out = append(out, node+" end "+hex.EncodeToString([]byte(sig.EndSession)))
	}
	for ids := sig.AccessChanged; len(ids) > 0; {
		n := min(len(ids), maxIDsPerSignal)
		parts := make([]string, n)
		for i, id := range ids[:n] {
			parts[i] = strconv.FormatInt(id, 10)
		}
		out = append(out, node+" access "+strings.Join(parts, ","))
		ids = ids[n:]
	}
	return out
}

// parseSignal decodes a payload of signalPayloads; from is its node.
func parseSignal(payload string) (from string, sig Signal, ok bool) {
	f := strings.Fields(payload)
	if len(f) != 3 {
		return "", Signal{}, false
	}
	switch f[1] {
	case "end":
		b, err := hex.DecodeString(f[2])
		if err != nil || len(b) == 0 {
			return "", Signal{}, false
		}
		return f[0], Signal{EndSession: string(b)}, true
	case "access":
		for _, p := range strings.Split(f[2], ",") {
			id, err := strconv.ParseInt(p, 10, 64)
			if err != nil || id <= 0 {
				return "", Signal{}, false
			}
			sig.AccessChanged = append(sig.AccessChanged, id)
		}
		return f[0], sig, true
	}
	return "", Signal{}, false
}

// startCluster connects this node's notification listener and takes in
// the shared versions; it returns once the node listens (or failed to).
func (s *DB) startCluster(ctx context.Context, url string, log *slog.Logger) error {
	node := make([]byte, 8)
	if _, err := rand.Read(node); err != nil {
		return err
	}
	if log == nil {
		log = slog.Default()
	}
	lctx, stop := context.WithCancel(context.Background())
	c := &cluster{url: url, node: hex.EncodeToString(node), log: log, stop: stop, done: make(chan struct{})}
	s.cluster = c
	conn, err := s.listen(ctx, false)
	if err != nil {
		stop()
		close(c.done)
		return fmt.Errorf("listening for the other nodes: %w", err)
	}
	go s.follow(lctx, conn)
	return nil
}

// stopCluster ends the listener (Close).
func (s *DB) stopCluster() {
	if s.cluster != nil {
		s.cluster.stop()
		<-s.cluster.done
	}
}

// listen opens the notification connection, listens on both channels and
// then takes in the shared versions and the log's end, so no commit falls
// between what was read and what will be heard. again: the node listened
// before and may have missed signals (its hub is told Resync).
func (s *DB) listen(ctx context.Context, again bool) (*pgx.Conn, error) {
	cfg, err := pgConfig(s.cluster.url)
	if err != nil {
		return nil, err
	}
	// Named, for pg_stat_activity (and tests that cut it).
	cfg.RuntimeParams["application_name"] = s.ListenerName()
	// The wait for notifications ends every heartbeat (see hear): by a
	// deadline on the connection, which stays usable, not by a cancel
	// request to the server.
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.DeadlineContextWatcherHandler{Conn: c.Conn()}
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	var v Versions
	var last int64
	err = func() error {
		for _, ch := range []string{commitsChannel, signalsChannel} {
			if _, err := conn.Exec(ctx, `LISTEN `+ch); err != nil {
				return err
			}
		}
		return conn.QueryRow(ctx, `SELECT v.version, v.identity, v.access, (SELECT coalesce(max(id), 0) FROM events)
			FROM store_versions v WHERE v.id = 1`).Scan(&v.Store, &v.Identity, &v.Access, &last)
	}()
	if err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	s.cluster.listening.Store(true)
	if s.raise(v, last) {
		s.wakeHub()
	}
	if again {
		s.signal(Signal{Resync: true})
	}
	return conn, nil
}

// follow hears the notifications until ctx ends, listening again (after
// a pause that grows to 5 s) whenever the connection is lost.
func (s *DB) follow(ctx context.Context, conn *pgx.Conn) {
	c := s.cluster
	defer close(c.done)
	pause := 100 * time.Millisecond
	for {
		err := s.hear(ctx, conn)
		conn.Close(context.Background())
		c.listening.Store(false)
		if ctx.Err() != nil {
			return
		}
		c.log.Error("store: lost the other nodes' notifications; listening again", "err", err)
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(pause):
			}
			conn, err = s.listen(ctx, true)
			if err == nil {
				c.log.Info("store: hearing the other nodes again")
				pause = 100 * time.Millisecond
				break
			}
			if ctx.Err() != nil {
				return
			}
			pause = min(2*pause, 5*time.Second)
		}
	}
}

// heartbeat is how long the listener waits for a notification before it
// makes sure the connection is alive: a node whose connection hangs (cut
// off without a word, its server process stopped) listens anew and is
// not ready in between (Ready).
var heartbeat = 5 * time.Second

// hear handles notifications on conn until it fails, or does not answer a
// heartbeat within another.
func (s *DB) hear(ctx context.Context, conn *pgx.Conn) error {
	for {
		wctx, cancel := context.WithTimeout(ctx, heartbeat)
		n, err := conn.WaitForNotification(wctx)
		quiet := err != nil && ctx.Err() == nil && errors.Is(wctx.Err(), context.DeadlineExceeded)
		cancel()
		if quiet {
			pctx, cancel := context.WithTimeout(ctx, heartbeat)
			err = conn.Ping(pctx)
			cancel()
			if err != nil {
				return fmt.Errorf("heartbeat: %w", err)
			}
			continue
		}
		if err != nil {
			return err
		}
		switch n.Channel {
		case commitsChannel:
			v, last, ok := parseCommit(n.Payload)
			if !ok {
				s.cluster.log.Warn("store: a commit notification not understood", "payload", n.Payload)
				continue
			}
			if s.raise(v, last) {
				s.wakeHub()
			}
		case signalsChannel:
			from, sig, ok := parseSignal(n.Payload)
			if !ok {
				s.cluster.log.Warn("store: a signal not understood", "payload", n.Payload)
				continue
			}
			if from != s.cluster.node {
				s.signal(sig)
			}
		}
	}
}

func (s *DB) signal(sig Signal) {
	if f := s.cluster.onSignal.Load(); f != nil && *f != nil {
		(*f)(sig)
	}
}

// wakeHub calls the OnEvents function: events up to knownEvent are there
// to read.
func (s *DB) wakeHub() {
	if f := s.onEvents.Load(); f != nil && *f != nil {
		(*f)()
	}
}
