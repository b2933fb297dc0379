package queue

import (
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
	"time"

	"github.com/hibiken/asynq"
	"github.com/kilnrender/kiln/replay"
	"github.com/kilnrender/kiln/storage"
	"github.com/redis/go-redis/v9"
)

// Videos in pieces (docs/replay.md, "Video"). A replay job whose video
// its VideoPiecer cuts into more than one piece (a long session; never a
// GIF, whose palette is made from the whole video) does not make the video
// itself: once its bundle is stored it stores the manifest aside
// (video-parts/manifest.json: manifest.json, written last, marks a
// complete bundle), records the job's video state in Redis and enqueues
// one TypeVideoPart task per piece, each with a deterministic TaskID
// (vp-{id}-0003), on the replay queue. Any worker takes a piece, reads
// the manifest, the piece's segments and the assets they name from the
// store, renders the piece and stores it at
// p/{project}/replays/{id}/video-parts/0003.mp4 (a retry overwrites it),
// then adds its index to the job's set of pieces done; the piece that
// completes the set enqueues the TypeVideoJoin task (TaskID vj-{id}: a
// second enqueue is refused). The join concatenates the pieces without
// re-encoding, stores video.{format}, writes manifest.json naming it,
// deletes the pieces and then, as a job's last step always does, writes
// the item record and the result (the join task's) and sends the
// callback. Until then Status reports the job active; a piece that fails
// for good fails the job (with a reason) and the other pieces end without
// rendering. A piece that fails is retried alone.
//
// Redis state of a job in pieces: the hash kiln:video:{id} (the pieces'
// count, the join's payload, the bundle's result, the failure) and the
// set kiln:video:{id}:done. Both go when the join is done (the hash is
// kept, with its failure, when the job failed, until it expires or the
// job is forgotten); Forget removes them and the tasks.

// Task types of videos in pieces.
const (
	TypeVideoPart = "render:video-part"
	TypeVideoJoin = "render:video-join"
)

// VideoPiecer is what a VideoMaker implements to make long videos in
// pieces on any workers (the worker's does: cmd/kiln). PlanPieces cuts
// the video of a bundle into pieces (one piece: the job makes the video
// itself with MakeVideo); MakePiece renders one piece from a bundle that
// holds its segments and the assets they name; JoinPieces joins the
// pieces' files without re-encoding. Errors are MakeVideo's.
type VideoPiecer interface {
	PlanPieces(man *replay.Manifest, bundle *replay.MemorySink, spec VideoSpec, pc replay.PieceConfig) ([]replay.VideoPiece, error)
	MakePiece(ctx context.Context, man *replay.Manifest, bundle *replay.MemorySink, spec VideoSpec, p replay.VideoPiece, out string) error
	JoinPieces(ctx context.Context, spec VideoSpec, parts []string, frames []int, out string) error
}

func videoKey(id string) string     { return "kiln:video:{" + id + "}" }
func videoDoneKey(id string) string { return "kiln:video:{" + id + "}:done" }
func pieceID(id string, k int) string {
	return fmt.Sprintf("vp-%s-%04d", id, k)
}
func joinID(id string) string { return "vj-" + id }

// partName is piece k's file in the bundle's folder.
func partName(k int, format string) string { return fmt.Sprintf("video-parts/%04d.%s", k, format) }

const draftManifest = "video-parts/manifest.json"

// videoPending is what a replay job hands to the worker when its video
// is made in pieces.
type videoPending struct {
	pieces []replay.VideoPiece
}

// videoPart is a TypeVideoPart payload.
type videoPart struct {
	ID    string            `json:"id"` // the replay job's
	Job   Job               `json:"job"`
	Piece replay.VideoPiece `json:"piece"`
}

// videoJoin is a TypeVideoJoin payload.
type videoJoin struct {
	ID     string `json:"id"`
	Job    Job    `json:"job"`
	Frames []int  `json:"frames"` // of each piece
}

