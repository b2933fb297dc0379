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
	t.Run("Off", func(t *testing.T) {
		ts := viewerServer(t, false, "")
		for _, p := range []string{"/", "/viewer/viewer.js"} {
			if resp, _ := get(t, ts.URL+p); resp.StatusCode != 404 {
				t.Errorf("GET %s with the viewer off: %s", p, resp.Status)
			}
		}
	})
}
