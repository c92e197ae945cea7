package synth

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/store"
)

// AgentEmail is the agent of the big store (the author of its internal
// notes and agent replies).
const AgentEmail = "agent@bench.example"

// World is the big store on disk, in a directory of its own under
// os.TempDir (supportal-bench-*).
type World struct {
	Dir string
	DB  *store.DB
	// Customer is what a customer of two accounts sees: one of the two
	// biggest and a middling one.
	Customer ticket.Scope
}

// Build makes the big store: Orgs organizations, 50 requesters, the agent
// (password hash agentHash) and the tickets and messages of Generate.
func Build(agentHash string) (w *World, err error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "supportal-bench-")
	if err != nil {
		return nil, err
	}
	db, err := store.Open(filepath.Join(dir, "big.db"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	w = &World{Dir: dir, DB: db}
	defer func() {
		if err != nil {
			w.Remove()
			w = nil
		}
	}()
	agent, err := db.CreateUser(ctx, ticket.User{Email: AgentEmail, Name: "Agent", Agent: true}, agentHash)
	if err != nil {
		return nil, err
	}
	var requesters []ticket.User
	for i := 0; i < 50; i++ {
		u, err := db.CreateUser(ctx, ticket.User{Email: fmt.Sprintf("user%d@bench.example", i), Name: fmt.Sprint("User ", i)}, "x")
		if err != nil {
			return nil, err
		}
		requesters = append(requesters, u)
	}
	var orgs []ticket.Organization
	for i := 0; i < Orgs; i++ {
		o, err := db.CreateOrganization(ctx, ticket.Organization{Name: fmt.Sprint("Org ", i), AccountNumber: fmt.Sprint(500000 + i), Kind: ticket.KindCustomer})
		if err != nil {
			return nil, err
		}
		orgs = append(orgs, o)
	}
	w.Customer = ticket.Scope{OrganizationIDs: []int64{orgs[0].ID, orgs[Orgs/2].ID}}
	err = Generate(orgs, requesters, agent, func(ts []ticket.Ticket, ms []ticket.Message) error {
		if err := db.ImportTickets(ctx, ts); err != nil {
			return err
		}
		return db.ImportMessages(ctx, ms)
	})
	return w, err
}

// Remove closes and deletes the big store.
func (w *World) Remove() {
	w.DB.Close()
	os.RemoveAll(w.Dir)
}
