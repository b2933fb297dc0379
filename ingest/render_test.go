package ingest_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/snapshot"
)

// formatRenderer answers each format with its own bytes and content type,
// and remembers the last snapshot it was given (viewport and scroll, to
// check the overrides).
type formatRenderer struct {
	calls atomic.Int32
	delay time.Duration
	fail  error
	mu    sync.Mutex
	last  *snapshot.Snapshot
}

func (f *formatRenderer) Render(ctx context.Context, snap *snapshot.Snapshot, o queue.RenderOptions) (*queue.Shot, error) {
	f.calls.Add(1)
	f.mu.Lock()
	f.last = snap
	delay, fail := f.delay, f.fail
	f.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if fail != nil {
		return nil, fail
	}
	ct := map[string]string{"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}[o.Format]
	return &queue.Shot{Image: []byte("image as " + o.Format), ContentType: ct,
		Width: snap.Viewport.Width, Height: snap.Viewport.Height}, nil
}

// failWith makes the next renders fail with err.
func (f *formatRenderer) failWith(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = err
}

func (f *formatRenderer) snapshot() *snapshot.Snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.last
}

// logLines returns the JSON log lines whose msg is msg.
func (e *apiEnv) logLines(t *testing.T, msg string) []map[string]any {
	t.Helper()
	var out []map[string]any
	s := bufio.NewScanner(bytes.NewReader(e.logs.Bytes()))
	s.Buffer(nil, 1<<20)
	for s.Scan() {
		var m map[string]any
		if json.Unmarshal(s.Bytes(), &m) == nil && m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

// POST /v1/render answers with the image a worker rendered through the
// queue, in the format asked for, with the overrides applied; the request
// id follows the job into the worker's log lines and its status.
func TestRender(t *testing.T) {
	cfg := smallConfig()
	cfg.ProjectCap = 0
	e := newAPI(t, cfg, nil)
	defer e.checkDocumented(t)
	fr := &formatRenderer{}
	e.startWorker(t, fr)
	body := testdata(t, "todomvc-snapshot.rrweb.json")

	for _, format := range []string{"png", "jpeg", "webp"} {
		resp, b := e.do(t, req{method: "POST", path: "/v1/render?format=" + format, key: keyAcme, ctype: "application/json", body: body})
		if resp.StatusCode != 200 || string(b) != "image as "+format || resp.Header.Get("Content-Type") != "image/"+format {
			t.Fatalf("%s: %d %q %q", format, resp.StatusCode, resp.Header.Get("Content-Type"), b)
		}
		if resp.Header.Get("Content-Length") != strconv.Itoa(len(b)) || !queue.ValidID(resp.Header.Get("Kiln-Job-Id")) {
			t.Fatalf("%s: headers %v", format, resp.Header)
		}
	}

	// Overrides: viewport, scale and scroll, as the render command's flags.
	rid := "trace-4711.a:b_c"
	resp, b := e.do(t, req{method: "POST", path: "/v1/render?format=png&width=640&height=480&dpr=2&scrollY=120", key: keyAcme,
		ctype: "application/json", body: body, headers: map[string]string{"X-Request-Id": rid, "Kiln-Scroll-X": "7"}})
	if resp.StatusCode != 200 || resp.Header.Get("Kiln-Width") != "640" || resp.Header.Get("Kiln-Height") != "480" {
		t.Fatalf("overrides: %d %v %q", resp.StatusCode, resp.Header, b)
	}
	snap := fr.snapshot()
	if v := snap.Viewport; v.Width != 640 || v.Height != 480 || v.DeviceScaleFactor != 2 || snap.Scroll.Y != 120 || snap.Scroll.X != 7 {
		t.Fatalf("the worker rendered viewport %+v scroll %+v", v, snap.Scroll)
	}
	if resp.Header.Get("X-Request-Id") != rid {
		t.Fatalf("X-Request-Id %q, want %q echoed", resp.Header.Get("X-Request-Id"), rid)
	}
	id := resp.Header.Get("Kiln-Job-Id")
	if resp.Header.Get("Location") != "/v1/jobs/"+id {
		t.Fatalf("Location %q", resp.Header.Get("Location"))
	}
	if st, m := e.job(t, id, ""); st != 200 || m["requestId"] != rid || m["state"] != "done" {
		t.Fatalf("job %d %v", st, m)
	}
	found := false
	for _, l := range e.logLines(t, "job done") {
		found = found || (l["job"] == id && l["request_id"] == rid)
	}
	if !found {
		t.Fatalf("no worker log line of job %s carries request id %s", id, rid)
	}

	// The same request again is the same job: answered from it, not
	// rendered again.
	calls := fr.calls.Load()
	resp2, b2 := e.do(t, req{method: "POST", path: "/v1/render?format=png&width=640&height=480&dpr=2&scrollY=120", key: keyAcme,
		ctype: "application/json", body: body, headers: map[string]string{"Kiln-Scroll-X": "7"}})
	if resp2.StatusCode != 200 || !bytes.Equal(b2, b) || resp2.Header.Get("Kiln-Job-Id") != id ||
		resp2.Header.Get("Idempotent-Replayed") != "true" || fr.calls.Load() != calls {
		t.Fatalf("repeat: %d job %s (want %s), %d renders more", resp2.StatusCode, resp2.Header.Get("Kiln-Job-Id"), id, fr.calls.Load()-calls)
	}
	// A screenshot submitted with the same body and options is that job too.
	st, m := e.post(t, "/v1/screenshots?format=png&width=640&height=480&dpr=2&scrollY=120&scrollX=7", body, nil)
	if st != 200 || m["id"] != id {
		t.Fatalf("screenshot of the same request: %d %v, want job %s", st, m, id)
	}

	// A job that fails answers with its public reason.
	fr.failWith(queue.ErrBadInput)
	resp, b = e.do(t, req{method: "POST", path: "/v1/render?format=jpeg&externalId=failing", key: keyAcme, ctype: "application/json", body: body})
	if resp.StatusCode != 422 || !strings.Contains(string(b), "render_failed") || !strings.Contains(string(b), "cannot be rendered") {
		t.Fatalf("failed render: %d %s", resp.StatusCode, b)
	}

	// Errors are the screenshots' ones.
	for _, tc := range []struct {
		name   string
		r      req
		status int
	}{
		{"no key", req{method: "POST", path: "/v1/render", ctype: "application/json", body: body}, 401},
		{"bad width", req{method: "POST", path: "/v1/render?width=0", key: keyAcme, ctype: "application/json", body: body}, 400},
		{"bad dpr", req{method: "POST", path: "/v1/render?dpr=many", key: keyAcme, ctype: "application/json", body: body}, 400},
		{"bad scroll header", req{method: "POST", path: "/v1/render", key: keyAcme, ctype: "application/json", body: body, headers: map[string]string{"Kiln-Scroll-Y": "-1"}}, 400},
		{"wrong content type", req{method: "POST", path: "/v1/render", key: keyAcme, ctype: "text/plain", body: body}, 415},
		{"not a snapshot", req{method: "POST", path: "/v1/render", key: keyAcme, ctype: "application/json", body: []byte(`{"hello":"world"}`)}, 422},
		{"wrong method", req{method: "GET", path: "/v1/render", key: keyAcme}, 405},
	} {
		if resp, b := e.do(t, tc.r); resp.StatusCode != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.name, resp.StatusCode, b, tc.status)
		}
	}
}

