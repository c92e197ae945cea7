package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

func mustRecord(tb testing.TB, db *store.DB, org ticket.Organization, kind ticket.RecordKind, id, title string, at time.Time) ticket.Record {
	tb.Helper()
	r, _, err := db.UpsertRecord(context.Background(), ticket.Record{Organization: org.Ref(), Kind: kind, ExternalID: id, Title: title,
		Fields: []ticket.RecordField{{Label: "serialNumber", Value: "SN-" + id}}, UpdatedAt: at})
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func TestRecordUpsertAndArchive(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			db := m.open(t)
			f := mustFixture(t, db)
			ctx := context.Background()
			at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
			in := ticket.Record{Organization: f.orgA.Ref(), Kind: ticket.RecordAsset, ExternalID: "A-1", Title: "Autoklav",
				Fields: []ticket.RecordField{{Label: "installedOn", Value: "2021-04-01", Kind: ticket.KindDate}}, UpdatedAt: at}
			r, created, err := db.UpsertRecord(ctx, in)
			if err != nil || !created {
				t.Fatalf("first upsert: created %v, err %v", created, err)
			}
			if r.Organization.Name != f.orgA.Name || len(r.Fields) != 1 || r.Fields[0].Kind != ticket.KindDate || !r.CreatedAt.Equal(at) {
				t.Fatalf("record = %+v", r)
			}
			in.Title, in.UpdatedAt = "Autoklav B", at.Add(time.Hour)
			again, created, err := db.UpsertRecord(ctx, in)
			if err != nil || created || again.ID != r.ID || again.Title != "Autoklav B" || !again.CreatedAt.Equal(at) {
				t.Fatalf("second upsert: %+v created %v err %v", again, created, err)
			}
			// The same external id of another kind or organization is another record.
			other, created, err := db.UpsertRecord(ctx, ticket.Record{Organization: f.orgB.Ref(), Kind: ticket.RecordAsset, ExternalID: "A-1", Title: "x", UpdatedAt: at})
			if err != nil || !created || other.ID == r.ID {
				t.Fatalf("other organization: %+v created %v err %v", other, created, err)
			}
			archived, err := db.ArchiveRecord(ctx, f.orgA.ID, ticket.RecordAsset, "A-1", at.Add(2*time.Hour))
			if err != nil || !archived.Archived {
				t.Fatalf("archive: %+v %v", archived, err)
			}
			if _, err := db.ArchiveRecord(ctx, f.orgA.ID, ticket.RecordClaim, "A-1", at); ticket.ErrorCode(err) != ticket.CodeNotFound {
				t.Fatalf("archive of a missing record: %v", err)
			}
			list, _, err := db.ListRecords(ctx, store.RecordQuery{Scope: ticket.Scope{OrganizationIDs: []int64{f.orgA.ID}}})
			if err != nil || len(list) != 0 {
				t.Fatalf("archived records are not listed: %+v %v", list, err)
			}
			// Sent again, it is back.
			back, _, err := db.UpsertRecord(ctx, in)
			if err != nil || back.Archived {
				t.Fatalf("upsert after archive: %+v %v", back, err)
			}
		})
	}
}

