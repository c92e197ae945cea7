package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/seed"
)

// unlabelled is a catalog whose new type has no French and no Spanish
// label, and whose new category has none at all.
const unlabelled = `{"types":[{"id":"billing","labels":{"en":"Billing","de":"Abrechnung"},"categories":[{"id":"claim"}]}]}`

func TestCatalogWithoutLabelsStopsTheServer(t *testing.T) {
	file := t.TempDir() + "/catalog.json"
	os.WriteFile(file, []byte(unlabelled), 0o600)
	err := run(context.Background(), []string{"-memory", "-addr", freeAddr(t), "-catalog", file})
	for _, want := range []string{
		`catalog.json: catalog: type "billing": no label in fr, es`,
		`type "billing" category "claim": no label in en, de, fr, es`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("run with an unlabelled catalog: %v, want %q", err, want)
		}
	}
}

// The binary itself says why on stderr and exits with 1. The test runs
// its own executable as supportal when SUPPORTAL_TEST_MAIN holds the
// arguments (one a line).
func TestCatalogWithoutLabelsExitsNonZero(t *testing.T) {
	if args := os.Getenv("SUPPORTAL_TEST_MAIN"); args != "" {
		os.Args = append([]string{"supportal"}, strings.Split(args, "\n")...)
		main()
		return
	}
	file := t.TempDir() + "/catalog.json"
	os.WriteFile(file, []byte(unlabelled), 0o600)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestCatalogWithoutLabelsExitsNonZero$")
	cmd.Env = append(os.Environ(), "SUPPORTAL_TEST_MAIN="+strings.Join([]string{"-memory", "-addr", freeAddr(t), "-catalog", file}, "\n"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("supportal with an unlabelled catalog: %v, want exit status 1 (stderr: %s)", err, stderr.String())
	}
	if want := `supportal: ` + file + `: catalog: type "billing": no label in fr, es`; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr = %q, want %q", stderr.String(), want)
	}
}

// A catalog that names its new entries in every language is served with
// its labels.
func TestLabelledCatalogIsServed(t *testing.T) {
	file := t.TempDir() + "/catalog.json"
	os.WriteFile(file, []byte(`{"types":[{"id":"billing","labels":{"en":"Billing","de":"Abrechnung","fr":"Facturation","es":"Facturación"},`+
		`"categories":[{"id":"password"}]}]}`), 0o600)
	base, stop := start(t, "-memory", "-demo", "-catalog", file)
	defer stop()
	var res ticket.CatalogAnswer
	login(t, base, seed.AnnaEmail).json("GET", "/api/v1/catalog", "", &res)
	if len(res.Types) != 1 || res.Types[0].Labels["es"] != "Facturación" {
		t.Fatalf("catalog = %+v, want billing with its labels", res.Types)
	}
}
