package ingest

// Routing: the Server, its routes and the wrapper every route runs in
// (authentication, metrics, the error format).

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kilnrender/kiln/player"
	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/settings"
	"github.com/kilnrender/kiln/snapshot"
	"github.com/kilnrender/kiln/storage"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Deps are the parts a Server uses. Store, Queue, Keys and Parse are
// required.
type Deps struct {
	Store storage.Store
	Queue *queue.Client
	Keys  *Keys
	// Parse validates and normalizes a screenshot input (snapshot.Parse;
	// the project's masks and blocks come in the options).
	Parse func(data []byte, o snapshot.Options) (*snapshot.Snapshot, error)
	// Scrub removes secrets from a feedback item's decoded fields before
	// anything is kept, with the project's extra patterns; nil keeps them
	// as sent, which only tests should do.
	Scrub func(s settings.Settings, v any) any
	// Settings reads projects' privacy settings; nil means none (every
	// project has the defaults).
	Settings *settings.Cache
	// Files, when set, is mounted at /files/ (the folder store's
	// signed-URL handler).
	Files  http.Handler
	Logger *slog.Logger
	// Registry receives the API's metrics and is served at /metrics; nil
	// means a new registry.
	Registry *prometheus.Registry
	// ViewerKey, when set, is written into the viewer page so that it
	// needs no key typed in. For `kiln dev` only: anyone who can load the
	// page can read it.
	ViewerKey string
}

// Server is the HTTP API.
type Server struct {
	cfg      Config
	d        Deps
	log      *slog.Logger
	mux      *http.ServeMux
	reg      *prometheus.Registry
	enqueued *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	uploads  *uploads
}

// Route is one method and path pattern the API serves.
type Route struct {
	Method  string
	Pattern string // net/http pattern path, e.g. /v1/jobs/{id}
	Auth    bool
}

// New builds the API.
func New(cfg Config, d Deps) (*Server, error) {
	var errs []error
	if err := cfg.Validate(); err != nil {
		errs = append(errs, err)
	}
	if d.Store == nil || d.Queue == nil || d.Keys == nil || d.Parse == nil {
		errs = append(errs, errors.New("ingest: store, queue, keys and parse are required"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, d: d, log: d.Logger, reg: d.Registry, mux: http.NewServeMux(),
		uploads: &uploads{max: cfg.MaxUploadsPerClient, n: map[string]int{}}}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.reg == nil {
		s.reg = prometheus.NewRegistry()
	}
	s.enqueued = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "kiln_jobs_enqueued_total", Help: "Job submissions, by type and outcome (accepted, duplicate, rejected, over_cap, error).",
	}, []string{"type", "outcome"})
	s.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "kiln_http_request_duration_seconds", Help: "API request latency, by route and status.",
		Buckets: prometheus.DefBuckets,
	}, []string{"route", "code"})
	s.reg.MustRegister(s.enqueued, s.latency, queue.NewCollector(d.Queue))
	// Go runtime and process metrics (memory, GC, goroutines, CPU,
	// descriptors); a registry shared with a worker (kiln dev) may hold
	// them already.
	for _, c := range []prometheus.Collector{collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})} {
		if err := s.reg.Register(c); err != nil && !errors.As(err, new(prometheus.AlreadyRegisteredError)) {
			return nil, fmt.Errorf("ingest: register runtime metrics: %w", err)
		}
	}
	allow := map[string][]string{}
	for _, rt := range s.routes() {
		s.handle(rt)
		allow[rt.Pattern] = append(allow[rt.Pattern], rt.Method)
	}
	// The player's files are static and public (docs/player.md).
	s.mux.Handle("GET /player/", player.Handler("/player/"))
	allow["/player/"] = append(allow["/player/"], "GET")
	if cfg.Viewer {
		s.mountViewer()
		allow["/viewer/"] = append(allow["/viewer/"], "GET")
	}
	// Other methods on a known path, and unknown paths, answer in the
	// API's JSON error format (the mux alone answers in plain text).
	for pattern, methods := range allow {
		if pattern == "/{$}" {
			continue
		}
		s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", strings.Join(withHead(methods), ", "))
			s.fail(w, r, errMethod)
		})
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" && cfg.Viewer {
			w.Header().Set("Allow", "GET, HEAD")
			s.fail(w, r, errMethod)
			return
		}
		s.fail(w, r, errNotFound)
	})
	return s, nil
}

