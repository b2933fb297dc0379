package queue_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/kilnrender/kiln/internal/testenv"
	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/replay"
	"github.com/kilnrender/kiln/snapshot"
	"github.com/kilnrender/kiln/storage"
	"github.com/redis/go-redis/v9"
)

// fakeRenderer draws nothing: it returns fixed bytes per viewport and
// counts calls. fn, when set, decides the outcome of each call.
type fakeRenderer struct {
	calls atomic.Int32
	fn    func(ctx context.Context, n int) error
}

func (f *fakeRenderer) Render(ctx context.Context, s *snapshot.Snapshot, o queue.RenderOptions) (*queue.Shot, error) {
	n := int(f.calls.Add(1))
	if _, ok := ctx.Deadline(); !ok {
		return nil, errors.New("render: no deadline")
	}
	if f.fn != nil {
		if err := f.fn(ctx, n); err != nil {
			return nil, err
		}
	}
	img := []byte(fmt.Sprintf("IMG %dx%d %s", s.Viewport.Width, s.Viewport.Height, o.Format))
	res := &queue.Shot{Image: img, ContentType: "image/webp", Width: s.Viewport.Width, Height: s.Viewport.Height}
	if o.ThumbWidth > 0 {
		res.Thumb, res.ThumbWidth, res.ThumbHeight = []byte("THUMB"), o.ThumbWidth, o.ThumbWidth*s.Viewport.Height/s.Viewport.Width
	}
	return res, nil
}

// parseTiny reads {"width":w,"height":h}; anything else is invalid.
func parseTiny(data []byte) (*snapshot.Snapshot, error) {
	var in struct{ Width, Height int }
	if err := json.Unmarshal(data, &in); err != nil || in.Width <= 0 || in.Height <= 0 {
		return nil, fmt.Errorf("parse: width: %w", snapshot.ErrInvalid)
	}
	return &snapshot.Snapshot{Viewport: snapshot.Viewport{Width: in.Width, Height: in.Height}}, nil
}

// flakyStore fails the first n Puts.
type flakyStore struct {
	storage.Store
	fails atomic.Int32
}

func (f *flakyStore) Put(ctx context.Context, key string, r io.Reader, size int64, o storage.PutOptions) error {
	if strings.Contains(key, "/shots/") && f.fails.Add(-1) >= 0 {
		return errors.New("put: connection reset by peer")
	}
	return f.Store.Put(ctx, key, r, size, o)
}

type env struct {
	rdb    redis.UniversalClient
	store  storage.Store
	client *queue.Client
	cfg    queue.Config
}

func testConfig() queue.Config {
	c := queue.DefaultConfig()
	c.Concurrency = 4
	c.TaskCheckInterval = 20 * time.Millisecond
	c.DelayedTaskCheckInterval = time.Second
	c.RetryBase, c.RetryMax = 10*time.Millisecond, 100*time.Millisecond
	c.ShutdownTimeout = 2 * time.Second
	c.ScreenshotTimeout = 5 * time.Second
	c.AllowPrivateCallbacks = true
	return c
}

func newEnv(t *testing.T, cfg queue.Config) *env {
	t.Helper()
	r := testenv.StartRedis(t)
	e := envOn(t, queue.RedisConfig{URL: r.URL})
	e.cfg, e.client = cfg, queue.NewClient(e.rdb, e.store, cfg, nil)
	return e
}

// envOn is an env on the Redis rc names, with a folder store and
// testConfig.
func envOn(t *testing.T, rc queue.RedisConfig) *env {
	t.Helper()
	rdb, err := queue.NewRedisClient(rc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdb.Close() })
	st, err := storage.NewFolder(storage.FolderConfig{Dir: t.TempDir(), BaseURL: "http://127.0.0.1:1", NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	return &env{rdb: rdb, store: st, client: queue.NewClient(rdb, st, cfg, nil), cfg: cfg}
}

func (e *env) startWorker(t *testing.T, h queue.Handlers) {
	t.Helper()
	if h.Store == nil {
		h.Store = e.store
	}
	if h.Parse == nil {
		h.Parse = parseTiny
	}
	w, err := queue.NewWorker(e.rdb, e.cfg, h, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("worker: %v", err)
		}
	})
}

