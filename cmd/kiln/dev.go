package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/renderer"
	"github.com/kilnrender/kiln/storage"
	"github.com/prometheus/client_golang/prometheus"
)

// devKey is the API key of `kiln dev` when none is configured.
const devKey = "dev:kiln-dev-key-0000"

// sampleCurl is the sample the banner's curl command submits.
const sampleCurl = "testdata/corpus/gleap-local/feedback.json.gz"

// devFlags are the dev command's settings: the api's, plus a worker's.
type devFlags struct {
	api          *apiFlags
	host         *string
	concurrency  *int
	browsers     *int
	chrome       *string
	ffmpeg       *string
	recompress   *bool
	net          *netFlags
	smoke        *bool
	samples      *string
	smokeTimeout *time.Duration
}

func addDevFlags(e *envFlags) *devFlags {
	return &devFlags{
		api:          addAPIFlags(e, "", "Redis URL; empty: an embedded in-memory queue store, lost on exit", true),
		host:         e.String("host", "KILN_HOST", "127.0.0.1", "address to listen on (the dev key is public: keep loopback unless KILN_API_KEYS is set)"),
		concurrency:  e.Int("worker-concurrency", "KILN_WORKER_CONCURRENCY", 2, "jobs at once"),
		browsers:     e.Int("browsers", "KILN_BROWSERS", 2, "Chromium processes"),
		chrome:       e.String("chrome", "KILN_CHROME_PATH", "", "Chromium binary (default: found on PATH)"),
		ffmpeg:       e.String("ffmpeg", "KILN_FFMPEG_PATH", "", ffmpegUsage),
		recompress:   e.Bool("recompress-images", "KILN_REPLAY_RECOMPRESS_IMAGES", true, recompressUsage),
		net:          addNetFlags(e),
		smoke:        e.Bool("smoke", "KILN_SMOKE", false, "submit the samples through the API, wait for every job, print a line each and exit (status 1 if any failed)"),
		samples:      e.String("samples", "KILN_SAMPLES", "testdata/corpus/gleap-local/feedback.json.gz,testdata/corpus/*/snapshot.kiln.json.gz", "comma-separated files or globs that --smoke submits"),
		smokeTimeout: e.Duration("smoke-timeout", "KILN_SMOKE_TIMEOUT", 3*time.Minute, "how long --smoke waits for all its jobs"),
	}
}

// devServer is a running `kiln dev`.
type devServer struct {
	URL    string // base URL of the API and viewer, e.g. http://127.0.0.1:8080
	Key    string // the API key the banner shows ("" when keys are configured)
	Viewer bool
	done   chan error
}

