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
	"runtime"
	"time"

	"github.com/kilnrender/kiln/internal/procstat"
	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/renderer"
	"github.com/kilnrender/kiln/replay"
	"github.com/kilnrender/kiln/storage"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"
)

// ffmpegUsage is the usage of the worker's (and kiln dev's) --ffmpeg.
const ffmpegUsage = "ffmpeg binary for replay videos (default: found on PATH, and videos are off without it; given: the worker does not start without it)"

type workerFlags struct {
	concurrency, maxRetry, browsers, port      *int
	shutdown, renderTimeout, retention         *time.Duration
	retryBase, retryMax, taskCheck, delayCheck *time.Duration
	webhookSecret, chrome, metricsAddr, ffmpeg *string
	recompressImages                           *bool
	net                                        *netFlags
	redis                                      *redisFlags
	store                                      *storeFlags
	log                                        *logFlags
}

func addWorkerFlags(e *envFlags) *workerFlags {
	q := queue.DefaultConfig()
	return &workerFlags{
		concurrency:      e.Int("worker-concurrency", "KILN_WORKER_CONCURRENCY", 0, "jobs at once (0: min(2·cores, available memory/300MB))"),
		maxRetry:         e.Int("max-retry", "KILN_MAX_RETRY", q.MaxRetry, "retries of a failed job (at least 1)"),
		browsers:         e.Int("browsers", "KILN_BROWSERS", 0, "Chromium processes (0: sized from the machine: min(cores, 85% of available memory / 1.05 GB), at least 1)"),
		port:             e.Int("port", "PORT", 8080, "the API's port, for signed URLs of a folder store"),
		shutdown:         e.Duration("shutdown-timeout", "KILN_SHUTDOWN_TIMEOUT", q.ShutdownTimeout, "on SIGTERM, how long in-flight jobs may finish before they are requeued"),
		renderTimeout:    e.Duration("render-timeout", "KILN_RENDER_TIMEOUT", q.ScreenshotTimeout, "one screenshot attempt (whole seconds)"),
		retention:        e.Duration("retention", "KILN_RETENTION", q.Retention, "how long finished jobs stay visible (whole seconds)"),
		retryBase:        e.Duration("retry-base", "KILN_RETRY_BASE", q.RetryBase, "first retry delay, doubled each retry"),
		retryMax:         e.Duration("retry-max", "KILN_RETRY_MAX", q.RetryMax, "longest retry delay"),
		taskCheck:        e.Duration("task-check-interval", "KILN_TASK_CHECK_INTERVAL", q.TaskCheckInterval, "idle poll interval (pickup latency)"),
		delayCheck:       e.Duration("delayed-task-check-interval", "KILN_DELAYED_TASK_CHECK_INTERVAL", q.DelayedTaskCheckInterval, "how often retries are moved back to their queue"),
		webhookSecret:    e.String("webhook-secret", "KILN_WEBHOOK_SECRET", "", "HMAC-SHA256 secret signing completion callbacks"),
		chrome:           e.String("chrome", "KILN_CHROME_PATH", "", "Chromium binary (default: found on PATH)"),
		ffmpeg:           e.String("ffmpeg", "KILN_FFMPEG_PATH", "", ffmpegUsage),
		recompressImages: e.Bool("recompress-images", "KILN_REPLAY_RECOMPRESS_IMAGES", true, recompressUsage),
		metricsAddr:      e.String("metrics-addr", "KILN_METRICS_ADDR", "", "serve Prometheus /metrics and /healthz on this address (e.g. :9090); empty: off"),
		net:              addNetFlags(e),
		redis:            addRedisFlags(e, defaultRedisURL, redisURLUsage),
		store:            addStoreFlags(e),
		log:              addLogFlags(e),
	}
}

func (f *workerFlags) configs() (queue.Config, renderer.Config, error) {
	q := queue.DefaultConfig()
	q.Concurrency, q.MaxRetry, q.ShutdownTimeout = *f.concurrency, *f.maxRetry, *f.shutdown
	q.ScreenshotTimeout, q.Retention = *f.renderTimeout, *f.retention
	q.RetryBase, q.RetryMax = *f.retryBase, *f.retryMax
	q.TaskCheckInterval, q.DelayedTaskCheckInterval = *f.taskCheck, *f.delayCheck
	q.WebhookSecret = *f.webhookSecret
	r := renderer.DefaultConfig()
	r.ChromePath, r.Browsers = *f.chrome, *f.browsers
	if r.Browsers == 0 {
		r.Browsers = renderer.BrowsersFor(runtime.GOMAXPROCS(0), procstat.AvailableMemory())
	}
	r.Fetch = f.net.config() // Validate checks its policy, which callbacks share
	return q, r, errors.Join(q.Validate(), r.Validate(), f.redis.config().Validate(), f.store.validate(), f.log.validate())
}

