package player_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kilnrender/kiln/player"
)

func TestHandler(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/player/", player.Handler("/player/"))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	do := func(method, path string, hdr ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	for path, want := range map[string]struct{ ct, has string }{
		"/player/kiln-player.js":         {"text/javascript", "customElements.define(\"kiln-player\""},
		"/player/kiln-player.css":        {"text/css", "kiln-player"},
		"/player/vendor/rrweb/rrweb.js":  {"text/javascript", "var Replayer = class"},
		"/player/vendor/rrweb/style.css": {"text/css", ".replayer-mouse"},
		"/player/vendor/rrweb/LICENSE":   {"text/plain", "MIT License"},
	} {
		resp, body := do("GET", path)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), want.ct) || !strings.Contains(body, want.has) {
			t.Errorf("GET %s: %s %q, has %q: %v", path, resp.Status, resp.Header.Get("Content-Type"), want.has, strings.Contains(body, want.has))
			continue
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=600" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: Cache-Control %q", path, cc)
		}
		etag := resp.Header.Get("ETag")
		if r, b := do("GET", path, "If-None-Match", etag); etag == "" || r.StatusCode != http.StatusNotModified || b != "" {
			t.Errorf("GET %s with its ETag %q: %s, %d bytes", path, etag, r.Status, len(b))
		}
		if r, b := do("HEAD", path); r.StatusCode != 200 || b != "" {
			t.Errorf("HEAD %s: %s", path, r.Status)
		}
	}
	for _, path := range []string{"/player/", "/player/missing.js", "/player/../player.go", "/player/static/kiln-player.js"} {
		if r, _ := do("GET", path); r.StatusCode != 404 {
			t.Errorf("GET %s: %s, want 404", path, r.Status)
		}
	}
	if r, _ := do("POST", "/player/kiln-player.js"); r.StatusCode != 405 || r.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %s, Allow %q", r.Status, r.Header.Get("Allow"))
	}
}

func TestCSP(t *testing.T) {
	for _, tc := range []struct {
		files  string
		bundle []string
		want   []string
	}{
		{"'self'", nil, []string{"default-src 'none'", "script-src 'self';", "img-src 'self' data: blob:;", "connect-src 'self';", "frame-ancestors 'self'"}},
		{"https://k.example/player/", []string{"https://k.example/files/", "https://s3.example"}, []string{
			"script-src https://k.example/player/;", "style-src https://k.example/player/ https://k.example/files/ https://s3.example 'unsafe-inline';",
			"img-src https://k.example/files/ https://s3.example data: blob:;", "connect-src https://k.example/files/ https://s3.example;"}},
	} {
		csp := player.CSP(tc.files, tc.bundle...)
		for _, w := range tc.want {
			if !strings.Contains(csp, w) {
				t.Errorf("CSP(%q, %q) = %q: no %q", tc.files, tc.bundle, csp, w)
			}
		}
		if strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
			t.Errorf("CSP = %q lets scripts in", csp)
		}
	}
}
