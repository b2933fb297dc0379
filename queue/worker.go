package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/hibiken/asynq"
	"github.com/kilnrender/kiln/storage"
	"github.com/redis/go-redis/v9"
)

// Worker runs the render and callback handlers as an asynq server.
type Worker struct {
	h       *Handlers
	cfg     Config
	rdb     redis.UniversalClient
	srv     *asynq.Server
	ac      *asynq.Client
	mux     *asynq.ServeMux
	log     *slog.Logger
	metrics *Metrics
	cb      *callbacker
	client  *Client // for the retention sweep's deletions
}

// NewWorker builds a worker on rdb (shared, not closed by the worker).
// metrics may be nil.
func NewWorker(rdb redis.UniversalClient, cfg Config, h Handlers, metrics *Metrics) (*Worker, error) {
	var errs []error
	if err := cfg.Validate(); err != nil {
		errs = append(errs, err)
	}
	if h.Store == nil {
		errs = append(errs, errors.New("queue: a store is required"))
	}
	if h.Renderer == nil {
		errs = append(errs, errors.New("queue: a renderer is required"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	log := h.Logger
	if log == nil {
		log = slog.Default()
	}
	w := &Worker{h: &h, cfg: cfg, rdb: rdb, log: log, metrics: metrics,
		ac: asynq.NewClientFromRedisClient(rdb)}
	w.cb = newCallbacker(cfg)
	w.client = NewClient(rdb, h.Store, cfg, log)
	w.mux = asynq.NewServeMux()
	w.mux.HandleFunc(TypeScreenshot, w.render)
	w.mux.HandleFunc(TypeReplay, w.render)
	w.mux.HandleFunc(TypeVideoPart, w.videoPart)
	w.mux.HandleFunc(TypeVideoJoin, w.videoJoin)
	w.mux.HandleFunc(TypeCallback, w.callback)
	w.mux.HandleFunc(TypeRetention, w.retention)
	w.srv = asynq.NewServerFromRedisClient(rdb, asynq.Config{
		Concurrency:              cfg.concurrency(),
		Queues:                   Queues(),
		RetryDelayFunc:           cfg.retryDelay,
		ShutdownTimeout:          cfg.ShutdownTimeout,
		TaskCheckInterval:        cfg.TaskCheckInterval,
		DelayedTaskCheckInterval: cfg.DelayedTaskCheckInterval,
		Logger:                   asynqLogger{log},
		LogLevel:                 asynq.WarnLevel,
	})
	return w, nil
}

// Concurrency is how many tasks the worker runs at once.
func (w *Worker) Concurrency() int { return w.cfg.concurrency() }

// Run processes tasks until ctx ends, then stops taking new tasks, waits
// up to ShutdownTimeout for the running ones (the rest go back to their
// queue without using a retry) and returns.
func (w *Worker) Run(ctx context.Context) error {
	if err := w.srv.Start(w.mux); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	go w.scheduleRetention(ctx)
	<-ctx.Done()
	w.srv.Stop()
	w.srv.Shutdown()
	return nil
}

// retryDelay is RetryBase·2^n capped at RetryMax, plus up to 20% jitter so
// that tasks failed together do not come back together.
func (c Config) retryDelay(n int, _ error, _ *asynq.Task) time.Duration {
	d := c.RetryBase
	for i := 0; i < n && d < c.RetryMax; i++ {
		d *= 2
	}
	d = min(d, c.RetryMax)
	return d + time.Duration(rand.Int64N(int64(d)/5+1))
}

// finish runs when a job reaches a final state: it frees the job's slot of
// the project cap and schedules the completion callback.
func (w *Worker) finish(ctx context.Context, id, typ string, job Job, state string, res *Result) {
	bg := context.WithoutCancel(ctx)
	if state != StateDone { // a done job's record was written before its result
		if err := w.putItem(bg, id, typ, job, state, res); err != nil {
			w.log.Warn("write item record", "id", id, "err", err)
		}
	}
	if err := releaseSlots(bg, w.rdb, job.Project, id); err != nil {
		w.log.Warn("release job slot", "id", id, "err", err)
	}
	if err := announceEnd(bg, w.rdb, id); err != nil {
		w.log.Debug("announce job end", "id", id, "err", err) // long-polls fall back to polling
	}
	if job.Callback == "" {
		return
	}
	ev := CallbackEvent{Event: "job." + state, Job: CallbackJob{ID: id, Type: typ, State: state,
		ItemID: job.ItemID, ExternalID: job.ExternalID, Reason: res.Reason, Warnings: res.Warnings}}
	for _, o := range res.Objects {
		co := CallbackObject{Object: o}
		if u, err := w.h.Store.URL(bg, o.Key, w.cfg.URLTTL); err == nil {
			co.URL = u
		}
		ev.Job.Objects = append(ev.Job.Objects, co)
	}
	body, _ := json.Marshal(ev)
	p, _ := json.Marshal(callbackTask{URL: job.Callback, Body: body, RequestID: job.RequestID})
	_, err := w.ac.EnqueueContext(bg, asynq.NewTask(TypeCallback, p),
		asynq.TaskID(callbackID(id)), asynq.Queue(QueueDefault), asynq.MaxRetry(w.cfg.MaxRetry),
		asynq.Timeout(w.cfg.CallbackTimeout), asynq.Retention(w.cfg.Retention))
	if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		w.log.Warn("enqueue callback", "id", id, "err", err)
	}
}

func (w *Worker) observe(typ, outcome string, start time.Time) {
	if w.metrics != nil {
		w.metrics.processed.WithLabelValues(typ, outcome).Inc()
		w.metrics.duration.WithLabelValues(typ).Observe(time.Since(start).Seconds())
	}
}

// asynqLogger sends asynq's log lines to slog.
type asynqLogger struct{ l *slog.Logger }

func (a asynqLogger) Debug(args ...any) { a.l.Debug(fmt.Sprint(args...)) }
func (a asynqLogger) Info(args ...any)  { a.l.Info(fmt.Sprint(args...)) }
func (a asynqLogger) Warn(args ...any)  { a.l.Warn(fmt.Sprint(args...)) }
func (a asynqLogger) Error(args ...any) { a.l.Error(fmt.Sprint(args...)) }
func (a asynqLogger) Fatal(args ...any) { a.l.Error(fmt.Sprint(args...)) }

// putItem writes the job's item record, after its objects: the record is
// what Export lists and DeleteItem follows. Failing to write it is logged;
// the results themselves are stored.
func (w *Worker) putItem(ctx context.Context, id, typ string, job Job, state string, res *Result) error {
	kind := kindOf(typ)
	it := storage.Item{ID: id, Project: job.Project, Kind: kind, Status: storage.StatusDone,
		Warnings: res.Warnings, Error: res.Reason}
	prev, err := storage.GetItem(ctx, w.h.Store, job.Project, kind, id)
	switch {
	case err == nil:
		it.Created = prev.Created
	case errors.Is(err, storage.ErrNotFound):
		// The API writes the queued record before it enqueues: none means
		// the item was deleted since (or its submission rolled back), and
		// writing it again would bring it back.
		w.log.Debug("item record gone; not rewritten", "id", id)
		return nil
	default:
		return storageErr("read item record", err)
	}
	if state == StateFailed {
		it.Status = storage.StatusFailed
	}
	for _, o := range res.Objects {
		it.Objects = append(it.Objects, o.Key)
		it.Bytes += o.Size
	}
	if err := storage.PutItem(ctx, w.h.Store, it); err != nil {
		return storageErr("write item record", err)
	}
	return nil
}
