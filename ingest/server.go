package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/storage"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Deps are the parts a Server uses. Store, Queue, Keys and Parse are
// required.
type Deps struct {
	Store storage.Store
	Queue *queue.Client
	Keys  *Keys
	// Parse validates a screenshot input (snapshot.Parse).
	Parse queue.ParseFunc
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
	s := &Server{cfg: cfg, d: d, log: d.Logger, reg: d.Registry, mux: http.NewServeMux()}
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
	for _, rt := range s.routes() {
		s.handle(rt)
	}
	if cfg.Viewer {
		s.mountViewer()
	}
	return s, nil
}

type route struct {
	Route
	h func(w http.ResponseWriter, r *http.Request, project string) error
}

func (s *Server) routes() []route {
	rs := []route{
		{Route{"POST", "/v1/screenshots", true}, s.postScreenshot},
		{Route{"POST", "/v1/replays", true}, s.postReplay},
		{Route{"POST", "/v1/items", true}, s.postItem},
		{Route{"DELETE", "/v1/items/{id}", true}, s.deleteItem},
		{Route{"GET", "/v1/jobs/{id}", true}, s.getJob},
		{Route{"GET", "/v1/stats", true}, s.getStats},
		{Route{"GET", "/v1/projects/{project}/export.csv", true}, s.exportProject},
		{Route{"DELETE", "/v1/projects/{project}", true}, s.deleteProject},
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

// statusWriter remembers the status for metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (s *Server) handle(rt route) {
	label := rt.Method + " " + rt.Pattern
	s.mux.HandleFunc(label, func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if sw.status == 0 {
				sw.status = http.StatusOK
			}
			s.latency.WithLabelValues(label, strconv.Itoa(sw.status)).Observe(time.Since(start).Seconds())
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

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// readBody reads a request body within the compressed and inflated caps.
// allowed lists the accepted media types.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, allowed ...string) ([]byte, string, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return nil, "", unsupportedMedia("Content-Type must be one of " + strings.Join(allowed, ", "))
	}
	ok := false
	for _, a := range allowed {
		ok = ok || mt == a
	}
	if !ok {
		return nil, "", unsupportedMedia("Content-Type must be one of " + strings.Join(allowed, ", "))
	}
	if r.ContentLength > s.cfg.MaxBodyBytes {
		return nil, "", errTooLarge
	}
	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	var src io.Reader = body
	limit, tooLarge := s.cfg.MaxBodyBytes, errTooLarge
	switch strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))) {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, "", errTooLarge
			}
			return nil, "", badRequest("body: not valid gzip")
		}
		defer zr.Close()
		// Inflate at most one byte over the cap: a bomb stops there.
		src, limit, tooLarge = zr, s.cfg.MaxInflatedBytes, errInflated
	default:
		return nil, "", unsupportedMedia("Content-Encoding must be gzip or identity")
	}
	data, err := io.ReadAll(io.LimitReader(src, limit+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, "", errTooLarge
		}
		return nil, "", badRequest("body: could not be read (truncated or corrupt)")
	}
	if int64(len(data)) > limit {
		return nil, "", tooLarge
	}
	if len(data) == 0 {
		return nil, "", badRequest("body: empty")
	}
	return data, mt, nil
}

// param reads an option from the query (name) or a header (Kiln-Name).
func param(r *http.Request, name, header string) string {
	if v := r.URL.Query().Get(name); v != "" {
		return v
	}
	return r.Header.Get(header)
}

// submitOptions are the options shared by every submission.
type submitOptions struct {
	Priority   string
	Callback   string
	ExternalID string
	Render     *queue.RenderOptions
}

