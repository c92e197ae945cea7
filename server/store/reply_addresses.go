package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"strings"
	"time"
)

// Reply addresses. A mail about a ticket may carry a Reply-To address with
// a token that stands for its reader and the ticket
// (reply+<token>@<reply domain>, see server/mail.ReplyAddress); a reply
// sent to it becomes a message on the ticket (server/mailin), if the
// policy still lets the user write there. Only the token's SHA-256 is
// stored.

// replyTokenBytes is the token's randomness: 160 bits.
const replyTokenBytes = 20

// replyTokenEncoding writes tokens in lower-case base32 without padding:
// letters and digits only, which survive mail servers that fold the case
// of local parts.
var replyTokenEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// ReplyToken makes a new reply token for user userID on ticket number and
// stores its hash. The token goes into a reply address
// (mail.ReplyAddress); ReplyTarget finds the user and the ticket again.
func (s *DB) ReplyToken(ctx context.Context, userID, number int64, now time.Time) (string, error) {
	var token string
	err := s.tx(ctx, func(tx *Tx) error {
		var err error
		token, err = replyToken(ctx, tx, userID, number, now)
		return err
	})
	return token, err
}

// replyToken is ReplyToken in tx, the transaction that queues the mail
// whose Reply-To carries the token:
//
//	token, err := replyToken(ctx, tx, u.ID, t.Number, now)
//	…
//	m.ReplyTo = mail.ReplyAddress(token, replyDomain)
func replyToken(ctx context.Context, tx *Tx, userID, number int64, now time.Time) (string, error) {
	b := make([]byte, replyTokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := replyTokenEncoding.EncodeToString(b)
	_, err := tx.ExecContext(ctx, `INSERT INTO reply_addresses (token_hash, user_id, ticket_number, created_at) VALUES (?, ?, ?, ?)`,
		replyTokenHash(token), userID, number, millis(now))
	if err != nil {
		return "", err
	}
	return token, nil
}

// ReplyTarget returns the user and the ticket a reply token stands for;
// ticket.ErrNotFound for a token never made (or whose user or ticket is
// gone). The token is compared in lower case.
func (s *DB) ReplyTarget(ctx context.Context, token string) (userID, number int64, err error) {
	token = strings.ToLower(token)
	if token == "" || len(token) > 64 {
		return 0, 0, notFound(sql.ErrNoRows)
	}
	err = s.read.QueryRowContext(ctx, `SELECT user_id, ticket_number FROM reply_addresses WHERE token_hash = ?`,
		replyTokenHash(token)).Scan(&userID, &number)
	return userID, number, notFound(err)
}

func replyTokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