// pieces plans the video of a job's bundle; nil when it is made in one
// go.
func (h *Handlers) pieces(man *replay.Manifest, src *videoSource, spec VideoSpec) ([]replay.VideoPiece, error) {
	vp, ok := h.Video.(VideoPiecer)
	if !ok || src.over || spec.Format == VideoGIF || spec.SkipInactive {
		return nil, nil
	}
	p, err := vp.PlanPieces(man, &src.mem, spec, h.VideoPieces)
	if err != nil {
		return nil, videoErr(err)
	}
	if len(p) < 2 {
		return nil, nil
	}
	return p, nil
}

// videoErr classifies a video maker's error.
func videoErr(err error) error {
	switch {
	case errors.Is(err, replay.ErrNoFFmpeg):
		return &finalError{ReasonVideoUnsupported, err}
	case errors.Is(err, replay.ErrTooLarge):
		return &finalError{"the recording is too long for a video", err}
	case errors.Is(err, replay.ErrInvalid):
		return &finalError{"a video cannot be made of this recording", err}
	case errors.Is(err, ErrStorage), errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return err
	}
	return fmt.Errorf("make video: %w: %w", ErrRenderer, err)
}

// stateTTL bounds the life of a job's video state: past the job's
// retention, and past any attempt.
func (w *Worker) stateTTL() time.Duration { return w.cfg.Retention + w.cfg.InflightTTL }

// startPieces records the video state of job id and enqueues its pieces.
// The bundle's result (res) becomes the job's when the join is done.
func (w *Worker) startPieces(ctx context.Context, id string, job Job, res *Result, p *videoPending) error {
	frames := make([]int, len(p.pieces))
	for i, pc := range p.pieces {
		frames[i] = pc.Frames
	}
	jb, _ := json.Marshal(videoJoin{ID: id, Job: job, Frames: frames})
	rb, _ := json.Marshal(res)
	k := videoKey(id)
	pipe := w.rdb.TxPipeline()
	pipe.HSet(ctx, k, "parts", len(p.pieces), "join", jb, "result", rb)
	pipe.PExpire(ctx, k, w.stateTTL())
	if _, err := pipe.Exec(ctx); err != nil {
		return unavailable("record video pieces", err)
	}
	for _, pc := range p.pieces {
		b, _ := json.Marshal(videoPart{ID: id, Job: job, Piece: pc})
		_, err := w.ac.EnqueueContext(ctx, asynq.NewTask(TypeVideoPart, b), asynq.TaskID(pieceID(id, pc.Index)),
			asynq.Queue(QueueReplay), asynq.MaxRetry(w.cfg.MaxRetry), asynq.Timeout(w.cfg.ReplayTimeout))
		if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
			return unavailable("enqueue video piece", err)
		}
	}
	return nil
}

// pieceDone adds piece k to the job's set; it returns the pieces done
// (-1: the job's video state is gone, it was forgotten; -2: it failed).
var pieceDoneScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('HEXISTS', KEYS[1], 'failed') == 1 then return -2 end
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return redis.call('SCARD', KEYS[2])
`)

// failVideoScript records the job's failure once: 1 for the call that
// recorded it, 0 when it was recorded before or the state is gone.
var failVideoScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local n = redis.call('HSETNX', KEYS[1], 'failed', ARGV[1])
redis.call('DEL', KEYS[2])
return n
`)

// videoState reads whether job id's video is still being made: gone
// (forgotten or expired), failed (with the failure's result), or going.
func (w *Worker) videoState(ctx context.Context, id string) (gone bool, failed *Result, err error) {
	v, err := w.rdb.HMGet(ctx, videoKey(id), "parts", "failed").Result()
	if err != nil {
		return false, nil, unavailable("read video state", err)
	}
	if v[0] == nil {
		return true, nil, nil
	}
	if s, ok := v[1].(string); ok {
		var r Result
		_ = json.Unmarshal([]byte(s), &r)
		return false, &r, nil
	}
	return false, nil, nil
}

