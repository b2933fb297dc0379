package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/kilnrender/kiln/netguard"
	"github.com/kilnrender/kiln/renderer"
	"github.com/kilnrender/kiln/replay"
	"github.com/kilnrender/kiln/snapshot"
)

// shotTimeout bounds one keyframe render.
const shotTimeout = 30 * time.Second

// poolShooter adapts a renderer.Pool to replay.Shooter: keyframes and
// posters take the same path as screenshots. The pool is started on the
// first picture, so a run that needs none never starts Chromium.
type poolShooter struct {
	cfg  renderer.Config
	opts renderer.Options

	once sync.Once
	pool *renderer.Pool
	own  bool // the shooter started the pool and closes it
	err  error
}

// newShooter returns a replay.Shooter rendering format pictures with a
// 320px thumbnail, and a function that releases it.
func newShooter(format string, cfg renderer.Config) (replay.Shooter, func(), error) {
	s := &poolShooter{cfg: cfg, opts: renderer.Options{Format: format, Quality: 80, ThumbWidth: 320}, own: true}
	return s, s.close, nil
}

// shooterFor adapts a running pool (the worker's) to replay.Shooter.
func shooterFor(p *renderer.Pool) *poolShooter {
	s := &poolShooter{pool: p, opts: renderer.Options{Format: renderer.FormatWebP, Quality: 80, ThumbWidth: 320}}
	s.once.Do(func() {})
	return s
}

// start starts the pool on first use.
func (s *poolShooter) start(ctx context.Context) error {
	s.once.Do(func() {
		sctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		s.pool, s.err = renderer.New(sctx, s.cfg)
	})
	return s.err
}

func (s *poolShooter) Shoot(ctx context.Context, snap *snapshot.Snapshot) (*replay.Picture, error) {
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, shotTimeout)
	defer cancel()
	res, err := s.pool.Render(ctx, snap, s.opts)
	if err != nil {
		return nil, err
	}
	pic := &replay.Picture{Image: res.Image, ContentType: res.ContentType, Width: res.Width, Height: res.Height, Warnings: res.Warnings}
	if len(res.Thumb) > 0 {
		pic.Thumb, pic.ThumbContentType = res.Thumb, "image/jpeg"
	}
	return pic, nil
}

func (s *poolShooter) close() {
	if s.own && s.pool != nil {
		s.pool.Close()
	}
}

// safeFetcher adapts netguard's Fetcher (public addresses only, every
// redirect checked, sizes and times bounded) to replay.Fetcher.
type safeFetcher struct{ f *netguard.Fetcher }

// newFetcher returns the safe fetcher for replay assets.
func newFetcher(cfg netguard.Config) (replay.Fetcher, func(), error) {
	f, err := netguard.NewFetcher(cfg)
	if err != nil {
		return nil, nil, err
	}
	return safeFetcher{f}, f.CloseIdleConnections, nil
}

func (s safeFetcher) Fetch(ctx context.Context, url string) (string, []byte, error) {
	resp, err := s.f.Fetch(ctx, url, nil)
	if err != nil {
		return "", nil, err
	}
	if resp.Status < 200 || resp.Status > 299 {
		return "", nil, fmt.Errorf("fetch %s: status %d", url, resp.Status)
	}
	return resp.ContentType, resp.Body, nil
}
