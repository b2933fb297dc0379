package queue

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/hibiken/asynq"
	"github.com/kilnrender/kiln/replay"
	"github.com/kilnrender/kiln/snapshot"
	"github.com/kilnrender/kiln/storage"
)

// Renderer renders one snapshot (the worker's is an adapter around the
// renderer's pool, in cmd/kiln: the queue knows no browser, so the API that
// links this package links no browser driver either). ctx carries the task's
// deadline. Errors wrapping ErrBadInput are final; ErrTimeout and
// ErrRenderer, like any other error, are retried.
type Renderer interface {
	Render(ctx context.Context, s *snapshot.Snapshot, o RenderOptions) (*Shot, error)
}

// Shot is one rendered screenshot and how the render went.
type Shot struct {
	Image                   []byte
	ContentType             string // of Image: image/webp, image/jpeg or image/png
	Width, Height           int    // image pixels
	Thumb                   []byte // JPEG; optional
	ThumbWidth, ThumbHeight int
	// Steps are the renderer's timed steps (tab_wait, load, settle,
	// capture, thumb).
	Steps    []StepTiming
	Warnings []string
	Blocked  []Blocked // requests the page made that Kiln refused
	Fetched  int       // resources fetched from the network
	Served   int       // resources served from the snapshot
}

// Blocked is a request a page made that Kiln did not serve, and why.
type Blocked struct {
	URL    string `json:"url"`
	Reason string `json:"reason"`
}

// ReplayBuilder turns a recording into a replay bundle, reading the
// recording from input as a stream and handing each file to sink as it is
// produced (the queue's sink stores it at once), so a job holds about one
// segment in memory, not the recording. Errors wrapping snapshot.ErrInvalid,
// ErrUnsupported, ErrTooLarge, replay's errors or ErrBadInput are final; any
// other error is retried.
type ReplayBuilder interface {
	BuildReplay(ctx context.Context, input io.Reader, sink replay.Sink, o ReplayOptions) (warnings []string, err error)
}

// ReplayOptions are a replay job's per-project options: extra mask and
// block selectors (simple selectors, as replay.Config takes them), and
// where its feedback item's timeline is (for the manifest).
type ReplayOptions struct {
	Mask, Block []string
	Timeline    string
}

// VideoMaker renders the video of a replay bundle the worker has just
// built, from the bundle's files (its segments and assets: the
// privacy-enforced bundle, never the recording), writing it to the file
// out in format (VideoMP4, VideoWebM or VideoGIF). The worker's is an
// adapter around replay.RenderVideo on the renderer pool's stage.
// Errors wrapping replay.ErrNoFFmpeg, ErrInvalid or ErrTooLarge are
// final; any other error is retried.
type VideoMaker interface {
	MakeVideo(ctx context.Context, man *replay.Manifest, bundle *replay.MemorySink, spec VideoSpec, out string) (skipped []replay.VideoSpan, err error)
}

// ReasonVideoUnsupported is the public reason of a replay job asking for a
// video from a worker that makes none (no ffmpeg).
const ReasonVideoUnsupported = "this worker makes no videos (ffmpeg is not installed)"

// DefaultMaxVideoSource bounds the bundle files a replay job with a
// video keeps in memory while the bundle is built (its segments, assets
// and manifest: what the video is made of). Replay's own limits allow
// far more (500 assets of 16 MB each); a worker holding a few jobs at
// once must not. A bundle over it is stored, and its video fails with a
// reason.
const DefaultMaxVideoSource = 256 << 20

// ParseFunc parses an input stored by an older Kiln, which kept the raw
// body (snapshot.Parse with the process's options). Inputs stored now are
// the normalized snapshot (snapshot.Encode) and are only decoded.
type ParseFunc func(data []byte) (*snapshot.Snapshot, error)

// ReasonReplayUnsupported is the public reason of a replay task taken by a
// worker without a ReplayBuilder.
const ReasonReplayUnsupported = "replay rendering is not supported by this worker yet"

// Handlers are what a Worker runs. Store and Renderer are required; Replay,
// Video and Parse may be nil (then replay tasks, replay tasks asking for a
// video, and inputs stored by an older Kiln, fail with a reason).
type Handlers struct {
	Store    storage.Store
	Renderer Renderer
	Parse    ParseFunc
	Replay   ReplayBuilder
	// Video makes the videos replay jobs ask for; nil: such jobs fail
	// with ReasonVideoUnsupported.
	Video VideoMaker
	// MaxVideoSource bounds, in bytes, what a job making a video keeps
	// in memory (0: DefaultMaxVideoSource).
	MaxVideoSource int64
	// VideoPieces says how a long video is cut into pieces rendered as
	// tasks of their own, when Video is a VideoPiecer (videoparts.go).
	VideoPieces replay.PieceConfig
	Logger      *slog.Logger // nil means slog.Default()
}