// videoPart renders one piece of a job's video (a TypeVideoPart task).
func (w *Worker) videoPart(ctx context.Context, t *asynq.Task) error {
	start := time.Now()
	var p videoPart
	if err := json.Unmarshal(t.Payload(), &p); err != nil {
		return fmt.Errorf("decode video piece: %v: %w", err, asynq.SkipRetry)
	}
	log := w.log.With(slog.String("job", p.ID), slog.String("project", p.Job.Project), slog.String("type", t.Type()),
		slog.Int("piece", p.Piece.Index))
	gone, failed, err := w.videoState(ctx, p.ID)
	if err == nil && (gone || failed != nil) {
		log.Debug("video piece skipped: the job was forgotten or failed")
		return nil
	}
	if err == nil {
		err = w.renderPiece(ctx, p)
	}
	var n int
	if err == nil {
		n, err = pieceDoneScript.Run(ctx, w.rdb, []string{videoKey(p.ID), videoDoneKey(p.ID)},
			p.Piece.Index, w.stateTTL().Milliseconds()).Int()
		if err != nil {
			err = unavailable("record video piece", err)
		}
	}
	if err == nil {
		log.LogAttrs(ctx, slog.LevelInfo, "video piece done", slog.Float64("total_ms", ms(time.Since(start))),
			slog.Int("frames", p.Piece.Frames), slog.Int("captures", p.Piece.Captures))
		w.observe(t.Type(), "done", start)
		if n > 0 {
			return w.maybeJoin(ctx, p.ID, n)
		}
		return nil
	}
	return w.pieceFailed(ctx, t, p.ID, p.Job, log, start, err)
}

// pieceFailed handles a failed attempt of a piece or of the join: retried
// (the error returned) until its last attempt; then, or at once for a
// final error, the job fails with a reason and the task ends without
// error (it is removed: the job's failure is in its video state).
func (w *Worker) pieceFailed(ctx context.Context, t *asynq.Task, id string, job Job, log *slog.Logger, start time.Time, err error) error {
	retried, _ := asynq.GetRetryCount(ctx)
	maxRetry, _ := asynq.GetMaxRetry(ctx)
	class, reason, final := classify(ctx, err)
	log.LogAttrs(ctx, slog.LevelWarn, "video piece failed", slog.String("class", class), slog.Bool("final", final || retried >= maxRetry),
		slog.Int("attempt", retried+1), slog.String("err", err.Error()))
	if !final && retried < maxRetry {
		w.observe(t.Type(), "retry", start)
		return err
	}
	res := &Result{Reason: reason, ErrorClass: class}
	if !final {
		res.Reason = "the job's video failed after its last attempt (" + class + ")"
	}
	w.observe(t.Type(), "failed", start)
	b, _ := json.Marshal(res)
	first, ferr := failVideoScript.Run(context.WithoutCancel(ctx), w.rdb, []string{videoKey(id), videoDoneKey(id)}, b).Int()
	if ferr != nil {
		return unavailable("record video failure", ferr)
	}
	if first == 1 {
		w.finish(ctx, id, TypeReplay, job, StateFailed, res)
	}
	return nil
}

// maybeJoin enqueues the join once every piece is done.
func (w *Worker) maybeJoin(ctx context.Context, id string, done int) error {
	v, err := w.rdb.HMGet(ctx, videoKey(id), "parts", "join").Result()
	if err != nil {
		return unavailable("read video state", err)
	}
	parts, _ := v[0].(string)
	join, _ := v[1].(string)
	if parts == "" || join == "" || fmt.Sprint(done) != parts {
		return nil
	}
	_, err = w.ac.EnqueueContext(ctx, asynq.NewTask(TypeVideoJoin, []byte(join)), asynq.TaskID(joinID(id)),
		asynq.Queue(QueueReplay), asynq.MaxRetry(w.cfg.MaxRetry), asynq.Timeout(w.cfg.ReplayTimeout), asynq.Retention(w.cfg.Retention))
	if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		return unavailable("enqueue video join", err)
	}
	return nil
}

