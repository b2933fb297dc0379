package main

import (
	"context"
	"io"
	"log/slog"

	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/renderer"
	"github.com/kilnrender/kiln/replay"
)

// newReplayBuilder returns the replay builder of the worker (and of
// kiln dev): bundles built by replay.Builder, pictures drawn by the
// worker's pool, assets fetched through the pool's netguard.Fetcher (or
// none when pool fetching is off), and a function that releases it.
func newReplayBuilder(ctx context.Context, pool *renderer.Pool, log *slog.Logger) (queue.ReplayBuilder, func(), error) {
	cfg := replay.DefaultConfig()
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	var fetcher replay.Fetcher
	if f := pool.Fetcher(); f != nil {
		fetcher = safeFetcher{f}
	}
	return &replayJobs{cfg: cfg, shooter: shooterFor(pool), fetcher: fetcher}, func() {}, nil
}

// replayJobs adapts replay.Builder to queue.ReplayBuilder: the recording
// streams in from the store, and each file goes to the queue's sink (the
// store) as the builder produces it.
type replayJobs struct {
	cfg     replay.Config
	shooter replay.Shooter
	fetcher replay.Fetcher
}

func (r *replayJobs) BuildReplay(ctx context.Context, input io.Reader, sink replay.Sink, o queue.ReplayOptions) ([]string, error) {
	cfg := r.cfg
	cfg.MaskSelectors = append(append([]string(nil), cfg.MaskSelectors...), o.Mask...)
	cfg.BlockSelectors = append(append([]string(nil), cfg.BlockSelectors...), o.Block...)
	cfg.Timeline = o.Timeline
	b, err := replay.NewBuilder(cfg, r.shooter, r.fetcher)
	if err != nil {
		return nil, err
	}
	man, err := b.Build(ctx, input, sink)
	if err != nil {
		return nil, err
	}
	return man.Warnings, nil
}
