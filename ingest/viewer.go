package ingest

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kilnrender/kiln/player"
)

// The viewer is a page for trying the API by hand: submit a snapshot or
// recording, watch the job, see the screenshot, its thumbnail and render
// report, or play a replay with its timeline. It is plain HTML, CSS and
// JavaScript embedded in the binary (no build step) and uses only the
// public API, with a key the user types (kept in the tab's sessionStorage)
// or, in `kiln dev`, the dev key injected into the page. Its job list is
// kept in localStorage.
//
// /player/?job=<replay job id>&t=<ms> shows one replay job with
// kiln-player, paused at t; the document element gets
// data-kiln-player="ready" once that frame is painted (and "error" when
// it cannot be). The viewer shows replays in it, in an iframe.

//go:embed viewer
var viewerFiles embed.FS

var (
	viewerIndex = template.Must(template.ParseFS(viewerFiles, "viewer/index.html", "viewer/head.html"))
	playerPage  = template.Must(template.ParseFS(viewerFiles, "viewer/player.html", "viewer/head.html"))
)

// viewerCSP lets the page load its own script and style, images and
// manifests from the store (a folder store is same-origin; S3 is not),
// and frame its own player page.
const viewerCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: http: https:; " +
	"connect-src 'self' http: https:; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// mountViewer serves the viewer at /, its files at /viewer/ and the
// player page at /player/.
func (s *Server) mountViewer() {
	static, _ := fs.Sub(viewerFiles, "viewer")
	files := http.StripPrefix("/viewer/", http.FileServerFS(static))
	secure := func(w http.ResponseWriter, csp string) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
	}
	page := func(t *template.Template, csp func(r *http.Request) string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			secure(w, csp(r))
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			_ = t.Execute(w, struct{ Key string }{s.d.ViewerKey})
		}
	}
	s.mux.HandleFunc("GET /{$}", page(viewerIndex, func(*http.Request) string { return viewerCSP }))
	s.mux.HandleFunc("GET /player/{$}", page(playerPage, s.playerCSP))
	s.mux.HandleFunc("GET /viewer/", func(w http.ResponseWriter, r *http.Request) {
		secure(w, viewerCSP)
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}

// playerCSP keeps the replayed DOM's loads inside the store: scripts from
// the player's and the viewer's files, data from the API (the job, the
// item's timeline) and from where the store's signed URLs point.
func (s *Server) playerCSP(r *http.Request) string {
	self := "http://" + r.Host
	if r.TLS != nil {
		self = "https://" + r.Host
	}
	bundle := []string{self + "/v1/"}
	if u, err := s.d.Store.URL(r.Context(), "p/player/probe", time.Minute); err == nil {
		bundle = append(bundle, storeSource(u))
	}
	return player.CSP(self+"/player/ "+self+"/viewer/", bundle...)
}

// storeSource is the CSP source that a store's signed URL falls under: its
// origin, and the folder store's /files/ path.
func storeSource(signed string) string {
	u, err := url.Parse(signed)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "'self'"
	}
	src := u.Scheme + "://" + u.Host
	if i := strings.Index(u.Path, "/files/"); i >= 0 {
		src += u.Path[:i+len("/files/")]
	}
	return src
}