// submit submits a screenshot job the way the API does (input, item
// record, enqueue).
func (e *env) submit(t *testing.T, project, input string, opts *queue.RenderOptions, callback string) string {
	t.Helper()
	id := queue.NewID()
	got, fresh, err := e.client.Submit(context.Background(), queue.Submission{Project: project, Key: "k-" + id, TTL: time.Minute, ID: id,
		Jobs: []queue.JobSpec{{ID: id, Type: queue.TypeScreenshot, Queue: queue.QueueDefault, Input: []byte(input),
			Job: queue.Job{Options: opts, Callback: callback}}}})
	if err != nil || !fresh || got != id {
		t.Fatalf("submit: %q %v %v", got, fresh, err)
	}
	return id
}

// submitAs submits one job of type typ under id, with input, as the API
// does; the idempotency key is derived from the id.
func submitAs(c *queue.Client, project, typ, q, id, input string, capacity int) error {
	_, _, err := c.Submit(context.Background(), queue.Submission{Project: project, Key: "k-" + id, TTL: time.Minute, ID: id, Capacity: capacity,
		Jobs: []queue.JobSpec{{ID: id, Type: typ, Queue: q, Input: []byte(input)}}})
	return err
}

func (e *env) wait(t *testing.T, project, id string) *queue.Status {
	t.Helper()
	st, err := e.client.Wait(context.Background(), project, id, 15*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Terminal() {
		t.Fatalf("job %s still %s after 15s", id, st.State)
	}
	return st
}

func readObject(t *testing.T, s storage.Store, key string) []byte {
	t.Helper()
	rc, _, err := s.Get(context.Background(), key, nil)
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	defer rc.Close()
	b, _ := io.ReadAll(rc)
	return b
}

func TestScreenshotDoneAndIdempotent(t *testing.T) {
	e := newEnv(t, testConfig())
	fr := &fakeRenderer{}
	e.startWorker(t, queue.Handlers{Renderer: fr})
	id := e.submit(t, "acme", `{"width":640,"height":480}`, &queue.RenderOptions{Format: "webp", ThumbWidth: 320}, "")
	st := e.wait(t, "acme", id)
	if st.State != queue.StateDone || st.Attempt != 1 {
		t.Fatalf("state %s attempt %d, want done 1", st.State, st.Attempt)
	}
	if len(st.Objects) != 2 {
		t.Fatalf("objects %+v, want image and thumb", st.Objects)
	}
	img := st.Objects[0]
	if img.Key != queue.ShotKey("acme", id, "full.webp") || img.Width != 640 || img.Height != 480 {
		t.Fatalf("image object %+v", img)
	}
	if got := readObject(t, e.store, img.Key); string(got) != "IMG 640x480 webp" || int64(len(got)) != img.Size {
		t.Fatalf("stored image %q (size %d)", got, img.Size)
	}
	if got := readObject(t, e.store, st.Objects[1].Key); string(got) != "THUMB" || st.Objects[1].Height != 240 {
		t.Fatalf("thumb %q %+v", got, st.Objects[1])
	}
	// The item record is written, last, with the objects.
	it, err := storage.GetItem(context.Background(), e.store, "acme", storage.KindScreenshot, id)
	if err != nil || it.Status != storage.StatusDone || len(it.Objects) != 2 || it.Bytes != img.Size+st.Objects[1].Size {
		t.Fatalf("item record %+v, %v", it, err)
	}
	// Another project cannot see the job.
	if _, err := e.client.Status(context.Background(), "other", id); !errors.Is(err, queue.ErrNotFound) {
		t.Fatalf("other project's status: %v, want ErrNotFound", err)
	}
	// Submitting the same request again (its idempotency key) is the
	// same job: no second render.
	again, fresh, err := e.client.Submit(context.Background(), queue.Submission{Project: "acme", Key: "k-" + id, TTL: time.Minute, ID: queue.NewID(),
		Jobs: []queue.JobSpec{{ID: queue.NewID(), Type: queue.TypeScreenshot, Queue: queue.QueueDefault, Input: []byte(`{"width":640,"height":480}`)}}})
	if err != nil || fresh || again != id {
		t.Fatalf("resubmission: %q fresh=%v %v, want %q", again, fresh, err, id)
	}
	time.Sleep(300 * time.Millisecond)
	if n := fr.calls.Load(); n != 1 {
		t.Fatalf("renderer called %d times, want 1", n)
	}
	if n, _ := e.client.InFlight(context.Background(), "acme"); n != 0 {
		t.Fatalf("in flight after done: %d, want 0", n)
	}
}

func TestBadInputIsNotRetried(t *testing.T) {
	e := newEnv(t, testConfig())
	fr := &fakeRenderer{fn: func(ctx context.Context, n int) error {
		return fmt.Errorf("render: viewport 0x0: %w", queue.ErrBadInput)
	}}
	e.startWorker(t, queue.Handlers{Renderer: fr})
	for _, tc := range []struct{ name, input, reason string }{
		{"renderer refuses", `{"width":10,"height":10}`, "the page cannot be rendered with these options"},
		{"parser refuses", `{"html":"<p>secret page text</p>"}`, "the input is not a valid snapshot"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := e.submit(t, "acme", tc.input, nil, "")
			st := e.wait(t, "acme", id)
			if st.State != queue.StateFailed || st.Reason != tc.reason || st.LastErrorClass != queue.ClassBadInput || st.Attempt != 1 {
				t.Fatalf("status %+v", st)
			}
			b, _ := json.Marshal(st)
			if strings.Contains(string(b), "secret") || strings.Contains(string(b), "viewport 0x0") {
				t.Fatalf("status leaks internal text: %s", b)
			}
		})
	}
	if n := fr.calls.Load(); n != 1 {
		t.Fatalf("renderer called %d times, want 1 (no retries)", n)
	}
}

