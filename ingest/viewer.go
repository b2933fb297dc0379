package ingest

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
)

// The viewer is a page for trying the API by hand: submit a snapshot or
// recording, watch the job, see the screenshot, its thumbnail and render
// report, or a replay's poster, filmstrip and event timeline. It is plain
// HTML, CSS and JavaScript embedded in the binary (no build step) and uses
// only the public API, with a key the user types (kept in the tab's
// sessionStorage) or, in `kiln dev`, the dev key injected into the page.

//go:embed viewer
var viewerFiles embed.FS

var viewerIndex = template.Must(template.ParseFS(viewerFiles, "viewer/index.html"))

// viewerCSP lets the page load its own script and style, and images and
// manifests from the store (a folder store is same-origin; S3 is not).
const viewerCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: http: https:; " +
	"connect-src 'self' http: https:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// mountViewer serves the viewer at / and its files at /viewer/.
func (s *Server) mountViewer() {
	static, _ := fs.Sub(viewerFiles, "viewer")
	files := http.StripPrefix("/viewer/", http.FileServerFS(static))
	secure := func(w http.ResponseWriter) {
		h := w.Header()
		h.Set("Content-Security-Policy", viewerCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
	}
	s.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		secure(w)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_ = viewerIndex.Execute(w, struct{ Key string }{s.d.ViewerKey})
	})
	s.mux.HandleFunc("GET /viewer/", func(w http.ResponseWriter, r *http.Request) {
		secure(w)
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}
