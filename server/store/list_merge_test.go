package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

// A customer in several accounts gets their list as a merge of one walk
// per account (store.ListQuery's byOrganization): on a randomized store,
// every page of every order, filter and account choice equals what the one
// query that sorts all their tickets lists — page by page, cursor by cursor.
func TestListMergeEqualsSortingAll(t *testing.T) {
	onEngines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := mustFixture(t, db)
		rng := rand.New(rand.NewPCG(18, 3))
		orgs := []ticket.Organization{f.orgA, f.orgB}
		for i := range 4 {
			o, err := db.CreateOrganization(ctx, ticket.Organization{Name: fmt.Sprintf("Org %d", i), AccountNumber: fmt.Sprint(300 + i), Kind: ticket.KindCustomer})
			if err != nil {
				t.Fatal(err)
			}
			orgs = append(orgs, o)
		}
		statuses := []ticket.Status{ticket.StatusNew, ticket.StatusOpen, ticket.StatusWaitingExternal, ticket.StatusResolved, ticket.StatusClosed}
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		var batch []ticket.Ticket
		for i := range 600 {
			// Few distinct times: ties in created/updated order are many.
			created := base.Add(time.Duration(rng.IntN(200)) * time.Hour)
			org := orgs[min(rng.IntN(len(orgs)+3), len(orgs)-1)] // the last account is big
			batch = append(batch, ticket.Ticket{Organization: org.Ref(), Requester: f.user.Ref(), Type: []string{"login_problem", "invoice"}[i%2],
				Category: "password", Subject: fmt.Sprint("T", i), Description: "d", Status: statuses[rng.IntN(len(statuses))],
				CreatedAt: created, UpdatedAt: created.Add(time.Duration(rng.IntN(3)) * 24 * time.Hour)})
		}
		if err := db.ImportTickets(ctx, batch); err != nil {
			t.Fatal(err)
		}
		sorts := []ticket.Sort{"", ticket.SortNumber, ticket.SortCreated, ticket.SortUpdated}
		for trial := range 150 {
			var scope ticket.Scope
			for _, o := range orgs {
				if rng.IntN(2) == 0 {
					scope.OrganizationIDs = append(scope.OrganizationIDs, o.ID)
				}
			}
			q := store.ListQuery{Scope: scope, Sort: sorts[rng.IntN(len(sorts))], Limit: 1 + rng.IntN(60)}
			switch rng.IntN(6) {
			case 0:
				q.OrganizationID = orgs[rng.IntN(len(orgs))].ID // in scope or not
			case 1:
				q.Scope = ticket.Scope{All: true}
				q.OrganizationID = orgs[rng.IntN(len(orgs))].ID // an agent's account filter
			}
			if rng.IntN(2) == 0 {
				q.Statuses = []ticket.Status{statuses[rng.IntN(len(statuses))], statuses[rng.IntN(len(statuses))]}
			}
			if rng.IntN(4) == 0 {
				q.Type = "invoice"
			}
			for page := 0; page < 40; page++ {
				got, next, err := db.ListTickets(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				want, wantNext, err := db.ListTickets(ctx, q.SortingAll())
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(numbers(got), numbers(want)) || next != wantNext {
					t.Fatalf("trial %d page %d %+v:\nmerged   %v next %q\nsort all %v next %q", trial, page, q, numbers(got), next, numbers(want), wantNext)
				}
				if next == "" {
					break
				}
				q.Cursor = next
			}
		}
	})
}

func numbers(ts []ticket.Ticket) []int64 {
	out := []int64{}
	for _, t := range ts {
		out = append(out, t.Number)
	}
	return out
}
