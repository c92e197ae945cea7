package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

func TestOpenEmbedSession(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			db := m.open(t)
			f := mustFixture(t, db)
			ctx := context.Background()
			now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
			login := func(jti, email string, provision bool, rec *ticket.Record) store.EmbedLogin {
				return store.EmbedLogin{Host: "praxis", TokenID: jti, TokenEnds: now.Add(time.Minute), Provision: provision,
					User: ticket.User{Email: email, Name: "Nina Neu", Locale: "fr"}, Record: rec,
					Session: store.Session{Host: "praxis", OrganizationID: f.orgA.ID, Kiosk: true, Locale: "fr", ExpiresAt: now.Add(8 * time.Hour)}}
			}

			// A known user; the record is stored with the session.
			rec := &ticket.Record{Kind: ticket.RecordClaim, ExternalID: "CLM-1", Title: "Röntgen", UpdatedAt: now}
			u, created, err := db.OpenEmbedSession(ctx, []byte("token-1"), login("j1", "U@example.com", false, rec), now)
			if err != nil || created || u.ID != f.user.ID {
				t.Fatalf("known user: %+v created %v err %v", u, created, err)
			}
			sess, err := db.Session(ctx, []byte("token-1"), now.Add(time.Minute), now.Add(-time.Hour), time.Minute)
			if err != nil || !sess.Embedded() || sess.OrganizationID != f.orgA.ID || !sess.Kiosk || sess.Locale != "fr" || sess.RecordID == 0 {
				t.Fatalf("session %+v err %v", sess, err)
			}
			stored, err := db.RecordByKey(ctx, f.orgA.ID, ticket.RecordClaim, "CLM-1")
			if err != nil || stored.ID != sess.RecordID || stored.Title != "Röntgen" {
				t.Fatalf("record %+v err %v", stored, err)
			}

			// The same token id again: refused, and no session is stored.
			_, _, err = db.OpenEmbedSession(ctx, []byte("token-2"), login("j1", "u@example.com", false, nil), now)
			if err != store.ErrTokenUsed {
				t.Fatalf("replay: %v, want ErrTokenUsed", err)
			}
			if _, err := db.Session(ctx, []byte("token-2"), now, now.Add(-time.Hour), time.Minute); ticket.ErrorCode(err) != ticket.CodeNotFound {
				t.Fatalf("a replayed token opened a session: %v", err)
			}

			// An unknown user: refused without provisioning, nothing kept
			// (the token id may be used again once the user exists).
			if _, _, err := db.OpenEmbedSession(ctx, []byte("token-3"), login("j3", "nina@example.com", false, nil), now); ticket.ErrorCode(err) != ticket.CodeNotFound {
				t.Fatalf("unknown user without provisioning: %v", err)
			}
			nina, created, err := db.OpenEmbedSession(ctx, []byte("token-3"), login("j3", "Nina@Example.com", true, nil), now)
			if err != nil || !created || nina.Email != "nina@example.com" || nina.Locale != "fr" {
				t.Fatalf("provisioned: %+v created %v err %v", nina, created, err)
			}
			v, err := db.Viewer(ctx, nina.ID)
			if err != nil || len(v.Memberships) != 1 || v.Memberships[0].Organization.ID != f.orgA.ID || v.Memberships[0].Role != ticket.RoleMember || !v.Memberships[0].TicketAccess {
				t.Fatalf("provisioned user's access: %+v %v", v, err)
			}
			if _, hash, _ := db.UserByEmail(ctx, "nina@example.com"); hash != "!" {
				t.Fatalf("a provisioned user has a password hash %q", hash)
			}

			// Only kind and id: the record is looked up; an unknown one is
			// no context.
			_, _, err = db.OpenEmbedSession(ctx, []byte("token-4"), login("j4", "u@example.com", false, &ticket.Record{Kind: ticket.RecordClaim, ExternalID: "CLM-1"}), now)
			if err != nil {
				t.Fatal(err)
			}
			if s, _ := db.Session(ctx, []byte("token-4"), now, now.Add(-time.Hour), time.Minute); s.RecordID != stored.ID {
				t.Fatalf("looked-up record %d, want %d", s.RecordID, stored.ID)
			}
			_, _, err = db.OpenEmbedSession(ctx, []byte("token-5"), login("j5", "u@example.com", false, &ticket.Record{Kind: ticket.RecordClaim, ExternalID: "CLM-404"}), now)
			if err != nil {
				t.Fatal(err)
			}
			if s, _ := db.Session(ctx, []byte("token-5"), now, now.Add(-time.Hour), time.Minute); s.RecordID != 0 {
				t.Fatalf("unknown record %d, want none", s.RecordID)
			}

			// A session ends at its end, however recently it was used.
			if _, err := db.Session(ctx, []byte("token-1"), now.Add(8*time.Hour), now.Add(7*time.Hour), time.Minute); ticket.ErrorCode(err) != ticket.CodeNotFound {
				t.Fatalf("session past its end: %v", err)
			}
		})
	}
}
