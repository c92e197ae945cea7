package main

import (
	"context"
	"errors"
	"fmt"
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
