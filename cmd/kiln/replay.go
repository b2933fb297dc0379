package main

import (
	"context"
	"errors"
)

// runReplay is a placeholder until the replay command lands.
func runReplay(ctx context.Context, args []string) error {
	return errors.New("not available in this build")
}
