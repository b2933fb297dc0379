package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/kilnrender/kiln/ingest"
	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/settings"
	"github.com/kilnrender/kiln/snapshot"
	"github.com/kilnrender/kiln/storage"
	"github.com/prometheus/client_golang/prometheus"
)

// apiFlags are the api command's settings.
type apiFlags struct {
	port        *int
	keys        *string
	keysFile    *string
	maxBody     *int
	maxInflated *int
	projectCap  *int
	maxWait     *time.Duration
	renderWait  *time.Duration
	urlTTL      *time.Duration
	retention   *time.Duration
	viewer      *bool
	bodyGrace   *time.Duration
	bodyRate    *int
	bodyMax     *time.Duration
	uploads     *int
	clientIP    *string
	maxRetry    *int
	redis       *redisFlags
	store       *storeFlags
	log         *logFlags
	// freePort accepts port 0 (a free port), for kiln dev.
	freePort bool
}

// addAPIFlags defines the api command's flags; dev shares them with its
// own defaults for the Redis URL and the viewer.
func addAPIFlags(e *envFlags, redisDefault, redisUsage string, viewer bool) *apiFlags {
	d, q := ingest.DefaultConfig(), queue.DefaultConfig()
	return &apiFlags{
		port:        e.Int("port", "PORT", 8080, "HTTP port (kiln dev: 0 picks a free one)"),
		keys:        e.String("api-keys", "KILN_API_KEYS", "", "API keys as project:key,project2:key2"),
		keysFile:    e.String("api-keys-file", "KILN_API_KEYS_FILE", "", "file of project:sha256hex lines"),
		maxBody:     e.Int("max-body-bytes", "KILN_MAX_BODY_BYTES", int(d.MaxBodyBytes), "request body cap, as sent"),
		maxInflated: e.Int("max-inflated-bytes", "KILN_MAX_INFLATED_BYTES", int(d.MaxInflatedBytes), "request body cap after gzip inflation"),
		projectCap:  e.Int("project-cap", "KILN_PROJECT_CAP", d.ProjectCap, "jobs in flight per project before 429 (0: no cap)"),
		maxWait:     e.Duration("max-wait", "KILN_MAX_WAIT", d.MaxWait, "longest ?wait= long-poll"),
		renderWait:  e.Duration("render-wait", "KILN_RENDER_WAIT", d.RenderWait, "how long POST /v1/render waits for its image before it answers 504 with the job's id (at most 5m)"),
		urlTTL:      e.Duration("url-ttl", "KILN_URL_TTL", d.URLTTL, "lifetime of signed result URLs"),
		retention:   e.Duration("retention", "KILN_RETENTION", q.Retention, "how long finished jobs stay visible (whole seconds)"),
		viewer:      e.Bool("viewer", "KILN_VIEWER", viewer, "serve the viewer page at / (it asks for an API key)"),
		bodyGrace:   e.Duration("body-grace", "KILN_BODY_GRACE", d.BodyGrace, "time a request body may take before --min-body-rate applies"),
		bodyRate:    e.Int("min-body-rate", "KILN_MIN_BODY_RATE", int(d.MinBodyRate), "bytes per second a request body must arrive at after the grace (slower: 408)"),
		bodyMax:     e.Duration("max-body-time", "KILN_MAX_BODY_TIME", d.MaxBodyTime, "longest time a request body may take, whatever its rate"),
		uploads:     e.Int("max-uploads-per-client", "KILN_MAX_UPLOADS_PER_CLIENT", d.MaxUploadsPerClient, "request bodies one client may send at once before 429 (0: no cap)"),
		maxRetry:    e.Int("max-retry", "KILN_MAX_RETRY", q.MaxRetry, "retries of a failed job (at least 1); set on the API too: a job's retries are fixed when it is enqueued"),
		clientIP:    e.String("client-ip-header", "KILN_CLIENT_IP_HEADER", d.ClientIPHeader, "header naming the client's address behind a proxy that sets it (e.g. Fly-Client-IP); empty: the connection's address"),
		redis:       addRedisFlags(e, redisDefault, redisUsage),
		store:       addStoreFlags(e),
		log:         addLogFlags(e),
	}
}