// finalError marks an error that must not be retried, with its public
// reason.
type finalError struct {
	reason string
	err    error
}

func (e *finalError) Error() string { return e.err.Error() }
func (e *finalError) Unwrap() error { return e.err }

// classify returns the error class and, for final errors, the public
// reason.
func classify(ctx context.Context, err error) (class, reason string, final bool) {
	var fe *finalError
	switch {
	case errors.As(err, &fe):
		return ClassBadInput, fe.reason, true
	case errors.Is(err, snapshot.ErrTooLarge):
		return ClassBadInput, "the snapshot is over a size limit", true
	case errors.Is(err, snapshot.ErrUnsupported):
		return ClassBadInput, "the input is not a format Kiln renders", true
	case errors.Is(err, snapshot.ErrInvalid):
		return ClassBadInput, "the input is not a valid snapshot", true
	case errors.Is(err, ErrBadInput):
		return ClassBadInput, "the page cannot be rendered with these options", true
	case errors.Is(err, replay.ErrTooLarge):
		return ClassBadInput, "the recording is over a size limit", true
	case errors.Is(err, replay.ErrUnsupported):
		return ClassBadInput, "the input is not a recording Kiln reads", true
	case errors.Is(err, replay.ErrInvalid):
		return ClassBadInput, "the input is not a valid recording", true
	case errors.Is(err, storage.ErrInvalidKey):
		return ClassBadInput, "the job refers to an invalid object key", true
	case errors.Is(err, ErrTimeout), errors.Is(err, context.DeadlineExceeded), ctx.Err() != nil:
		return ClassTimeout, "", false
	case errors.Is(err, ErrStorage):
		return ClassStorage, "", false
	case errors.Is(err, ErrRenderer):
		return ClassRenderer, "", false
	}
	return ClassInternal, "", false
}

// ErrStorage wraps a fault of the object store (a transient outage, as
// opposed to a bad key): the API answers 503, a job retries.
var ErrStorage = errors.New("storage fault")

// errItemDeleted ends a job whose item was deleted before or while it ran.
var errItemDeleted = &finalError{"the item was deleted", errors.New("item record gone")}

// itemGone reports whether the job's item record is gone: the API writes
// it before it enqueues, so a missing record means the item (or its
// project) was deleted, or its submission rolled back. A store fault is
// not "gone": the job goes on and the store's error shows where it writes.
func (h *Handlers) itemGone(ctx context.Context, id, typ string, job Job) bool {
	_, err := storage.GetItem(ctx, h.Store, job.Project, kindOf(typ), id)
	return errors.Is(err, storage.ErrNotFound)
}

// unwrite deletes the objects a job wrote, shared assets excepted (other
// items may list them; the project's deletion sweeps them).
func (h *Handlers) unwrite(ctx context.Context, job Job, res *Result) {
	for _, o := range res.Objects {
		if strings.HasPrefix(o.Name, "assets/") {
			continue
		}
		if err := h.Store.Delete(ctx, o.Key); err != nil && !errors.Is(err, storage.ErrNotFound) {
			h.logger().Warn("delete result of a deleted item", "key", o.Key, "err", err)
		}
	}
}

// prune deletes what an earlier attempt of the job left under its result
// prefix and this attempt did not write again: a keyframe taken then and
// not now, a video no longer asked for. Delivery is at least once, so a
// retry overwrites what it writes again and prune removes the rest; the
// item record then lists exactly what the store holds. keep reports the
// names (relative to the prefix) that stay besides the objects. Objects
// stored after since (this attempt's start) stay too: a duplicate of the
// task running at the same time (a lease taken over) wrote them, and its
// own record lists them.
func (h *Handlers) prune(ctx context.Context, prefix string, objects []Object, keep func(name string) bool, since time.Time) error {
	written := make(map[string]bool, len(objects))
	for _, o := range objects {
		written[o.Key] = true
	}
	token := ""
	for range 1000 {
		objs, next, err := h.Store.List(ctx, prefix, token, storage.MaxListLimit)
		if err != nil {
			return storageErr("list earlier results", err)
		}
		for _, o := range objs {
			if written[o.Key] || o.ModTime.After(since) || (keep != nil && keep(strings.TrimPrefix(o.Key, prefix))) {
				continue
			}
			if err := h.Store.Delete(ctx, o.Key); err != nil && !errors.Is(err, storage.ErrNotFound) {
				return storageErr("delete an earlier attempt's result", err)
			}
		}
		if next == "" {
			return nil
		}
		token = next
	}
	return nil
}