// runDev runs the API, a worker and (unless REDIS_URL or Sentinel/Cluster
// settings are given) an in-process Redis (miniredis) in one process, with
// a folder store unless KILN_STORE says otherwise: for trying Kiln on a
// laptop, never for production (the embedded queue lives in memory).
func runDev(ctx context.Context, args []string) error {
	e := serviceFlagSet("dev")
	f := addDevFlags(e)
	if err := parseServiceFlags(e, args); err != nil {
		return err
	}
	if *f.smoke && !e.isSet("log-level") {
		*f.api.log.level = "warn" // the smoke run's own lines are the output
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	d, err := startDev(ctx, e, f)
	if err != nil {
		return err
	}
	if *f.smoke {
		serr := d.smoke(ctx, os.Stdout, splitList(*f.samples), *f.smokeTimeout)
		cancel()
		return errors.Join(serr, <-d.done)
	}
	d.banner(os.Stderr)
	return <-d.done
}

// startDev starts everything and returns once the API is listening; d.done
// receives the result when ctx ends.
func startDev(ctx context.Context, e *envFlags, f *devFlags) (*devServer, error) {
	a := f.api
	a.freePort = true
	d := &devServer{done: make(chan error, 1), Viewer: *a.viewer}
	if *a.keys == "" && *a.keysFile == "" {
		*a.keys = devKey
		d.Key = strings.TrimPrefix(devKey, "dev:")
	} else if _, k, ok := strings.Cut(strings.Split(*a.keys, ",")[0], ":"); ok {
		d.Key = strings.TrimSpace(k) // for --smoke; not injected into the viewer
	}
	var mr *miniredis.Miniredis
	external := *a.redis.url != "" || *a.redis.sentinels != "" || *a.redis.cluster != ""
	if !external {
		mr = miniredis.NewMiniRedis()
		if err := mr.Start(); err != nil {
			return nil, fmt.Errorf("start embedded redis: %w", err)
		}
		*a.redis.url = "redis://" + mr.Addr() + "/0"
	}
	closeRedis := func() {
		if mr != nil {
			mr.Close()
		}
	}
	ic, qc, cerr := a.configs()
	keys, kerr := a.loadKeys()
	qc.Concurrency = *f.concurrency
	rc := renderer.DefaultConfig()
	rc.ChromePath, rc.Browsers = *f.chrome, *f.browsers
	rc.Fetch = f.net.config()
	if err := errors.Join(e.Err(), cerr, kerr, rc.Validate()); err != nil {
		closeRedis()
		return nil, badConfig(err)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(*f.host, strconv.Itoa(*a.port)))
	if err != nil {
		closeRedis()
		return nil, fmt.Errorf("listen: %w", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	host := *f.host
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	d.URL = "http://" + net.JoinHostPort(host, strconv.Itoa(port))
	if *a.store.baseURL == "" {
		// Signed URLs of a folder store point where the viewer is served:
		// same origin, so the page can read replay manifests.
		*a.store.baseURL = d.URL
	}
	log := a.log.logger()
	var wg sync.WaitGroup
	tickCtx, stopTick := context.WithCancel(ctx)
	stop := func() {
		ln.Close()
		stopTick()
		wg.Wait()
		closeRedis()
	}
	if mr != nil {
		// miniredis only ages keys when told: keep its clock and TTLs
		// moving with the wall clock.
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := time.Now()
			t := time.NewTicker(time.Second)
			defer t.Stop()
			for {
				select {
				case <-tickCtx.Done():
					return
				case now := <-t.C:
					mr.SetTime(now)
					mr.FastForward(now.Sub(last))
					last = now
				}
			}
		}()
	}
	if err := devStoreKey(*a.store.uri, os.Getenv); err != nil {
		stop()
		return nil, err
	}
	store, err := a.store.open(ctx, os.Getenv, port)
	if err != nil {
		stop()
		return nil, err
	}
	closeStore := func() {
		if c, ok := store.(io.Closer); ok {
			c.Close()
		}
	}
	rdb, err := queue.NewRedisClient(a.redis.config())
	if err != nil {
		closeStore()
		stop()
		return nil, err
	}
	reg := prometheus.NewRegistry()
	startCtx, cancelStart := context.WithTimeout(ctx, 60*time.Second)
	w, closeWorker, err := newWorker(startCtx, rdb, qc, rc, replayJobConfig(*f.recompress), *f.ffmpeg, store, log, reg)
	cancelStart()
	if err != nil {
		rdb.Close()
		closeStore()
		stop()
		return nil, err
	}
	viewerKey := ""
	if *a.keys == devKey {
		viewerKey = d.Key
	}
	qc.Network = rc.Fetch // the API checks callback URLs under the worker's policy
	srv, err := newAPIServer(ic, store, queue.NewClient(rdb, store, qc, log), keys, log, reg, viewerKey)
	if err != nil {
		closeWorker()
		rdb.Close()
		closeStore()
		stop()
		return nil, err
	}
	werr := make(chan error, 1)
	go func() { werr <- w.Run(ctx) }()
	herr := make(chan error, 1)
	go func() { herr <- serveHTTP(ctx, ln, srv, log) }()
	go func() {
		err := errors.Join(<-herr, <-werr)
		closeWorker()
		rdb.Close()
		closeStore()
		stop()
		d.done <- err
	}()
	return d, nil
}

// banner prints where to look and a ready-to-run submission.
func (d *devServer) banner(w io.Writer) {
	fmt.Fprintf(w, "\nkiln dev is running: API and worker in one process (not for production).\n\n")
	if d.Viewer {
		fmt.Fprintf(w, "  viewer:  %s/\n", d.URL)
	}
	fmt.Fprintf(w, "  API:     %s/v1/  (docs/api.md)\n  metrics: %s/metrics\n", d.URL, d.URL)
	if d.Key == "" {
		fmt.Fprintf(w, "\nUse one of your configured API keys.\n")
		return
	}
	if strings.HasPrefix(devKey, "dev:"+d.Key) {
		fmt.Fprintf(w, "  key:     %s (project \"dev\")\n", d.Key)
	}
	fmt.Fprintf(w, "\nSubmit a sample (a real Gleap SDK payload) from the repository's root:\n\n")
	fmt.Fprintf(w, "  curl -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' -H 'Content-Encoding: gzip' \\\n", d.Key)
	fmt.Fprintf(w, "       --data-binary @%s %s/v1/items\n\n", sampleCurl, d.URL)
	fmt.Fprintf(w, "then follow a job it returns:\n\n  curl -H 'Authorization: Bearer %s' '%s/v1/jobs/<id>?wait=30s'\n\n", d.Key, d.URL)
}

// devStoreKey keeps kiln dev's folder store encrypted too: unless
// KILN_STORE_KEY is set, a master key lives in the folder's store.key
// (created 0600 on the first run, reused after), which storage.Open then
// uses. An S3 store is left as configured.
func devStoreKey(uri string, getenv func(string) string) error {
	if getenv("KILN_STORE_KEY") != "" {
		return nil
	}
	dir, ok, err := storage.FolderDir(uri)
	if err != nil || !ok {
		return nil // not a folder; storeFlags.validate and Open report bad URIs
	}
	if _, err := storage.CreateKeyFile(filepath.Join(dir, storage.FolderKeyFile)); err != nil {
		return fmt.Errorf("dev store key: %w", err)
	}
	return nil
}
