package ingest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/chromedp/chromedp"
	"github.com/kilnrender/kiln/ingest"
	"github.com/kilnrender/kiln/internal/testenv"
	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/renderer"
	"github.com/kilnrender/kiln/snapshot"
	"github.com/kilnrender/kiln/storage"
)

// viewerServer serves the API with the viewer on (or off), on miniredis
// (as kiln dev does), with a worker when rb is set: replays from rb,
// screenshots from a renderer that draws nothing.
func viewerServer(t *testing.T, on bool, key string, rb queue.ReplayBuilder) *httptest.Server {
	t.Helper()
	mr := miniredis.RunT(t)
	rdb, err := queue.NewRedisClient(queue.RedisConfig{URL: "redis://" + mr.Addr()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdb.Close() })
	var h http.Handler
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(ts.Close)
	folder, err := storage.NewFolder(storage.FolderConfig{Dir: t.TempDir(), BaseURL: ts.URL, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := ingest.ParseKeys("acme:" + keyAcme)
	cfg := ingest.DefaultConfig()
	cfg.Viewer = on
	qc := testQueueConfig()
	srv, err := ingest.New(cfg, ingest.Deps{Store: folder, Queue: queue.NewClient(rdb, qc), Keys: keys, Parse: parse, ViewerKey: key, Files: folder.Handler()})
	if err != nil {
		t.Fatal(err)
	}
	h = srv
	if rb != nil {
		w, err := queue.NewWorker(rdb, qc, queue.Handlers{Store: folder, Renderer: nopRenderer{}, Parse: parse, Replay: rb, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { w.Run(ctx); close(done) }()
		t.Cleanup(func() { cancel(); <-done })
	}
	return ts
}

type nopRenderer struct{}

func (nopRenderer) Render(ctx context.Context, s *snapshot.Snapshot, o renderer.Options) (*renderer.Result, error) {
	return nil, errors.New("render: not in this test")
}

// bundleBuilder returns a replay bundle in the format of docs/replay.md:
// a manifest, one gzip segment (Meta, FullSnapshot, a click, an input, a
// resize), a poster and two keyframes with thumbnails.
type bundleBuilder struct{ t *testing.T }

func pngOf(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func (b bundleBuilder) BuildReplay(ctx context.Context, input []byte) (*queue.ReplayOutput, error) {
	const start = 1795874936458
	events := fmt.Sprintf(`[{"type":4,"timestamp":%d,"data":{"href":"https://shop.example.test/","width":1280,"height":800}},
		{"type":2,"timestamp":%d,"data":{"node":{"type":0,"id":1,"childNodes":[]},"initialOffset":{"top":0,"left":0}}},
		{"type":3,"timestamp":%d,"data":{"source":2,"type":2,"id":12,"x":40.4,"y":80}},
		{"type":3,"timestamp":%d,"data":{"source":5,"id":17,"text":"***","isChecked":false}},
		{"type":3,"timestamp":%d,"data":{"source":4,"width":500,"height":700}}]`, start, start, start+1500, start+2500, start+7294)
	var seg bytes.Buffer
	zw := gzip.NewWriter(&seg)
	zw.Write([]byte(events))
	zw.Close()
	manifest := fmt.Sprintf(`{"format":"kiln-replay","version":1,"input":{"format":"rrweb","bytes":900,"events":5,"dropped":0},
		"startTime":%d,"durationMs":8564,
		"viewports":[{"atMs":0,"width":1280,"height":800},{"atMs":7294,"width":500,"height":700}],
		"pages":[{"atMs":0,"href":"https://shop.example.test/"}],
		"segments":[{"name":"segments/000.json.gz","startMs":0,"endMs":7294,"events":5,"synthetic":0,"bytes":%d,"encoding":"gzip"}],
		"keyframes":[{"atMs":0,"reason":"start","image":"keyframes/0000000.png","thumb":"keyframes/0000000-thumb.png","width":64,"height":40},
		             {"atMs":7294,"reason":"resize","image":"keyframes/0007294.png","thumb":"keyframes/0007294-thumb.png","width":25,"height":35}],
		"poster":{"atMs":8564,"reason":"poster","image":"poster.png","width":25,"height":35}}`, start, seg.Len())
	return &queue.ReplayOutput{Files: []queue.File{
		{Name: "segments/000.json.gz", ContentType: "application/json", ContentEncoding: "gzip", Data: seg.Bytes()},
		{Name: "keyframes/0000000.png", ContentType: "image/png", Data: pngOf(b.t, 64, 40)},
		{Name: "keyframes/0000000-thumb.png", ContentType: "image/png", Data: pngOf(b.t, 32, 20)},
		{Name: "keyframes/0007294.png", ContentType: "image/png", Data: pngOf(b.t, 25, 35)},
		{Name: "keyframes/0007294-thumb.png", ContentType: "image/png", Data: pngOf(b.t, 20, 28)},
		{Name: "poster.png", ContentType: "image/png", Data: pngOf(b.t, 25, 35)},
		{Name: "manifest.json", ContentType: "application/json", Data: []byte(manifest)},
	}}, nil
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func TestViewer(t *testing.T) {
	t.Run("Production", func(t *testing.T) {
		ts := viewerServer(t, true, "", nil)
		resp, body := get(t, ts.URL+"/")
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("GET /: %s %s", resp.Status, resp.Header.Get("Content-Type"))
		}
		// No key in the page: it asks for one.
		if !strings.Contains(body, `<meta name="kiln-key" content="">`) || !strings.Contains(body, `id="key-form"`) {
			t.Fatalf("page without an empty key and a key form:\n%s", body)
		}
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("security headers: CSP %q", csp)
		}
		for path, ct := range map[string]string{"/viewer/viewer.js": "text/javascript", "/viewer/viewer.css": "text/css"} {
			resp, body := get(t, ts.URL+path)
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), ct) || len(body) < 1000 {
				t.Errorf("GET %s: %s %q, %d bytes", path, resp.Status, resp.Header.Get("Content-Type"), len(body))
			}
		}
		if resp, _ := get(t, ts.URL+"/viewer/missing.js"); resp.StatusCode != 404 {
			t.Errorf("missing file: %s", resp.Status)
		}
		// The API itself still wants a key.
		if resp, _ := get(t, ts.URL+"/v1/stats"); resp.StatusCode != 401 {
			t.Errorf("GET /v1/stats without a key: %s", resp.Status)
		}
	})
	t.Run("DevKey", func(t *testing.T) {
		ts := viewerServer(t, true, `k"<script>`, nil)
		_, body := get(t, ts.URL+"/")
		if !strings.Contains(body, `<meta name="kiln-key" content="k&#34;&lt;script&gt;">`) {
			t.Fatalf("key not injected, escaped, into the page:\n%s", body)
		}
	})
	t.Run("Off", func(t *testing.T) {
		ts := viewerServer(t, false, "", nil)
		for _, p := range []string{"/", "/viewer/viewer.js"} {
			if resp, _ := get(t, ts.URL+p); resp.StatusCode != 404 {
				t.Errorf("GET %s with the viewer off: %s", p, resp.Status)
			}
		}
	})
}

// The viewer in a real browser, as a production page: it asks for the
// key, takes a recording from the file input, follows the replay job and
// shows the poster, the filmstrip with timestamps and the timeline.
func TestViewerReplayChromium(t *testing.T) {
	chrome := testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
	ts := viewerServer(t, true, "", bundleBuilder{t})
	rec := filepath.Join(t.TempDir(), "recording.json")
	if err := os.WriteFile(rec, testdata(t, "todomvc-recording.rrweb.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	ctx, cancel := context.WithTimeout(bctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible("#key-panel"),
		chromedp.SendKeys("#key", "wrong-key"),
		chromedp.Click("#key-form button"),
		chromedp.WaitVisible("#key-error"),
	); err != nil {
		t.Fatal(err)
	}
	if msg, _ := chromedp.Run(ctx, chromedp.Text("#key-error")); !strings.Contains(msg, "not valid") {
		t.Fatalf("wrong key message %q", msg)
	}
	if err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#key").value = ""; undefined`),
		chromedp.SendKeys("#key", keyAcme),
		chromedp.Click("#key-form button"),
		chromedp.WaitVisible("#submit-panel"),
		chromedp.SetUploadFiles("#file", []string{rec}),
	); err != nil {
		t.Fatal(err)
	}
	stored, err := chromedp.Run(ctx, chromedp.Evaluate[string](`sessionStorage.getItem("kiln-key")`))
	if err != nil || stored != keyAcme {
		t.Fatalf("sessionStorage key %q, %v", stored, err)
	}
	poster, err := chromedp.Run(ctx, chromedp.Poll[int](`(() => {
		const i = document.querySelector('.job[data-state="done"] img.poster-img');
		return i && i.complete ? i.naturalWidth : 0; })()`, chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil || poster != 25 {
		state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('.state,.error')].map(e => e.textContent).join(" | ")`))
		t.Fatalf("poster naturalWidth %d, %v (page: %s)", poster, err, state)
	}
	strip, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.filmstrip figcaption')].map(f => f.textContent)`))
	if err != nil || strings.Join(strip, ",") != "0:00.0 start,0:07.3 resize" {
		t.Fatalf("filmstrip %q, %v", strip, err)
	}
	thumbs, err := chromedp.Run(ctx, chromedp.Poll[[]int](`(() => { const w = [...document.querySelectorAll('.filmstrip img')].map(i => i.complete ? i.naturalWidth : 0); return w.every(x => x > 0) ? w : null; })()`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || len(thumbs) != 2 || thumbs[0] != 32 || thumbs[1] != 20 {
		t.Fatalf("filmstrip thumbnails %v, %v", thumbs, err)
	}
	// The timeline: the navigation and resize from the manifest, the
	// click and input from the segment, in time order.
	timeline, err := chromedp.Run(ctx, chromedp.Poll[[]string](`(() => {
		const l = [...document.querySelectorAll('.timeline li')].map(li => li.textContent);
		return l.length >= 4 ? l : null; })()`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"0:00.0navigationhttps://shop.example.test/", "0:01.5clicknode 12 at 40,80", "0:02.5inputnode 17 unchecked", "0:07.3resize500×700"}
	if strings.Join(timeline, "|") != strings.Join(want, "|") {
		t.Fatalf("timeline\n got %q\nwant %q", timeline, want)
	}
}