func (h *Handlers) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.Default()
}

// Errors a Renderer wraps so that the queue can classify its failures
// without knowing the browser (the adapter in cmd/kiln maps the renderer's
// own sentinels onto these).
var (
	ErrBadInput = errors.New("input cannot be rendered") // final: do not retry
	ErrTimeout  = errors.New("render timed out")         // retried
	ErrRenderer = errors.New("renderer fault")           // browser crash or fault; retried
)

func storageErr(verb string, err error) error {
	if errors.Is(err, storage.ErrInvalidKey) {
		return fmt.Errorf("%s: %w", verb, err)
	}
	return fmt.Errorf("%s: %w: %w", verb, ErrStorage, err)
}

// openInput opens a job's input as a stream. A missing input is final: the
// API stores it before enqueueing, so it was deleted since (e.g. the project
// was).
func (h *Handlers) openInput(ctx context.Context, job Job) (io.ReadCloser, error) {
	if job.Project == "" || job.Input == "" {
		return nil, &finalError{"the job has no input", errors.New("load input: empty key")}
	}
	rc, _, err := h.Store.Get(ctx, job.Input, nil)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, &finalError{"the job's input was deleted", fmt.Errorf("load input: %w", err)}
	}
	if err != nil {
		return nil, storageErr("load input", err)
	}
	return rc, nil
}

// loadInput reads a job's input whole (a screenshot's: bounded by the
// API's body limit).
func (h *Handlers) loadInput(ctx context.Context, job Job) ([]byte, error) {
	rc, err := h.openInput(ctx, job)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, storageErr("read input", err)
	}
	return data, nil
}

// snapshotOf reads a stored input: the normalized snapshot the API stored
// (decoded, not parsed again), or the raw body an older Kiln stored
// (parsed).
func (h *Handlers) snapshotOf(data []byte) (*snapshot.Snapshot, error) {
	if snapshot.IsStored(data) {
		return snapshot.Decode(data)
	}
	if h.Parse == nil {
		return nil, &finalError{"the job's input is in a format this worker no longer reads", errors.New("parse input: no parser for a raw input")}
	}
	return h.Parse(data)
}

func (h *Handlers) put(ctx context.Context, key, contentType, contentEncoding string, data []byte) error {
	err := h.Store.Put(ctx, key, bytes.NewReader(data), int64(len(data)), storage.PutOptions{
		ContentType:     contentType,
		ContentEncoding: contentEncoding,
	})
	if err != nil {
		return storageErr("store result", err)
	}
	return nil
}

func extOf(contentType string) string {
	switch contentType {
	case "image/png":
		return "png"
	case "image/jpeg":
		return "jpeg"
	}
	return "webp"
}

// timer times a job's steps into a Report.
type timer struct {
	r    *Report
	last time.Time
}

func newTimer() *timer { return &timer{r: &Report{}, last: time.Now()} }

// lap ends the step that began at the previous lap.
func (t *timer) lap(name string) {
	now := time.Now()
	t.r.Steps = append(t.r.Steps, StepTiming{Name: name, Ms: ms(now.Sub(t.last))})
	t.last = now
}

