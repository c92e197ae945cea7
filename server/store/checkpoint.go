package store

import (
	"context"
	"time"
)

// checkpointEvery is how often the checkpointer looks for new commits.
const checkpointEvery = 250 * time.Millisecond

// checkpointer copies what the write-ahead log holds into the database
// file, on a connection of its own, while the writer goes on: SQLite's
// automatic checkpoint ran inside the commit that filled 1,000 pages of log,
// and that commit's writers (64 at a time under load) waited for it. A
// PASSIVE checkpoint never blocks the writer nor the readers; the log is
// started over by the next write once it is all copied. Durability does not
// depend on it: every commit's log is fsynced before its writers hear.
func (s *DB) checkpointer() {
	defer s.writerWG.Done()
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	done := s.version.Load()
	for {
		select {
		case <-s.closing:
			// A last copy, so that a clean stop leaves a short log.
			s.checkpoint()
			return
		case <-tick.C:
		}
		if v := s.version.Load(); v != done {
			done = v
			s.checkpoint()
		}
	}
}

func (s *DB) checkpoint() {
	var busy, frames, copied int
	// Errors (a busy database, a full disk) leave the log for the next
	// round; the writes themselves report their own.
	s.db.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied)
}