func (s *Server) parseOptions(r *http.Request, render bool) (submitOptions, error) {
	var o submitOptions
	var err error
	o.Priority = strings.ToUpper(param(r, "priority", "Kiln-Priority"))
	if _, err = queue.QueueFor(o.Priority); err != nil {
		return o, badRequest("priority: must be HIGH, MEDIUM or LOW")
	}
	o.Callback = param(r, "callbackUrl", "Kiln-Callback-Url")
	if o.Callback != "" {
		if queue.CheckCallbackURL(o.Callback) != nil {
			return o, badRequest("callbackUrl: must be an absolute http or https URL without credentials")
		}
	}
	o.ExternalID = param(r, "externalId", "Kiln-External-Id")
	if len(o.ExternalID) > 256 {
		return o, badRequest("externalId: at most 256 characters")
	}
	if !render {
		return o, nil
	}
	ro := &queue.RenderOptions{}
	switch f := strings.ToLower(param(r, "format", "Kiln-Format")); f {
	case "", "webp":
		ro.Format = "webp"
	case "png", "jpeg":
		ro.Format = f
	case "jpg":
		ro.Format = "jpeg"
	default:
		return o, badRequest("format: must be webp, jpeg or png")
	}
	if v := param(r, "quality", "Kiln-Quality"); v != "" {
		if ro.Quality, err = strconv.Atoi(v); err != nil || ro.Quality < 1 || ro.Quality > 100 {
			return o, badRequest("quality: must be an integer from 1 to 100")
		}
	}
	if v := param(r, "thumbWidth", "Kiln-Thumb-Width"); v != "" {
		if ro.ThumbWidth, err = strconv.Atoi(v); err != nil || ro.ThumbWidth < 16 || ro.ThumbWidth > 2048 {
			return o, badRequest("thumbWidth: must be an integer from 16 to 2048")
		}
	}
	if v := param(r, "fullPage", "Kiln-Full-Page"); v != "" {
		if ro.FullPage, err = strconv.ParseBool(v); err != nil {
			return o, badRequest("fullPage: must be true or false")
		}
	}
	o.Render = ro
	return o, nil
}