// screenshot renders one job and stores its image (and thumbnail).
func (h *Handlers) screenshot(ctx context.Context, id string, job Job) (*Result, error) {
	tm := newTimer()
	data, err := h.loadInput(ctx, job)
	if err != nil {
		return nil, err
	}
	tm.lap("load_input")
	snap, err := h.snapshotOf(data)
	if err != nil {
		return nil, fmt.Errorf("read input: %w", err)
	}
	tm.lap("decode")
	var o RenderOptions
	if job.Options != nil {
		o = *job.Options
	}
	res, err := h.Renderer.Render(ctx, snap, o)
	if err != nil {
		return nil, fmt.Errorf("render snapshot: %w", err)
	}
	tm.r.Steps = append(tm.r.Steps, res.Steps...)
	tm.last = time.Now()
	tm.r.Fetched, tm.r.Served, tm.r.BlockedTotal = res.Fetched, res.Served, len(res.Blocked)
	tm.r.Blocked = res.Blocked[:min(len(res.Blocked), MaxReportBlocked)]
	out := &Result{Warnings: mergeWarnings(snap.Warnings, res.Warnings), Report: tm.r}
	key := storage.Keys{Project: job.Project, ID: id, Kind: storage.KindScreenshot}.ShotImage(extOf(res.ContentType))
	if err := h.put(ctx, key, res.ContentType, "", res.Image); err != nil {
		return nil, err
	}
	out.Objects = append(out.Objects, Object{Name: "image", Key: key, Size: int64(len(res.Image)),
		ContentType: res.ContentType, Width: res.Width, Height: res.Height})
	if len(res.Thumb) > 0 {
		tkey := storage.Keys{Project: job.Project, ID: id, Kind: storage.KindScreenshot}.ShotThumb()
		if err := h.put(ctx, tkey, "image/jpeg", "", res.Thumb); err != nil {
			return nil, err
		}
		out.Objects = append(out.Objects, Object{Name: "thumb", Key: tkey, Size: int64(len(res.Thumb)),
			ContentType: "image/jpeg", Width: res.ThumbWidth, Height: res.ThumbHeight})
	}
	tm.lap("upload")
	return out, nil
}

// replay builds one replay bundle, streaming the recording from the store
// and each file to the store as the builder produces it.
func (h *Handlers) replay(ctx context.Context, id string, job Job) (*Result, error) {
	if h.Replay == nil {
		return nil, &finalError{ReasonReplayUnsupported, errors.New("build replay: no replay builder")}
	}
	tm := newTimer()
	started := tm.last
	rc, err := h.openInput(ctx, job)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	if job.Video != "" && VideoContentType(job.Video) == "" {
		return nil, &finalError{"the job asks for an unknown video format", errors.New("build replay: video format " + job.Video)}
	}
	if job.Video != "" && h.Video == nil {
		return nil, &finalError{ReasonVideoUnsupported, errors.New("build replay: no video maker")}
	}
	tm.lap("open_input")
	sink := &storeSink{h: h, project: job.Project, id: id}
	var bsink replay.Sink = sink
	var src *videoSource
	if job.Video != "" {
		src = &videoSource{Sink: sink, max: cmp.Or(h.MaxVideoSource, DefaultMaxVideoSource)}
		bsink = src
	}
	o := ReplayOptions{Mask: job.Mask, Block: job.Block}
	if job.ItemID != "" {
		o.Timeline = "/v1/items/" + job.ItemID
	}
	warnings, err := h.Replay.BuildReplay(ctx, rc, bsink, o)
	if err != nil {
		return nil, fmt.Errorf("build replay: %w", err)
	}
	tm.lap("build")
	// Files went to the store while the bundle was built: report that time
	// as its own step.
	if b := &tm.r.Steps[len(tm.r.Steps)-1]; sink.upload > 0 {
		b.Ms = max(0, b.Ms-ms(sink.upload))
		tm.r.Steps = append(tm.r.Steps, StepTiming{Name: "upload", Ms: ms(sink.upload)})
	}
	res := &Result{Warnings: warnings, Report: tm.r}
	if src != nil {
		tm.last = time.Now()
		var man replay.Manifest
		if src.manifest == nil || json.Unmarshal(src.manifest, &man) != nil {
			return nil, fmt.Errorf("make video: %w: the bundle has no readable manifest", ErrRenderer)
		}
		if src.over {
			return nil, &finalError{"the recording is too large for a video", fmt.Errorf("make video: bundle over %d bytes", src.max)}
		}
		pieces, err := h.pieces(&man, src, job.VideoSpec())
		if err != nil {
			return nil, err
		}
		if pieces != nil {
			// Made in pieces by any workers (videoparts.go): the
			// manifest waits aside for the join.
			if err := h.put(ctx, ReplayKey(job.Project, id, draftManifest), "application/json", "", src.manifest); err != nil {
				return nil, err
			}
			inPieces := func(name string) bool { return strings.HasPrefix(name, path.Dir(draftManifest)+"/") }
			if err := h.prune(ctx, ReplayKey(job.Project, id, ""), sink.objects, inPieces, started); err != nil {
				return nil, err
			}
			tm.lap("video_plan")
			res.Objects, res.VideoParts, res.pending = sink.objects, len(pieces), &videoPending{pieces: pieces}
			return res, nil
		}
		obj, skipped, err := h.video(ctx, id, job, &man, src)
		if err != nil {
			return nil, err
		}
		// The manifest, held back while the video was made, is written
		// last and names the video.
		man.Video = &replay.Video{Name: path.Base(obj.Key), ContentType: obj.ContentType, Bytes: obj.Size, Skipped: skipped}
		data, err := man.Encode()
		if err != nil {
			return nil, fmt.Errorf("store manifest: %w", err)
		}
		if err := sink.Put(ctx, "manifest.json", data, "application/json", ""); err != nil {
			return nil, err
		}
		tm.lap("video")
		res.Objects = append(res.Objects, *obj)
	}
	res.Objects = append(sink.objects, res.Objects...)
	if err := h.prune(ctx, ReplayKey(job.Project, id, ""), res.Objects, nil, started); err != nil {
		return nil, err
	}
	return res, nil
}

