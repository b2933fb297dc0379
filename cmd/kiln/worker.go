package main

import (
	"context"
	"errors"
)

// runWorker is a placeholder until the worker command lands.
func runWorker(ctx context.Context, args []string) error {
	return errors.New("not available in this build")
}