func TestRecordList(t *testing.T) {
	onEngines(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		ctx := context.Background()
		at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		for i, id := range []string{"CLM-1", "CLM-2", "CLM-3"} {
			mustRecord(t, db, f.orgA, ticket.RecordClaim, id, "Claim "+id, at.Add(time.Duration(i)*time.Minute))
		}
		mustRecord(t, db, f.orgA, ticket.RecordAsset, "SN_100%", "Röntgengerät", at)
		mustRecord(t, db, f.orgB, ticket.RecordClaim, "CLM-9", "Claim of B", at)
		scopeA := ticket.Scope{OrganizationIDs: []int64{f.orgA.ID}}

		tests := []struct {
			name string
			q    store.RecordQuery
			want []string
		}{
			{"scope", store.RecordQuery{Scope: scopeA, Kind: ticket.RecordClaim}, []string{"CLM-3", "CLM-2", "CLM-1"}},
			{"all", store.RecordQuery{Scope: ticket.Scope{All: true}, Kind: ticket.RecordClaim, OrganizationID: f.orgB.ID}, []string{"CLM-9"}},
			{"search id", store.RecordQuery{Scope: scopeA, Search: "clm-2"}, []string{"CLM-2"}},
			{"search title", store.RecordQuery{Scope: scopeA, Search: "röntgen"}, []string{"SN_100%"}},
			{"like characters are literal", store.RecordQuery{Scope: scopeA, Search: "_100%"}, []string{"SN_100%"}},
			{"like characters match nothing else", store.RecordQuery{Scope: scopeA, Search: "%"}, []string{"SN_100%"}},
			{"other organization's records stay out", store.RecordQuery{Scope: scopeA, Search: "CLM-9"}, nil},
			{"empty scope", store.RecordQuery{}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, _, err := db.ListRecords(ctx, tt.q)
				if err != nil {
					t.Fatal(err)
				}
				var ids []string
				for _, r := range got {
					ids = append(ids, r.ExternalID)
				}
				if len(ids) != len(tt.want) {
					t.Fatalf("got %v, want %v", ids, tt.want)
				}
				for i := range ids {
					if ids[i] != tt.want[i] {
						t.Fatalf("got %v, want %v", ids, tt.want)
					}
				}
			})
		}

		// Pages follow one another without gaps or repeats.
		var seen []string
		q := store.RecordQuery{Scope: scopeA, Limit: 2}
		for {
			page, next, err := db.ListRecords(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range page {
				seen = append(seen, r.ExternalID)
			}
			if next == "" {
				break
			}
			q.Cursor = next
		}
		if len(seen) != 4 {
			t.Fatalf("paged through %v, want 4 records", seen)
		}
	})
}

