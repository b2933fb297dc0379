package main

import (
	"context"
	"errors"
)

// runDev is a placeholder until the dev command lands.
func runDev(ctx context.Context, args []string) error {
	return errors.New("not available in this build")
}