// keys loads the API keys; every problem is reported.
func (a *apiFlags) loadKeys() (*ingest.Keys, error) {
	k, err := ingest.ParseKeys(*a.keys)
	errs := []error{err}
	if *a.keysFile != "" {
		b, rerr := os.ReadFile(*a.keysFile)
		if rerr != nil {
			errs = append(errs, fmt.Errorf("read KILN_API_KEYS_FILE: %w", rerr))
		} else {
			fk, ferr := ingest.ParseKeyFile(string(b))
			errs = append(errs, ferr)
			k.Merge(fk)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if k.Len() == 0 {
		return nil, errors.New("no API keys: set KILN_API_KEYS or KILN_API_KEYS_FILE")
	}
	return k, nil
}

func (a *apiFlags) configs() (ingest.Config, queue.Config, error) {
	ic := ingest.DefaultConfig()
	ic.MaxBodyBytes, ic.MaxInflatedBytes, ic.ProjectCap = int64(*a.maxBody), int64(*a.maxInflated), *a.projectCap
	ic.MaxWait, ic.RenderWait, ic.URLTTL, ic.Viewer = *a.maxWait, *a.renderWait, *a.urlTTL, *a.viewer
	ic.BodyGrace, ic.MinBodyRate, ic.MaxBodyTime = *a.bodyGrace, int64(*a.bodyRate), *a.bodyMax
	ic.MaxUploadsPerClient, ic.ClientIPHeader = *a.uploads, *a.clientIP
	qc := queue.DefaultConfig()
	qc.Retention, qc.MaxRetry = *a.retention, *a.maxRetry
	ic.IdempotencyTTL = qc.Retention
	var errs []error
	if *a.port < 0 || *a.port > 65535 || (*a.port == 0 && !a.freePort) {
		errs = append(errs, fmt.Errorf("port %d: out of range", *a.port))
	}
	errs = append(errs, ic.Validate(), qc.Validate(), a.redis.config().Validate(), a.store.validate(), a.log.validate())
	return ic, qc, errors.Join(errs...)
}

func parseSnapshot(data []byte) (*snapshot.Snapshot, error) {
	return snapshot.Parse(data, snapshot.Options{})
}

func runAPI(ctx context.Context, args []string) error {
	e := serviceFlagSet("api")
	a := addAPIFlags(e, defaultRedisURL, redisURLUsage, false)
	// The workers' network policy: callback URLs it refuses are refused
	// at submit time (400) rather than failing at delivery.
	netPolicy := addNetFlags(e)
	if err := parseServiceFlags(e, args); err != nil {
		return err
	}
	ic, qc, cerr := a.configs()
	qc.Network = netPolicy.config()
	if err := qc.Network.Validate(); err != nil {
		cerr = errors.Join(cerr, err)
	}
	keys, kerr := a.loadKeys()
	if err := errors.Join(e.Err(), cerr, kerr); err != nil {
		return badConfig(err)
	}
	log := a.log.logger()
	store, err := a.store.open(ctx, os.Getenv, *a.port)
	if err != nil {
		return err
	}
	if c, ok := store.(io.Closer); ok {
		defer c.Close()
	}
	rdb, err := queue.NewRedisClient(a.redis.config())
	if err != nil {
		return err
	}
	defer rdb.Close()
	qcl := queue.NewClient(rdb, store, qc, log)
	defer qcl.Close()
	srv, err := newAPIServer(ic, store, qcl, keys, log, nil, "")
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", ":"+strconv.Itoa(*a.port))
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	return serveHTTP(ctx, ln, srv, log)
}

// newAPIServer builds the ingest API on its parts.
func newAPIServer(ic ingest.Config, store storage.Store, qcl *queue.Client, keys *ingest.Keys, log *slog.Logger, reg *prometheus.Registry, viewerKey string) (*ingest.Server, error) {
	scrubItem, err := itemScrubber()
	if err != nil {
		return nil, err
	}
	deps := ingest.Deps{Store: store, Queue: qcl, Keys: keys, Parse: snapshot.Parse, Scrub: scrubItem,
		Settings: settings.NewCache(store, 0), Logger: log, Registry: reg, ViewerKey: viewerKey}
	if fs, ok := store.(storage.FileServer); ok {
		deps.Files = fs.Handler()
	}
	return ingest.New(ic, deps)
}

// serveHTTP serves h on ln until ctx ends, then drains for up to 20 s.
func serveHTTP(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	log.Info("listening", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}