// withHead adds HEAD where GET is allowed (net/http serves it).
func withHead(methods []string) []string {
	out := append([]string(nil), methods...)
	for _, m := range methods {
		if m == "GET" {
			out = append(out, "HEAD")
		}
	}
	return out
}

type route struct {
	Route
	h func(w http.ResponseWriter, r *http.Request, project string) error
}

func (s *Server) routes() []route {
	rs := []route{
		{Route{"POST", "/v1/screenshots", true}, s.postScreenshot},
		{Route{"POST", "/v1/render", true}, s.postRender},
		{Route{"POST", "/v1/replays", true}, s.postReplay},
		{Route{"POST", "/v1/items", true}, s.postItem},
		{Route{"GET", "/v1/items", true}, s.listItems},
		{Route{"GET", "/v1/items/{id}", true}, s.getItem},
		{Route{"DELETE", "/v1/items/{id}", true}, s.deleteItem},
		{Route{"GET", "/v1/jobs/{id}", true}, s.getJob},
		{Route{"GET", "/v1/stats", true}, s.getStats},
		{Route{"GET", "/v1/projects/{project}/export.csv", true}, s.exportProject},
		{Route{"DELETE", "/v1/projects/{project}", true}, s.deleteProject},
		{Route{"GET", "/v1/projects/{project}/settings", true}, s.getSettings},
		{Route{"PUT", "/v1/projects/{project}/settings", true}, s.putSettings},
		{Route{"GET", "/healthz", false}, s.healthz},
		{Route{"GET", "/readyz", false}, s.readyz},
		{Route{"GET", "/metrics", false}, s.metrics},
	}
	if s.d.Files != nil {
		rs = append(rs, route{Route{"GET", "/files/", false}, func(w http.ResponseWriter, r *http.Request, _ string) error {
			s.d.Files.ServeHTTP(w, r)
			return nil
		}})
	}
	return rs
}

// Routes lists what the API serves (docs/openapi.yaml documents each).
func (s *Server) Routes() []Route {
	var out []Route
	for _, r := range s.routes() {
		out = append(out, r.Route)
	}
	return out
}

// statusWriter remembers the status and counts the body bytes, for the
// access log and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (read
// deadlines for request bodies).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

func (s *Server) handle(rt route) {
	label := rt.Method + " " + rt.Pattern
	s.mux.HandleFunc(label, func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw, ok := w.(*statusWriter)
		if !ok {
			sw = &statusWriter{ResponseWriter: w}
		}
		defer func() {
			s.latency.WithLabelValues(label, strconv.Itoa(sw.code())).Observe(time.Since(start).Seconds())
		}()
		project := ""
		if rt.Auth {
			token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			p, found := s.d.Keys.Project(strings.TrimSpace(token))
			if !ok || !found {
				sw.Header().Set("WWW-Authenticate", `Bearer realm="kiln"`)
				s.fail(sw, r, errUnauthorized)
				return
			}
			project = p
		}
		if err := rt.h(sw, r, project); err != nil {
			s.fail(sw, r, err)
		}
	})
}

// ServeHTTP implements http.Handler: every request gets a request id
// (X-Request-Id, see requestID), echoed in the response and carried into
// the jobs it submits, and one access log line once it is answered.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := requestID(r.Header.Get(RequestIDHeader))
	w.Header().Set(RequestIDHeader, id)
	r = r.WithContext(withRequestID(r.Context(), id))
	sw := &statusWriter{ResponseWriter: w}
	s.mux.ServeHTTP(sw, r)
	s.accessLog(r, sw, time.Since(start))
}
