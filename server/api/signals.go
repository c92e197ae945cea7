package api

import (
	"context"

	"github.com/supportal/supportal/server/store"
)

// Several nodes (PostgreSQL): what one node's live hub hears of, the
// others' must too. A session ended or an access changed on node A
// closes or reloads the websockets its users have open on node B.

// endSession closes the websockets of the login session with token hash
// hash, on every node. The session is already gone from the store.
func (s *Server) endSession(ctx context.Context, hash []byte) {
	s.hub.EndSession(string(hash))
	s.announce(ctx, store.Signal{EndSession: string(hash)})
}

// accessChanged has the websockets of users whose access changed
// reconnect, on every node: their pages reload with the new access.
func (s *Server) accessChanged(ctx context.Context, userIDs ...int64) {
	s.hub.AccessChanged(userIDs...)
	s.announce(ctx, store.Signal{AccessChanged: userIDs})
}

// announce tells the other nodes of sig. The change it tells of is
// committed whatever happens here: a failure is logged, and the other
// nodes' sockets go on until they reconnect (every event they get is
// filtered with the new access anyway).
func (s *Server) announce(ctx context.Context, sig store.Signal) {
	if err := s.store.Announce(context.WithoutCancel(ctx), sig); err != nil {
		s.log.Error("telling the other nodes", "err", err)
	}
}

// hear is what the other nodes tell this one's hub.
func (s *Server) hear(sig store.Signal) {
	switch {
	case sig.Resync:
		s.hub.DropAll()
	case sig.EndSession != "":
		s.hub.EndSession(sig.EndSession)
	case len(sig.AccessChanged) > 0:
		s.hub.AccessChanged(sig.AccessChanged...)
	}
}
