package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

func TestImportMessages(t *testing.T) {
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			ctx := context.Background()
			db := mode.open(t)
			f := mustFixture(t, db)
			created := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
			mk := func(subject string) ticket.Ticket {
				return ticket.Ticket{Organization: f.orgA.Ref(), Requester: f.user.Ref(), Type: "login_problem", Category: "password",
					Subject: subject, Description: "Beschreibung", Status: ticket.StatusOpen, CreatedAt: created}
			}
			if err := db.ImportTickets(ctx, []ticket.Ticket{mk("Drucker"), mk("Rechnung")}); err != nil {
				t.Fatal(err)
			}
			a, b := int64(ticket.FirstTicketNumber), int64(ticket.FirstTicketNumber+1)
			public := created.Add(2 * time.Hour)
			err := db.ImportMessages(ctx, []ticket.Message{
				{TicketNumber: a, Author: f.sam.Ref(), Body: "Bitte den Wombat-Treiber installieren.", CreatedAt: public},
				{TicketNumber: a, Author: f.user.Ref(), Body: "Früher geschrieben, später importiert.", CreatedAt: created.Add(time.Hour)},
				{TicketNumber: b, Author: f.sam.Ref(), Body: "Geheimwort Quokka", Internal: true, CreatedAt: created.Add(3 * time.Hour)},
			})
			if err != nil {
				t.Fatal(err)
			}

			msgs, err := db.Messages(ctx, a)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(msgs), 2; got != want {
				t.Fatalf("ticket %d has %d messages, want %d", a, got, want)
			}
			if got, want := msgs[0].Body, "Bitte den Wombat-Treiber installieren."; got != want {
				t.Errorf("first message %q, want %q", got, want)
			}
			// A public message moves the update time (to the newest one);
			// an internal note does not.
			for number, want := range map[int64]time.Time{a: public, b: created} {
				tk, err := db.Ticket(ctx, number)
				if err != nil {
					t.Fatal(err)
				}
				if !tk.UpdatedAt.Equal(want) {
					t.Errorf("ticket %d updated at %v, want %v", number, tk.UpdatedAt, want)
				}
			}

			customer := ticket.Scope{OrganizationIDs: []int64{f.orgA.ID}}
			agent := ticket.Scope{All: true}
			tests := []struct {
				scope  ticket.Scope
				search string
				want   []int64
			}{
				{customer, "wombat", []int64{a}},
				{customer, "treib", []int64{a}},
				{customer, "quokka", nil}, // internal notes: not for customers
				{agent, "quokka", []int64{b}},
			}
			for _, tt := range tests {
				ts, _, err := db.ListTickets(ctx, store.ListQuery{Scope: tt.scope, Search: tt.search})
				if err != nil {
					t.Fatalf("search %q: %v", tt.search, err)
				}
				var got []int64
				for _, tk := range ts {
					got = append(got, tk.Number)
				}
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Errorf("search %q (agent %v) = %v, want %v", tt.search, tt.scope.All, got, tt.want)
				}
			}
		})
	}
}
