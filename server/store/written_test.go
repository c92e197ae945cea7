package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

// What a create or a reply returns is made from what it wrote, not read
// back: on a randomized store it must equal what DB.Ticket and DB.Message
// read afterwards — fields, attachments (in the store's order), links,
// vendor, follow-up, times to the millisecond — and the answer kept with
// an idempotency key is the one made from it.
func TestWrittenEqualsReadBack(t *testing.T) {
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			ctx := context.Background()
			db := mode.open(t)
			f := mustFixture(t, db)
			vendor, err := db.CreateOrganization(ctx, ticket.Organization{Name: "MedSoft Vendor", AccountNumber: "900", Kind: ticket.KindVendor})
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(18, 2026))
			base := time.Date(2026, 12, 3, 9, 0, 0, 123456789, time.UTC)
			var records []ticket.Record
			for i := range 6 {
				r, _, err := db.UpsertRecord(ctx, ticket.Record{Organization: f.orgA.Ref(), Kind: ticket.RecordAsset,
					ExternalID: "A-" + strconv.Itoa(i), Title: "Autoklav " + strconv.Itoa(i), UpdatedAt: base})
				if err != nil {
					t.Fatal(err)
				}
				records = append(records, r)
			}
			uploads := 0
			upload := func(by int64, at time.Time) ticket.Attachment {
				uploads++
				u := store.Upload{Attachment: ticket.Attachment{ID: fmt.Sprintf("up%03d-%d", rng.IntN(1000), uploads), Name: fmt.Sprintf("Befund %d.pdf", uploads),
					Size: int64(100 + uploads), ContentType: "application/pdf"}, UploaderID: by, OrganizationID: f.orgA.ID,
					SHA256: fmt.Sprintf("%064d", uploads), Regime: ticket.PrivacyGDPR, Wording: "v1", ConfirmedAt: at, CreatedAt: at}
				if err := db.CreateUpload(ctx, u); err != nil {
					t.Fatal(err)
				}
				return ticket.Attachment{ID: u.ID}
			}
			var closed int64
			for i := range 40 {
				at := base.Add(time.Duration(i)*time.Minute + time.Duration(rng.IntN(1e6)))
				in := ticket.Ticket{Organization: ticket.OrgRef{ID: f.orgA.ID}, Requester: ticket.UserRef{ID: f.user.ID},
					Type: "login_problem", Category: "password", Subject: "Betreff " + strconv.Itoa(i), Description: "Beschreibung",
					Status: ticket.StatusNew, CreatedAt: at}
				if n := rng.IntN(3); n > 0 {
					in.Fields = map[string]string{}
					for j := range n {
						in.Fields["f"+strconv.Itoa(j)] = "Wert " + strconv.Itoa(rng.IntN(100))
					}
				}
				for range rng.IntN(4) {
					// Uploads often share a millisecond: the order is by id then.
					in.Attachments = append(in.Attachments, upload(f.user.ID, at.Add(-time.Duration(rng.IntN(2))*time.Millisecond)))
				}
				for _, j := range rng.Perm(len(records))[:rng.IntN(3)] {
					in.Links = append(in.Links, ticket.Link{Record: records[j].Ref()})
				}
				if rng.IntN(3) == 0 {
					in.OnBehalfOf = &ticket.OrgRef{ID: vendor.ID}
				}
				if closed != 0 && rng.IntN(3) == 0 {
					in.FollowUpOf = closed
				}
				var answered store.Written
				once := store.Once{UserID: f.user.ID, Key: "k" + strconv.Itoa(i), RequestHash: []byte{byte(i)},
					Answer: func(w store.Written) (int, []byte) {
						answered = w
						return 201, []byte("ticket " + strconv.FormatInt(w.Ticket.Number, 10))
					}}
				got, replayed, err := db.CreateTicketOnce(ctx, once, in)
				if err != nil || replayed {
					t.Fatalf("create %d: replayed %v, %v", i, replayed, err)
				}
				read, err := db.Ticket(ctx, got.Number)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, read) {
					t.Fatalf("create %d returned\n%+v\nread back\n%+v", i, got, read)
				}
				if !reflect.DeepEqual(answered.Ticket, read) {
					t.Fatalf("create %d answered from\n%+v\nread back\n%+v", i, answered.Ticket, read)
				}
				kept, ok, err := db.Replayed(ctx, once)
				if err != nil || !ok || kept.Status != 201 || string(kept.Body) != "ticket "+strconv.FormatInt(got.Number, 10) || kept.Number != got.Number {
					t.Fatalf("create %d: kept %+v %v %v", i, kept, ok, err)
				}

				// Replies on it, public and internal, with and without files.
				status := read.Status
				for j := range rng.IntN(3) {
					m := ticket.Message{TicketNumber: got.Number, Author: ticket.UserRef{ID: f.sam.ID}, Body: "Antwort " + strconv.Itoa(j),
						Internal: rng.IntN(3) == 0, CreatedAt: at.Add(time.Duration(j+1)*time.Second + time.Duration(rng.IntN(1e6)))}
					if rng.IntN(2) == 0 {
						m.Author = ticket.UserRef{ID: f.user.ID}
						m.Internal = false
						for range rng.IntN(3) {
							m.Attachments = append(m.Attachments, upload(f.user.ID, m.CreatedAt))
						}
					}
					next := ticket.StatusOpen
					if m.Internal {
						next = status
					}
					var w store.Written
					added, _, err := db.ReplyOnce(ctx, store.Once{Answer: func(x store.Written) (int, []byte) { w = x; return 0, nil }}, m, status, next)
					if err != nil {
						t.Fatalf("reply %d/%d: %v", i, j, err)
					}
					status = next
					readM, err := db.Message(ctx, added.ID)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(added, readM) || !reflect.DeepEqual(w.Message, readM) {
						t.Fatalf("reply %d/%d returned\n%+v\nread back\n%+v", i, j, added, readM)
					}
					after, err := db.Ticket(ctx, got.Number)
					if err != nil {
						t.Fatal(err)
					}
					if w.Status != after.Status || !w.UpdatedAt.Equal(after.UpdatedAt) {
						t.Fatalf("reply %d/%d: written status %s at %v, read %s at %v", i, j, w.Status, w.UpdatedAt, after.Status, after.UpdatedAt)
					}
				}
				if rng.IntN(4) == 0 {
					if err := db.SetStatus(ctx, got.Number, status, ticket.StatusClosed, at.Add(time.Hour)); err != nil {
						t.Fatal(err)
					}
					closed = got.Number
				}
			}
		})
	}
}

