package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/supportal/supportal/server/store"
)

// databaseURL is -db's value, else SUPPORTAL_DB's.
func databaseURL(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	return os.Getenv("SUPPORTAL_DB")
}

// openStore opens the store the flags name: PostgreSQL at dbURL (several
// nodes may share it), else SQLite in memory or in dataDir/supportal.db.
// Either is migrated to the newest schema first.
func openStore(ctx context.Context, dbURL, dataDir string, memory bool, log *slog.Logger) (*store.DB, error) {
	if dbURL != "" {
		if memory {
			return nil, errors.New("-db and -memory exclude each other")
		}
		u, err := url.Parse(dbURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return nil, errors.New("-db: want a PostgreSQL URL, postgres://USER@HOST:5432/DATABASE")
		}
		db, err := store.OpenPostgres(ctx, dbURL, log)
		if err != nil {
			return nil, fmt.Errorf("-db %s: %w", redacted(u), err)
		}
		return db, nil
	}
	if memory {
		return store.OpenMemory()
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, err
	}
	return store.Open(filepath.Join(dataDir, "supportal.db"))
}

// storeName says which store serves, for the log: never a password.
func storeName(dbURL, dataDir string, memory bool) string {
	if u, err := url.Parse(databaseURL(dbURL)); err == nil && u.Scheme != "" {
		return redacted(u)
	}
	if memory {
		return "memory"
	}
	return filepath.Join(dataDir, "supportal.db")
}

// redacted is u without its password (and without a password given as a
// parameter).
func redacted(u *url.URL) string {
	c := *u
	q := c.Query()
	for k := range q {
		if strings.EqualFold(k, "password") {
			q.Set(k, "xxxxx")
		}
	}
	c.RawQuery = q.Encode()
	return c.Redacted()
}

// runMigrate is `supportal migrate`: it brings the store's schema up to
// this build's and stops, before the nodes of a new version start (they
// would migrate too, one after the other; this does it once, in advance).
func runMigrate(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("supportal migrate", flag.ContinueOnError)
	dataDir := fs.String("data", "data", "directory of the database file (supportal.db)")
	dbURL := fs.String("db", "", "PostgreSQL database of the nodes, postgres://USER@HOST:5432/DB (or set SUPPORTAL_DB); default: the SQLite file in -data")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return errors.New("usage: supportal migrate [-data DIR | -db URL]")
	}
	db, err := openStore(ctx, databaseURL(*dbURL), *dataDir, false, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: schema at version %d\n", storeName(*dbURL, *dataDir, false), v)
	return nil
}
