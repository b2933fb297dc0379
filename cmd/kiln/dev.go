package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/kilnrender/kiln/ingest"
	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/renderer"
	"github.com/kilnrender/kiln/storage"
	"github.com/prometheus/client_golang/prometheus"
)

// devKey is the API key of `kiln dev` when none is configured.
const devKey = "dev:kiln-dev-key-0000"

// runDev runs the API, a worker and an in-process Redis (miniredis) in one
// process: for trying Kiln on a laptop, never for production (the queue
// lives in memory and is lost on exit).
func runDev(ctx context.Context, args []string) error {
	e := serviceFlagSet("dev")
	a := addAPIFlags(e)
	concurrency := e.Int("worker-concurrency", "KILN_WORKER_CONCURRENCY", 2, "jobs at once")
	chrome := e.String("chrome", "KILN_CHROME_PATH", "", "Chromium binary (default: found on PATH)")
	if err := parseServiceFlags(e, args); err != nil {
		return err
	}
	if *a.keys == "" && *a.keysFile == "" {
		*a.keys = devKey
		fmt.Fprintf(os.Stderr, "kiln dev: no API keys configured; using project %q with key %q\n", "dev", devKey[len("dev:"):])
	}
	mr := miniredis.NewMiniRedis()
	if err := mr.Start(); err != nil {
		return fmt.Errorf("start embedded redis: %w", err)
	}
	defer mr.Close()
	*a.redis.url = "redis://" + mr.Addr() + "/0"
	ic, qc, cerr := a.configs()
	keys, kerr := a.loadKeys()
	qc.Concurrency = *concurrency
	rc := renderer.DefaultConfig()
	rc.ChromePath = *chrome
	if err := errors.Join(e.Err(), cerr, kerr, rc.Validate()); err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	// miniredis only ages keys when told: keep its clock and TTLs moving.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		last := time.Now()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				mr.SetTime(now)
				mr.FastForward(now.Sub(last))
				last = now
			}
		}
	}()
	defer wg.Wait()

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
	pool, err := renderer.New(context.WithoutCancel(ctx), rc)
	if err != nil {
		return err
	}
	defer pool.Close()
	w, err := queue.NewWorker(rdb, qc, queue.Handlers{Store: store, Renderer: pool, Parse: parseSnapshot, Logger: log}, queue.NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		return err
	}
	deps := ingest.Deps{Store: store, Queue: queue.NewClient(rdb, qc), Keys: keys, Parse: parseSnapshot, Logger: log}
	if fs, ok := store.(storage.FileServer); ok {
		deps.Files = fs.Handler()
	}
	srv, err := ingest.New(ic, deps)
	if err != nil {
		return err
	}
	werr := make(chan error, 1)
	go func() { werr <- w.Run(ctx) }()
	herr := serveHTTP(ctx, ":"+strconv.Itoa(*a.port), srv, log.Info)
	return errors.Join(herr, <-werr)
}