func TestStorageFaultsRetryThenSucceed(t *testing.T) {
	e := newEnv(t, testConfig())
	fs := &flakyStore{Store: e.store}
	fs.fails.Store(3)
	fr := &fakeRenderer{}
	e.startWorker(t, queue.Handlers{Store: fs, Renderer: fr})
	id := e.submit(t, "acme", `{"width":100,"height":50}`, nil, "")
	// While it retries, the status says so and names the class.
	var sawRetry bool
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		st, err := e.client.Status(context.Background(), "acme", id)
		if err != nil {
			t.Fatal(err)
		}
		if st.State == queue.StateRetrying && st.LastErrorClass == queue.ClassStorage {
			sawRetry = true
		}
		if st.Terminal() {
			if st.State != queue.StateDone || st.Attempt != 4 {
				t.Fatalf("status %+v, want done on attempt 4", st)
			}
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !sawRetry {
		t.Error("never saw state retrying with class storage")
	}
	if n := fr.calls.Load(); n != 4 {
		t.Fatalf("renderer called %d times, want 4", n)
	}
	if got := readObject(t, e.store, queue.ShotKey("acme", id, "full.webp")); string(got) != "IMG 100x50 " {
		t.Fatalf("stored %q", got)
	}
}

func TestTimeoutCancelsRender(t *testing.T) {
	cfg := testConfig()
	cfg.ScreenshotTimeout = time.Second
	cfg.MaxRetry = 1
	e := newEnv(t, cfg)
	var returned atomic.Int32
	fr := &fakeRenderer{fn: func(ctx context.Context, n int) error {
		<-ctx.Done() // a hung page: only the task's deadline ends it
		returned.Add(1)
		return fmt.Errorf("render: %w", queue.ErrTimeout)
	}}
	e.startWorker(t, queue.Handlers{Renderer: fr})
	id := e.submit(t, "acme", `{"width":10,"height":10}`, nil, "")
	start := time.Now()
	st := e.wait(t, "acme", id)
	if st.State != queue.StateFailed || st.LastErrorClass != queue.ClassTimeout || st.Attempt != 2 {
		t.Fatalf("status %+v, want failed after 2 timed-out attempts", st)
	}
	if n := returned.Load(); n != 2 {
		t.Fatalf("%d renders saw their context end, want 2", n)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("took %v", d)
	}
}

func TestReplayWithoutBuilder(t *testing.T) {
	e := newEnv(t, testConfig())
	e.startWorker(t, queue.Handlers{Renderer: &fakeRenderer{}})
	id := queue.NewID()
	if err := submitAs(e.client, "acme", queue.TypeReplay, queue.QueueReplay, id, `[]`, 0); err != nil {
		t.Fatal(err)
	}
	st := e.wait(t, "acme", id)
	if st.State != queue.StateFailed || st.Reason != queue.ReasonReplayUnsupported || st.Attempt != 1 {
		t.Fatalf("status %+v", st)
	}
}

type fakeReplay struct{}

// fakeAsset is the one asset every fake bundle has, named by its sha256.
var fakeAsset = []byte("body{color:red}")

func fakeAssetName() string {
	sum := sha256.Sum256(fakeAsset)
	return hex.EncodeToString(sum[:])
}

func (fakeReplay) BuildReplay(ctx context.Context, r io.Reader, sink replay.Sink, _ queue.ReplayOptions) ([]string, error) {
	input, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if err := sink.Put(ctx, "assets/"+fakeAssetName(), fakeAsset, "text/css", ""); err != nil {
		return nil, err
	}
	return nil, sink.Put(ctx, "index.html", append([]byte("R:"), input...), "text/html", "")
}

func TestReplayBuilderPlugs(t *testing.T) {
	e := newEnv(t, testConfig())
	e.startWorker(t, queue.Handlers{Renderer: &fakeRenderer{}, Replay: fakeReplay{}})
	ctx := context.Background()
	id := queue.NewID()
	if err := submitAs(e.client, "acme", queue.TypeReplay, queue.QueueReplay, id, `[1]`, 0); err != nil {
		t.Fatal(err)
	}
	st := e.wait(t, "acme", id)
	if st.State != queue.StateDone || len(st.Objects) != 2 {
		t.Fatalf("status %+v", st)
	}
	if got := readObject(t, e.store, queue.ReplayKey("acme", id, "index.html")); string(got) != "R:[1]" {
		t.Fatalf("stored %q", got)
	}
	// The asset is stored once for the project, content-addressed, and
	// survives deleting the item (other bundles may use it).
	akey, _ := storage.AssetKey("acme", fakeAssetName())
	if got := readObject(t, e.store, akey); string(got) != string(fakeAsset) {
		t.Fatalf("asset at %s: %q", akey, got)
	}
	if _, err := e.store.Head(ctx, queue.ReplayKey("acme", id, "assets/"+fakeAssetName())); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("asset also stored inside the bundle: %v", err)
	}
	if err := storage.DeleteItem(ctx, e.store, "acme", storage.KindReplay, id); err != nil {
		t.Fatal(err)
	}
	if got := readObject(t, e.store, akey); string(got) != string(fakeAsset) {
		t.Fatalf("shared asset removed with the item: %q", got)
	}
}

