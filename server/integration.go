package main

// supportal integration add NAME -org 100200,100201: an API key for a
// customer system that sends records (claims, ERAs, assets…).

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/store"
)

const integrationUsage = `usage:
  supportal integration add NAME -org ACCOUNT[,ACCOUNT…] [-data DIR | -db URL]
      creates an integration that may send records for the accounts and prints its API key once
  supportal integration revoke NAME [-data DIR | -db URL]
      revokes the integration's key`

// runIntegration runs the integration command; the key goes to out.
func runIntegration(ctx context.Context, args []string, out io.Writer) error {
	if len(args) < 2 || (args[0] != "add" && args[0] != "revoke") || strings.HasPrefix(args[1], "-") {
		return errors.New(integrationUsage)
	}
	verb, name := args[0], strings.TrimSpace(args[1])
	fs := flag.NewFlagSet("supportal integration "+verb, flag.ContinueOnError)
	dataDir := fs.String("data", "data", "directory of the database file (supportal.db)")
	dbURL := fs.String("db", "", "PostgreSQL database of the nodes, postgres://USER@HOST:5432/DB (or set SUPPORTAL_DB); default: the SQLite file in -data")
	orgs := fs.String("org", "", "comma-separated account numbers the integration may send records for")
	if err := fs.Parse(args[2:]); err != nil {
		return err
	}
	if fs.NArg() > 0 || name == "" || len(name) > 100 {
		return errors.New(integrationUsage)
	}
	url := databaseURL(*dbURL)
	if url == "" {
		path := filepath.Join(*dataDir, "supportal.db")
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("no database at %s (start the server once, or pass -data): %w", path, err)
		}
	}
	db, err := openStore(ctx, url, *dataDir, false, store.PostgresOptions{})
	if err != nil {
		return err
	}
	defer db.Close()
	now := time.Now()
	if verb == "revoke" {
		if err := db.RevokeIntegration(ctx, name, now); err != nil {
			return fmt.Errorf("integration %q: %w", name, err)
		}
		fmt.Fprintf(out, "The key of integration %q is revoked.\n", name)
		return nil
	}
	var ids []int64
	for _, account := range strings.Split(*orgs, ",") {
		account = strings.TrimSpace(account)
		if account == "" {
			continue
		}
		o, err := db.OrganizationByAccount(ctx, account)
		if err != nil {
			return fmt.Errorf("-org: no account %q", account)
		}
		ids = append(ids, o.ID)
	}
	if len(ids) == 0 {
		return errors.New("-org: name at least one account number\n" + integrationUsage)
	}
	key, hash := api.NewIntegrationKey()
	if _, err := db.CreateIntegration(ctx, name, hash, ids, now); err != nil {
		if errors.Is(err, store.ErrIntegrationExists) {
			return fmt.Errorf("an integration named %q exists; revoke it or choose another name", name)
		}
		return err
	}
	fmt.Fprintf(out, "Integration %q may send records for %s.\nIts API key (shown only now; keep it secret):\n\n%s\n\n", name, *orgs, key)
	fmt.Fprintf(out, "Use it as: Authorization: Bearer %s\n", key)
	return nil
}
