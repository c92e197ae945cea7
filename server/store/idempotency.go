package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/supportal/supportal/app/ticket"
)

// Once identifies a request that may be retried: the same user sending the
// same key gets what the first request created. RequestHash tells a retry
// from a different request that reuses the key. The zero Once means no key.
//
// Only a request that succeeds binds its key (it is recorded in the
// transaction that makes the change): a key whose request failed may come
// again with another request.
type Once struct {
	UserID      int64
	Key         string
	RequestHash []byte
	// OldHash is the request's hash as computed before the kind of
	// request was hashed too (keys kept before migration 0015): a key
	// without a kept answer whose hash is OldHash is a retry as well.
	OldHash []byte
	// Answer, when set, makes the request's answer from what it wrote,
	// inside its transaction, so that the answer is kept with the key in
	// the same commit (no second write, nothing read back). It is called
	// with or without a key, on the store's writer: it must be quick and
	// must not use the store. A status of 0 keeps no answer (a retry then
	// gets one rebuilt).
	Answer func(Written) (status int, body []byte)
}

// Written is what a request wrote, as its answer is made from it.
type Written struct {
	// Ticket is the ticket a create made, as DB.Ticket would read it.
	Ticket ticket.Ticket
	// Message is the message a reply added, as DB.Message would read it;
	// Status and UpdatedAt are its ticket's after the reply.
	Message   ticket.Message
	Status    ticket.Status
	UpdatedAt time.Time
}

// Replay is what the first request with a key left: the ticket and
// message (0: none) it made and, once kept, its answer.
type Replay struct {
	Number    int64
	MessageID int64
	// Status and Body are the first answer; Body is nil for a key kept
	// before answers were, or whose answer could not be kept.
	Status int
	Body   []byte
}

// queryRower is a transaction (*Tx) or the database.
type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// replay looks up once in tx: ok reports a retry and gives what the first
// request left.
func (once Once) replay(ctx context.Context, tx queryRower) (Replay, bool, error) {
	if once.Key == "" {
		return Replay{}, false, nil
	}
	var (
		hash   []byte
		msg    sql.NullInt64
		status sql.NullInt64
		rp     Replay
	)
	err := tx.QueryRowContext(ctx, `SELECT request_hash, ticket_number, message_id, response_status, response_body FROM idempotency_keys WHERE user_id = ? AND key = ?`,
		once.UserID, once.Key).Scan(&hash, &rp.Number, &msg, &status, &rp.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return Replay{}, false, nil
	}
	if err != nil {
		return Replay{}, false, err
	}
	same := bytes.Equal(hash, once.RequestHash) || (!status.Valid && once.OldHash != nil && bytes.Equal(hash, once.OldHash))
	if !same {
		return Replay{}, false, ErrKeyReused
	}
	rp.MessageID = msg.Int64
	if status.Valid {
		rp.Status = int(status.Int64)
	} else {
		rp.Body = nil
	}
	return rp, true, nil
}

// record makes once's answer from what was written (Once.Answer) and
// keeps it with the key.
func (once Once) record(ctx context.Context, tx *Tx, w Written, at time.Time) error {
	var status any
	var body []byte
	if once.Answer != nil {
		if st, b := once.Answer(w); st != 0 {
			status, body = st, b
		}
	}
	if once.Key == "" {
		return nil
	}
	number, msg := w.Ticket.Number, any(nil)
	if w.Message.ID != 0 {
		number, msg = w.Message.TicketNumber, w.Message.ID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash, ticket_number, message_id, created_at, response_status, response_body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		once.UserID, once.Key, once.RequestHash, number, msg, millis(at), status, body)
	return err
}

// KeepAnswer keeps the answer to once's first request with its key, for
// retries to get the same status and bytes. The first answer kept stays.
func (s *DB) KeepAnswer(ctx context.Context, once Once, status int, body []byte) error {
	if once.Key == "" {
		return nil
	}
	return s.tx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE idempotency_keys SET response_status = ?, response_body = ?
			WHERE user_id = ? AND key = ? AND request_hash = ? AND response_status IS NULL`,
			status, body, once.UserID, once.Key, once.RequestHash)
		return err
	})
}

// DeleteKeysBefore deletes the idempotency keys recorded before before and
// returns how many.
func (s *DB) DeleteKeysBefore(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.tx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < ?`, millis(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// Replayed reports whether once was seen before, and what it left.
func (s *DB) Replayed(ctx context.Context, once Once) (Replay, bool, error) {
	if once.Key == "" {
		return Replay{}, false, nil
	}
	return once.replay(ctx, s.read)
}