// idemKey is the idempotency key of a submission: the client's
// Idempotency-Key, or else the SHA-256 of the body and options, so that an
// identical resubmission returns the same job.
func idemKey(r *http.Request, kind string, body []byte, o submitOptions) (string, error) {
	h := sha256.New()
	if k := r.Header.Get("Idempotency-Key"); k != "" {
		if len(k) > 255 {
			return "", badRequest("Idempotency-Key: at most 255 characters")
		}
		fmt.Fprintf(h, "key\x00%s\x00%s", kind, k)
	} else {
		opts, _ := json.Marshal(o)
		fmt.Fprintf(h, "body\x00%s\x00%s\x00", kind, opts)
		h.Write(body)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// JobRef is how a submission answers: the job id and where to poll.
type JobRef struct {
	ID        string `json:"id"`
	Type      string `json:"type"`
	State     string `json:"state"`
	StatusURL string `json:"statusUrl"`
}

func jobRef(id, typ, state string) JobRef {
	return JobRef{ID: id, Type: typ, State: state, StatusURL: "/v1/jobs/" + id}
}

// storeInput writes an input; errors become 503.
func (s *Server) storeInput(ctx context.Context, key string, data []byte, ct string) error {
	if err := s.d.Store.Put(ctx, key, bytes.NewReader(data), int64(len(data)), storage.PutOptions{ContentType: ct}); err != nil {
		return fmt.Errorf("store input: %w: %v", errStore, err)
	}
	return nil
}

type jobSpec struct {
	id, typ, queue string
	input          []byte
	contentType    string
	job            queue.Job
}

// submit claims the idempotency key, stores the inputs and enqueues the
// jobs. It returns the id bound to the key and whether it was new.
func (s *Server) submit(ctx context.Context, project, key, id string, specs []jobSpec) (string, bool, error) {
	prev, err := s.d.Queue.Claim(ctx, project, key, id, s.cfg.IdempotencyTTL)
	if err != nil {
		return "", false, err
	}
	if prev != "" {
		for _, sp := range specs {
			s.enqueued.WithLabelValues(sp.typ, "duplicate").Inc()
		}
		return prev, false, nil
	}
	for _, sp := range specs {
		sp.job.Input = queue.InputKey(project, sp.id)
		err := s.storeInput(ctx, sp.job.Input, sp.input, sp.contentType)
		if err == nil {
			kind := storage.KindScreenshot
			if sp.typ == queue.TypeReplay {
				kind = storage.KindReplay
			}
			if perr := storage.PutItem(ctx, s.d.Store, storage.Item{ID: sp.id, Project: project, Kind: kind, Status: storage.StatusQueued,
				Objects: []string{sp.job.Input}, Bytes: int64(len(sp.input))}); perr != nil {
				err = fmt.Errorf("store item record: %w: %v", errStore, perr)
			}
		}
		if err == nil {
			err = s.d.Queue.Enqueue(ctx, sp.typ, sp.queue, sp.id, sp.job, s.cfg.ProjectCap)
		}
		if err != nil {
			outcome := "error"
			if errors.Is(err, queue.ErrOverCap) {
				outcome = "over_cap"
			}
			s.enqueued.WithLabelValues(sp.typ, outcome).Inc()
			bg := context.WithoutCancel(ctx)
			s.d.Queue.Unclaim(bg, project, key, id)
			_ = storage.DeleteItem(bg, s.d.Store, project, kindOfType(sp.typ), sp.id)
			return "", false, err
		}
		s.enqueued.WithLabelValues(sp.typ, "accepted").Inc()
	}
	return id, true, nil
}

func (s *Server) postScreenshot(w http.ResponseWriter, r *http.Request, project string) error {
	body, mt, err := s.readBody(w, r, "application/json", "text/html")
	if err != nil {
		s.enqueued.WithLabelValues(queue.TypeScreenshot, "rejected").Inc()
		return err
	}
	o, err := s.parseOptions(r, true)
	if err != nil {
		return err
	}
	if _, err := s.d.Parse(body); err != nil {
		s.enqueued.WithLabelValues(queue.TypeScreenshot, "rejected").Inc()
		return err
	}
	key, err := idemKey(r, "screenshot", body, o)
	if err != nil {
		return err
	}
	q, _ := queue.QueueFor(o.Priority)
	id := queue.NewID()
	got, fresh, err := s.submit(r.Context(), project, key, id, []jobSpec{{
		id: id, typ: queue.TypeScreenshot, queue: q, input: body, contentType: mt,
		job: queue.Job{Project: project, ExternalID: o.ExternalID, Callback: o.Callback, Options: o.Render},
	}})
	if err != nil {
		return err
	}
	return s.accepted(w, r, project, got, fresh, queue.TypeScreenshot)
}

// accepted answers 202 for a new job, 200 with the job's status for a
// duplicate.
func (s *Server) accepted(w http.ResponseWriter, r *http.Request, project, id string, fresh bool, typ string) error {
	w.Header().Set("Location", "/v1/jobs/"+id)
	if fresh {
		writeJSON(w, http.StatusAccepted, jobRef(id, typ, queue.StateQueued))
		return nil
	}
	w.Header().Set("Idempotent-Replayed", "true")
	st, err := s.d.Queue.Status(r.Context(), project, id)
	state := queue.StateQueued
	if err == nil {
		state = st.State
	} else if !errors.Is(err, queue.ErrNotFound) {
		return err
	}
	writeJSON(w, http.StatusOK, jobRef(id, typ, state))
	return nil
}

// checkRecording accepts an rrweb event array, a {"events": [...]} object
// (a Gleap webReplay, packed or not) or a Gleap body with webReplay.
func checkRecording(body []byte) ([]byte, error) {
	var probe any
	if err := json.Unmarshal(body, &probe); err != nil {
		return nil, badRequest("body: not valid JSON")
	}
	events := probe
	if m, ok := probe.(map[string]any); ok {
		if wr, ok := m["webReplay"].(map[string]any); ok {
			m = wr
			body, _ = json.Marshal(wr)
		}
		events = m["events"]
	}
	arr, ok := events.([]any)
	if !ok {
		return nil, unprocessable("not a recording: want an rrweb event array or an object with events")
	}
	if len(arr) == 0 {
		return nil, unprocessable("the recording has no events")
	}
	for _, e := range arr {
		switch ev := e.(type) {
		case string: // packed event
		case map[string]any:
			if _, ok := ev["type"].(float64); !ok {
				return nil, unprocessable("not a recording: an event has no numeric type")
			}
		default:
			return nil, unprocessable("not a recording: events must be objects or packed strings")
		}
	}
	return body, nil
}

func (s *Server) postReplay(w http.ResponseWriter, r *http.Request, project string) error {
	body, _, err := s.readBody(w, r, "application/json")
	if err != nil {
		s.enqueued.WithLabelValues(queue.TypeReplay, "rejected").Inc()
		return err
	}
	o, err := s.parseOptions(r, false)
	if err != nil {
		return err
	}
	rec, err := checkRecording(body)
	if err != nil {
		s.enqueued.WithLabelValues(queue.TypeReplay, "rejected").Inc()
		return err
	}
	key, err := idemKey(r, "replay", body, o)
	if err != nil {
		return err
	}
	id := queue.NewID()
	got, fresh, err := s.submit(r.Context(), project, key, id, []jobSpec{{
		id: id, typ: queue.TypeReplay, queue: queue.QueueReplay, input: rec, contentType: "application/json",
		job: queue.Job{Project: project, ExternalID: o.ExternalID, Callback: o.Callback},
	}})
	if err != nil {
		return err
	}
	return s.accepted(w, r, project, got, fresh, queue.TypeReplay)
}

// ItemRef answers POST /v1/items.
type ItemRef struct {
	ItemID     string  `json:"itemId"`
	Screenshot *JobRef `json:"screenshot,omitempty"`
	Replay     *JobRef `json:"replay,omitempty"`
}

func (s *Server) postItem(w http.ResponseWriter, r *http.Request, project string) error {
	body, _, err := s.readBody(w, r, "application/json")
	if err != nil {
		return err
	}
	o, err := s.parseOptions(r, true)
	if err != nil {
		return err
	}
	var fb struct {
		Priority       string          `json:"priority"`
		ScreenshotData json.RawMessage `json:"screenshotData"`
		WebReplay      json.RawMessage `json:"webReplay"`
		MetaData       json.RawMessage `json:"metaData"`
		ExcludeData    map[string]any  `json:"excludeData"`
	}
	if err := json.Unmarshal(body, &fb); err != nil {
		return badRequest("body: not a JSON object")
	}
	if o.Priority == "" && fb.Priority != "" {
		if _, err := queue.QueueFor(fb.Priority); err != nil {
			return badRequest("priority: must be HIGH, MEDIUM or LOW")
		}
		o.Priority = strings.ToUpper(fb.Priority)
	}
	excluded := func(names ...string) bool {
		for _, n := range names {
			if b, _ := fb.ExcludeData[n].(bool); b {
				return true
			}
		}
		return false
	}
	present := func(raw json.RawMessage) bool {
		t := bytes.TrimSpace(raw)
		return len(t) > 0 && !bytes.Equal(t, []byte("null")) && !bytes.Equal(t, []byte("{}"))
	}
	itemID := queue.NewID()
	var specs []jobSpec
	ref := ItemRef{ItemID: itemID}
	if present(fb.ScreenshotData) && !excluded("screenshot", "screenshotData") {
		in := map[string]json.RawMessage{"screenshotData": fb.ScreenshotData}
		if present(fb.MetaData) {
			in["metaData"] = fb.MetaData
		}
		data, _ := json.Marshal(in)
		if _, err := s.d.Parse(data); err != nil {
			return err
		}
		q, _ := queue.QueueFor(o.Priority)
		specs = append(specs, jobSpec{id: itemID + "-s", typ: queue.TypeScreenshot, queue: q, input: data,
			contentType: "application/json",
			job:         queue.Job{Project: project, ItemID: itemID, ExternalID: o.ExternalID, Callback: o.Callback, Options: o.Render}})
	}
	if present(fb.WebReplay) && !excluded("replays", "replay", "webReplay") {
		rec, err := checkRecording(fb.WebReplay)
		if err != nil {
			return err
		}
		specs = append(specs, jobSpec{id: itemID + "-r", typ: queue.TypeReplay, queue: queue.QueueReplay, input: rec,
			contentType: "application/json",
			job:         queue.Job{Project: project, ItemID: itemID, ExternalID: o.ExternalID, Callback: o.Callback}})
	}
	if len(specs) == 0 {
		return unprocessable("the item has neither screenshotData nor webReplay (or both are excluded)")
	}
	key, err := idemKey(r, "item", body, o)
	if err != nil {
		return err
	}
	got, fresh, err := s.submit(r.Context(), project, key, itemID, specs)
	if err != nil {
		return err
	}
	ref.ItemID = got
	for _, sp := range specs {
		jr := jobRef(got+strings.TrimPrefix(sp.id, itemID), sp.typ, queue.StateQueued)
		if sp.typ == queue.TypeReplay {
			ref.Replay = &jr
		} else {
			ref.Screenshot = &jr
		}
	}
	status := http.StatusAccepted
	if !fresh {
		status = http.StatusOK
		w.Header().Set("Idempotent-Replayed", "true")
	}
	writeJSON(w, status, ref)
	return nil
}

// JobView is GET /v1/jobs/{id}: the queue's status plus signed URLs.
type JobView struct {
	*queue.Status
	Results []ResultView `json:"results,omitempty"`
}

// ResultView is one stored result with a signed URL.
type ResultView struct {
	Name        string `json:"name"`
	URL         string `json:"url"`
	Size        int64  `json:"size"`
	ContentType string `json:"contentType"`
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
}

func (s *Server) getJob(w http.ResponseWriter, r *http.Request, project string) error {
	id := r.PathValue("id")
	if !queue.ValidID(id) {
		return errNotFound
	}
	var (
		st  *queue.Status
		err error
	)
	if v := r.URL.Query().Get("wait"); v != "" {
		d, perr := time.ParseDuration(v)
		if perr != nil {
			secs, aerr := strconv.Atoi(v)
			if aerr != nil {
				return badRequest("wait: must be a duration such as 10s")
			}
			d = time.Duration(secs) * time.Second
		}
		if d < 0 {
			return badRequest("wait: must not be negative")
		}
		st, err = s.d.Queue.Wait(r.Context(), project, id, min(d, s.cfg.MaxWait))
	} else {
		st, err = s.d.Queue.Status(r.Context(), project, id)
	}
	if err != nil {
		return err
	}
	v := JobView{Status: st}
	for _, o := range st.Objects {
		u, err := s.d.Store.URL(r.Context(), o.Key, s.cfg.URLTTL)
		if err != nil {
			return fmt.Errorf("sign result URL: %w: %v", errStore, err)
		}
		v.Results = append(v.Results, ResultView{Name: o.Name, URL: u, Size: o.Size, ContentType: o.ContentType, Width: o.Width, Height: o.Height})
	}
	st.Objects = nil
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) getStats(w http.ResponseWriter, r *http.Request, project string) error {
	stats, err := s.d.Queue.Stats(r.Context())
	if err != nil {
		return err
	}
	n, err := s.d.Queue.InFlight(r.Context(), project)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"queues": stats, "project": map[string]any{
		"name": project, "inFlight": n, "cap": s.cfg.ProjectCap}})
	return nil
}

