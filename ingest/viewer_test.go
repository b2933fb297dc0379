package ingest_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/kilnrender/kiln/ingest"
	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/storage"
)

// viewerServer serves the API with the viewer on (or off), on miniredis
// (as kiln dev does). The viewer in a real browser is tested in e2e/.
func viewerServer(t *testing.T, on bool, key string) *httptest.Server {
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
	srv, err := ingest.New(cfg, ingest.Deps{Store: folder, Queue: queue.NewClient(rdb, folder, qc, nil), Keys: keys, Parse: parse, ViewerKey: key, Files: folder.Handler()})
	if err != nil {
		t.Fatal(err)
	}
	h = srv
	return ts
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
		ts := viewerServer(t, true, "")
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
		ts := viewerServer(t, true, `k"<script>`)
		_, body := get(t, ts.URL+"/")
		if !strings.Contains(body, `<meta name="kiln-key" content="k&#34;&lt;script&gt;">`) {
			t.Fatalf("key not injected, escaped, into the page:\n%s", body)
		}
	})
	t.Run("PlayerPage", func(t *testing.T) {
		ts := viewerServer(t, true, "dev-key")
		resp, body := get(t, ts.URL+"/player/?job=abc&t=1200")
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("GET /player/: %s %s", resp.Status, resp.Header.Get("Content-Type"))
		}
		if !strings.Contains(body, `<meta name="kiln-key" content="dev-key">`) || !strings.Contains(body, `data-kiln-player="loading"`) ||
			!strings.Contains(body, `src="/viewer/player-page.js"`) {
			t.Fatalf("player page:\n%s", body)
		}
		// The replayed DOM inherits the page's policy: scripts from the
		// player's and viewer's files only, images and styles from the
		// folder store's signed URLs (this server's /files/) only.
		csp := resp.Header.Get("Content-Security-Policy")
		for _, want := range []string{
			"script-src " + ts.URL + "/player/ " + ts.URL + "/viewer/;",
			"img-src " + ts.URL + "/v1/ " + ts.URL + "/files/ data: blob:;",
			"connect-src " + ts.URL + "/v1/ " + ts.URL + "/files/;",
			"frame-ancestors 'self'",
		} {
			if !strings.Contains(csp, want) {
				t.Errorf("player page CSP %q: no %q", csp, want)
			}
		}
		if resp, body := get(t, ts.URL+"/viewer/player-page.js"); resp.StatusCode != 200 || !strings.Contains(body, `import "/player/kiln-player.js"`) {
			t.Errorf("GET /viewer/player-page.js: %s", resp.Status)
		}
		// The viewer may frame it; the viewer itself is framed by no one.
		vresp, _ := get(t, ts.URL+"/")
		if vcsp := vresp.Header.Get("Content-Security-Policy"); !strings.Contains(vcsp, "frame-src 'self'") || !strings.Contains(vcsp, "frame-ancestors 'none'") {
			t.Errorf("viewer CSP %q", vcsp)
		}
	})
	t.Run("Off", func(t *testing.T) {
		ts := viewerServer(t, false, "")
		for _, p := range []string{"/", "/viewer/viewer.js", "/player/?job=abc"} {
			if resp, _ := get(t, ts.URL+p); resp.StatusCode != 404 {
				t.Errorf("GET %s with the viewer off: %s", p, resp.Status)
			}
		}
	})
	t.Run("PlayerFiles", func(t *testing.T) {
		// Static and public, with the viewer on or off.
		for _, on := range []bool{true, false} {
			ts := viewerServer(t, on, "")
			resp, body := get(t, ts.URL+"/player/kiln-player.js")
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") ||
				!strings.HasPrefix(resp.Header.Get("Cache-Control"), "public") || !strings.Contains(body, "kiln-player") {
				t.Errorf("viewer %v: GET /player/kiln-player.js: %s %q %q", on, resp.Status, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"))
			}
			presp, err := http.Post(ts.URL+"/player/kiln-player.js", "text/plain", nil)
			if err != nil {
				t.Fatal(err)
			}
			presp.Body.Close()
			if presp.StatusCode != 405 || !strings.HasPrefix(presp.Header.Get("Content-Type"), "application/json") {
				t.Errorf("viewer %v: POST /player/kiln-player.js: %s %q", on, presp.Status, presp.Header.Get("Content-Type"))
			}
		}
	})
}
