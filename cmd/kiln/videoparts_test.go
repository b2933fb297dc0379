package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kilnrender/kiln/internal/imgcmp"
	"github.com/kilnrender/kiln/internal/testenv"
	"github.com/kilnrender/kiln/player"
	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/renderer"
	"github.com/kilnrender/kiln/replay"
	"github.com/kilnrender/kiln/storage"
	"github.com/redis/go-redis/v9"
)

// pieceTest is a recording cut into short segments (1 s: a piece's cut
// often falls on a segment's start), with few captures a piece, so that
// a 19 s recording makes several pieces.
func pieceTest(t testing.TB) (rec []byte, cfg replay.Config, pc replay.PieceConfig) {
	rec = withIdle(t, readFile(t, filepath.Join("..", "..", "testdata", "replay", "todomvc-react.rrweb.json")), 5000, 10*time.Second)
	cfg = replay.DefaultConfig()
	cfg.SegmentDuration, cfg.KeyframeInterval, cfg.MaxKeyframes = time.Second, -1, 0
	return rec, cfg, replay.PieceConfig{Captures: 15}
}

// A video made in pieces and joined without re-encoding (replay's own
// functions, as the queue's tasks call them): it lasts as long as the
// video made in one go, every frame of it is shown, and the frames on
// each side of a piece boundary show --at's state. With the bundle's 5 s
// segments ("inside"), a piece starts inside a segment (the plan
// balances captures): its first capture, the Replayer paused there after
// the segment's events before it, is the one the video made in one go
// captured for that frame.
func TestVideoPiecesJoin(t *testing.T) {
	ffmpeg, ffprobe := testenv.FFmpeg(t), testenv.FFprobe(t)
	testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
	rc := renderer.DefaultConfig()
	rc.NoFetch = true
	sh := &poolShooter{cfg: rc, opts: renderer.Options{Format: renderer.FormatPNG}, own: true}
	t.Cleanup(sh.close)
	v := videoTest{t: t, st: poolStager{sh}, shooter: sh, ffmpeg: ffmpeg, ffprobe: ffprobe}
	rec, cfg, pc := pieceTest(t)
	t.Run("segments", func(t *testing.T) { v.piecesJoin(t, rec, cfg, pc, false) })
	cfg = replay.DefaultConfig()
	cfg.KeyframeInterval, cfg.MaxKeyframes = -1, 0
	t.Run("inside", func(t *testing.T) { v.piecesJoin(t, rec, cfg, replay.PieceConfig{Captures: 15}, true) })
}

