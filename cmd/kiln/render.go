package main

import (
	"context"
	"errors"
)

func runRender(ctx context.Context, args []string) error {
	return errors.New("not available in this build")
}
