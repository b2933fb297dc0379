package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kilnrender/kiln/internal/imgcmp"
	"github.com/kilnrender/kiln/internal/testenv"
	"github.com/kilnrender/kiln/player"
	"github.com/kilnrender/kiln/renderer"
	"github.com/kilnrender/kiln/replay"
	"github.com/kilnrender/kiln/snapshot"
)

// videoFloor is the SSIM a frame ffmpeg extracts from a video must reach
// against `kiln replay --at` of its time (measured 0.9993-0.9998): the
// codec is lossy (H.264 at CRF 20), and the video draws rrweb's cursor,
// which --at does not. liveFloor is the bar against the live page's
// screenshots, for each frame and for their mean (measured: 0.9913 at
// the least, mean 0.9969 over 7 frames; the issue asks a mean of 0.98).
// losslessFloor is the bar of a capture before encoding against --at
// (the 0.995).
const (
	videoFloor    = 0.99
	liveFloor     = 0.98
	losslessFloor = 0.995
)

// TestReplayVideo makes videos with real Chromium (rrweb's Replayer on a
// stage of the pool) and real ffmpeg, and reads them back with ffprobe
// and ffmpeg.
func TestReplayVideo(t *testing.T) {
	ffmpeg := testenv.FFmpeg(t)
	ffprobe := testenv.FFprobe(t)
	testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
	rc := renderer.DefaultConfig()
	rc.NoFetch = true
	sh := &poolShooter{cfg: rc, opts: renderer.Options{Format: renderer.FormatPNG}, own: true}
	t.Cleanup(sh.close)
	st := poolStager{sh}
	v := videoTest{t: t, st: st, shooter: sh, ffmpeg: ffmpeg, ffprobe: ffprobe}
	t.Run("mp4", v.mp4)
	t.Run("fidelity", v.fidelity)
	t.Run("idle", v.idle)
	t.Run("skip-inactive", v.skipInactive)
	t.Run("password", v.password)
	t.Run("webm-gif", v.webmGIF)
	t.Run("hostile", v.hostile)
}

type videoTest struct {
	t               *testing.T
	st              replay.Stager
	shooter         replay.Shooter
	ffmpeg, ffprobe string
}

// make writes the video of recording to a temporary file.
func (v videoTest) make(t *testing.T, recording []byte, name string, vc replay.VideoConfig) (string, *replay.VideoStats, *replay.MemorySink) {
	t.Helper()
	out := filepath.Join(t.TempDir(), name)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	vc.Player, vc.FFmpeg = player.FS(), v.ffmpeg
	bundle := &replay.MemorySink{}
	stats, _, err := videoOf(ctx, replay.Config{}, v.st, nil, bytes.NewReader(recording), bundle, out, vc)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %dx%d, %d frames, %d captured (%.0f%%), %d bytes; capture %s, encode %s", name, stats.Width, stats.Height,
		stats.Frames, stats.Captured, 100*float64(stats.Captured)/float64(stats.Frames), stats.Bytes, stats.Capture.Round(time.Millisecond), stats.Encode.Round(time.Millisecond))
	return out, stats, bundle
}

// probe is what ffprobe says of a video's first stream: Frames are the
// frames written (a frame that repeats the one before is not), Shown
// the frames a player shows at the video's rate (ffmpeg's fps filter).
type probe struct {
	Codec         string
	Width, Height int
	Frames, Shown int
	Duration      float64
}

func (v videoTest) probe(t *testing.T, path string, fps int) probe {
	t.Helper()
	out, err := exec.Command(v.ffprobe, "-v", "error", "-count_frames", "-select_streams", "v:0",
		"-show_entries", "stream=codec_name,width,height,nb_read_frames:format=duration", "-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	var r struct {
		Streams []struct {
			Codec  string `json:"codec_name"`
			Width  int    `json:"width"`
			Height int    `json:"height"`
			Frames string `json:"nb_read_frames"`
		} `json:"streams"`
		Format struct {
			Duration string `json:"duration"`
		} `json:"format"`
	}
	if err := json.Unmarshal(out, &r); err != nil || len(r.Streams) != 1 {
		t.Fatalf("ffprobe: %v: %s", err, out)
	}
	s := r.Streams[0]
	p := probe{Codec: s.Codec, Width: s.Width, Height: s.Height}
	p.Frames, _ = strconv.Atoi(s.Frames)
	p.Duration, _ = strconv.ParseFloat(r.Format.Duration, 64)
	crc, err := exec.Command(v.ffmpeg, "-v", "error", "-nostdin", "-i", path, "-vf", fmt.Sprintf("fps=%d", fps), "-f", "framecrc", "-").Output()
	if err != nil {
		t.Fatalf("ffmpeg framecrc: %v", err)
	}
	for _, l := range strings.Split(string(crc), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			p.Shown++
		}
	}
	return p
}

