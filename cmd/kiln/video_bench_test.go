package main

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/kilnrender/kiln/internal/testenv"
	"github.com/kilnrender/kiln/player"
	"github.com/kilnrender/kiln/queue"
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

// BenchmarkVideoWorkers makes the 1280×800, 15 fps MP4 of a 77 s
// recording with idle stretches (the to-do recording three times, 25 s
// apart) as a replay job through the queue on a real Redis, with one
// worker and then with two (each its own asynq server and renderer pool,
// one task at a time: a worker is one render slot), the video cut into
// pieces; and, in the same iteration, the per-frame screenshot loop over
// rrweb's Replayer on one pool (the baseline) and Kiln's video in one go
// on one pool. Times are fractions of the recording's duration
// (x-duration: job time / recording), two/one is the ratio of the two
// job times. The job times include building the bundle.
func BenchmarkVideoWorkers(b *testing.B) {
	ffmpeg := testenv.FFmpeg(b)
	testenv.LookPath(b, "chromium", "KILN_CHROME_PATH")
	rdb, store := queueEnv(b)
	todo := readFile(b, filepath.Join("..", "..", "testdata", "replay", "todomvc-react.rrweb.json"))
	rec := repeatWithIdle(b, todo, 3, 25*time.Second)
	durS := float64(recordingMs(b, rec)) / 1000
	cfg := replay.DefaultConfig()
	cfg.KeyframeInterval, cfg.MaxKeyframes = -1, 0
	// KILN_BENCH_PIECE_CAPTURES sets the captures per piece (default:
	// replay's).
	pc := replay.PieceConfig{}
	if v := os.Getenv("KILN_BENCH_PIECE_CAPTURES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatal(err)
		}
		pc.Captures = n
	}
	// KILN_BENCH_PIN=1 binds each worker's Chromium and ffmpeg to a core
	// of its own (the first worker to CPU 0, the second to CPU 1): two
	// workers as on two machines, which a 2-core machine cannot give
	// unbound (both workers' browsers and encoders then share both
	// cores). The one-worker time is then that of a 1-core worker.
	cpu1, cpu2 := -1, -1
	if os.Getenv("KILN_BENCH_PIN") == "1" {
		cpu1, cpu2 = 0, 1
	}
	one, two := newVideoWorkerOn(b, rdb, store, cfg, pc, ffmpeg, cpu1), newVideoWorkerOn(b, rdb, store, cfg, pc, ffmpeg, cpu2)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	vc := replay.VideoConfig{Player: player.FS(), FFmpeg: ffmpeg}
	out := filepath.Join(b.TempDir(), "v.mp4")
	// Both pools warm (Chromium started, a stage opened) before timing.
	for _, w := range []*videoWorker{one, two} {
		if _, _, err := videoOf(ctx, replay.Config{}, w.f.stager, nil, bytes.NewReader(todo), &replay.MemorySink{}, out, vc); err != nil {
			b.Fatal(err)
		}
	}
	one.run(b)
	client := queue.NewClient(rdb, store, videoQueueConfig(), nil)
	job := func() time.Duration {
		start := time.Now()
		id := submitVideoJob(b, client, rec)
		st, err := client.Wait(ctx, "acme", id, 10*time.Minute)
		if err != nil || st.State != queue.StateDone {
			b.Fatalf("job: %+v %v", st, err)
		}
		return time.Since(start)
	}
	var t1, t2, loop, whole time.Duration
	var stats *replay.VideoStats
	for b.Loop() {
		t1 += job()
		stop := two.run(b)
		t2 += job()
		stop()
		for _, every := range []bool{false, true} {
			vc.EveryFrame = every
			start := time.Now()
			st, _, err := videoOf(ctx, replay.Config{}, one.f.stager, nil, bytes.NewReader(rec), &replay.MemorySink{}, out, vc)
			if err != nil {
				b.Fatal(err)
			}
			if every {
				loop += time.Since(start)
			} else {
				whole, stats = whole+time.Since(start), st
			}
		}
	}
	n := float64(b.N)
	pieces := 0
	for k := range one.f.tries {
		pieces = max(pieces, k+1)
	}
	for k := range two.f.tries {
		pieces = max(pieces, k+1)
	}
	b.ReportMetric(t1.Seconds()/n/durS, "x-duration-1worker")
	b.ReportMetric(t2.Seconds()/n/durS, "x-duration-2workers")
	b.ReportMetric(whole.Seconds()/n/durS, "x-duration-onego")
	b.ReportMetric(loop.Seconds()/n/durS, "x-duration-loop")
	b.ReportMetric(t2.Seconds()/t1.Seconds(), "two/one")
	b.ReportMetric(loop.Seconds()/t1.Seconds(), "loop/1worker")
	b.ReportMetric(float64(pieces), "pieces")
	b.ReportMetric(float64(stats.Captured), "captures")
	b.ReportMetric(float64(stats.Frames), "frames")
	b.ReportMetric(float64(stats.Bytes)/stats.Duration.Seconds()*60/1e6, "MB/min")
}

// repeatWithIdle plays an rrweb array n times, idle apart.
func repeatWithIdle(t testing.TB, rec []byte, n int, idle time.Duration) []byte {
	t.Helper()
	var evs []map[string]any
	if err := json.Unmarshal(rec, &evs); err != nil || len(evs) == 0 {
		t.Fatalf("recording: %v", err)
	}
	first, last := evs[0]["timestamp"].(float64), evs[len(evs)-1]["timestamp"].(float64)
	var all []map[string]any
	for i := range n {
		shift := float64(i) * (last - first + float64(idle.Milliseconds()))
		for _, e := range evs {
			c := maps.Clone(e)
			c["timestamp"] = e["timestamp"].(float64) + shift
			all = append(all, c)
		}
	}
	out, err := json.Marshal(all)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
