package queue_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/replay"
)

// bundleReplay builds a small bundle: a manifest, a segment and a
// keyframe (a picture, which a video is not made of).
type bundleReplay struct{}

func (bundleReplay) BuildReplay(ctx context.Context, r io.Reader, sink replay.Sink, _ queue.ReplayOptions) ([]string, error) {
	if _, err := io.ReadAll(r); err != nil {
		return nil, err
	}
	man, _ := json.Marshal(replay.Manifest{DurationMs: 1234, Segments: []replay.Segment{{Name: "segments/000.json.gz"}}})
	for _, f := range []struct{ name, data string }{
		{"segments/000.json.gz", "seg"}, {"keyframes/000.webp", "pic"}, {"manifest.json", string(man)},
	} {
		if err := sink.Put(ctx, f.name, []byte(f.data), "application/octet-stream", ""); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// fakeVideo checks what it is given and writes "VIDEO:" and the format,
// or fails with err. Asked to skip inactivity, it reports one span
// skipped, from the frame rate to the width it was asked for (ms).
type fakeVideo struct{ err error }

func (f fakeVideo) MakeVideo(ctx context.Context, man *replay.Manifest, b *replay.MemorySink, spec queue.VideoSpec, out string) ([]replay.VideoSpan, error) {
	if f.err != nil {
		return nil, f.err
	}
	if man.DurationMs != 1234 || string(b.Files["segments/000.json.gz"].Data) != "seg" {
		return nil, errors.New("not the bundle that was built")
	}
	if _, ok := b.Files["keyframes/000.webp"]; ok {
		return nil, errors.New("pictures kept for the video")
	}
	var skipped []replay.VideoSpan
	if spec.SkipInactive {
		skipped = []replay.VideoSpan{{FromMs: int64(spec.FPS), ToMs: int64(spec.Width)}}
	}
	return skipped, os.WriteFile(out, []byte("VIDEO:"+spec.Format), 0o600)
}

func submitVideo(t *testing.T, e *env, id, video string) *queue.Status {
	t.Helper()
	return submitVideoJob(t, e, id, queue.Job{Video: video})
}

func submitVideoJob(t *testing.T, e *env, id string, job queue.Job) *queue.Status {
	t.Helper()
	_, _, err := e.client.Submit(context.Background(), queue.Submission{Project: "acme", Key: "k-" + id, TTL: time.Minute, ID: id,
		Jobs: []queue.JobSpec{{ID: id, Type: queue.TypeReplay, Queue: queue.QueueReplay, Input: []byte("[1]"), Job: job}}})
	if err != nil {
		t.Fatal(err)
	}
	return e.wait(t, "acme", id)
}

// A replay job asking for a video: the video is made of the bundle just
// built (its manifest and segments, not its pictures), stored beside it
// with its content type and listed as "video"; a worker without a video
// maker, or a video that cannot be made, fails the job with a reason.
func TestReplayVideo(t *testing.T) {
	e := newEnv(t, testConfig())
	e.startWorker(t, queue.Handlers{Renderer: &fakeRenderer{}, Replay: bundleReplay{}, Video: fakeVideo{}})
	for _, format := range []string{queue.VideoMP4, queue.VideoWebM, queue.VideoGIF} {
		id := queue.NewID()
		st := submitVideo(t, e, id, format)
		if st.State != queue.StateDone {
			t.Fatalf("%s: %+v", format, st)
		}
		var video *queue.Object
		for i, o := range st.Objects {
			if o.Name == "video" {
				video = &st.Objects[i]
			}
		}
		key := queue.ReplayKey("acme", id, "video."+format)
		if video == nil || video.Key != key || video.ContentType != queue.VideoContentType(format) || video.Size != int64(len("VIDEO:"+format)) {
			t.Fatalf("%s: objects %+v", format, st.Objects)
		}
		if got := readObject(t, e.store, key); string(got) != "VIDEO:"+format {
			t.Fatalf("%s: stored %q", format, got)
		}
		// The manifest, written after the video, names it.
		var man replay.Manifest
		if err := json.Unmarshal(readObject(t, e.store, queue.ReplayKey("acme", id, "manifest.json")), &man); err != nil {
			t.Fatal(err)
		}
		if v := man.Video; v == nil || v.Name != "video."+format || v.ContentType != queue.VideoContentType(format) || v.Bytes != video.Size || man.DurationMs != 1234 {
			t.Fatalf("%s: manifest video %+v (duration %d)", format, v, man.DurationMs)
		}
	}
	// The frame rate, width and inactivity skipping reach the maker, and
	// the spans it skipped are in the manifest.
	id := queue.NewID()
	if st := submitVideoJob(t, e, id, queue.Job{Video: queue.VideoMP4, VideoFPS: 10, VideoWidth: 640, VideoSkipInactive: true}); st.State != queue.StateDone {
		t.Fatalf("skip-inactive: %+v", st)
	}
	var man replay.Manifest
	if err := json.Unmarshal(readObject(t, e.store, queue.ReplayKey("acme", id, "manifest.json")), &man); err != nil {
		t.Fatal(err)
	}
	if v := man.Video; v == nil || len(v.Skipped) != 1 || v.Skipped[0] != (replay.VideoSpan{FromMs: 10, ToMs: 640}) {
		t.Fatalf("skip-inactive: manifest video %+v", v)
	}
	// Without a video asked for, none is made.
	if st := submitVideo(t, e, queue.NewID(), ""); st.State != queue.StateDone || len(st.Objects) != 3 {
		t.Fatalf("no video: %+v", st)
	}
}

func TestReplayVideoFails(t *testing.T) {
	for _, c := range []struct {
		name   string
		video  queue.VideoMaker
		max    int64
		reason string
	}{
		{"no maker", nil, 0, queue.ReasonVideoUnsupported},
		{"no ffmpeg", fakeVideo{err: replay.ErrNoFFmpeg}, 0, queue.ReasonVideoUnsupported},
		{"too long", fakeVideo{err: replay.ErrTooLarge}, 0, "the recording is too long for a video"},
		// The segment is 3 bytes (the manifest is held apart, the picture
		// not kept).
		{"too large", fakeVideo{}, 2, "the recording is too large for a video"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, testConfig())
			e.startWorker(t, queue.Handlers{Renderer: &fakeRenderer{}, Replay: bundleReplay{}, Video: c.video, MaxVideoSource: c.max})
			if st := submitVideo(t, e, queue.NewID(), queue.VideoMP4); st.State != queue.StateFailed || st.Reason != c.reason {
				t.Fatalf("status %+v, want failed: %s", st, c.reason)
			}
		})
	}
}
