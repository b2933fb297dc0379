package ingest_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kilnrender/kiln/ingest"
	"github.com/kilnrender/kiln/internal/testenv"
	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/scrub"
	"github.com/kilnrender/kiln/settings"
	"github.com/kilnrender/kiln/snapshot"
	"github.com/kilnrender/kiln/storage"
	"github.com/redis/go-redis/v9"
)

const (
	keyAcme = "acme-key-0123456789"
	keyBeta = "beta-key-0123456789"
)

func parse(data []byte, o snapshot.Options) (*snapshot.Snapshot, error) {
	return snapshot.Parse(data, o)
}

// stubRenderer returns a fixed image without a browser.
type stubRenderer struct {
	calls   atomic.Int32
	delay   time.Duration
	started *atomic.Bool // set when a render begins, if not nil
}

func (s *stubRenderer) Render(ctx context.Context, snap *snapshot.Snapshot, o queue.RenderOptions) (*queue.Shot, error) {
	s.calls.Add(1)
	if s.started != nil {
		s.started.Store(true)
	}
	if s.delay > 0 {
		select {
		case <-time.After(s.delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return &queue.Shot{Image: []byte("stub image"), ContentType: "image/png", Width: snap.Viewport.Width, Height: snap.Viewport.Height}, nil
}

type apiEnv struct {
	t      testing.TB
	srv    *httptest.Server
	api    *ingest.Server
	rdb    redis.UniversalClient
	store  storage.Store
	qcfg   queue.Config
	redis  *testenv.Redis
	mu     sync.Mutex
	seen   map[string]map[int]bool // route pattern -> statuses answered
	routes *http.ServeMux
	// logs holds every log line the API and the worker wrote (JSON).
	logs *syncBuffer
	log  *slog.Logger
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.b.Bytes()...)
}

// scrubItem is the API's scrubbing as kiln wires it: scrub's defaults
// plus the project's patterns.
func scrubItem(t testing.TB) func(settings.Settings, any) any {
	t.Helper()
	return func(ps settings.Settings, v any) any {
		cfg := scrub.DefaultConfig()
		cfg.ExtraNames, cfg.ExtraValues = ps.ScrubKeys, ps.ScrubValues
		s, err := scrub.New(cfg)
		if err != nil {
			t.Errorf("scrubber: %v", err)
			return map[string]any{}
		}
		out, _ := s.Item(v)
		return out
	}
}

func testQueueConfig() queue.Config {
	c := queue.DefaultConfig()
	c.Concurrency = 4
	c.TaskCheckInterval = 20 * time.Millisecond
	c.DelayedTaskCheckInterval = time.Second
	c.RetryBase, c.RetryMax = 50*time.Millisecond, 500*time.Millisecond
	c.ShutdownTimeout = 2 * time.Second
	return c
}

// privateCallbacks lets the API's queue client accept callback URLs on
// loopback (the test's receivers); give it to newAPI.
func privateCallbacks(c *queue.Config) { c.AllowPrivateCallbacks = true }

// newAPI starts the API on r (nil: a new Redis). apiQueue adjusts the
// queue config of the API's client only (the workers' is e.qcfg).
func newAPI(t testing.TB, cfg ingest.Config, r *testenv.Redis, apiQueue ...func(*queue.Config)) *apiEnv {
	t.Helper()
	if r == nil {
		r = testenv.StartRedis(t)
	}
	e := &apiEnv{t: t, qcfg: testQueueConfig(), redis: r, seen: map[string]map[int]bool{}, routes: http.NewServeMux(), logs: &syncBuffer{}}
	e.log = slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var h http.Handler
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(e.srv.Close)
	rc := queue.RedisConfig{URL: r.URL}
	rdb, err := queue.NewRedisClient(rc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdb.Close() })
	e.rdb = rdb
	folder, err := storage.NewFolder(storage.FolderConfig{Dir: t.(interface{ TempDir() string }).TempDir(), BaseURL: e.srv.URL, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	e.store = folder
	keys, err := ingest.ParseKeys("acme:" + keyAcme + ",beta:" + keyBeta)
	if err != nil {
		t.Fatal(err)
	}
	aq := e.qcfg
	for _, f := range apiQueue {
		f(&aq)
	}
	e.api, err = ingest.New(cfg, ingest.Deps{Store: folder, Queue: queue.NewClient(rdb, folder, aq, nil), Keys: keys, Parse: parse,
		Scrub: scrubItem(t), Settings: settings.NewCache(folder, 0), Files: folder.Handler(), Logger: e.log})
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range e.api.Routes() {
		e.routes.HandleFunc(rt.Method+" "+rt.Pattern, func(http.ResponseWriter, *http.Request) {})
	}
	h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := e.routes.Handler(r)
		rec := &recorder{ResponseWriter: w}
		e.api.ServeHTTP(rec, r)
		e.mu.Lock()
		if e.seen[pattern] == nil {
			e.seen[pattern] = map[int]bool{}
		}
		e.seen[pattern][rec.code()] = true
		e.mu.Unlock()
	})
	return e
}

type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *recorder) WriteHeader(c int) {
	if r.status == 0 {
		r.status = c
	}
	r.ResponseWriter.WriteHeader(c)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = 200
	}
	return r.ResponseWriter.Write(b)
}

