package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
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
func openStore(ctx context.Context, dbURL, dataDir string, memory bool, pg store.PostgresOptions) (*store.DB, error) {
	if dbURL != "" {
		if memory {
			return nil, errors.New("-db and -memory exclude each other")
		}
		u, err := url.Parse(dbURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return nil, errors.New("-db: want a PostgreSQL URL, postgres://USER@HOST:5432/DATABASE")
		}
		db, err := store.OpenPostgres(ctx, dbURL, pg)
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
	db, err := openStore(ctx, databaseURL(*dbURL), *dataDir, false, store.PostgresOptions{})
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

// runExport is `supportal export`: the whole store as one file (see
// store.Export), to import into another database, of either engine.
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("supportal export", flag.ContinueOnError)
	dataDir := fs.String("data", "data", "directory of the database file (supportal.db)")
	dbURL := fs.String("db", "", "PostgreSQL database of the nodes, postgres://USER@HOST:5432/DB (or set SUPPORTAL_DB); default: the SQLite file in -data")
	outFile := fs.String("o", "", "file to write (default: standard output)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return errors.New("usage: supportal export [-data DIR | -db URL] [-o FILE]")
	}
	url := databaseURL(*dbURL)
	if err := storeExists(url, *dataDir); err != nil {
		return err
	}
	db, err := openStore(ctx, url, *dataDir, false, store.PostgresOptions{})
	if err != nil {
		return err
	}
	defer db.Close()
	out := stdout
	var f *os.File
	if *outFile != "" {
		if f, err = os.OpenFile(*outFile, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600); err != nil {
			return err
		}
		out = f
	}
	counts, err := db.Export(ctx, out)
	if f != nil {
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(*outFile)
		}
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(stderr, "exported %s: %s\n", storeName(*dbURL, *dataDir, false), counts)
	return nil
}

// runImport is `supportal import FILE`: an export into a new store (see
// store.Import); nothing is imported unless every table's count matches.
func runImport(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("supportal import", flag.ContinueOnError)
	dataDir := fs.String("data", "data", "directory of the database file (supportal.db)")
	dbURL := fs.String("db", "", "PostgreSQL database of the nodes, postgres://USER@HOST:5432/DB (or set SUPPORTAL_DB); default: the SQLite file in -data")
	// Flags may come after the file too.
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if fs.NArg() > 0 || file == "" {
		return errors.New("usage: supportal import FILE [-data DIR | -db URL] (FILE made by supportal export; - for standard input)")
	}
	var in io.Reader = os.Stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	db, err := openStore(ctx, databaseURL(*dbURL), *dataDir, false, store.PostgresOptions{})
	if err != nil {
		return err
	}
	defer db.Close()
	counts, err := db.Import(ctx, in)
	if errors.Is(err, store.ErrNotEmpty) {
		return fmt.Errorf("%s holds data already: import into a new database", storeName(*dbURL, *dataDir, false))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported into %s (every table's rows counted and checked): %s\n", storeName(*dbURL, *dataDir, false), counts)
	return nil
}

// storeExists refuses to export a SQLite store that is not there (opening
// it would make an empty one).
func storeExists(dbURL, dataDir string) error {
	if dbURL != "" {
		return nil
	}
	path := filepath.Join(dataDir, "supportal.db")
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("no database at %s (pass -data or -db): %w", path, err)
	}
	return nil
}
