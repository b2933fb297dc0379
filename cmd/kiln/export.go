package main

import (
	"context"
	"errors"
)

// runExport is a placeholder until the export command lands.
func runExport(ctx context.Context, args []string) error {
	return errors.New("not available in this build")
}
