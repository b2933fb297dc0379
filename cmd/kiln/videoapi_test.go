package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/kilnrender/kiln/internal/testenv"
	"github.com/kilnrender/kiln/replay"
)

// POST /v1/replays?video=mp4 through kiln dev on a real Redis (the API,
// the queue and a worker with a real Chromium and ffmpeg): the job ends
// done with a "video" result beside the bundle, served at its signed URL
// as video/mp4, an H.264 MP4 as long as the recording (within a frame)
// at the default 15 fps and the recorded size.
func TestReplayVideoJob(t *testing.T) {
	chrome := testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
	v := videoTest{t: t, ffmpeg: testenv.FFmpeg(t), ffprobe: testenv.FFprobe(t)}
	t.Setenv("KILN_FFMPEG_PATH", v.ffmpeg)
	d := startTestDev(t, chrome, testenv.StartRedis(t).URL)
	rec := readFile(t, filepath.Join("..", "..", "testdata", "replay", "todomvc-react.rrweb.json"))
	// Without a video first: the same job's time without one, in the
	// same run (a shared machine: compare within a run).
	plain := runReplayJob(t, d, rec, "")
	job := runReplayJob(t, d, rec, "?video=mp4")
	t.Logf("job steps %+v, total %.0f ms; without a video %.0f ms (%.2f×); recording %d ms",
		job.Report.Steps, job.Report.TotalMs, plain.Report.TotalMs, job.Report.TotalMs/plain.Report.TotalMs, recordingMs(t, rec))
	var url string
	names := map[string]bool{}
	for _, r := range job.Results {
		names[r.Name] = true
		if r.Name == "video" {
			url = r.URL
			if r.ContentType != "video/mp4" {
				t.Errorf("video result's content type %q", r.ContentType)
			}
		}
	}
	if url == "" || !names["manifest.json"] {
		t.Fatalf("results %+v: want the bundle and a video", job.Results)
	}
	if s := job.Report.Steps; len(s) == 0 || s[len(s)-1].Name != "video" {
		t.Errorf("steps %+v: want a video step last", s)
	}
	vresp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(vresp.Body)
	vresp.Body.Close()
	if vresp.StatusCode != 200 || vresp.Header.Get("Content-Type") != "video/mp4" {
		t.Fatalf("GET video: %d %s", vresp.StatusCode, vresp.Header.Get("Content-Type"))
	}
	path := filepath.Join(t.TempDir(), "video.mp4")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	const fps = 15
	p := v.probe(t, path, fps)
	durMs := recordingMs(t, rec)
	t.Logf("ffprobe: %+v; recording %d ms; %d bytes", p, durMs, len(data))
	if p.Codec != "h264" || p.Width != 1280 || p.Height != 800 {
		t.Errorf("video %s %dx%d, want h264 1280x800", p.Codec, p.Width, p.Height)
	}
	if diff := p.Duration*1000 - float64(durMs); diff < -1000.0/fps || diff > 1000.0/fps {
		t.Errorf("video lasts %.3f s, the recording %d ms (more than a frame apart)", p.Duration, durMs)
	}
}

// A worker finds ffmpeg at start: given a path that is not there, it does
// not start; given none and none on PATH, it starts without videos
// (jobs asking for one fail with a reason) and logs why.
func TestWorkerVideoMaker(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	missing := filepath.Join(t.TempDir(), "ffmpeg")
	if _, err := newVideoMaker(nil, missing, log); !errors.Is(err, replay.ErrNoFFmpeg) {
		t.Errorf("--ffmpeg %s: %v, want ErrNoFFmpeg", missing, err)
	}
	t.Setenv("PATH", t.TempDir())
	vm, err := newVideoMaker(nil, "", log)
	if err != nil || vm != nil {
		t.Errorf("no ffmpeg on PATH: %v, %v; want no maker and no error", vm, err)
	}
	if !bytes.Contains(logs.Bytes(), []byte("replay videos are off")) || !bytes.Contains(logs.Bytes(), []byte("ffmpeg not found")) {
		t.Errorf("log: %s", logs.String())
	}
}

// replayJob is what the test reads of a replay job's status.
type replayJob struct {
	State, Reason string
	Results       []struct{ Name, URL, ContentType string }
	Report        struct {
		Steps []struct {
			Name string
			Ms   float64
		}
		TotalMs float64
	}
}

// runReplayJob submits rec to POST /v1/replays with query and waits for
// the job to be done.
func runReplayJob(t *testing.T, d *devServer, rec []byte, query string) *replayJob {
	t.Helper()
	id := d.postJob(t, "/v1/replays"+query, rec)
	var job replayJob
	for range 6 { // each wait is at most the API's MaxWait
		if err := d.get(context.Background(), http.DefaultClient, "/v1/jobs/"+id+"?wait=10s", &job); err != nil {
			t.Fatalf("job: %v", err)
		}
		if job.State == "done" || job.State == "failed" {
			break
		}
	}
	if job.State != "done" {
		t.Fatalf("job%s %s: %+v", query, job.State, job)
	}
	return &job
}

// postJob POSTs body as JSON to path on d with its key and returns the
// id of the job it accepted (202).
func (d *devServer) postJob(t *testing.T, path string, body []byte) string {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), "POST", d.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+d.Key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ref struct{ ID string }
	if err := json.NewDecoder(resp.Body).Decode(&ref); resp.StatusCode != http.StatusAccepted || err != nil {
		t.Fatalf("POST %s: %s %v", path, resp.Status, err)
	}
	return ref.ID
}