// replayConfig is the replay jobs' configuration: replay's defaults with
// the worker's settings.
func (f *workerFlags) replayConfig() replay.Config { return replayJobConfig(*f.recompressImages) }

// replayJobConfig is replay's default configuration, PNGs re-encoded or
// not (--recompress-images).
func replayJobConfig(recompressImages bool) replay.Config {
	c := replay.DefaultConfig()
	c.RecompressImages = recompressSetting(recompressImages)
	return c
}

// recompressSetting is replay.Config.RecompressImages for
// --recompress-images: 0 (re-encode) or -1 (store as recorded).
func recompressSetting(on bool) int {
	if on {
		return 0
	}
	return -1
}

func runWorker(ctx context.Context, args []string) error {
	e := serviceFlagSet("worker")
	f := addWorkerFlags(e)
	if err := parseServiceFlags(e, args); err != nil {
		return err
	}
	qc, rc, err := f.configs()
	if err = errors.Join(e.Err(), err); err != nil {
		return badConfig(err)
	}
	log := f.log.logger()
	store, err := f.store.open(ctx, os.Getenv, *f.port)
	if err != nil {
		return err
	}
	if c, ok := store.(io.Closer); ok {
		defer c.Close()
	}
	rdb, err := queue.NewRedisClient(f.redis.config())
	if err != nil {
		return err
	}
	defer rdb.Close()
	reg := prometheus.NewRegistry()
	w, closeWorker, err := newWorker(ctx, rdb, qc, rc, f.replayConfig(), *f.ffmpeg, store, log, reg)
	if err != nil {
		return err
	}
	defer closeWorker()
	if *f.metricsAddr != "" {
		reg.MustRegister(queue.NewCollector(queue.NewClient(rdb, nil, qc, log)),
			collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
		// The container's health check (kiln healthcheck --url …/healthz):
		// the process is up and serving.
		mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
		ln, err := net.Listen("tcp", *f.metricsAddr)
		if err != nil {
			return fmt.Errorf("listen for metrics: %w", err)
		}
		go func() {
			if err := serveHTTP(ctx, ln, mux, log); err != nil {
				log.Error("metrics server", "err", err)
			}
		}()
	}
	log.Info("worker started", "concurrency", w.Concurrency(), "browsers", rc.Browsers, "tabs_per_browser", max(rc.TabsPerBrowser, 1), "shutdown_timeout", qc.ShutdownTimeout.String())
	err = w.Run(ctx)
	log.Info("worker stopped")
	return err
}

// newWorker starts a renderer pool and builds a worker on it, with its
// metrics (jobs, steps, blocked requests, warnings, browser restarts) in
// reg; ffmpeg is the --ffmpeg setting (newVideoMaker). The returned
// function closes the pool: call it after Run returns.
func newWorker(ctx context.Context, rdb redis.UniversalClient, qc queue.Config, rc renderer.Config, rpc replay.Config, ffmpeg string, store storage.Store, log *slog.Logger, reg *prometheus.Registry) (*queue.Worker, func(), error) {
	rc.Logf = func(format string, args ...any) { log.Info(fmt.Sprintf(format, args...), "component", "renderer") }
	// The pool outlives ctx: on SIGTERM in-flight renders must finish
	// first; it is closed after the worker has drained.
	pool, err := renderer.New(context.WithoutCancel(ctx), rc)
	if err != nil {
		return nil, nil, err
	}
	rb, closeReplay, err := newReplayBuilder(ctx, pool, rpc, log)
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	vm, err := newVideoMaker(pool, ffmpeg, log)
	if err != nil {
		closeReplay()
		pool.Close()
		return nil, nil, err
	}
	closeAll := func() {
		closeReplay()
		pool.Close()
	}
	queue.RegisterPool(reg, poolCounters(pool))
	h := queue.Handlers{Store: store, Renderer: poolRenderer{pool}, Parse: parseSnapshot, Logger: log}
	if rb != nil {
		h.Replay = rb
	}
	if vm != nil {
		h.Video = vm
	}
	// Callbacks go out under the renderer's network policy: one setting
	// for every request Kiln makes.
	qc.Network = rc.Fetch
	w, err := queue.NewWorker(rdb, qc, h, queue.NewMetrics(reg))
	if err != nil {
		closeAll()
		return nil, nil, err
	}
	return w, closeAll, nil
}