// TestReplayRetryLeavesOnlyItsResults: an earlier attempt of a replay job
// (killed before it finished) left a keyframe this attempt does not take
// again; when the job is done, the store holds exactly what its status
// lists under the bundle's prefix.
func TestReplayRetryLeavesOnlyItsResults(t *testing.T) {
	e := newEnv(t, testConfig())
	ctx := context.Background()
	id := queue.NewID()
	stale := queue.ReplayKey("acme", id, "keyframes/0000000.webp")
	if err := e.store.Put(ctx, stale, strings.NewReader("old"), 3, storage.PutOptions{ContentType: "image/webp"}); err != nil {
		t.Fatal(err)
	}
	e.startWorker(t, queue.Handlers{Renderer: &fakeRenderer{}, Replay: fakeReplay{}})
	if err := submitAs(e.client, "acme", queue.TypeReplay, queue.QueueReplay, id, `[1]`, 0); err != nil {
		t.Fatal(err)
	}
	st := e.wait(t, "acme", id)
	if st.State != queue.StateDone {
		t.Fatalf("status %+v", st)
	}
	if _, err := e.store.Head(ctx, stale); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("the earlier attempt's keyframe is still stored: %v", err)
	}
	prefix := queue.ReplayKey("acme", id, "")
	objs, _, err := e.store.List(ctx, prefix, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var stored, listed []string
	for _, o := range objs {
		stored = append(stored, o.Key)
	}
	for _, o := range st.Objects {
		if strings.HasPrefix(o.Key, prefix) {
			listed = append(listed, o.Key)
		}
	}
	slices.Sort(listed)
	if !slices.Equal(stored, listed) || len(stored) == 0 {
		t.Fatalf("stored under %s: %v; the status lists %v", prefix, stored, listed)
	}
}