// piecesJoin makes the video of rec (a bundle of cfg) in one go and in
// the pieces of pc, joins them and compares; inside: a piece must start
// inside a segment.
func (v videoTest) piecesJoin(t *testing.T, rec []byte, cfg replay.Config, pc replay.PieceConfig, inside bool) {
	const fps = 15
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	b, err := replay.NewBuilder(cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	bundle := &replay.MemorySink{}
	man, err := b.Build(ctx, bytes.NewReader(rec), bundle)
	if err != nil {
		t.Fatal(err)
	}
	vc := replay.VideoConfig{Player: player.FS(), FFmpeg: v.ffmpeg, FPS: fps}
	dir := t.TempDir()
	// The captures of the video made in one go, by frame.
	captures := map[int][]byte{}
	wvc := vc
	wvc.OnCapture = func(k int, png []byte) { captures[k] = png }
	whole, err := replay.RenderVideo(ctx, man, bundle, v.st, filepath.Join(dir, "whole.mp4"), wvc)
	if err != nil {
		t.Fatal(err)
	}
	pieces, err := replay.PlanVideoPieces(man, bundle, vc, pc)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d segments, %d frames (%d captured; capture %s, encode %s) in %d pieces: %+v", len(man.Segments), whole.Frames, whole.Captured,
		whole.Capture.Round(time.Millisecond), whole.Encode.Round(time.Millisecond), len(pieces), pieces)
	if len(pieces) < 3 {
		t.Fatalf("%d pieces, want at least 3", len(pieces))
	}
	var parts []string
	var frames, bounds []int
	next, within := 0, 0
	for _, p := range pieces {
		if p.First != next || p.Frames < 1 {
			t.Fatalf("piece %+v does not start at frame %d", p, next)
		}
		next = p.First + p.Frames
		// The first frame of the piece's first segment.
		if segFirst := int((man.Segments[p.Segment].StartMs*fps + 999) / 1000); p.First > segFirst {
			within++
			t.Logf("piece %d starts at frame %d, inside segment %d (from frame %d)", p.Index, p.First, p.Segment, segFirst)
		}
		// A piece is rendered from its own segments and the assets they
		// name only, as a worker reads them from the store.
		names := replay.SegmentsOf(man, p)
		assets, err := replay.AssetsOf(man, bundle, names)
		if err != nil {
			t.Fatal(err)
		}
		own := &replay.MemorySink{Files: map[string]replay.MemoryFile{}}
		for _, n := range append(names, assets...) {
			own.Files[n] = bundle.Files[n]
		}
		pvc := vc
		pvc.Piece = &p
		var first []byte
		pvc.OnCapture = func(k int, png []byte) {
			if k == p.First {
				first = png
			}
		}
		out := filepath.Join(dir, fmt.Sprintf("piece%d.mp4", p.Index))
		st, err := replay.RenderVideo(ctx, man, own, v.st, out, pvc)
		if err != nil {
			t.Fatalf("piece %d: %v", p.Index, err)
		}
		t.Logf("piece %d: %d frames, %d captured; capture %s, encode %s", p.Index, st.Frames, st.Captured, st.Capture.Round(time.Millisecond), st.Encode.Round(time.Millisecond))
		if st.Frames != p.Frames || st.Captured != p.Captures {
			t.Errorf("piece %d: %d frames, %d captured; planned %d, %d", p.Index, st.Frames, st.Captured, p.Frames, p.Captures)
		}
		if p.Index > 0 {
			bounds = append(bounds, p.First-1, p.First)
			// The piece starts at a frame the video made in one go
			// captured, and captures what it did (losslessly).
			if captures[p.First] == nil {
				t.Errorf("piece %d starts at frame %d, which the video made in one go did not capture", p.Index, p.First)
			} else {
				a, err := imgcmp.Decode(first)
				if err != nil {
					t.Fatal(err)
				}
				b, err := imgcmp.Decode(captures[p.First])
				if err != nil {
					t.Fatal(err)
				}
				score, err := imgcmp.SSIM(a, b)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("piece %d: first capture SSIM %.4f vs the one-go capture of frame %d", p.Index, score, p.First)
				if score < 0.995 {
					t.Errorf("piece %d: first capture SSIM %.4f vs the one-go capture of frame %d, want ≥ 0.995", p.Index, score, p.First)
				}
			}
		}
		parts, frames = append(parts, out), append(frames, p.Frames)
	}
	if next != whole.Frames {
		t.Fatalf("pieces end at frame %d, the video has %d", next, whole.Frames)
	}
	if inside && within == 0 {
		t.Errorf("no piece starts inside a segment")
	}
	joined := filepath.Join(dir, "joined.mp4")
	if err := replay.JoinVideo(ctx, parts, frames, joined, vc); err != nil {
		t.Fatal(err)
	}
	pw, pj := v.probe(t, filepath.Join(dir, "whole.mp4"), fps), v.probe(t, joined, fps)
	t.Logf("whole: %+v; joined: %+v", pw, pj)
	if pj.Codec != "h264" || pj.Width != pw.Width || pj.Height != pw.Height || pj.Shown != whole.Frames {
		t.Errorf("joined %+v, want h264 %dx%d showing %d frames", pj, pw.Width, pw.Height, whole.Frames)
	}
	if d := pj.Duration - pw.Duration; d < -0.5/fps || d > 0.5/fps {
		t.Errorf("joined video lasts %.3f s, the one made in one go %.3f s", pj.Duration, pw.Duration)
	}
	v.compare(t, rec, joined, fps, bounds...)
}

// flakyPieces is the worker's video maker, counting its calls; piece
// failOnce fails its first attempt.
type flakyPieces struct {
	videoJobs
	failOnce int

	mu      sync.Mutex
	tries   map[int]int
	whole   int // videos made in one go
	joins   int
	workers map[int]string // who rendered each piece
}

func (f *flakyPieces) MakeVideo(ctx context.Context, man *replay.Manifest, b *replay.MemorySink, spec queue.VideoSpec, out string) ([]replay.VideoSpan, error) {
	f.mu.Lock()
	f.whole++
	f.mu.Unlock()
	return f.videoJobs.MakeVideo(ctx, man, b, spec, out)
}

