package main

import (
	"context"
	"log/slog"

	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/renderer"
)

// newReplayBuilder returns the replay builder of the worker (and of
// kiln dev), drawing its pictures with pool, and a function that releases
// it. A nil builder means this worker does not build replays: it fails
// replay jobs with queue.ReasonReplayUnsupported.
//
// This is the one place replay jobs are wired: replace the body with an
// adapter from replay.Builder to queue.ReplayBuilder.
func newReplayBuilder(ctx context.Context, pool *renderer.Pool, log *slog.Logger) (queue.ReplayBuilder, func(), error) {
	return nil, func() {}, nil
}
