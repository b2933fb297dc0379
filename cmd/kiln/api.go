package main

import (
	"context"
	"errors"
)

// runAPI is a placeholder until the api command lands.
func runAPI(ctx context.Context, args []string) error {
	return errors.New("not available in this build")
}