// frame extracts frame k of the video at fps as a player shows it, as an
// image.
func (v videoTest) frame(t *testing.T, path string, fps, k int) image.Image {
	t.Helper()
	png := filepath.Join(t.TempDir(), fmt.Sprintf("frame-%d.png", k))
	cmd := exec.Command(v.ffmpeg, "-v", "error", "-nostdin", "-y", "-i", path, "-vf", fmt.Sprintf(`fps=%d,select=eq(n\,%d)`, fps, k), "-frames:v", "1", png)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("extract frame %d: %v: %s", k, err, b)
	}
	img, err := imgcmp.Load(png)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// at is `kiln replay --at ms` of the recording, as an image.
func (v videoTest) at(t *testing.T, recording []byte, ms int64) image.Image {
	t.Helper()
	out := filepath.Join(t.TempDir(), fmt.Sprintf("at-%d.png", ms))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := replayAt(ctx, replay.Config{}, v.shooter, nil, bytes.NewReader(recording), time.Duration(ms)*time.Millisecond, out); err != nil {
		t.Fatal(err)
	}
	img, err := imgcmp.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// compare checks frames of the video against --at of their times (the
// frame's time, k/fps, rounded down to the ms: events have whole ms) and
// returns the SSIMs.
func (v videoTest) compare(t *testing.T, recording []byte, path string, fps int, frames ...int) []float64 {
	t.Helper()
	var scores []float64
	for _, k := range frames {
		ms := int64(k) * 1000 / int64(fps)
		// After a resize to a smaller window, the video shows the replay
		// in its top-left corner.
		want := v.at(t, recording, ms)
		score, err := imgcmp.SSIM(crop(v.frame(t, path, fps, k), want.Bounds()), want)
		if err != nil {
			t.Fatalf("frame %d: %v", k, err)
		}
		t.Logf("frame %d (%d ms): SSIM %.4f vs kiln replay --at", k, ms, score)
		if score < videoFloor {
			t.Errorf("frame %d (%d ms): SSIM %.4f vs kiln replay --at, want ≥ %.2f", k, ms, score, videoFloor)
		}
		scores = append(scores, score)
	}
	return scores
}

// An MP4 of the to-do recording: as long as the recording (within one
// frame), even-sized H.264 in yuv420p at 15 fps, its frames at the truth
// frames' times show --at's state, and the frames between events are
// repeated, not captured.
func (v videoTest) mp4(t *testing.T) {
	rec := readFile(t, filepath.Join("..", "..", "testdata", "replay", "todomvc-react.rrweb.json"))
	path, stats, _ := v.make(t, rec, "todo.mp4", replay.VideoConfig{})
	const fps = 15
	p := v.probe(t, path, fps)
	durMs := recordingMs(t, rec)
	t.Logf("ffprobe: %+v; recording %d ms", p, durMs)
	if p.Codec != "h264" || p.Width != 1280 || p.Height != 800 {
		t.Errorf("video %s %dx%d, want h264 1280x800", p.Codec, p.Width, p.Height)
	}
	if diff := p.Duration*1000 - float64(durMs); diff < -1000.0/fps || diff > 1000.0/fps {
		t.Errorf("video lasts %.3f s, the recording %d ms (more than a frame apart)", p.Duration, durMs)
	}
	if p.Shown != stats.Frames || p.Shown != int(durMs*fps/1000)+1 {
		t.Errorf("%d frames shown, %d planned, want %d", p.Shown, stats.Frames, durMs*fps/1000+1)
	}
	// Each capture is written once, and the last frame again (to end).
	if p.Frames != stats.Captured+1 || stats.Captured >= stats.Frames*3/4 {
		t.Errorf("%d of %d frames captured, %d written: idle frames are captured or written too", stats.Captured, stats.Frames, p.Frames)
	}
	// The frames of the truth frames' times (4969, 7104, 9151 ms).
	v.compare(t, rec, path, fps, 4969*fps/1000, 7104*fps/1000, 9151*fps/1000)
	// Faststart: the index (moov) comes before the media (mdat).
	head, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if m, d := bytes.Index(head, []byte("moov")), bytes.Index(head, []byte("mdat")); m < 0 || d < 0 || m > d {
		t.Errorf("moov at %d, mdat at %d: not faststart", m, d)
	}
}

// Videos of the fidelity fixtures (Kiln replay JSON with the pages'
// resources): the frame shown at each truth frame's time matches the
// live page's screenshot, and `kiln replay --at` of the frame's time.
// The cursor, which live screenshots lack, and the lossy codec cost
// some SSIM.
func (v videoTest) fidelity(t *testing.T) {
	var sum float64
	n := 0
	for _, name := range []string{"bootstrap-sign-in-password", "todomvc-react"} {
		dir := filepath.Join("..", "..", "testdata", "replay", "fidelity", name)
		var frames []fidelityFrame
		if err := json.Unmarshal(readFile(t, filepath.Join(dir, "frames.json")), &frames); err != nil {
			t.Fatal(err)
		}
		in, closeIn, err := openRecording(filepath.Join(dir, "replay.kiln.json.gz"), 64<<20)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := io.ReadAll(in)
		closeIn()
		if err != nil {
			t.Fatal(err)
		}
		captures := map[int][]byte{}
		vc := replay.VideoConfig{OnCapture: func(k int, png []byte) { captures[k] = png }}
		path, _, _ := v.make(t, rec, name+".mp4", vc)
		for _, f := range frames {
			truth, err := imgcmp.Load(filepath.Join(dir, f.File))
			if err != nil {
				t.Fatal(err)
			}
			k := int(f.AtMs * 15 / 1000)
			got := crop(v.frame(t, path, 15, k), truth.Bounds())
			score, err := imgcmp.SSIM(got, truth)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s/%s (%d ms, frame %d): SSIM %.4f vs the live page", name, f.Label, f.AtMs, k, score)
			if score < liveFloor {
				t.Errorf("%s/%s: SSIM %.4f vs the live page, want ≥ %.2f", name, f.Label, score, liveFloor)
			}
			sum += score
			n++
		}
		last := int(frames[len(frames)-1].AtMs * 15 / 1000)
		v.compare(t, rec, path, 15, last)
		// The capture the last frame shows, before encoding.
		k := last
		for captures[k] == nil {
			k--
		}
		capture, err := imgcmp.Decode(captures[k])
		if err != nil {
			t.Fatal(err)
		}
		want := v.at(t, rec, int64(last)*1000/15)
		score, err := imgcmp.SSIM(crop(capture, want.Bounds()), want)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: capture of frame %d (from frame %d): SSIM %.4f vs kiln replay --at", name, last, k, score)
		if score < losslessFloor {
			t.Errorf("%s: capture of frame %d: SSIM %.4f vs kiln replay --at, want ≥ %.3f", name, last, score, losslessFloor)
		}
	}
	t.Logf("mean SSIM vs the live page over %d frames: %.4f", n, sum/float64(n))
	if sum/float64(n) < liveFloor {
		t.Errorf("mean SSIM %.4f vs the live page, want ≥ %.2f", sum/float64(n), liveFloor)
	}
}

// crop is the part of img within r (the video shows a smaller window in
// its top-left corner).
func crop(img image.Image, r image.Rectangle) image.Image {
	if r.Dx() >= img.Bounds().Dx() && r.Dy() >= img.Bounds().Dy() {
		return img
	}
	return img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(r)
}

// The to-do recording with 30 s of idle time put in after 5 s: the
// video lasts the 39 s, and only frames after an event are captured
// (about as many as without the idle time), so the idle time costs no
// capture.
func (v videoTest) idle(t *testing.T) {
	rec := withIdle(t, readFile(t, filepath.Join("..", "..", "testdata", "replay", "todomvc-react.rrweb.json")), 5000, 30*time.Second)
	path, stats, _ := v.make(t, rec, "idle.mp4", replay.VideoConfig{})
	p := v.probe(t, path, 15)
	durMs := recordingMs(t, rec)
	if p.Shown != int(durMs*15/1000)+1 || p.Frames != stats.Captured+1 || p.Duration*1000 < float64(durMs) || p.Duration*1000 > float64(durMs)+1000.0/15 {
		t.Errorf("%d frames shown (%d written), %.3f s for a %d ms recording", p.Shown, p.Frames, p.Duration, durMs)
	}
	if stats.Captured > stats.Frames/8 {
		t.Errorf("%d of %d frames captured, want at most 1/8", stats.Captured, stats.Frames)
	}
	// The last frame of the idle time shows the state before it.
	v.compare(t, rec, path, 15, 34000*15/1000)
}

// The idle recording with --skip-inactive: the 30 s without events are
// left out but for a second at each end, the video is shorter by that
// much, and the frame after the cut shows --at's state at its session
// time (the video time plus the span skipped).
func (v videoTest) skipInactive(t *testing.T) {
	rec := withIdle(t, readFile(t, filepath.Join("..", "..", "testdata", "replay", "todomvc-react.rrweb.json")), 5000, 30*time.Second)
	path, stats, _ := v.make(t, rec, "skip.mp4", replay.VideoConfig{SkipInactive: inactiveAfter})
	t.Logf("skipped %+v", stats.Skipped)
	if len(stats.Skipped) != 1 {
		t.Fatalf("skipped %+v, want one span", stats.Skipped)
	}
	s := stats.Skipped[0]
	durMs := recordingMs(t, rec)
	if s.ToMs-s.FromMs < 27000 || s.FromMs < 5000 || s.ToMs > 36000 {
		t.Errorf("skipped %+v: want most of 5-35 s", s)
	}
	p := v.probe(t, path, 15)
	if want := float64(durMs-(s.ToMs-s.FromMs)) / 1000; p.Duration < want-1.0/15 || p.Duration > want+1.0/15 {
		t.Errorf("video lasts %.3f s, want %.3f", p.Duration, want)
	}
	// The first frame at or after the cut.
	k := int((s.FromMs*15 + 999) / 1000)
	ms := int64(k)*1000/15 + s.ToMs - s.FromMs
	want := v.at(t, rec, ms)
	score, err := imgcmp.SSIM(crop(v.frame(t, path, 15, k), want.Bounds()), want)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("frame %d (session %d ms): SSIM %.4f vs kiln replay --at", k, ms, score)
	if score < videoFloor {
		t.Errorf("frame %d (session %d ms): SSIM %.4f, want ≥ %.2f", k, ms, score, videoFloor)
	}
}

// withIdle moves the events of an rrweb array after afterMs (from its
// first event) later by idle.
func withIdle(t testing.TB, rec []byte, afterMs int64, idle time.Duration) []byte {
	t.Helper()
	var evs []map[string]any
	if err := json.Unmarshal(rec, &evs); err != nil || len(evs) == 0 {
		t.Fatalf("recording: %v", err)
	}
	first := evs[0]["timestamp"].(float64)
	for _, e := range evs {
		if ts := e["timestamp"].(float64); ts-first > float64(afterMs) {
			e["timestamp"] = ts + float64(idle.Milliseconds())
		}
	}
	out, err := json.Marshal(evs)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The sign-in recording with its password unmasked by the test (the
// recorder had masked it): the bundle the video is made of holds no
// trace of it, and the frame after typing is --at's (which is masked).
func (v videoTest) password(t *testing.T) {
	const password = "correct horse battery staple"
	var evs []map[string]any
	if err := json.Unmarshal(readFile(t, filepath.Join("..", "..", "testdata", "replay", "bootstrap-sign-in-password.rrweb.json")), &evs); err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		d, _ := e["data"].(map[string]any)
		if d["source"] == float64(snapshot.IncrementalInput) && d["id"] == float64(52) {
			d["text"] = password[:len(d["text"].(string))]
		}
	}
	rec, _ := json.Marshal(evs)
	if !bytes.Contains(rec, []byte(password)) {
		t.Fatal("the test input does not hold the password")
	}
	// 6145 ms: e-mail and password typed (the truth frame's time).
	path, _, bundle := v.make(t, rec, "sign-in.mp4", replay.VideoConfig{To: 6500 * time.Millisecond})
	for name, f := range bundle.Files {
		data := f.Data
		if f.ContentEncoding == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			data, _ = io.ReadAll(zr)
		}
		if bytes.Contains(data, []byte(password)) || bytes.Contains(data, []byte("battery")) {
			t.Errorf("%s holds the password", name)
		}
	}
	v.compare(t, rec, path, 15, 6145*15/1000)
}

// WebM (VP9) and GIF (palette, at most 10 fps), scaled to an odd width
// that becomes even, over a range.
func (v videoTest) webmGIF(t *testing.T) {
	rec := readFile(t, filepath.Join("..", "..", "testdata", "replay", "todomvc-react.rrweb.json"))
	for _, c := range []struct {
		name, codec string
		fps         int
	}{{"todo.webm", "vp9", 15}, {"todo.gif", "gif", replay.MaxGIFFPS}} {
		vc := replay.VideoConfig{Format: videoFormat(c.name), Width: 641, From: 4 * time.Second, To: 6 * time.Second}
		path, _, _ := v.make(t, rec, c.name, vc)
		p := v.probe(t, path, c.fps)
		t.Logf("%s: %+v", c.name, p)
		if p.Codec != c.codec || p.Width != 640 || p.Height != 400 {
			t.Errorf("%s: %s %dx%d, want %s 640x400", c.name, p.Codec, p.Width, p.Height, c.codec)
		}
		// 2 s: 31 frames at 15 fps, 21 at 10.
		if want := 2*c.fps + 1; p.Shown != want {
			t.Errorf("%s: %d frames shown, want %d", c.name, p.Shown, want)
		}
	}
}

// The hostile recording (scripts, handlers, loopback, private and
// metadata URLs) makes a video, and every request that reached its
// stage's interception was for one of the stage's files (the stage's CSP
// stops others first: TestStageServesItsFilesOnly in the renderer).
func (v videoTest) hostile(t *testing.T) {
	rec := readFile(t, filepath.Join("..", "..", "testdata", "replay", "hostile.rrweb.json"))
	var stages []*renderer.Stage
	v.st = recordStages{v.st, &stages}
	path, stats, _ := v.make(t, rec, "hostile.mp4", replay.VideoConfig{})
	if p := v.probe(t, path, 15); p.Shown != stats.Frames || p.Codec != "h264" {
		t.Errorf("hostile video: %+v, %d frames planned", p, stats.Frames)
	}
	if len(stages) != 1 {
		t.Fatalf("%d stages opened", len(stages))
	}
	if b := stages[0].Blocked(); len(b) > 0 {
		t.Errorf("the stage refused %d requests: %v", len(b), b)
	}
}

// recordStages keeps the stages it opens.
type recordStages struct {
	replay.Stager
	stages *[]*renderer.Stage
}

func (r recordStages) OpenStage(ctx context.Context, vp snapshot.Viewport, doc string, files []snapshot.Resource) (replay.Stage, error) {
	st, err := r.Stager.OpenStage(ctx, vp, doc, files)
	if err == nil {
		*r.stages = append(*r.stages, st.(pngStage).Stage)
	}
	return st, err
}

// recordingMs is the time from the first event of an rrweb array to its
// last.
func recordingMs(t testing.TB, rec []byte) int64 {
	var evs []struct {
		Timestamp int64 `json:"timestamp"`
	}
	if err := json.Unmarshal(rec, &evs); err != nil || len(evs) == 0 {
		t.Fatalf("recording: %v", err)
	}
	return evs[len(evs)-1].Timestamp - evs[0].Timestamp
}

// A video asked for without ffmpeg fails with ErrNoFFmpeg before any
// browser work; bad options are refused all at once.
func TestReplayVideoErrors(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rec := readFile(t, filepath.Join("..", "..", "testdata", "replay", "todomvc-react.rrweb.json"))
	vc := replay.VideoConfig{Player: player.FS(), FFmpeg: filepath.Join(t.TempDir(), "no-ffmpeg")}
	_, _, err := videoOf(ctx, replay.Config{}, nil, nil, bytes.NewReader(rec), &replay.MemorySink{}, filepath.Join(t.TempDir(), "x.mp4"), vc)
	if !errors.Is(err, replay.ErrNoFFmpeg) {
		t.Errorf("without ffmpeg: %v, want ErrNoFFmpeg", err)
	}
	err = replay.VideoConfig{Format: "avi", FPS: 61, Width: -2, From: 2 * time.Second, To: time.Second}.Validate()
	if !errors.Is(err, replay.ErrInvalid) || strings.Count(err.Error(), "\n") != 3 {
		t.Errorf("bad options: %v, want 4 ErrInvalid errors", err)
	}
	// The command's usage errors (exit 2), before any work.
	in := filepath.Join("..", "..", "testdata", "replay", "todomvc-react.rrweb.json")
	for _, args := range [][]string{
		{"--video", "x.avi", in},
		{"--video", "x.mp4", "-o", t.TempDir(), in},
		{"--video", "x.mp4", "--at", "100", "--out", "x.png", in},
		{"--video", "x.mp4", "--fps", "61", in},
		{"--video", "x.mp4", "--from", "3s", "--to", "2s", in},
	} {
		if err := runReplay(ctx, args); !errors.Is(err, errUsage) {
			t.Errorf("kiln replay %q: %v, want a usage error", args, err)
		}
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