func (f *flakyPieces) MakePiece(ctx context.Context, man *replay.Manifest, b *replay.MemorySink, spec queue.VideoSpec, p replay.VideoPiece, out string) error {
	f.mu.Lock()
	f.tries[p.Index]++
	n := f.tries[p.Index]
	f.mu.Unlock()
	if p.Index == f.failOnce && n == 1 {
		return errors.New("the stage crashed")
	}
	return f.videoJobs.MakePiece(ctx, man, b, spec, p, out)
}

func (f *flakyPieces) JoinPieces(ctx context.Context, spec queue.VideoSpec, parts []string, frames []int, out string) error {
	f.mu.Lock()
	f.joins++
	f.mu.Unlock()
	return f.videoJobs.JoinPieces(ctx, spec, parts, frames, out)
}

// A replay job with a long video on a real Redis, Chromium and ffmpeg:
// its video is made in pieces (tasks of their own), a piece that fails
// once is retried alone, the job is done only once they are joined (its
// manifest then names the video), the video lasts as long as the
// recording, and deleting the item leaves no Redis key of it.
func TestVideoPiecesJob(t *testing.T) {
	ffmpeg, ffprobe := testenv.FFmpeg(t), testenv.FFprobe(t)
	testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
	rdb, store := queueEnv(t)
	rec, cfg, pc := pieceTest(t)
	vw := newVideoWorker(t, rdb, store, cfg, pc, ffmpeg)
	f := vw.f
	f.failOnce = 1
	vw.run(t)
	qc := videoQueueConfig()
	client := queue.NewClient(rdb, store, qc, nil)
	ctx := context.Background()
	id := submitVideoJob(t, client, rec)
	st, err := client.Wait(ctx, "acme", id, 4*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if st.State != queue.StateDone {
		t.Fatalf("job %+v", st)
	}
	f.mu.Lock()
	t.Logf("pieces tried %v, videos in one go %d, joins %d", f.tries, f.whole, f.joins)
	if len(f.tries) < 3 || f.whole != 0 || f.joins != 1 {
		t.Errorf("pieces tried %v, videos in one go %d, joins %d: want at least 3 pieces, one join", f.tries, f.whole, f.joins)
	}
	for k, n := range f.tries {
		if want := 1 + b2i(k == f.failOnce); n != want {
			t.Errorf("piece %d tried %d times, want %d", k, n, want)
		}
	}
	f.mu.Unlock()
	var video *queue.Object
	names := map[string]bool{}
	for i, o := range st.Objects {
		names[o.Name] = true
		if o.Name == "video" {
			video = &st.Objects[i]
		}
	}
	if video == nil || !names["manifest.json"] || video.ContentType != "video/mp4" {
		t.Fatalf("objects %+v", st.Objects)
	}
	var man replay.Manifest
	if err := json.Unmarshal(readStored(t, store, queue.ReplayKey("acme", id, "manifest.json")), &man); err != nil {
		t.Fatal(err)
	}
	if man.Video == nil || man.Video.Name != "video.mp4" || man.Video.Bytes != video.Size {
		t.Errorf("manifest video %+v, result %+v", man.Video, video)
	}
	// The pieces are gone from the store; the video is there.
	if objs, _, err := store.List(ctx, queue.ReplayKey("acme", id, "video-parts/"), "", 10); err != nil || len(objs) != 0 {
		t.Errorf("pieces left in the store: %+v %v", objs, err)
	}
	path := filepath.Join(t.TempDir(), "video.mp4")
	if err := os.WriteFile(path, readStored(t, store, video.Key), 0o600); err != nil {
		t.Fatal(err)
	}
	v := videoTest{t: t, ffmpeg: ffmpeg, ffprobe: ffprobe}
	p := v.probe(t, path, 15)
	durMs := recordingMs(t, rec)
	t.Logf("ffprobe: %+v; recording %d ms", p, durMs)
	if p.Codec != "h264" || p.Shown != int(durMs*15/1000)+1 {
		t.Errorf("video %+v: want h264 showing %d frames", p, int(durMs*15/1000)+1)
	}
	if diff := p.Duration*1000 - float64(durMs); diff < -1000.0/15 || diff > 1000.0/15 {
		t.Errorf("video lasts %.3f s, the recording %d ms", p.Duration, durMs)
	}
	// Done: no state of the pieces is left (the join keeps the result).
	if keys := redisKeys(t, rdb, "kiln:video:*"); len(keys) != 0 {
		t.Errorf("video state left after the join: %v", keys)
	}
	if ok, err := client.DeleteItem(ctx, "acme", id); err != nil || !ok {
		t.Fatalf("delete: %v %v", ok, err)
	}
	if keys := redisKeys(t, rdb, "*"+id+"*"); len(keys) != 0 {
		t.Errorf("Redis keys of the deleted job: %v", keys)
	}
}

// queueEnv is a real Redis and a folder store.
func queueEnv(t testing.TB) (redis.UniversalClient, storage.Store) {
	t.Helper()
	rd := testenv.StartRedis(t)
	rdb, err := queue.NewRedisClient(queue.RedisConfig{URL: rd.URL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdb.Close() })
	store, err := storage.NewFolder(storage.FolderConfig{Dir: t.TempDir(), BaseURL: "http://127.0.0.1:1", NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	return rdb, store
}

// submitVideoJob submits a replay job of rec asking for an MP4, as the
// API does, and returns its id.
func submitVideoJob(t testing.TB, c *queue.Client, rec []byte) string {
	t.Helper()
	id := queue.NewID()
	if _, _, err := c.Submit(context.Background(), queue.Submission{Project: "acme", Key: "k-" + id, TTL: time.Minute, ID: id,
		Jobs: []queue.JobSpec{{ID: id, Type: queue.TypeReplay, Queue: queue.QueueReplay, Input: rec, Job: queue.Job{Video: queue.VideoMP4}}}}); err != nil {
		t.Fatal(err)
	}
	return id
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func videoQueueConfig() queue.Config {
	qc := queue.DefaultConfig()
	qc.Concurrency = 1
	qc.TaskCheckInterval = 50 * time.Millisecond
	qc.RetryBase, qc.RetryMax = 10*time.Millisecond, 100*time.Millisecond
	qc.ShutdownTimeout = 5 * time.Second
	return qc
}

// videoWorker is a worker's parts: its own renderer pool, the worker's
// replay builder (with cfg) and video maker (counted, cutting videos
// with pc).
type videoWorker struct {
	rdb  redis.UniversalClient
	pool *renderer.Pool
	f    *flakyPieces
	h    queue.Handlers
}

func newVideoWorker(t testing.TB, rdb redis.UniversalClient, store storage.Store, cfg replay.Config, pc replay.PieceConfig, ffmpeg string) *videoWorker {
	t.Helper()
	return newVideoWorkerOn(t, rdb, store, cfg, pc, ffmpeg, -1)
}

// newVideoWorkerOn is newVideoWorker with its Chromium and ffmpeg
// processes bound to CPU cpu (taskset; cpu < 0: not bound): a worker
// alone on its core, as on a machine of its own.
func newVideoWorkerOn(t testing.TB, rdb redis.UniversalClient, store storage.Store, cfg replay.Config, pc replay.PieceConfig, ffmpeg string, cpu int) *videoWorker {
	t.Helper()
	rc := renderer.DefaultConfig()
	rc.NoFetch = true
	if cpu >= 0 {
		chrome := testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
		rc.ChromePath = pinned(t, chrome, cpu)
		ffmpeg = pinned(t, ffmpeg, cpu)
	}
	pool, err := renderer.New(context.Background(), rc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	f := &flakyPieces{videoJobs: videoJobs{stager: poolStager{shooterFor(pool)}, ffmpeg: ffmpeg}, failOnce: -1, tries: map[int]int{}}
	return &videoWorker{rdb: rdb, pool: pool, f: f, h: queue.Handlers{Store: store, Renderer: poolRenderer{pool}, Parse: parseSnapshot,
		Replay: &replayJobs{cfg: cfg}, Video: f, VideoPieces: pc}}
}

// pinned writes a script that runs program bound to CPU cpu.
func pinned(t testing.TB, program string, cpu int) string {
	t.Helper()
	taskset := testenv.LookPath(t, "taskset", "")
	path := filepath.Join(t.TempDir(), filepath.Base(program))
	script := fmt.Sprintf("#!/bin/sh\nexec %s -c %d %s \"$@\"\n", taskset, cpu, program)
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// run starts the worker's asynq server; stop stops it (the pool stays).
func (v *videoWorker) run(t testing.TB) (stop func()) {
	t.Helper()
	w, err := queue.NewWorker(v.rdb, videoQueueConfig(), v.h, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return stop
}

func redisKeys(t testing.TB, rdb redis.UniversalClient, pattern string) []string {
	t.Helper()
	keys, err := rdb.Keys(context.Background(), pattern).Result()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	return keys
}

func readStored(t testing.TB, s storage.Store, key string) []byte {
	t.Helper()
	rc, _, err := s.Get(context.Background(), key, nil)
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	defer rc.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(rc); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