// readManifest reads the draft manifest of job id (the bundle's, held
// aside until the join).
func (h *Handlers) readManifest(ctx context.Context, project, id string) (*replay.Manifest, error) {
	data, err := h.get(ctx, ReplayKey(project, id, draftManifest))
	if err != nil {
		return nil, err
	}
	var man replay.Manifest
	if err := json.Unmarshal(data, &man); err != nil {
		return nil, &finalError{"a video cannot be made of this recording", fmt.Errorf("read manifest: %w", err)}
	}
	return &man, nil
}

// loadFiles reads the given bundle files of job id (segments by name,
// assets by their bundle name) from the store into b.
func (h *Handlers) loadFiles(ctx context.Context, project, id string, names []string, b *replay.MemorySink) error {
	for _, name := range names {
		key := ReplayKey(project, id, name)
		if sum, ok := strings.CutPrefix(name, "assets/"); ok {
			var err error
			if key, err = storage.AssetKey(project, sum); err != nil {
				return &finalError{"the job refers to an invalid object key", err}
			}
		}
		data, err := h.get(ctx, key)
		if err != nil {
			return err
		}
		if err := b.Put(ctx, name, data, "", ""); err != nil {
			return err
		}
	}
	return nil
}

// openObject opens one object of a job's bundle; a missing one is final
// (the job's bundle was deleted).
func (h *Handlers) openObject(ctx context.Context, key string) (io.ReadCloser, error) {
	rc, _, err := h.Store.Get(ctx, key, nil)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, &finalError{"the job's bundle was deleted", fmt.Errorf("load %s: %w", path.Base(key), err)}
	}
	if err != nil {
		return nil, storageErr("load bundle", err)
	}
	return rc, nil
}

// get reads one object of a job's bundle whole.
func (h *Handlers) get(ctx context.Context, key string) ([]byte, error) {
	rc, err := h.openObject(ctx, key)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, storageErr("load bundle", err)
	}
	return data, nil
}

// getFile copies one object of a job's bundle into a new file at name
// (a piece of video: not held in memory).
func (h *Handlers) getFile(ctx context.Context, key, name string) error {
	rc, err := h.openObject(ctx, key)
	if err != nil {
		return err
	}
	defer rc.Close()
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("join video: %w", err)
	}
	_, err = io.Copy(f, rc)
	if cerr := f.Close(); err == nil && cerr != nil {
		return fmt.Errorf("join video: %w", cerr)
	}
	if err != nil {
		return storageErr("load bundle", err)
	}
	return nil
}

// renderPiece renders piece p and stores it.
func (w *Worker) renderPiece(ctx context.Context, p videoPart) error {
	h := w.h
	vp, ok := h.Video.(VideoPiecer)
	if !ok {
		return &finalError{ReasonVideoUnsupported, errors.New("make video piece: no video maker")}
	}
	// The segments first, then the assets they name.
	man, err := h.readManifest(ctx, p.Job.Project, p.ID)
	if err != nil {
		return err
	}
	segments := replay.SegmentsOf(man, p.Piece)
	b := &replay.MemorySink{}
	if err := h.loadFiles(ctx, p.Job.Project, p.ID, segments, b); err != nil {
		return err
	}
	assets, err := replay.AssetsOf(man, b, segments)
	if err != nil {
		return videoErr(err)
	}
	if err := h.loadFiles(ctx, p.Job.Project, p.ID, assets, b); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "kiln-video-piece-")
	if err != nil {
		return fmt.Errorf("make video piece: %w", err)
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "piece."+p.Job.Video)
	if err := vp.MakePiece(ctx, man, b, p.Job.VideoSpec(), p.Piece, out); err != nil {
		return videoErr(err)
	}
	return h.putFile(ctx, ReplayKey(p.Job.Project, p.ID, partName(p.Piece.Index, p.Job.Video)), out, VideoContentType(p.Job.Video))
}

// putFile stores the file at name under key (seekable: S3 uploads it
// without holding it in memory) and returns its size.
func (h *Handlers) putFile(ctx context.Context, key, name, contentType string) error {
	_, err := h.putFileSize(ctx, key, name, contentType)
	return err
}

