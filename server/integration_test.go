package main

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/supportal/supportal/server/seed"
)

// TestIntegrationCommand makes a key with the command while the server
// runs on the same data directory, sends a record with it, and revokes it.
func TestIntegrationCommand(t *testing.T) {
	dir := t.TempDir()
	base, stop := start(t, "-data", dir, "-demo")
	defer stop()
	ctx := context.Background()

	var out bytes.Buffer
	if err := runIntegration(ctx, []string{"add", "pvs", "-org", "100200", "-data", dir}, &out); err != nil {
		t.Fatal(err)
	}
	key := regexp.MustCompile(`spk_[A-Za-z0-9_-]{43}`).FindString(out.String())
	if key == "" {
		t.Fatalf("no key printed:\n%s", out.String())
	}
	put := func(path, body string) int {
		req, _ := http.NewRequest("PUT", base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if got := put("/api/v1/integration/records/claim/CLM-CMD-1", `{"organization":"100200","title":"Kommando-Test"}`); got != http.StatusCreated {
		t.Fatalf("PUT with the new key: %d, want 201", got)
	}
	if got := put("/api/v1/integration/records/claim/CLM-CMD-1", `{"organization":"300400","title":"Kommando-Test"}`); got != http.StatusNotFound {
		t.Fatalf("PUT for an account the key is not for: %d, want 404", got)
	}
	var page struct{ Records []struct{ ExternalID string } }
	login(t, base, seed.AnnaEmail).json("GET", "/api/v1/records?q=CLM-CMD-1", "", &page)
	if len(page.Records) != 1 {
		t.Fatalf("Anna finds %d records CLM-CMD-1, want 1", len(page.Records))
	}

	for _, bad := range [][]string{
		{"add", "pvs", "-org", "100200", "-data", dir},   // name taken
		{"add", "other", "-org", "999999", "-data", dir}, // no such account
		{"add", "other", "-data", dir},                   // no account
		{"add"},                                          // no name
		{"rotate", "pvs", "-data", dir},                  // no such verb
		{"revoke", "nobody", "-data", dir},               // no such integration
	} {
		if err := runIntegration(ctx, bad, &out); err == nil {
			t.Errorf("integration %v: no error", bad)
		}
	}

	if err := runIntegration(ctx, []string{"revoke", "pvs", "-data", dir}, &out); err != nil {
		t.Fatal(err)
	}
	if got := put("/api/v1/integration/records/claim/CLM-CMD-2", `{"organization":"100200","title":"x"}`); got != http.StatusUnauthorized {
		t.Fatalf("PUT with a revoked key: %d, want 401", got)
	}
}
