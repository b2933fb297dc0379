package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/renderer"
	"github.com/kilnrender/kiln/snapshot"
)

// poolRenderer adapts a renderer.Pool to queue.Renderer. The queue knows
// no browser (so the API, which links the queue, links no browser
// driver): this is where the renderer's results and error sentinels are
// mapped onto the queue's.
type poolRenderer struct{ p *renderer.Pool }

func (r poolRenderer) Render(ctx context.Context, s *snapshot.Snapshot, o queue.RenderOptions) (*queue.Shot, error) {
	res, err := r.p.Render(ctx, s, renderer.Options{Format: o.Format, Quality: o.Quality, ThumbWidth: o.ThumbWidth, FullPage: o.FullPage})
	if err != nil {
		return nil, renderError(err)
	}
	shot := &queue.Shot{Image: res.Image, ContentType: res.ContentType, Width: res.Width, Height: res.Height,
		Thumb: res.Thumb, ThumbWidth: res.ThumbWidth, ThumbHeight: res.ThumbHeight,
		Warnings: res.Warnings, Fetched: res.Fetched, Served: res.Served}
	for _, st := range res.Steps {
		name := st.Name
		if name == "queue" { // the wait for a free tab, not the job queue
			name = "tab_wait"
		}
		shot.Steps = append(shot.Steps, queue.StepTiming{Name: name, Ms: float64(st.Duration.Microseconds()) / 1000})
	}
	for _, b := range res.Blocked {
		shot.Blocked = append(shot.Blocked, queue.Blocked{URL: b.URL, Reason: b.Reason})
	}
	return shot, nil
}

// renderError wraps a renderer error with the queue's class for it.
func renderError(err error) error {
	switch {
	case errors.Is(err, renderer.ErrBadInput):
		return fmt.Errorf("%w: %w", queue.ErrBadInput, err)
	case errors.Is(err, renderer.ErrTimeout):
		return fmt.Errorf("%w: %w", queue.ErrTimeout, err)
	case errors.Is(err, renderer.ErrBrowser), errors.Is(err, renderer.ErrClosed):
		return fmt.Errorf("%w: %w", queue.ErrRenderer, err)
	}
	return err
}

// poolCounters reads a pool's counters for queue.RegisterPool.
func poolCounters(p *renderer.Pool) queue.PoolStats {
	return func() queue.PoolCounters {
		s := p.Stats()
		return queue.PoolCounters{Restarts: s.Restarts, Renders: s.Renders, SinkConnections: s.SinkConnections, Browsers: s.Browsers, Idle: s.Idle}
	}
}