// A render that outlives RenderWait answers 504 with the job's id; the job
// goes on and its status has the image.
func TestRenderTimeoutAndFailure(t *testing.T) {
	cfg := smallConfig()
	cfg.ProjectCap = 0
	cfg.RenderWait = 300 * time.Millisecond
	e := newAPI(t, cfg, nil)
	defer e.checkDocumented(t)
	body := testdata(t, "todomvc-snapshot.rrweb.json")
	fr := &formatRenderer{delay: 2 * time.Second}
	e.startWorker(t, fr)
	resp, b := e.do(t, req{method: "POST", path: "/v1/render?format=png", key: keyAcme, ctype: "application/json", body: body})
	var tb struct {
		Error struct{ Code string }
		Job   struct{ ID, StatusURL string }
	}
	if err := json.Unmarshal(b, &tb); err != nil || resp.StatusCode != 504 || tb.Error.Code != "render_timeout" ||
		!queue.ValidID(tb.Job.ID) || resp.Header.Get("Location") != "/v1/jobs/"+tb.Job.ID || tb.Job.StatusURL != "/v1/jobs/"+tb.Job.ID {
		t.Fatalf("slow render: %d %v %s", resp.StatusCode, resp.Header, b)
	}
	var m map[string]any
	for range 10 {
		if _, m = e.job(t, tb.Job.ID, "3s"); m["state"] == "done" {
			break
		}
	}
	if m["state"] != "done" || m["results"] == nil {
		t.Fatalf("the timed-out render's job: %v", m)
	}
}