// Texts are indexed at the end of a batch of writes (see index): a write
// that fails in a batch leaves nothing to find, the others are found as
// soon as they are acknowledged.
func TestSearchFindsWhatBatchesCommitted(t *testing.T) {
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			ctx := context.Background()
			db := mode.open(t)
			f := mustFixture(t, db)
			scope := ticket.Scope{All: true}
			for round := range 5 {
				const writers = 24
				errs := make([]error, writers)
				numbers := make([]int64, writers)
				done := make(chan int)
				for i := range writers {
					go func() {
						defer func() { done <- i }()
						tk := ticket.Ticket{Organization: f.orgA.Ref(), Requester: f.user.Ref(), Type: "login_problem", Category: "password",
							Subject: fmt.Sprintf("Wort%dx%dq", round, i), Description: "Beschreibung", Status: ticket.StatusNew, CreatedAt: time.Now()}
						if i%5 == 3 {
							// Fails after its texts were given to the index.
							tk.Attachments = []ticket.Attachment{{ID: "no-such-upload"}}
						}
						got, err := db.CreateTicket(ctx, tk)
						numbers[i], errs[i] = got.Number, err
						if err != nil {
							return
						}
						found, _, err := db.ListTickets(ctx, store.ListQuery{Scope: scope, Search: tk.Subject})
						if err != nil || len(found) != 1 || found[0].Number != got.Number {
							errs[i] = fmt.Errorf("search right after the create: %d tickets, %v", len(found), err)
						}
					}()
				}
				for range writers {
					<-done
				}
				for i, err := range errs {
					if i%5 == 3 {
						if err != store.ErrAttachment {
							t.Fatalf("round %d writer %d: %v, want ErrAttachment", round, i, err)
						}
						found, _, _ := db.ListTickets(ctx, store.ListQuery{Scope: scope, Search: fmt.Sprintf("Wort%dx%dq", round, i)})
						if len(found) != 0 {
							t.Fatalf("round %d: the failed create is found: %+v", round, found)
						}
						continue
					}
					if err != nil {
						t.Fatalf("round %d writer %d: %v", round, i, err)
					}
				}
			}
		})
	}
}