// video renders the video of the bundle src kept and stores it at
// p/{project}/replays/{id}/video.{format}. A video that cannot be made
// fails the job (retried, or final with a public reason): the client
// asked for it, and a job that is done has every result it asked for.
func (h *Handlers) video(ctx context.Context, id string, job Job, man *replay.Manifest, src *videoSource) (*Object, []replay.VideoSpan, error) {
	dir, err := os.MkdirTemp("", "kiln-video-job-")
	if err != nil {
		return nil, nil, fmt.Errorf("make video: %w", err)
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "video."+job.Video)
	skipped, err := h.Video.MakeVideo(ctx, man, &src.mem, job.VideoSpec(), out)
	if err != nil {
		return nil, nil, videoErr(err)
	}
	key := ReplayKey(job.Project, id, "video."+job.Video)
	ct := VideoContentType(job.Video)
	size, err := h.putFileSize(ctx, key, out, ct)
	if err != nil {
		return nil, nil, err
	}
	return &Object{Name: "video", Key: key, Size: size, ContentType: ct}, skipped, nil
}

// videoSource passes a bundle's files on to the store and keeps, in
// memory, those a video is made of (the segments and assets; not the
// pictures), up to max bytes; past it, it keeps none and records that it
// went over. The manifest is held back (written once the video is made):
// its presence marks a complete bundle.
type videoSource struct {
	replay.Sink
	max int64

	mu       sync.Mutex
	mem      replay.MemorySink
	manifest []byte
	n        int64
	over     bool
}