// Every request has an access log line (method, route, status, bytes,
// duration, request id) and nothing of its body, query or key; an
// unusable X-Request-Id is replaced.
func TestAccessLogAndRequestID(t *testing.T) {
	e := newAPI(t, smallConfig(), nil)
	defer e.checkDocumented(t)
	body := testdata(t, "todomvc-snapshot.rrweb.json")
	resp, b := e.do(t, req{method: "POST", path: "/v1/screenshots?externalId=secret-ext-77", key: keyAcme, ctype: "application/json", body: body,
		headers: map[string]string{"X-Request-Id": "has spaces and \"quotes\""}})
	if resp.StatusCode != 202 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	rid := resp.Header.Get("X-Request-Id")
	if !queue.ValidID(rid) || len(rid) != 26 {
		t.Fatalf("X-Request-Id %q: want a generated id in place of the unusable one", rid)
	}
	long := strings.Repeat("a", 129)
	resp, _ = e.do(t, req{method: "GET", path: "/v1/jobs/nosuchjob", key: keyAcme, headers: map[string]string{"X-Request-Id": long}})
	if resp.StatusCode != 404 || resp.Header.Get("X-Request-Id") == long || resp.Header.Get("X-Request-Id") == "" {
		t.Fatalf("long id: %d %q", resp.StatusCode, resp.Header.Get("X-Request-Id"))
	}
	resp, mb := e.do(t, req{method: "GET", path: "/metrics"})
	for _, want := range []string{"go_goroutines ", "go_memstats_heap_alloc_bytes ", "process_resident_memory_bytes ", "process_open_fds "} {
		if resp.StatusCode != 200 || !bytes.Contains(mb, []byte(want)) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	lines := e.logLines(t, "http request")
	var post map[string]any
	for _, l := range lines {
		if l["request_id"] == rid {
			post = l
		}
	}
	if post == nil || post["method"] != "POST" || post["route"] != "POST /v1/screenshots" || post["status"] != 202.0 ||
		post["bytes"].(float64) <= 0 || post["duration_ms"] == nil {
		t.Fatalf("access log line %v (of %d lines)", post, len(lines))
	}
	routes := map[string]bool{}
	for _, l := range lines {
		routes[l["route"].(string)] = true
	}
	if !routes["GET /v1/jobs/{id}"] || !routes["GET /metrics"] {
		t.Fatalf("access log routes %v", routes)
	}
	logs := string(e.logs.Bytes())
	for _, secret := range []string{keyAcme, "secret-ext-77", "todos", "has spaces"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs hold %q", secret)
		}
	}
}

// A callback URL the network policy refuses is refused at submit time.
func TestCallbackRefusedAtSubmit(t *testing.T) {
	e := newAPI(t, smallConfig(), nil)
	defer e.checkDocumented(t)
	body := testdata(t, "todomvc-snapshot.rrweb.json")
	for _, path := range []string{"/v1/screenshots", "/v1/render", "/v1/replays", "/v1/items"} {
		for _, cb := range []string{"http://127.0.0.1:8080/hook", "http://[::ffff:10.0.0.1]/h", "http://169.254.169.254/latest/meta-data"} {
			resp, b := e.do(t, req{method: "POST", path: path + "?callbackUrl=" + cb, key: keyAcme, ctype: "application/json", body: body})
			if resp.StatusCode != 400 || !strings.Contains(string(b), "network policy refuses") {
				t.Errorf("%s with callback %s: %d %s", path, cb, resp.StatusCode, b)
			}
		}
	}
	// A public address passes (nothing is connected at submit time).
	if st, m := e.post(t, "/v1/screenshots?callbackUrl=http://203.0.113.7/hook", body, nil); st != 202 {
		t.Fatalf("public callback: %d %v", st, m)
	}
}
