package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
)

var replyTokenPattern = regexp.MustCompile(`^[a-z2-7]{32}$`)

func TestReplyTokens(t *testing.T) {
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			ctx := context.Background()
			db := mode.open(t)
			f := mustFixture(t, db)
			now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
			a := mustTicket(t, db, f.orgA, f.user, ticket.StatusOpen, now)
			b := mustTicket(t, db, f.orgA, f.user, ticket.StatusOpen, now)

			type made struct {
				token          string
				userID, number int64
			}
			var tokens []made
			seen := map[string]bool{}
			for i := 0; i < 50; i++ {
				userID, number := f.user.ID, a.Number
				if i%2 == 1 {
					userID, number = f.sam.ID, b.Number
				}
				tok, err := db.ReplyToken(ctx, userID, number, now)
				if err != nil {
					t.Fatal(err)
				}
				if !replyTokenPattern.MatchString(tok) {
					t.Fatalf("token %q: want 32 lower-case base32 characters (160 bits)", tok)
				}
				if seen[tok] {
					t.Fatalf("token %q made twice", tok)
				}
				seen[tok] = true
				tokens = append(tokens, made{tok, userID, number})
			}

			// Only hashes are stored: no token is in the table, each
			// token's SHA-256 is.
			hashes, err := db.ReplyTokenHashes(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(hashes), len(tokens); got != want {
				t.Fatalf("%d rows, want %d", got, want)
			}
			stored := map[string]bool{}
			for _, h := range hashes {
				stored[string(h)] = true
				for _, m := range tokens {
					if bytes.Contains(h, []byte(m.token)) {
						t.Fatalf("token %q stored in the clear", m.token)
					}
				}
			}
			for _, m := range tokens {
				sum := sha256.Sum256([]byte(m.token))
				if !stored[string(sum[:])] {
					t.Fatalf("the hash of %q is not stored", m.token)
				}
			}

			// Each token leads back to its user and ticket, in any case.
			for _, m := range tokens {
				for _, tok := range []string{m.token, strings.ToUpper(m.token)} {
					userID, number, err := db.ReplyTarget(ctx, tok)
					if err != nil || userID != m.userID || number != m.number {
						t.Fatalf("ReplyTarget(%q) = %d, %d, %v; want %d, %d", tok, userID, number, err, m.userID, m.number)
					}
				}
			}
			for _, tok := range []string{"", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", tokens[0].token[:31], tokens[0].token + "a", strings.Repeat("a", 200)} {
				if _, _, err := db.ReplyTarget(ctx, tok); ticket.ErrorCode(err) != ticket.CodeNotFound {
					t.Errorf("ReplyTarget(%q) err = %v, want not_found", tok, err)
				}
			}
		})
	}
}