// Pruning removes only what an earlier attempt left: an object stored
// after this attempt began (a duplicate of the task running beside it)
// stays, as does what this attempt wrote.
func TestPruneKeepsWhatIsNewer(t *testing.T) {
	e := newEnv(t, testConfig())
	ctx := context.Background()
	prefix := queue.ReplayKey("acme", "x1", "")
	put := func(name string) string {
		t.Helper()
		k := prefix + name
		if err := e.store.Put(ctx, k, strings.NewReader(name), int64(len(name)), storage.PutOptions{}); err != nil {
			t.Fatal(err)
		}
		return k
	}
	old, mine := put("keyframes/0000000.webp"), put("manifest.json")
	time.Sleep(1100 * time.Millisecond) // past the store's time resolution
	since := time.Now()
	time.Sleep(1100 * time.Millisecond)
	beside := put("keyframes/0005000.webp")
	if err := queue.Prune(ctx, &queue.Handlers{Store: e.store}, prefix, []string{mine}, since); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]bool{old: false, mine: true, beside: true} {
		_, err := e.store.Head(ctx, k)
		if got := err == nil; got != want {
			t.Errorf("%s: stored %v after pruning, want %v (%v)", k, got, want, err)
		}
	}
}

func TestProjectCap(t *testing.T) {
	e := newEnv(t, testConfig())
	ctx := context.Background()
	for i := range 3 {
		if err := submitAs(e.client, "acme", queue.TypeScreenshot, queue.QueueLow, fmt.Sprint("j", i), "x", 3); err != nil {
			t.Fatalf("job %d: %v", i, err)
		}
	}
	if err := submitAs(e.client, "acme", queue.TypeScreenshot, queue.QueueLow, "j3", "x", 3); !errors.Is(err, queue.ErrOverCap) {
		t.Fatalf("4th job: %v, want ErrOverCap", err)
	}
	// Other projects have their own cap.
	if err := submitAs(e.client, "beta", queue.TypeScreenshot, queue.QueueLow, "k0", "x", 3); err != nil {
		t.Fatal(err)
	}
	stats, err := e.client.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stats {
		if s.Queue == queue.QueueLow && (s.Size != 4 || s.Pending != 4 || s.Latency < 0) {
			t.Fatalf("low queue stats %+v, want 4 pending", s)
		}
	}
}

func TestCallbackSignedAndRetried(t *testing.T) {
	cfg := testConfig()
	cfg.WebhookSecret = "s3cret-s3cret"
	e := newEnv(t, cfg)
	var mu sync.Mutex
	var bodies [][]byte
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if hits.Add(1) == 1 {
			w.WriteHeader(http.StatusBadGateway) // first delivery fails: retried
			return
		}
		if err := queue.Verify(cfg.WebhookSecret, r.Header.Get(queue.SignatureHeader), b, time.Now(), time.Minute); err != nil {
			t.Errorf("signature: %v", err)
		}
		mu.Lock()
		bodies = append(bodies, b)
		mu.Unlock()
	}))
	defer srv.Close()
	e.startWorker(t, queue.Handlers{Renderer: &fakeRenderer{}})
	id := e.submit(t, "acme", `{"width":8,"height":8}`, nil, srv.URL+"/hook")
	e.wait(t, "acme", id)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(bodies)
		mu.Unlock()
		if n > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != 1 {
		t.Fatalf("callback delivered %d times (hits %d), want 1", len(bodies), hits.Load())
	}
	var ev queue.CallbackEvent
	if err := json.Unmarshal(bodies[0], &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Event != "job.done" || ev.Job.ID != id || len(ev.Job.Objects) != 1 || !strings.Contains(ev.Job.Objects[0].URL, "/files/") {
		t.Fatalf("event %s", bodies[0])
	}
	// A tampered body fails verification.
	if queue.Verify(cfg.WebhookSecret, queue.Sign(cfg.WebhookSecret, time.Now(), bodies[0]), append(bodies[0], ' '), time.Now(), time.Minute) == nil {
		t.Fatal("tampered body verified")
	}
}

