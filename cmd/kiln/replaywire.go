package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os/exec"

	"github.com/kilnrender/kiln/player"
	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/renderer"
	"github.com/kilnrender/kiln/replay"
)

// newReplayBuilder returns the replay builder of the worker (and of
// kiln dev): bundles built by replay.Builder with cfg, pictures drawn by the
// worker's pool, assets fetched through the pool's netguard.Fetcher (or
// none when pool fetching is off), and a function that releases it.
func newReplayBuilder(ctx context.Context, pool *renderer.Pool, cfg replay.Config, log *slog.Logger) (queue.ReplayBuilder, func(), error) {
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

// newVideoMaker returns the worker's queue.VideoMaker: frames drawn in a
// warm tab of the worker's pool, encoded by ffmpeg at path (found on PATH
// when ""), at replay's default frame rate and the recorded width. It
// looks ffmpeg up once, at start: a path given (--ffmpeg) that is not
// there is an error; none given and none on PATH gives a nil maker and a
// logged error, so that the worker still renders screenshots and replays
// while jobs asking for a video fail with queue.ReasonVideoUnsupported.
func newVideoMaker(pool *renderer.Pool, path string, log *slog.Logger) (queue.VideoMaker, error) {
	name := path
	if name == "" {
		name = "ffmpeg"
	}
	found, err := exec.LookPath(name)
	if err != nil && path != "" {
		return nil, fmt.Errorf("%w: --ffmpeg %s: %v", replay.ErrNoFFmpeg, path, err)
	}
	if err != nil {
		log.Error("replay videos are off: jobs asking for one will fail", "err", replay.ErrNoFFmpeg.Error())
		return nil, nil
	}
	return videoJobs{stager: poolStager{shooterFor(pool)}, ffmpeg: found}, nil
}

// videoJobs adapts replay.RenderVideo to queue.VideoMaker.
type videoJobs struct {
	stager replay.Stager
	ffmpeg string
}

var _ queue.VideoPiecer = videoJobs{}

// config is the configuration of every video of the worker: pieces of
// one video must be encoded alike to be joined.
func (v videoJobs) config(spec queue.VideoSpec) replay.VideoConfig {
	vc := replay.DefaultVideoConfig()
	vc.Format, vc.FFmpeg, vc.Player = spec.Format, v.ffmpeg, player.FS()
	if spec.FPS > 0 {
		vc.FPS = spec.FPS
	}
	vc.Width = spec.Width
	if spec.SkipInactive {
		vc.SkipInactive = inactiveAfter
	}
	return vc
}

func (v videoJobs) MakeVideo(ctx context.Context, man *replay.Manifest, bundle *replay.MemorySink, spec queue.VideoSpec, out string) ([]replay.VideoSpan, error) {
	st, err := replay.RenderVideo(ctx, man, bundle, v.stager, out, v.config(spec))
	if err != nil {
		return nil, err
	}
	return st.Skipped, nil
}

func (v videoJobs) PlanPieces(man *replay.Manifest, bundle *replay.MemorySink, spec queue.VideoSpec, pc replay.PieceConfig) ([]replay.VideoPiece, error) {
	return replay.PlanVideoPieces(man, bundle, v.config(spec), pc)
}

func (v videoJobs) MakePiece(ctx context.Context, man *replay.Manifest, bundle *replay.MemorySink, spec queue.VideoSpec, p replay.VideoPiece, out string) error {
	vc := v.config(spec)
	vc.Piece = &p
	_, err := replay.RenderVideo(ctx, man, bundle, v.stager, out, vc)
	return err
}

func (v videoJobs) JoinPieces(ctx context.Context, spec queue.VideoSpec, parts []string, frames []int, out string) error {
	return replay.JoinVideo(ctx, parts, frames, out, v.config(spec))
}
