package state

import "sync"

// socketBuffer is how many frames a socket holds until runLive reads them.
const socketBuffer = 256

// socket passes the frames of one event stream connection to runLive, in
// order, without blocking the connection's side (the browser's event
// loop). frames is closed when the connection ends: runLive handles what
// came before, then reconnects after the last event it handled.
type socket struct {
	frames chan []byte
	mu     sync.Mutex
	ended  bool
}

func newSocket() *socket { return &socket{frames: make(chan []byte, socketBuffer)} }

// deliver passes a frame on; it reports false when the socket has ended,
// and the connection should close. A frame that finds the buffer full
// ends the socket instead of being dropped: a later frame would move the
// last event id handled past it, and it would be lost for good. Ended,
// the stream resumes after the frames it held, and the server sends the
// rest again.
func (s *socket) deliver(data []byte) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return false
	}
	select {
	case s.frames <- data:
		return true
	default:
		s.ended = true
		close(s.frames)
		return false
	}
}

// end tells that the connection ended.
func (s *socket) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ended {
		s.ended = true
		close(s.frames)
	}
}
