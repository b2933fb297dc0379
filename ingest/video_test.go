package ingest_test

import (
	"encoding/json"
	"testing"

	"github.com/hibiken/asynq"
	"github.com/kilnrender/kiln/queue"
)

// POST /v1/replays?video= (and /v1/items?video=, for the item's replay
// job): mp4, webm or gif (query or Kiln-Video, any
// case) reach the job the worker takes; anything else is a 400 with the
// reason; the same recording with and without a video is two jobs.
func TestReplayVideoOption(t *testing.T) {
	cfg := smallConfig()
	cfg.ProjectCap = 0 // four jobs in flight
	e := newAPI(t, cfg, nil)
	defer e.checkDocumented(t)
	body := testdata(t, "todomvc-recording.rrweb.json")
	ins := asynq.NewInspectorFromRedisClient(e.rdb)
	jobOf := func(id string) queue.Job {
		t.Helper()
		info, err := ins.GetTaskInfo(queue.QueueReplay, id)
		if err != nil {
			t.Fatalf("task %s: %v", id, err)
		}
		var job queue.Job
		if err := json.Unmarshal(info.Payload, &job); err != nil {
			t.Fatal(err)
		}
		return job
	}
	videoOf := func(id string) string { t.Helper(); return jobOf(id).Video }
	ids := map[string]string{}
	for _, c := range []struct {
		path string
		hdr  map[string]string
		want string
	}{
		{"/v1/replays", nil, ""},
		{"/v1/replays?video=mp4", nil, "mp4"},
		{"/v1/replays?video=WEBM", nil, "webm"},
		{"/v1/replays", map[string]string{"Kiln-Video": "gif"}, "gif"},
	} {
		st, m := e.post(t, c.path, body, c.hdr)
		if st != 202 {
			t.Fatalf("%s %v: %d %v", c.path, c.hdr, st, m)
		}
		id := m["id"].(string)
		if got := videoOf(id); got != c.want {
			t.Errorf("%s %v: the job's video is %q, want %q", c.path, c.hdr, got, c.want)
		}
		if prev, ok := ids[id]; ok {
			t.Errorf("%s %v: the same job as %s", c.path, c.hdr, prev)
		}
		ids[id] = c.path
	}
	// The frame rate, width and inactivity skipping reach the job, and
	// make another job than the same format without them.
	st, m := e.post(t, "/v1/replays?video=mp4&videoFps=10&videoWidth=640&skipInactive=true", body, nil)
	if st != 202 {
		t.Fatalf("tuned video: %d %v", st, m)
	}
	id := m["id"].(string)
	if j := jobOf(id); j.Video != "mp4" || j.VideoFPS != 10 || j.VideoWidth != 640 || !j.VideoSkipInactive {
		t.Errorf("tuned video: the job has %+v", j.VideoSpec())
	}
	if prev, ok := ids[id]; ok {
		t.Errorf("tuned video: the same job as %s", prev)
	}
	for q, want := range map[string]string{
		"video=mp4&videoFps=0":       "videoFps: must be a whole number 1..60",
		"video=mp4&videoFps=61":      "videoFps: must be a whole number 1..60",
		"video=gif&videoFps=15":      "videoFps: must be a whole number 1..10",
		"video=mp4&videoWidth=641":   "videoWidth: must be an even number of pixels 16..3840",
		"video=mp4&videoWidth=8000":  "videoWidth: must be an even number of pixels 16..3840",
		"video=mp4&skipInactive=yes": "skipInactive: must be true or false",
		"videoFps=10":                "videoFps: only with video=mp4, webm or gif",
	} {
		st, m := e.post(t, "/v1/replays?"+q, body, nil)
		if msg, _ := m["error"].(map[string]any); st != 400 || msg["message"] != want {
			t.Errorf("?%s: %d %v, want 400: %s", q, st, m, want)
		}
	}
	item := testdata(t, "gleap-feedback.json")
	st, m = e.post(t, "/v1/items?video=gif", item, nil)
	rj, _ := m["replay"].(map[string]any)
	if st != 202 || rj == nil {
		t.Fatalf("item: %d %v", st, m)
	}
	if got := videoOf(rj["id"].(string)); got != "gif" {
		t.Errorf("the item's replay job's video is %q, want gif", got)
	}
	for _, bad := range []string{"avi", "mp4,gif", "mov"} {
		for path, in := range map[string][]byte{"/v1/replays": body, "/v1/items": item} {
			st, m := e.post(t, path+"?video="+bad, in, nil)
			if msg, _ := m["error"].(map[string]any); st != 400 || msg["message"] != "video: must be mp4, webm or gif" {
				t.Errorf("%s?video=%s: %d %v, want 400 with the reason", path, bad, st, m)
			}
		}
	}
}
