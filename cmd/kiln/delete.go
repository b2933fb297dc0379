package main

import (
	"context"
	"errors"
)

// runDelete is a placeholder until the delete command lands.
func runDelete(ctx context.Context, args []string) error {
	return errors.New("not available in this build")
}