func (h *Handlers) putFileSize(ctx context.Context, key, name, contentType string) (int64, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, fmt.Errorf("store video: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("store video: %w", err)
	}
	if err := h.Store.Put(ctx, key, f, fi.Size(), storage.PutOptions{ContentType: contentType}); err != nil {
		return 0, storageErr("store video", err)
	}
	return fi.Size(), nil
}

// videoJoin joins a job's pieces (a TypeVideoJoin task) and ends the job.
func (w *Worker) videoJoin(ctx context.Context, t *asynq.Task) error {
	start := time.Now()
	var j videoJoin
	if err := json.Unmarshal(t.Payload(), &j); err != nil {
		return fmt.Errorf("decode video join: %v: %w", err, asynq.SkipRetry)
	}
	log := w.log.With(slog.String("job", j.ID), slog.String("project", j.Job.Project), slog.String("type", t.Type()))
	gone, failed, err := w.videoState(ctx, j.ID)
	if err == nil && (gone || failed != nil) {
		log.Debug("video join skipped: the job was forgotten or failed")
		return nil
	}
	var res *Result
	if err == nil {
		res, err = w.join(ctx, j)
	}
	if err == nil && w.h.itemGone(ctx, j.ID, TypeReplay, j.Job) {
		w.h.unwrite(context.WithoutCancel(ctx), j.Job, res)
		err = errItemDeleted
	}
	if err == nil {
		err = w.putItem(context.WithoutCancel(ctx), j.ID, TypeReplay, j.Job, StateDone, res)
	}
	if err == nil {
		err = w.record(t, res)
	}
	if err != nil {
		return w.pieceFailed(ctx, t, j.ID, j.Job, log, start, err)
	}
	// Done: the pieces' state goes; the join task keeps the result.
	if err := delKeys(context.WithoutCancel(ctx), w.rdb, []string{videoDoneKey(j.ID), videoKey(j.ID)}); err != nil {
		log.Warn("delete video state", "err", err)
	}
	w.finish(ctx, j.ID, TypeReplay, j.Job, StateDone, res)
	w.observe(t.Type(), "done", start)
	log.LogAttrs(ctx, slog.LevelInfo, "job done", slog.Float64("join_ms", ms(time.Since(start))), slog.Int("pieces", len(j.Frames)))
	return nil
}

// join concatenates the pieces, stores the video and the manifest naming
// it, deletes the pieces, and returns the job's result: the bundle's
// (recorded when the pieces were enqueued), the manifest and the video.
func (w *Worker) join(ctx context.Context, j videoJoin) (*Result, error) {
	h := w.h
	vp, ok := h.Video.(VideoPiecer)
	if !ok {
		return nil, &finalError{ReasonVideoUnsupported, errors.New("join video: no video maker")}
	}
	rb, err := w.rdb.HGet(ctx, videoKey(j.ID), "result").Bytes()
	if err != nil {
		return nil, unavailable("read video state", err)
	}
	var res Result
	if err := json.Unmarshal(rb, &res); err != nil {
		return nil, fmt.Errorf("join video: %w", err)
	}
	res.VideoParts = 0
	tm := &timer{r: res.Report, last: time.Now()}
	if tm.r == nil {
		tm.r = &Report{}
	}
	dir, err := os.MkdirTemp("", "kiln-video-join-")
	if err != nil {
		return nil, fmt.Errorf("join video: %w", err)
	}
	defer os.RemoveAll(dir)
	format := j.Job.Video
	parts := make([]string, len(j.Frames))
	for k := range j.Frames {
		parts[k] = filepath.Join(dir, path.Base(partName(k, format)))
		if err := h.getFile(ctx, ReplayKey(j.Job.Project, j.ID, partName(k, format)), parts[k]); err != nil {
			return nil, err
		}
	}
	out := filepath.Join(dir, "video."+format)
	if err := vp.JoinPieces(ctx, j.Job.VideoSpec(), parts, j.Frames, out); err != nil {
		return nil, videoErr(err)
	}
	key := ReplayKey(j.Job.Project, j.ID, "video."+format)
	ct := VideoContentType(format)
	size, err := h.putFileSize(ctx, key, out, ct)
	if err != nil {
		return nil, err
	}
	man, err := h.readManifest(ctx, j.Job.Project, j.ID)
	if err != nil {
		return nil, err
	}
	man.Video = &replay.Video{Name: path.Base(key), ContentType: ct, Bytes: size}
	data, err := man.Encode()
	if err != nil {
		return nil, fmt.Errorf("store manifest: %w", err)
	}
	mkey := ReplayKey(j.Job.Project, j.ID, "manifest.json")
	if err := h.put(ctx, mkey, "application/json", "", data); err != nil {
		return nil, err
	}
	for k := range j.Frames {
		if err := h.Store.Delete(ctx, ReplayKey(j.Job.Project, j.ID, partName(k, format))); err != nil && !errors.Is(err, storage.ErrNotFound) {
			return nil, storageErr("delete video piece", err)
		}
	}
	if err := h.Store.Delete(ctx, ReplayKey(j.Job.Project, j.ID, draftManifest)); err != nil && !errors.Is(err, storage.ErrNotFound) {
		return nil, storageErr("delete video piece", err)
	}
	tm.lap("video")
	res.Objects = append(res.Objects,
		Object{Name: "manifest.json", Key: mkey, Size: int64(len(data)), ContentType: "application/json"},
		Object{Name: "video", Key: key, Size: size, ContentType: ct})
	return &res, nil
}