func TestLinks(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			db := m.open(t)
			f := mustFixture(t, db)
			ctx := context.Background()
			at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
			claim := mustRecord(t, db, f.orgA, ticket.RecordClaim, "CLM-4711", "Zahnreinigung Meier", at)
			asset := mustRecord(t, db, f.orgA, ticket.RecordAsset, "SN-88", "Autoklav", at)

			// A ticket created with a link has it, in one transaction.
			tk, err := db.CreateTicket(ctx, ticket.Ticket{Organization: f.orgA.Ref(), Requester: f.user.Ref(), Type: "t", Category: "c",
				Subject: "Abrechnung abgelehnt", Description: "d", Status: ticket.StatusNew, CreatedAt: at,
				Links: []ticket.Link{{Record: claim.Ref()}}})
			if err != nil {
				t.Fatal(err)
			}
			if len(tk.Links) != 1 || tk.Links[0].Record.ExternalID != "CLM-4711" || tk.Links[0].LinkedBy.ID != f.user.ID || !tk.Links[0].LinkedAt.Equal(at) {
				t.Fatalf("links of the new ticket = %+v", tk.Links)
			}
			// A link to a missing record fails the whole create.
			before, _, _ := db.ListTickets(ctx, store.ListQuery{Scope: ticket.Scope{All: true}})
			_, err = db.CreateTicket(ctx, ticket.Ticket{Organization: f.orgA.Ref(), Requester: f.user.Ref(), Type: "t", Category: "c",
				Subject: "s", Description: "d", Status: ticket.StatusNew, CreatedAt: at, Links: []ticket.Link{{Record: ticket.RecordRef{ID: 999}}}})
			if ticket.ErrorCode(err) != ticket.CodeNotFound {
				t.Fatalf("create with a missing record: %v", err)
			}
			after, _, _ := db.ListTickets(ctx, store.ListQuery{Scope: ticket.Scope{All: true}})
			if len(after) != len(before) {
				t.Fatalf("a failed create left a ticket: %d before, %d after", len(before), len(after))
			}

			last, _ := db.LastEventID(ctx)
			if _, err := db.LinkRecord(ctx, tk.Number, asset.ID, f.sam.Ref(), at.Add(time.Hour), nil); err != nil {
				t.Fatal(err)
			}
			if _, err := db.LinkRecord(ctx, tk.Number, asset.ID, f.user.Ref(), at.Add(time.Hour), nil); err != store.ErrLinkExists {
				t.Fatalf("duplicate link: %v, want ErrLinkExists", err)
			}
			evs, err := db.EventsAfter(ctx, last, 10)
			if err != nil || len(evs) != 1 || evs[0].Type != ticket.EventTicketUpdated || len(evs[0].Ticket.Links) != 2 || evs[0].Internal {
				t.Fatalf("events after linking = %+v, %v", evs, err)
			}

			// Search finds the ticket by the record's id and title; the list filters by record.
			for _, q := range []store.ListQuery{
				{Search: "SN-88"}, {Search: "autoklav"}, {Search: "CLM-4711"},
				{RecordKind: ticket.RecordAsset, RecordExternalID: "SN-88"},
			} {
				q.Scope = ticket.Scope{OrganizationIDs: []int64{f.orgA.ID}}
				got, _, err := db.ListTickets(ctx, q)
				if err != nil || len(got) != 1 || got[0].Number != tk.Number {
					t.Fatalf("%+v found %v (%v), want #%d", q, got, err, tk.Number)
				}
			}
			// The record's life record lists the ticket, within scope only.
			about, err := db.TicketsAbout(ctx, asset.ID, ticket.Scope{OrganizationIDs: []int64{f.orgA.ID}}, 10)
			if err != nil || len(about) != 1 {
				t.Fatalf("tickets about the asset = %v, %v", about, err)
			}
			if about, _ := db.TicketsAbout(ctx, asset.ID, ticket.Scope{OrganizationIDs: []int64{f.orgB.ID}}, 10); len(about) != 0 {
				t.Fatalf("another organization sees %v", about)
			}

			// Unlinking removes the link and its search text.
			if err := db.UnlinkRecord(ctx, tk.Number, asset.ID, at.Add(2*time.Hour)); err != nil {
				t.Fatal(err)
			}
			if err := db.UnlinkRecord(ctx, tk.Number, asset.ID, at.Add(2*time.Hour)); ticket.ErrorCode(err) != ticket.CodeNotFound {
				t.Fatalf("second unlink: %v", err)
			}
			got, _, _ := db.ListTickets(ctx, store.ListQuery{Scope: ticket.Scope{All: true}, Search: "SN-88"})
			if len(got) != 0 {
				t.Fatalf("search still finds the unlinked record: %v", got)
			}
			// A renamed record is found by its new title.
			if _, _, err := db.UpsertRecord(ctx, ticket.Record{Organization: f.orgA.Ref(), Kind: ticket.RecordClaim, ExternalID: "CLM-4711", Title: "Prophylaxe Schulze", UpdatedAt: at}); err != nil {
				t.Fatal(err)
			}
			for search, want := range map[string]int{"schulze": 1, "meier": 0} {
				got, _, _ := db.ListTickets(ctx, store.ListQuery{Scope: ticket.Scope{All: true}, Search: search})
				if len(got) != want {
					t.Fatalf("search %q found %d tickets, want %d", search, len(got), want)
				}
			}

			// An example is linked with its message in one transaction.
			eligibility := mustRecord(t, db, f.orgA, ticket.RecordEligibility, "EL-1", "Meier, Eva", at)
			msgID, err := db.LinkRecord(ctx, tk.Number, eligibility.ID, f.user.Ref(), at.Add(3*time.Hour), &store.Example{Body: "Example added", From: ticket.StatusNew, To: ticket.StatusNew})
			if err != nil || msgID == 0 {
				t.Fatalf("example: %d %v", msgID, err)
			}
			ms, _ := db.Messages(ctx, tk.Number)
			if len(ms) != 1 || ms[0].ID != msgID || ms[0].Author.ID != f.user.ID {
				t.Fatalf("messages after the example = %+v", ms)
			}
			links, _ := db.Links(ctx, tk.Number)
			if len(links) != 2 {
				t.Fatalf("links = %+v", links)
			}
		})
	}
}

func TestIntegrationKeys(t *testing.T) {
	onEngines(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		ctx := context.Background()
		at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		in, err := db.CreateIntegration(ctx, "pvs", []byte("hash-1"), []int64{f.orgA.ID, f.orgB.ID}, at)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateIntegration(ctx, "pvs", []byte("hash-2"), nil, at); err != store.ErrIntegrationExists {
			t.Fatalf("second integration of one name: %v", err)
		}
		got, err := db.IntegrationByKey(ctx, []byte("hash-1"))
		if err != nil || got.ID != in.ID || !got.Covers(f.orgA.ID) || !got.Covers(f.orgB.ID) || got.Covers(999) {
			t.Fatalf("by key = %+v, %v", got, err)
		}
		if err := db.RevokeIntegration(ctx, "pvs", at); err != nil {
			t.Fatal(err)
		}
		if _, err := db.IntegrationByKey(ctx, []byte("hash-1")); ticket.ErrorCode(err) != ticket.CodeNotFound {
			t.Fatalf("revoked key: %v", err)
		}
	})
}
