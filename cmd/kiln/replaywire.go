package main

import (
	"bytes"
	"context"
	"log/slog"
	"sync"

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

// replayJobs adapts replay.Builder to queue.ReplayBuilder.
type replayJobs struct {
	cfg     replay.Config
	shooter replay.Shooter
	fetcher replay.Fetcher
}

func (r *replayJobs) BuildReplay(ctx context.Context, input []byte) (*queue.ReplayOutput, error) {
	b, err := replay.NewBuilder(r.cfg, r.shooter, r.fetcher)
	if err != nil {
		return nil, err
	}
	var sink memSink
	man, err := b.Build(ctx, bytes.NewReader(input), &sink)
	if err != nil {
		return nil, err
	}
	return &queue.ReplayOutput{Files: sink.files, Warnings: man.Warnings}, nil
}

// memSink collects a bundle's files in order (manifest last), for the
// queue to store under the job's keys.
type memSink struct {
	mu    sync.Mutex
	files []queue.File
}

func (m *memSink) Put(ctx context.Context, name string, data []byte, contentType, contentEncoding string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files = append(m.files, queue.File{Name: name, ContentType: contentType, ContentEncoding: contentEncoding, Data: append([]byte(nil), data...)})
	return nil
}
