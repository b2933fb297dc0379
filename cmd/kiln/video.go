package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kilnrender/kiln/player"
	"github.com/kilnrender/kiln/renderer"
	"github.com/kilnrender/kiln/replay"
	"github.com/kilnrender/kiln/snapshot"
)

// videoFormat is the video format of a file name, "" when it names none.
func videoFormat(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".mp4":
		return replay.VideoMP4
	case ".webm":
		return replay.VideoWebM
	case ".gif":
		return replay.VideoGIF
	}
	return ""
}

// videoConfig is the video part of the replay flags.
func (f *replayFlags) videoConfig() replay.VideoConfig {
	vc := replay.DefaultVideoConfig()
	vc.Format = videoFormat(f.video)
	vc.FPS, vc.Width, vc.From, vc.To, vc.FFmpeg = f.fps, f.width, f.from, f.to, f.ffmpeg
	vc.Player = player.FS()
	if f.skipInactive {
		vc.SkipInactive = inactiveAfter
	}
	return vc
}

// inactiveAfter is --skip-inactive's threshold: rrweb's player skips
// spans of more than 10 s without user interaction.
const inactiveAfter = 10 * time.Second

// replayVideo builds the privacy-enforced bundle in memory and writes
// its video: videos come from the bundle, never from the recording.
func replayVideo(ctx context.Context, f *replayFlags, cfg replay.Config, rc renderer.Config, fetcher replay.Fetcher, in io.Reader) error {
	vc := f.videoConfig()
	if vc.Format == "" {
		return fmt.Errorf("%w: --video FILE must end in .mp4, .webm or .gif", errUsage)
	}
	if err := vc.Validate(); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	st := &poolShooter{cfg: rc, own: true}
	defer st.close()
	prog := newProgress(0, false)
	defer prog.clear()
	vc.Progress = func(done, total int) { prog.set(done, fmt.Sprintf("frames (of %d)", total)) }
	start := time.Now()
	stats, warns, err := videoOf(ctx, cfg, poolStager{st}, fetcher, in, &replay.MemorySink{}, f.video, vc)
	for _, w := range warns {
		fmt.Fprintf(os.Stderr, "kiln replay: warning: %s\n", w)
	}
	if err != nil {
		return err
	}
	prog.clear()
	fmt.Fprintf(os.Stderr, "kiln replay: %s: %dx%d, %s at %d fps, %d frames (%d captured), %d bytes, in %s (capture %s, encode %s)\n",
		f.video, stats.Width, stats.Height, stats.Duration.Round(time.Millisecond), vc.FPS, stats.Frames, stats.Captured, stats.Bytes,
		time.Since(start).Round(time.Millisecond), stats.Capture.Round(time.Millisecond), stats.Encode.Round(time.Millisecond))
	for _, s := range stats.Skipped {
		// A video time maps back by adding the spans skipped before it.
		fmt.Fprintf(os.Stderr, "kiln replay: skipped %s-%s of the session (inactive)\n",
			time.Duration(s.FromMs)*time.Millisecond, time.Duration(s.ToMs)*time.Millisecond)
	}
	return nil
}

// videoOf builds the bundle of the recording in memory, without
// keyframes, in bundle, and writes its video to out; warns are the
// bundle's warnings.
func videoOf(ctx context.Context, cfg replay.Config, st replay.Stager, fetcher replay.Fetcher, in io.Reader, bundle *replay.MemorySink, out string, vc replay.VideoConfig) (*replay.VideoStats, []string, error) {
	cfg.KeyframeInterval, cfg.MaxKeyframes = -1, 0
	b, err := replay.NewBuilder(cfg, nil, fetcher)
	if err != nil {
		return nil, nil, err
	}
	man, err := b.Build(ctx, in, bundle)
	if err != nil {
		return nil, nil, err
	}
	var warns []string
	for _, w := range man.Warnings {
		if !strings.HasPrefix(w, "pictures skipped") { // a video has no keyframes
			warns = append(warns, w)
		}
	}
	stats, err := replay.RenderVideo(ctx, man, bundle, st, out, vc)
	return stats, warns, err
}

// poolStager adapts the shooter's pool to replay.Stager: a video's
// frames are drawn in a warm tab of the same pool as pictures.
type poolStager struct{ s *poolShooter }

func (p poolStager) OpenStage(ctx context.Context, vp snapshot.Viewport, doc string, files []snapshot.Resource) (replay.Stage, error) {
	if err := p.s.start(ctx); err != nil {
		return nil, err
	}
	st, err := p.s.pool.OpenStage(ctx, vp, doc, files)
	if err != nil {
		return nil, err
	}
	return pngStage{st}, nil
}

// pngStage captures lossless frames: ffmpeg encodes them once.
type pngStage struct{ *renderer.Stage }

func (s pngStage) Capture(ctx context.Context) ([]byte, error) {
	return s.Stage.Capture(ctx, renderer.FormatPNG, 0)
}