// videoStatus is the status of a replay job whose video is made in
// pieces, its own task done: active until the join is done, failed when
// a piece or the join failed for good.
func (c *Client) videoStatus(ctx context.Context, st *Status) {
	v, err := c.rdb.HMGet(ctx, videoKey(st.ID), "parts", "failed").Result()
	if err == nil && v[1] != nil {
		var r Result
		if s, ok := v[1].(string); ok {
			_ = json.Unmarshal([]byte(s), &r)
		}
		st.State, st.Reason, st.LastErrorClass = StateFailed, r.Reason, r.ErrorClass
		st.Objects, st.Report = nil, nil
		return
	}
	info, jerr := c.insp.GetTaskInfo(QueueReplay, joinID(st.ID))
	if jerr == nil && info.State == asynq.TaskStateCompleted {
		var r Result
		_ = json.Unmarshal(info.Result, &r)
		st.Objects, st.Warnings, st.Report = r.Objects, r.Warnings, r.Report
		if !info.CompletedAt.IsZero() {
			t := info.CompletedAt.UTC()
			st.CompletedAt = &t
		}
		return
	}
	if err == nil && v[0] == nil && jerr != nil {
		// Neither state nor join: the state expired.
		st.State, st.Reason, st.Objects = StateFailed, "the job's video was not finished", nil
		return
	}
	st.State, st.Objects, st.Report, st.CompletedAt = StateActive, nil, nil, nil
}

// forgetVideo removes job id's video pieces, join and state from Redis.
func (c *Client) forgetVideo(ctx context.Context, id string) error {
	var errs []error
	parts, err := c.rdb.HGet(ctx, videoKey(id), "parts").Int()
	if err != nil && !errors.Is(err, redis.Nil) {
		return unavailable("forget video", err)
	}
	for k := range parts {
		if err := c.forgetTask(ctx, pieceID(id, k)); err != nil {
			errs = append(errs, err)
		}
	}
	if err := c.forgetTask(ctx, joinID(id)); err != nil {
		errs = append(errs, err)
	}
	keys := []string{videoKey(id), videoDoneKey(id), resultKey(joinID(id))}
	for k := range parts {
		keys = append(keys, resultKey(pieceID(id, k)))
	}
	if err := delKeys(ctx, c.rdb, keys); err != nil {
		errs = append(errs, unavailable("forget video", err))
	}
	return errors.Join(errs...)
}