func (s *videoSource) Put(ctx context.Context, name string, data []byte, contentType, contentEncoding string) error {
	if name == "manifest.json" {
		s.mu.Lock()
		s.manifest = bytes.Clone(data)
		s.mu.Unlock()
		return nil
	}
	if err := s.Sink.Put(ctx, name, data, contentType, contentEncoding); err != nil {
		return err
	}
	if !strings.HasPrefix(name, "segments/") && !strings.HasPrefix(name, "assets/") {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.over {
		return nil
	}
	if s.n += int64(len(data)); s.n > s.max {
		s.over, s.mem.Files = true, nil
		return nil
	}
	return s.mem.Put(ctx, name, data, contentType, contentEncoding)
}

// render is the asynq handler of both render task types. Every log line
// of a job carries its id, project and type; the final one its step
// timings.
func (w *Worker) render(ctx context.Context, t *asynq.Task) error {
	start := time.Now()
	id, _ := asynq.GetTaskID(ctx)
	retried, _ := asynq.GetRetryCount(ctx)
	maxRetry, _ := asynq.GetMaxRetry(ctx)
	var job Job
	if err := json.Unmarshal(t.Payload(), &job); err != nil {
		w.log.LogAttrs(ctx, slog.LevelWarn, "job malformed", slog.String("job", id), slog.String("type", t.Type()))
		w.record(t, &Result{Reason: "the job is malformed", ErrorClass: ClassBadInput})
		w.observe(t.Type(), "bad_input", start)
		return fmt.Errorf("decode job: %v: %w", err, asynq.SkipRetry)
	}
	log := w.log.With(slog.String("job", id), slog.String("project", job.Project), slog.String("type", t.Type()),
		slog.Int("attempt", retried+1))
	if job.RequestID != "" {
		log = log.With(slog.String("request_id", job.RequestID))
	}
	var queueWait time.Duration
	if retried == 0 && job.Enqueued > 0 {
		queueWait = max(0, start.Sub(time.UnixMilli(job.Enqueued)))
	}
	log.LogAttrs(ctx, slog.LevelDebug, "job started", slog.Float64("queue_wait_ms", ms(queueWait)))
	var (
		res *Result
		err error
	)
	switch {
	case w.h.itemGone(ctx, id, t.Type(), job):
		err = errItemDeleted
	case t.Type() == TypeReplay:
		res, err = w.h.replay(ctx, id, job)
	default:
		res, err = w.h.screenshot(ctx, id, job)
	}
	if err == nil && w.h.itemGone(ctx, id, t.Type(), job) {
		// Deleted while it ran: what it wrote goes too.
		w.h.unwrite(context.WithoutCancel(ctx), job, res)
		res, err = nil, errItemDeleted
	}
	if err == nil && res.pending != nil {
		// The video is made in pieces: the job is done when they are
		// joined (the join writes the record, the result, the callback).
		if err = w.startPieces(ctx, id, job, res, res.pending); err == nil {
			err = w.record(t, res)
		}
		if err == nil {
			log.LogAttrs(ctx, slog.LevelInfo, "job bundled; video in pieces", slog.Int("pieces", res.VideoParts),
				slog.Float64("total_ms", ms(time.Since(start))))
			return nil
		}
	}
	// The objects are stored; then the item record, then the task's result,
	// before the task completes. A job whose record or result cannot be
	// written (the store or Redis down) is not done: it fails this attempt
	// and retries, and the retry overwrites the same objects.
	if err == nil {
		if res.Report != nil {
			res.Report.QueueWaitMs = ms(queueWait)
			res.Report.TotalMs = ms(time.Since(start))
		}
		err = w.putItem(context.WithoutCancel(ctx), id, t.Type(), job, StateDone, res)
	}
	if err == nil {
		err = w.record(t, res)
	}
	if err == nil {
		w.finish(ctx, id, t.Type(), job, StateDone, res)
		w.observe(t.Type(), "done", start)
		w.metrics.observeReport(t.Type(), res.Report, res.Warnings)
		attrs := []slog.Attr{slog.Float64("total_ms", ms(time.Since(start))), slog.Float64("queue_wait_ms", ms(queueWait))}
		if res.Report != nil {
			attrs = append(attrs, slog.Any("steps_ms", stepAttrs(res.Report.Steps)))
			if res.Report.BlockedTotal > 0 {
				attrs = append(attrs, slog.Int("blocked", res.Report.BlockedTotal))
			}
		}
		if len(res.Warnings) > 0 {
			attrs = append(attrs, slog.Any("warnings", res.Warnings))
		}
		log.LogAttrs(ctx, slog.LevelInfo, "job done", attrs...)
		return nil
	}
	class, reason, final := classify(ctx, err)
	log.LogAttrs(ctx, slog.LevelWarn, "job failed", slog.String("class", class), slog.Bool("final", final || retried >= maxRetry),
		slog.Float64("total_ms", ms(time.Since(start))), slog.String("err", err.Error()))
	if final {
		res := &Result{Reason: reason, ErrorClass: class}
		w.record(t, res)
		w.finish(ctx, id, t.Type(), job, StateFailed, res)
		w.observe(t.Type(), "bad_input", start)
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	res = &Result{ErrorClass: class}
	if retried >= maxRetry {
		res.Reason = "the job failed after its last attempt (" + class + ")"
		w.finish(ctx, id, t.Type(), job, StateFailed, res)
		w.observe(t.Type(), "failed", start)
	} else {
		w.observe(t.Type(), "retry", start)
	}
	w.record(t, res)
	return err
}

// stepAttrs renders step timings as one log group: {"load":12.5,...}.
func stepAttrs(steps []StepTiming) slog.Value {
	attrs := make([]slog.Attr, 0, len(steps))
	for _, s := range steps {
		attrs = append(attrs, slog.Float64(s.Name, s.Ms))
	}
	return slog.GroupValue(attrs...)
}

// record writes the task's result; a failure to do so is logged, not
// returned (the objects are stored; the status loses detail only).
func (w *Worker) record(t *asynq.Task, r *Result) error {
	b, _ := json.Marshal(r)
	rw := t.ResultWriter()
	if rw == nil {
		return nil
	}
	if _, err := rw.Write(b); err == nil {
		return nil
	}
	// The task's context has ended (a timeout), or Redis failed: asynq's
	// writer uses that context, so keep the result beside the task.
	if err := w.rdb.Set(context.Background(), resultKey(rw.TaskID()), b, w.cfg.Retention).Err(); err != nil {
		w.log.Warn("record result", "err", err)
		return unavailable("record result", err)
	}
	return nil
}

// mergeWarnings joins the parser's and the renderer's warnings without
// repeating one the renderer already passed on.
func mergeWarnings(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range append(append([]string(nil), a...), b...) {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}
