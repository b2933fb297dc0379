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
	videoOf := func(id string) string {
		t.Helper()
		info, err := ins.GetTaskInfo(queue.QueueReplay, id)
		if err != nil {
			t.Fatalf("task %s: %v", id, err)
		}
		var job queue.Job
		if err := json.Unmarshal(info.Payload, &job); err != nil {
			t.Fatal(err)
		}
		return job.Video
	}
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
	item := testdata(t, "gleap-feedback.json")
	st, m := e.post(t, "/v1/items?video=gif", item, nil)
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