func TestCallbackToPrivateAddressRefused(t *testing.T) {
	cfg := testConfig()
	cfg.AllowPrivateCallbacks = false
	e := newEnv(t, cfg)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	e.startWorker(t, queue.Handlers{Renderer: &fakeRenderer{}})
	id := e.submit(t, "acme", `{"width":8,"height":8}`, nil, srv.URL+"/hook")
	e.wait(t, "acme", id)
	insp := newInspector(e)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		info, err := insp.GetTaskInfo(queue.QueueDefault, "cb-"+id)
		if err == nil && info.State.String() == "archived" {
			if hits.Load() != 0 {
				t.Fatalf("loopback server got %d requests", hits.Load())
			}
			// The job's status tells why, without the network stack's text.
			cs := e.waitCallback(t, id, queue.CallbackFailed)
			if cs.Attempts != 1 || cs.Reason != "the network policy refuses the callback URL (loopback)" {
				t.Fatalf("refused callback %+v", cs)
			}
			if st := e.wait(t, "acme", e.submit(t, "acme", `{"width":8,"height":8}`, nil, "")); st.Callback != nil {
				t.Fatalf("callback status %+v of a job without one", st.Callback)
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("callback task to loopback was not archived")
}

func TestRedisConfig(t *testing.T) {
	opt, err := queue.RedisConfig{URL: "rediss://user:pw@redis.example.test:6380/2?skip_verify=true"}.ConnOpt()
	if err != nil {
		t.Fatal(err)
	}
	o := fmt.Sprintf("%T", opt)
	if o != "asynq.RedisClientOpt" {
		t.Fatalf("type %s", o)
	}
	got := opt.(asynq.RedisClientOpt)
	if got.Addr != "redis.example.test:6380" || got.Username != "user" || got.Password != "pw" || got.DB != 2 {
		t.Fatalf("options %+v", got)
	}
	if !insecure(opt) {
		t.Fatal("skip_verify=true did not turn off certificate checks")
	}
	opt, _ = queue.RedisConfig{URL: "rediss://:pw@h:1"}.ConnOpt()
	if insecure(opt) {
		t.Fatal("certificate checks off without skip_verify")
	}
	opt, err = queue.RedisConfig{URL: "redis://:pw@x:1", Sentinels: []string{"s1:26379", "s2:26379"}, Master: "mymaster"}.ConnOpt()
	if err != nil || fmt.Sprintf("%T", opt) != "asynq.RedisFailoverClientOpt" {
		t.Fatalf("sentinel: %T %v", opt, err)
	}
	opt, err = queue.RedisConfig{ClusterAddrs: []string{"c1:7000"}}.ConnOpt()
	if err != nil || fmt.Sprintf("%T", opt) != "asynq.RedisClusterClientOpt" {
		t.Fatalf("cluster: %T %v", opt, err)
	}
	err = queue.RedisConfig{URL: "redis://h:1?skip_verify=maybe", Sentinels: []string{"s:1"}, ClusterAddrs: []string{"c:1"}, PoolSize: -1}.Validate()
	for _, want := range []string{"skip_verify", "master name", "exclusive", "pool size"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want it to mention %q", err, want)
		}
	}
	if err := (queue.RedisConfig{URL: "redis://u:hunter2@h:1/notadb"}).Validate(); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("bad db: %v (must fail without quoting the password)", err)
	}
}

