package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/kilnrender/kiln/feedback"
	"github.com/kilnrender/kiln/storage"
)

// runExport writes a project's items as CSV:
//
//	kiln export --project P [--store URI] [-o file]
func runExport(ctx context.Context, args []string) error {
	e := serviceFlagSet("export")
	store := e.String("store", "KILN_STORE", storage.DefaultURI, "object store: file:///path or a folder path, or s3://bucket/prefix")
	project := e.String("project", "KILN_PROJECT", "", "project to export (required)")
	out := e.String("o", "KILN_EXPORT_OUTPUT", "", "write the CSV to this file (atomically) instead of stdout")
	if err := parseServiceFlags(e, args); err != nil {
		return err
	}
	if err := storage.ValidateName(*project); err != nil {
		return fmt.Errorf("%w: --project: %v", errUsage, err)
	}
	st, closeStore, err := openStoreURI(ctx, *store)
	if err != nil {
		return err
	}
	defer closeStore()
	if *out == "" {
		return feedback.Export(ctx, st, *project, os.Stdout)
	}
	// Write beside the target and rename, so a failed export leaves no
	// half file under the requested name.
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".kiln-export-*.csv")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := feedback.Export(ctx, st, *project, tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// openStoreURI opens the store a --store URI names (storage.Open, reading
// KILN_S3_*, KILN_PUBLIC_URL, KILN_URL_SECRET and KILN_STORE_KEY from the
// environment) and returns a function that closes it.
func openStoreURI(ctx context.Context, uri string) (storage.Store, func(), error) {
	st, err := storage.Open(ctx, uri, os.Getenv)
	if err != nil {
		return nil, nil, err
	}
	closeStore := func() {}
	if c, ok := st.(io.Closer); ok {
		closeStore = func() { c.Close() }
	}
	return st, closeStore, nil
}