func (s *Server) ownProject(r *http.Request, project string) error {
	if r.PathValue("project") != project {
		return errForbidden
	}
	return nil
}

func (s *Server) exportProject(w http.ResponseWriter, r *http.Request, project string) error {
	if err := s.ownProject(r, project); err != nil {
		return err
	}
	// Buffered: on a storage error mid-way the client gets a 503, not a
	// truncated file.
	var buf bytes.Buffer
	if err := storage.Export(r.Context(), s.d.Store, project, &buf); err != nil {
		return fmt.Errorf("export project: %w: %v", errStore, err)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+project+`.csv"`)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
	return nil
}

func (s *Server) deleteProject(w http.ResponseWriter, r *http.Request, project string) error {
	if err := s.ownProject(r, project); err != nil {
		return err
	}
	if err := storage.DeleteProject(r.Context(), s.d.Store, project, nil); err != nil {
		return fmt.Errorf("delete project: %w: %v", errStore, err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func kindOfType(typ string) storage.Kind {
	if typ == queue.TypeReplay {
		return storage.KindReplay
	}
	return storage.KindScreenshot
}

// deleteItem deletes an item by its id (both its jobs) or one job by its
// job id. An id with no record is 404.
func (s *Server) deleteItem(w http.ResponseWriter, r *http.Request, project string) error {
	id := r.PathValue("id")
	if !queue.ValidID(id) {
		return errNotFound
	}
	found := false
	for _, c := range []struct {
		kind storage.Kind
		id   string
	}{
		{storage.KindScreenshot, id}, {storage.KindReplay, id},
		{storage.KindScreenshot, id + "-s"}, {storage.KindReplay, id + "-r"},
	} {
		if !queue.ValidID(c.id) {
			continue
		}
		_, err := storage.GetItem(r.Context(), s.d.Store, project, c.kind, c.id)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("delete item: %w: %v", errStore, err)
		}
		found = true
		if err := storage.DeleteItem(r.Context(), s.d.Store, project, c.kind, c.id); err != nil {
			return fmt.Errorf("delete item: %w: %v", errStore, err)
		}
	}
	if !found {
		return errNotFound
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request, _ string) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request, _ string) error {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	checks := map[string]string{"redis": "ok", "storage": "ok"}
	ready := true
	if err := s.d.Queue.Ping(ctx); err != nil {
		checks["redis"], ready = "unavailable", false
	}
	if _, err := s.d.Store.Head(ctx, "kiln-readyz-probe"); err != nil && !errors.Is(err, storage.ErrNotFound) {
		checks["storage"], ready = "unavailable", false
	}
	status := http.StatusOK
	if !ready {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, checks)
	return nil
}

func (s *Server) metrics(w http.ResponseWriter, r *http.Request, _ string) error {
	promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
	return nil
}
