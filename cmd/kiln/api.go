package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/kilnrender/kiln/ingest"
	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/snapshot"
	"github.com/kilnrender/kiln/storage"
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
	urlTTL      *time.Duration
	retention   *time.Duration
	redis       *redisFlags
	store       *storeFlags
}

func addAPIFlags(e *envFlags) *apiFlags {
	d, q := ingest.DefaultConfig(), queue.DefaultConfig()
	return &apiFlags{
		port:        e.Int("port", "PORT", 8080, "HTTP port"),
		keys:        e.String("api-keys", "KILN_API_KEYS", "", "API keys as project:key,project2:key2"),
		keysFile:    e.String("api-keys-file", "KILN_API_KEYS_FILE", "", "file of project:sha256hex lines"),
		maxBody:     e.Int("max-body-bytes", "KILN_MAX_BODY_BYTES", int(d.MaxBodyBytes), "request body cap, as sent"),
		maxInflated: e.Int("max-inflated-bytes", "KILN_MAX_INFLATED_BYTES", int(d.MaxInflatedBytes), "request body cap after gzip inflation"),
		projectCap:  e.Int("project-cap", "KILN_PROJECT_CAP", d.ProjectCap, "jobs in flight per project before 429 (0: no cap)"),
		maxWait:     e.Duration("max-wait", "KILN_MAX_WAIT", d.MaxWait, "longest ?wait= long-poll"),
		urlTTL:      e.Duration("url-ttl", "KILN_URL_TTL", d.URLTTL, "lifetime of signed result URLs"),
		retention:   e.Duration("retention", "KILN_RETENTION", q.Retention, "how long finished jobs stay visible (whole seconds)"),
		redis:       addRedisFlags(e),
		store:       addStoreFlags(e),
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
	ic.MaxWait, ic.URLTTL = *a.maxWait, *a.urlTTL
	qc := queue.DefaultConfig()
	qc.Retention = *a.retention
	ic.IdempotencyTTL = qc.Retention
	var errs []error
	if *a.port <= 0 || *a.port > 65535 {
		errs = append(errs, fmt.Errorf("port %d: out of range", *a.port))
	}
	errs = append(errs, ic.Validate(), qc.Validate(), a.redis.config().Validate(), a.store.validate())
	return ic, qc, errors.Join(errs...)
}

func parseSnapshot(data []byte) (*snapshot.Snapshot, error) {
	return snapshot.Parse(data, snapshot.Options{})
}

func runAPI(ctx context.Context, args []string) error {
	e := serviceFlagSet("api")
	a := addAPIFlags(e)
	if err := parseServiceFlags(e, args); err != nil {
		return err
	}
	ic, qc, cerr := a.configs()
	keys, kerr := a.loadKeys()
	if err := errors.Join(e.Err(), cerr, kerr); err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	log := newLogger()
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
	qcl := queue.NewClient(rdb, qc)
	defer qcl.Close()
	deps := ingest.Deps{Store: store, Queue: qcl, Keys: keys, Parse: parseSnapshot, Logger: log}
	if fs, ok := store.(storage.FileServer); ok {
		deps.Files = fs.Handler()
	}
	srv, err := ingest.New(ic, deps)
	if err != nil {
		return err
	}
	return serveHTTP(ctx, ":"+strconv.Itoa(*a.port), srv, log.Info)
}

// serveHTTP serves h until ctx ends, then drains for up to 20 s.
func serveHTTP(ctx context.Context, addr string, h http.Handler, logf func(string, ...any)) error {
	hs := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	logf("api listening", "addr", ln.Addr().String())
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