func TestConfigValidate(t *testing.T) {
	c := queue.DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.ScreenshotTimeout = 1500 * time.Millisecond
	c.MaxRetry = 0
	c.Retention = 0
	err := c.Validate()
	for _, want := range []string{"whole number of seconds", "max retry", "retention"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want %q", err, want)
		}
	}
	if n := queue.DefaultConcurrency(); n < 1 {
		t.Fatalf("DefaultConcurrency() = %d", n)
	}
}

func TestQueueFor(t *testing.T) {
	for in, want := range map[string]string{"HIGH": queue.QueueCritical, "medium": queue.QueueDefault, "": queue.QueueDefault, "LOW": queue.QueueLow} {
		if got, err := queue.QueueFor(in); err != nil || got != want {
			t.Errorf("QueueFor(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := queue.QueueFor("URGENT"); !errors.Is(err, queue.ErrPriority) {
		t.Errorf("QueueFor(URGENT) = %v", err)
	}
	w := queue.Queues()
	if !(w[queue.QueueCritical] > w[queue.QueueDefault] && w[queue.QueueDefault] > w[queue.QueueLow] && w[queue.QueueReplay] <= w[queue.QueueLow]) {
		t.Errorf("weights %v", w)
	}
}

func insecure(o asynq.RedisConnOpt) bool { return queue.InsecureTLS(o) }

func newInspector(e *env) *asynq.Inspector { return queue.InspectorFor(e.client) }

// TestSentinel runs a job through a client and a worker that find Redis
// through a real Sentinel, and checks the job's keys landed on the master
// the Sentinel names.
func TestSentinel(t *testing.T) {
	master := testenv.StartRedisServer(t)
	sentinel := testenv.StartSentinel(t, master, "kiln")
	e := envOn(t, queue.RedisConfig{Sentinels: []string{sentinel}, Master: "kiln"})
	e.startWorker(t, queue.Handlers{Renderer: &fakeRenderer{}})
	ctx := context.Background()
	id := queue.NewID()
	in := `{"width": 100, "height": 80}`
	if err := submitAs(e.client, "acme", queue.TypeScreenshot, queue.QueueDefault, id, in, 0); err != nil {
		t.Fatal(err)
	}
	if s := e.wait(t, "acme", id); s.State != queue.StateDone {
		t.Fatalf("status %+v", s)
	}
	direct := redis.NewClient(&redis.Options{Addr: master.Addr})
	defer direct.Close()
	keys, err := direct.Keys(ctx, "asynq:*").Result()
	if err != nil || len(keys) == 0 {
		t.Fatalf("no asynq keys on the master: %v %v", keys, err)
	}
}

// TestCluster runs jobs, with the per-project cap and idempotency keys in
// play, through a client and a worker on a real three-node Redis Cluster.
func TestCluster(t *testing.T) {
	addrs := testenv.StartCluster(t, 3)
	e := envOn(t, queue.RedisConfig{ClusterAddrs: addrs})
	r := &fakeRenderer{}
	e.startWorker(t, queue.Handlers{Renderer: r})
	for i, project := range []string{"acme", "globex", "initech"} {
		id := queue.NewID()
		in := `{"width": 100, "height": 80}`
		if err := submitAs(e.client, project, queue.TypeScreenshot, queue.QueueDefault, id, in, 3); err != nil {
			t.Fatal(err)
		}
		if s := e.wait(t, project, id); s.State != queue.StateDone {
			t.Fatalf("%s: status %+v", project, s)
		}
		// The same submission again is the same job: not rendered twice.
		if err := submitAs(e.client, project, queue.TypeScreenshot, queue.QueueDefault, id, in, 3); err != nil {
			t.Fatalf("%s: submit again: %v", project, err)
		}
		if s := e.wait(t, project, id); s.State != queue.StateDone || int(r.calls.Load()) != i+1 {
			t.Fatalf("%s: status %+v after %d renders", project, s, r.calls.Load())
		}
	}
}
