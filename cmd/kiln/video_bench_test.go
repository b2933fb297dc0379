package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/kilnrender/kiln/internal/testenv"
	"github.com/kilnrender/kiln/player"
	"github.com/kilnrender/kiln/renderer"
	"github.com/kilnrender/kiln/replay"
)

// BenchmarkVideo makes 1280×800, 15 fps MP4s of real recordings on one
// warm pool, the way `kiln replay --video` does, and, in the same
// iteration, the same video with every frame captured: the per-frame
// screenshot loop over rrweb's Replayer (seek, settle, capture, pipe to
// ffmpeg) that exporters commonly use, as the baseline. It reports
// video seconds per wall second for each (x-realtime, x-realtime-loop),
// their ratio (speedup) and the frames captured of the frames shown.
// Run with -benchtime=1x or 2x: the loop takes about as long as the video.
func BenchmarkVideo(b *testing.B) {
	ffmpeg := testenv.FFmpeg(b)
	testenv.LookPath(b, "chromium", "KILN_CHROME_PATH")
	rc := renderer.DefaultConfig()
	rc.NoFetch = true
	sh := &poolShooter{cfg: rc, own: true}
	b.Cleanup(sh.close)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	if err := sh.start(ctx); err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join("..", "..", "testdata", "replay")
	todo := readFile(b, filepath.Join(dir, "todomvc-react.rrweb.json"))
	cases := []struct {
		name string
		rec  []byte
	}{
		{"todomvc-9s", todo},
		{"sign-in-9s", readFile(b, filepath.Join(dir, "bootstrap-sign-in-password.rrweb.json"))},
		// 60 s without events after the first 5 s: a session with idle
		// stretches, 69 s long.
		{"todomvc-idle-69s", withIdle(b, todo, 5000, 60*time.Second)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			out := filepath.Join(b.TempDir(), "v.mp4")
			vc := replay.VideoConfig{Player: player.FS(), FFmpeg: ffmpeg}
			var kiln, loop time.Duration
			var stats *replay.VideoStats
			for b.Loop() {
				for _, every := range []bool{false, true} {
					vc.EveryFrame = every
					start := time.Now()
					st, _, err := videoOf(ctx, replay.Config{}, poolStager{sh}, nil, bytes.NewReader(c.rec), &replay.MemorySink{}, out, vc)
					if err != nil {
						b.Fatal(err)
					}
					if every {
						loop += time.Since(start)
					} else {
						kiln += time.Since(start)
						stats = st
					}
				}
			}
			n := float64(b.N)
			video := stats.Duration.Seconds()
			b.ReportMetric(video/(kiln.Seconds()/n), "x-realtime")
			b.ReportMetric(video/(loop.Seconds()/n), "x-realtime-loop")
			b.ReportMetric(loop.Seconds()/kiln.Seconds(), "speedup")
			b.ReportMetric(float64(stats.Captured), "captures")
			b.ReportMetric(float64(stats.Frames), "frames")
			b.ReportMetric(float64(stats.Bytes)/video*60/1e6, "MB/min")
		})
	}
}