func (r *recorder) code() int {
	if r.status == 0 {
		return 200
	}
	return r.status
}

func (e *apiEnv) startWorker(t testing.TB, r queue.Renderer) {
	t.Helper()
	w, err := queue.NewWorker(e.rdb, e.qcfg, queue.Handlers{Store: e.store, Renderer: r, Logger: e.log}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

type req struct {
	method, path, key, ctype, encoding string
	headers                            map[string]string
	body                               []byte
}

func (e *apiEnv) do(t testing.TB, r req) (*http.Response, []byte) {
	t.Helper()
	hr, err := http.NewRequest(r.method, e.srv.URL+r.path, bytes.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	if r.key != "" {
		hr.Header.Set("Authorization", "Bearer "+r.key)
	}
	if r.ctype != "" {
		hr.Header.Set("Content-Type", r.ctype)
	}
	if r.encoding != "" {
		hr.Header.Set("Content-Encoding", r.encoding)
	}
	for k, v := range r.headers {
		hr.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func (e *apiEnv) post(t testing.TB, path string, body []byte, hdr map[string]string) (int, map[string]any) {
	t.Helper()
	resp, b := e.do(t, req{method: "POST", path: path, key: keyAcme, ctype: "application/json", body: body, headers: hdr})
	var m map[string]any
	json.Unmarshal(b, &m)
	return resp.StatusCode, m
}

func (e *apiEnv) job(t testing.TB, id, wait string) (int, map[string]any) {
	t.Helper()
	p := "/v1/jobs/" + id
	if wait != "" {
		p += "?wait=" + wait
	}
	resp, b := e.do(t, req{method: "GET", path: p, key: keyAcme})
	var m map[string]any
	json.Unmarshal(b, &m)
	return resp.StatusCode, m
}

// fixtures maps the names the tests use to the shared fixtures.
var fixtures = map[string]string{
	"gleap-feedback.json":          "../testdata/corpus/gleap-local/feedback.json.gz",
	"todomvc-snapshot.rrweb.json":  "../testdata/corpus/todomvc-react/snapshot.rrweb.json.gz",
	"todomvc-recording.rrweb.json": "../testdata/replay/todomvc-react.rrweb.json",
}

func readStored(t testing.TB, st storage.Store, key string) []byte {
	t.Helper()
	rc, _, err := st.Get(context.Background(), key, nil)
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testdata reads a shared fixture, inflated.
func testdata(t testing.TB, name string) []byte {
	t.Helper()
	return testenv.ReadFixture(t, fixtures[name])
}

func gz(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func smallConfig() ingest.Config {
	c := ingest.DefaultConfig()
	c.MaxBodyBytes = 1 << 20
	c.MaxInflatedBytes = 4 << 20
	c.ProjectCap = 2
	c.MaxWait = 3 * time.Second
	return c
}

// routeStatuses reads docs/openapi.yaml: path -> method -> statuses. The
// file keeps a fixed layout (paths at two spaces, methods at four,
// statuses at eight), which this reader relies on.
func routeStatuses(t *testing.T) map[string]map[string][]int {
	t.Helper()
	f, err := os.Open("../docs/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]map[string][]int{}
	pathRe := regexp.MustCompile(`^  (/[^:]*):\s*$`)
	methRe := regexp.MustCompile(`^    (get|post|put|delete|patch):\s*$`)
	codeRe := regexp.MustCompile(`^        '(\d{3})':`)
	in, path, method := false, "", ""
	s := bufio.NewScanner(f)
	for s.Scan() {
		l := s.Text()
		if l == "paths:" {
			in = true
			continue
		}
		if !in {
			continue
		}
		if m := pathRe.FindStringSubmatch(l); m != nil {
			path, method = m[1], ""
			out[path] = map[string][]int{}
		} else if m := methRe.FindStringSubmatch(l); m != nil && path != "" {
			method = strings.ToUpper(m[1])
			out[path][method] = nil
		} else if m := codeRe.FindStringSubmatch(l); m != nil && method != "" {
			var c int
			fmt.Sscan(m[1], &c)
			out[path][method] = append(out[path][method], c)
		}
	}
	return out
}

func docPath(pattern string) string {
	if pattern == "/files/" {
		return "/files/{key}"
	}
	return pattern
}

func TestRoutesMatchOpenAPI(t *testing.T) {
	e := newAPI(t, smallConfig(), nil)
	doc := routeStatuses(t)
	served := map[string]bool{}
	for _, rt := range e.api.Routes() {
		p := docPath(rt.Pattern)
		served[rt.Method+" "+p] = true
		codes, ok := doc[p][rt.Method]
		if !ok {
			t.Errorf("%s %s is served but not in docs/openapi.yaml", rt.Method, p)
		}
		// Every path answers 405 to other methods (ingest.New).
		if ok && !slices.Contains(codes, http.StatusMethodNotAllowed) {
			t.Errorf("%s %s: docs/openapi.yaml does not list 405", rt.Method, p)
		}
	}
	for p, ms := range doc {
		for m := range ms {
			if !served[m+" "+p] {
				t.Errorf("%s %s is documented but not served", m, p)
			}
		}
	}
	if len(doc) < 10 {
		t.Fatalf("read only %d paths from openapi.yaml", len(doc))
	}
}

// checkDocumented fails for any status a test saw that the OpenAPI file
// does not list for its route.
func (e *apiEnv) checkDocumented(t *testing.T) {
	doc := routeStatuses(t)
	e.mu.Lock()
	defer e.mu.Unlock()
	for pattern, codes := range e.seen {
		method, path, _ := strings.Cut(pattern, " ")
		if pattern == "" {
			continue
		}
		documented := doc[docPath(path)][method]
		for c := range codes {
			ok := false
			for _, d := range documented {
				ok = ok || d == c
			}
			if !ok {
				t.Errorf("%s answered %d, not documented in openapi.yaml (has %v)", pattern, c, documented)
			}
		}
	}
}

func TestErrors(t *testing.T) {
	e := newAPI(t, smallConfig(), nil)
	defer e.checkDocumented(t)
	kiln := testdata(t, "todomvc-snapshot.rrweb.json")
	// Another project's job, for the ownership rows.
	st, m := e.post(t, "/v1/screenshots", kiln, nil)
	if st != http.StatusAccepted {
		t.Fatalf("setup: %d %v", st, m)
	}
	acmeJob := m["id"].(string)
	bomb := gz(t, make([]byte, 64<<20)) // 64 MiB of zeros, ~64 KiB gzipped
	big := bytes.Repeat([]byte(" "), 2<<20)
	tests := []struct {
		name   string
		r      req
		status int
		code   string
	}{
		{"no key", req{method: "POST", path: "/v1/screenshots", ctype: "application/json", body: kiln}, 401, "unauthorized"},
		{"wrong key", req{method: "POST", path: "/v1/screenshots", key: "nope-nope-nope-nope", ctype: "application/json", body: kiln}, 401, "unauthorized"},
		{"malformed JSON", req{method: "POST", path: "/v1/screenshots", key: keyAcme, ctype: "application/json", body: []byte(`{"version":1,`)}, 400, ""},
		{"bad format option", req{method: "POST", path: "/v1/screenshots?format=gif", key: keyAcme, ctype: "application/json", body: kiln}, 400, "bad_request"},
		{"bad quality header", req{method: "POST", path: "/v1/screenshots", key: keyAcme, ctype: "application/json", body: kiln, headers: map[string]string{"Kiln-Quality": "101"}}, 400, "bad_request"},
		{"bad callback", req{method: "POST", path: "/v1/screenshots?callbackUrl=ftp://x", key: keyAcme, ctype: "application/json", body: kiln}, 400, "bad_request"},
		{"bad priority", req{method: "POST", path: "/v1/screenshots?priority=URGENT", key: keyAcme, ctype: "application/json", body: kiln}, 400, "bad_request"},
		{"wrong content type", req{method: "POST", path: "/v1/screenshots", key: keyAcme, ctype: "text/plain", body: kiln}, 415, "unsupported_media_type"},
		{"missing content type", req{method: "POST", path: "/v1/screenshots", key: keyAcme, body: kiln}, 415, "unsupported_media_type"},
		{"unknown encoding", req{method: "POST", path: "/v1/screenshots", key: keyAcme, ctype: "application/json", encoding: "br", body: kiln}, 415, "unsupported_media_type"},
		{"corrupt gzip", req{method: "POST", path: "/v1/screenshots", key: keyAcme, ctype: "application/json", encoding: "gzip", body: []byte("not gzip")}, 400, "bad_request"},
		{"too large as sent", req{method: "POST", path: "/v1/screenshots", key: keyAcme, ctype: "application/json", body: big}, 413, "too_large"},
		{"gzip bomb", req{method: "POST", path: "/v1/screenshots", key: keyAcme, ctype: "application/json", encoding: "gzip", body: bomb}, 413, "too_large"},
		{"unsupported content", req{method: "POST", path: "/v1/screenshots", key: keyAcme, ctype: "application/json", body: []byte(`{"hello":"world"}`)}, 422, ""},
		{"replay not a recording", req{method: "POST", path: "/v1/replays", key: keyAcme, ctype: "application/json", body: []byte(`{"hello":"world"}`)}, 422, "unsupported_content"},
		{"replay malformed", req{method: "POST", path: "/v1/replays", key: keyAcme, ctype: "application/json", body: []byte(`[{`)}, 400, "bad_request"},
		{"replay truncated after an event", req{method: "POST", path: "/v1/replays", key: keyAcme, ctype: "application/json", body: []byte(`[{"type":4},`)}, 400, "bad_request"},
		{"replay without events", req{method: "POST", path: "/v1/replays", key: keyAcme, ctype: "application/json", body: []byte(`{"events":[]}`)}, 422, "unsupported_content"},
		{"replay event without a type", req{method: "POST", path: "/v1/replays", key: keyAcme, ctype: "application/json", body: []byte(`[{"type":4},{"data":{}}]`)}, 422, "unsupported_content"},
		{"replay event of another kind", req{method: "POST", path: "/v1/replays", key: keyAcme, ctype: "application/json", body: []byte(`[{"type":4},7]`)}, 422, "unsupported_content"},
		{"gleap webReplay not an object", req{method: "POST", path: "/v1/replays", key: keyAcme, ctype: "application/json", body: []byte(`{"webReplay":[1]}`)}, 422, "unsupported_content"},
		{"item without parts", req{method: "POST", path: "/v1/items", key: keyAcme, ctype: "application/json", body: []byte(`{"type":"BUG"}`)}, 422, "unsupported_content"},
		{"other project's job", req{method: "GET", path: "/v1/jobs/" + acmeJob, key: keyBeta}, 404, "not_found"},
		{"unknown job", req{method: "GET", path: "/v1/jobs/doesnotexist", key: keyAcme}, 404, "not_found"},
		{"bad wait", req{method: "GET", path: "/v1/jobs/" + acmeJob + "?wait=soon", key: keyAcme}, 400, "bad_request"},
		{"other project's export", req{method: "GET", path: "/v1/projects/acme/export.csv", key: keyBeta}, 403, "forbidden"},
		{"other project's delete", req{method: "DELETE", path: "/v1/projects/acme", key: keyBeta}, 403, "forbidden"},
		{"unknown item", req{method: "DELETE", path: "/v1/items/nosuchitem", key: keyAcme}, 404, "not_found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			resp, b := e.do(t, tc.r)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, b)
			}
			var eb struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal(b, &eb); err != nil || eb.Error.Message == "" {
				t.Fatalf("error body %q", b)
			}
			if tc.code != "" && eb.Error.Code != tc.code {
				t.Fatalf("code %q, want %q (%s)", eb.Error.Code, tc.code, eb.Error.Message)
			}
			if tc.name == "gzip bomb" && time.Since(start) > 2*time.Second {
				t.Fatalf("the bomb took %v: was it inflated in full?", time.Since(start))
			}
		})
	}
	// 429: the cap is 2 jobs in flight and one is queued already.
	if st, m := e.post(t, "/v1/screenshots?externalId=2", kiln, nil); st != 202 {
		t.Fatalf("second job: %d %v", st, m)
	}
	if st, m := e.post(t, "/v1/screenshots?externalId=3", kiln, nil); st != 429 {
		t.Fatalf("third job: %d %v, want 429", st, m)
	}
	// Another project is not affected by acme's cap.
	resp, b := e.do(t, req{method: "POST", path: "/v1/screenshots", key: keyBeta, ctype: "application/json", body: kiln})
	if resp.StatusCode != 202 {
		t.Fatalf("beta: %d %s", resp.StatusCode, b)
	}
}

func TestIdempotency(t *testing.T) {
	cfg := smallConfig()
	cfg.ProjectCap = 0
	e := newAPI(t, cfg, nil)
	defer e.checkDocumented(t)
	body := testdata(t, "todomvc-snapshot.rrweb.json")
	hk := map[string]string{"Idempotency-Key": "order-42"}
	s1, m1 := e.post(t, "/v1/screenshots", body, hk)
	s2, m2 := e.post(t, "/v1/screenshots", append([]byte(" "), body...), hk) // same key, other body
	if s1 != 202 || s2 != 200 || m1["id"] != m2["id"] {
		t.Fatalf("same key: %d %v / %d %v", s1, m1, s2, m2)
	}
	// No key: the identical body and options give the same job; other
	// options a new one.
	s3, m3 := e.post(t, "/v1/screenshots?format=png", body, nil)
	s4, m4 := e.post(t, "/v1/screenshots?format=png", body, nil)
	s5, m5 := e.post(t, "/v1/screenshots?format=jpeg", body, nil)
	if s3 != 202 || s4 != 200 || m3["id"] != m4["id"] || s5 != 202 || m5["id"] == m3["id"] || m3["id"] == m1["id"] {
		t.Fatalf("bodies: %d %v / %d %v / %d %v", s3, m3, s4, m4, s5, m5)
	}
	// Gzipped, it is still the same body.
	resp, b := e.do(t, req{method: "POST", path: "/v1/screenshots?format=png", key: keyAcme, ctype: "application/json", encoding: "gzip", body: gz(t, body)})
	var m6 map[string]any
	json.Unmarshal(b, &m6)
	if resp.StatusCode != 200 || m6["id"] != m3["id"] {
		t.Fatalf("gzipped: %d %s", resp.StatusCode, b)
	}
	// Another project with the same key gets its own job.
	resp, b = e.do(t, req{method: "POST", path: "/v1/screenshots", key: keyBeta, ctype: "application/json", body: body, headers: hk})
	var m7 map[string]any
	json.Unmarshal(b, &m7)
	if resp.StatusCode != 202 || m7["id"] == m1["id"] {
		t.Fatalf("beta with acme's key: %d %s", resp.StatusCode, b)
	}
}

func TestLongPollAndResults(t *testing.T) {
	e := newAPI(t, smallConfig(), nil)
	defer e.checkDocumented(t)
	body := testdata(t, "todomvc-snapshot.rrweb.json")
	st, m := e.post(t, "/v1/screenshots?format=png&externalId=ext-1", body, nil)
	if st != 202 {
		t.Fatalf("%d %v", st, m)
	}
	id := m["id"].(string)
	// No worker: the wait runs out and the job is still queued.
	start := time.Now()
	st, m = e.job(t, id, "1s")
	if d := time.Since(start); st != 200 || m["state"] != "queued" || d < time.Second || d > 3*time.Second {
		t.Fatalf("wait without worker: %d %v after %v", st, m, d)
	}
	// ?wait beyond the cap is bounded by MaxWait (3s here).
	e.startWorker(t, &stubRenderer{delay: 300 * time.Millisecond})
	start = time.Now()
	st, m = e.job(t, id, "60s")
	if d := time.Since(start); st != 200 || m["state"] != "done" || d > 3*time.Second {
		t.Fatalf("wait with worker: %d %v after %v", st, m, d)
	}
	if m["externalId"] != "ext-1" || m["attempt"].(float64) != 1 {
		t.Fatalf("job %v", m)
	}
	res := m["results"].([]any)[0].(map[string]any)
	if res["width"].(float64) != 1280 || res["height"].(float64) != 800 {
		t.Fatalf("result %v", res)
	}
	resp, err := http.Get(res["url"].(string))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "stub image" {
		t.Fatalf("GET result: %d %q", resp.StatusCode, b)
	}
	// A tampered signature is refused by the files handler.
	resp, err = http.Get(strings.Replace(res["url"].(string), "sig=", "sig=A", 1))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == 200 {
		t.Fatal("tampered URL served")
	}
	// Stats and metrics show the queues.
	r2, sb := e.do(t, req{method: "GET", path: "/v1/stats", key: keyAcme})
	if r2.StatusCode != 200 || !strings.Contains(string(sb), `"queue": "default"`) {
		t.Fatalf("stats %d %s", r2.StatusCode, sb)
	}
	r3, mb := e.do(t, req{method: "GET", path: "/metrics"})
	for _, want := range []string{`kiln_queue_size{queue="default"}`, `kiln_queue_latency_seconds{queue="critical"}`, `kiln_jobs_enqueued_total{outcome="accepted",type="render:screenshot"} 1`, "kiln_http_request_duration_seconds"} {
		if r3.StatusCode != 200 || !strings.Contains(string(mb), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, p := range []string{"/healthz", "/readyz"} {
		if r, b := e.do(t, req{method: "GET", path: p}); r.StatusCode != 200 {
			t.Errorf("%s: %d %s", p, r.StatusCode, b)
		}
	}
	// Delete the project: its objects are gone.
	if r, b := e.do(t, req{method: "DELETE", path: "/v1/projects/acme", key: keyAcme}); r.StatusCode != 204 {
		t.Fatalf("delete: %d %s", r.StatusCode, b)
	}
	objs, _, _ := e.store.List(context.Background(), "p/acme/", "", 10)
	if len(objs) != 0 {
		t.Fatalf("objects left after delete: %v", objs)
	}
}

func TestItems(t *testing.T) {
	cfg := smallConfig()
	cfg.ProjectCap = 0
	e := newAPI(t, cfg, nil)
	defer e.checkDocumented(t)
	fb := testdata(t, "gleap-feedback.json")
	st, m := e.post(t, "/v1/items", fb, nil)
	if st != 202 || m["screenshot"] == nil || m["replay"] == nil {
		t.Fatalf("item: %d %v", st, m)
	}
	item := m["itemId"].(string)
	shot := m["screenshot"].(map[string]any)["id"].(string)
	replay := m["replay"].(map[string]any)["id"].(string)
	// What is stored is what the worker reads: the normalized snapshot
	// (parsed once, here), and the recording's events, privacy enforced
	// and inflated, without the rest of the body.
	if in := readStored(t, e.store, queue.InputKey("acme", shot)); !snapshot.IsStored(in) {
		t.Fatalf("screenshot input stored as %.40q, not the normalized snapshot", in)
	}
	if in := readable(readStored(t, e.store, queue.InputKey("acme", replay))); !bytes.HasPrefix(in, []byte(`{"version":1,`)) || !bytes.Contains(in, []byte(`"events":[{`)) || bytes.Contains(in, []byte("screenshotData")) {
		t.Fatalf("replay input stored as %.60q, not the webReplay's events alone", in)
	}
	e.startWorker(t, &stubRenderer{})
	_, sm := e.job(t, shot, "5s")
	_, rm := e.job(t, replay, "5s")
	if sm["state"] != "done" || sm["itemId"] != item || sm["queue"] != "default" {
		t.Fatalf("screenshot job %v", sm)
	}
	if rm["state"] != "failed" || rm["reason"] != queue.ReasonReplayUnsupported || rm["itemId"] != item {
		t.Fatalf("replay job %v", rm)
	}
	// Device pixel ratio comes from metaData: the stub echoes the viewport.
	res := sm["results"].([]any)[0].(map[string]any)
	if res["width"].(float64) != 1280 {
		t.Fatalf("result %v", res)
	}
	// excludeData and priority respected.
	var body map[string]any
	json.Unmarshal(fb, &body)
	body["excludeData"] = map[string]any{"replays": true}
	body["priority"] = "HIGH"
	b, _ := json.Marshal(body)
	st, m = e.post(t, "/v1/items", b, nil)
	if st != 202 || m["replay"] != nil || m["screenshot"] == nil {
		t.Fatalf("excluded replay: %d %v", st, m)
	}
	_, sm = e.job(t, m["screenshot"].(map[string]any)["id"].(string), "")
	if sm["queue"] != "critical" {
		t.Fatalf("HIGH went to %v", sm["queue"])
	}
	delete(body, "screenshotData")
	delete(body, "excludeData")
	b, _ = json.Marshal(body)
	st, m = e.post(t, "/v1/items", b, nil)
	if st != 202 || m["screenshot"] != nil || m["replay"] == nil {
		t.Fatalf("no screenshotData: %d %v", st, m)
	}
	// The export has a row per item: its fields, its form as columns, its
	// jobs' state (the first: screenshot done, replay failed) and results.
	r, csv := e.do(t, req{method: "GET", path: "/v1/projects/acme/export.csv", key: keyAcme})
	row := func(prefix string) string {
		for _, l := range strings.Split(string(csv), "\n") {
			if strings.HasPrefix(l, prefix) {
				return l
			}
		}
		return ""
	}
	if r.StatusCode != 200 || !strings.HasPrefix(string(csv), "id,created,type,priority,status,outbound,form.description,form.reportedBy,form.title,browser,os,app_version,url,console,network,timeline,errors,results\n") ||
		!strings.Contains(row(item+","), ",BUG,MEDIUM,partial,bugreporting,") || !strings.Contains(row(item+","), "Pay button broken,Chrome") ||
		!strings.Contains(row(item+","), "/"+shot+"/full.png") || strings.Count(string(csv), "\n") != 4 {
		t.Fatalf("export: %d\n%s", r.StatusCode, csv)
	}
	// Deleting the first item removes its objects.
	if r, b := e.do(t, req{method: "DELETE", path: "/v1/items/" + item, key: keyAcme}); r.StatusCode != 204 {
		t.Fatalf("delete item: %d %s", r.StatusCode, b)
	}
	for _, p := range []string{"p/acme/shots/" + shot + "/", "p/acme/inputs/" + shot, "p/acme/inputs/" + replay, "p/acme/items/screenshot-" + shot} {
		if objs, _, _ := e.store.List(context.Background(), p, "", 10); len(objs) != 0 {
			t.Fatalf("objects left under %s: %v", p, objs)
		}
	}
	if r, _ := e.do(t, req{method: "DELETE", path: "/v1/items/" + item, key: keyAcme}); r.StatusCode != 404 {
		t.Fatalf("second delete: %d, want 404", r.StatusCode)
	}
}

func TestReplaySubmission(t *testing.T) {
	e := newAPI(t, smallConfig(), nil)
	defer e.checkDocumented(t)
	st, m := e.post(t, "/v1/replays", testdata(t, "todomvc-recording.rrweb.json"), nil)
	if st != 202 || m["type"] != queue.TypeReplay {
		t.Fatalf("%d %v", st, m)
	}
	_, jm := e.job(t, m["id"].(string), "")
	if jm["queue"] != queue.QueueReplay || jm["state"] != "queued" {
		t.Fatalf("job %v", jm)
	}
	// Plain HTML is a screenshot input too.
	resp, b := e.do(t, req{method: "POST", path: "/v1/screenshots", key: keyAcme, ctype: "text/html; charset=utf-8",
		body: []byte("<!doctype html><html><body><p>hello</p></body></html>")})
	if resp.StatusCode != 202 {
		t.Fatalf("HTML: %d %s", resp.StatusCode, b)
	}
}

// Redis down: the API answers 503 (never 500) and accepts nothing; jobs
// accepted before the outage are still there afterwards and complete.
func TestRedisOutage(t *testing.T) {
	r := testenv.StartRedisServer(t)
	cfg := smallConfig()
	cfg.ProjectCap = 0
	e := newAPI(t, cfg, r)
	defer e.checkDocumented(t)
	body := testdata(t, "todomvc-snapshot.rrweb.json")
	st, m := e.post(t, "/v1/screenshots", body, nil)
	if st != 202 {
		t.Fatalf("%d %v", st, m)
	}
	before := m["id"].(string)
	r.Down()
	if st, m := e.post(t, "/v1/screenshots?format=png", body, nil); st != 503 {
		t.Fatalf("POST while down: %d %v", st, m)
	}
	if st, m := e.job(t, before, ""); st != 503 {
		t.Fatalf("GET while down: %d %v", st, m)
	}
	if resp, b := e.do(t, req{method: "GET", path: "/readyz"}); resp.StatusCode != 503 || !strings.Contains(string(b), `"redis": "unavailable"`) {
		t.Fatalf("readyz while down: %d %s", resp.StatusCode, b)
	}
	if resp, _ := e.do(t, req{method: "GET", path: "/healthz"}); resp.StatusCode != 200 {
		t.Fatalf("healthz while down: %d", resp.StatusCode)
	}
	r.Up()
	e.startWorker(t, &stubRenderer{})
	if st, m := e.job(t, before, "5s"); st != 200 || m["state"] != "done" {
		t.Fatalf("job accepted before the outage: %d %v", st, m)
	}
	st, m = e.post(t, "/v1/screenshots?format=png", body, nil)
	if st != 202 {
		t.Fatalf("POST after restart: %d %v", st, m)
	}
	if st, m := e.job(t, m["id"].(string), "5s"); st != 200 || m["state"] != "done" {
		t.Fatalf("job after restart: %d %v", st, m)
	}
}

func TestKeys(t *testing.T) {
	k, err := ingest.ParseKeys("acme:" + keyAcme + ", beta:" + keyBeta)
	if err != nil || k.Len() != 2 {
		t.Fatal(k.Len(), err)
	}
	if p, ok := k.Project(keyBeta); !ok || p != "beta" {
		t.Fatal(p, ok)
	}
	if _, ok := k.Project(keyBeta + "x"); ok {
		t.Fatal("prefix-extended key accepted")
	}
	fk, err := ingest.ParseKeyFile("# keys\nacme:" + ingest.HashKey("from-file-key-123456") + "\n")
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := fk.Project("from-file-key-123456"); !ok || p != "acme" {
		t.Fatal(p, ok)
	}
	_, err = ingest.ParseKeys("acme:short,Bad Project:0123456789abcdef0123")
	if err == nil || strings.Count(err.Error(), "entry") != 2 {
		t.Fatalf("want both bad entries reported, got %v", err)
	}
	_, err = ingest.ParseKeyFile("acme:nothex\nbeta:" + strings.Repeat("a", 64) + "\n")
	if err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("key file: %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	c := ingest.DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.MaxBodyBytes, c.MaxWait, c.URLTTL = 0, time.Hour, 0
	err := c.Validate()
	for _, want := range []string{"max body", "max wait", "URL TTL"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want %q", err, want)
		}
	}
}

func jsonField(t testing.TB, b []byte, name string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	s, _ := m[name].(string)
	return s
}
