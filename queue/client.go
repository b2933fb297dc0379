package queue

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/hibiken/asynq"
	"github.com/kilnrender/kiln/storage"
	"github.com/redis/go-redis/v9"
)

// Errors of the Client.
var (
	ErrNotFound    = errors.New("job not found")
	ErrOverCap     = errors.New("too many jobs in flight")
	ErrUnavailable = errors.New("queue unavailable") // Redis cannot be reached
	// ErrInFlight: a submission with the same idempotency key is still
	// being accepted; retry shortly.
	ErrInFlight = errors.New("submission in progress")
)

// Client submits jobs and reads their status. It is safe for concurrent
// use.
type Client struct {
	rdb   redis.UniversalClient
	store storage.Store
	ac    *asynq.Client
	insp  *asynq.Inspector
	cfg   Config
	log   *slog.Logger
	ends  *jobEnds

	// enqueueHook, when set (tests), runs before each enqueue of a
	// Submit; an error it returns is that enqueue's failure.
	enqueueHook func(id string) error
}

// NewClient uses rdb (shared, not closed by Close) and store, where Submit
// keeps the inputs and item records; store may be nil for a client that
// only reads status. log may be nil.
func NewClient(rdb redis.UniversalClient, store storage.Store, cfg Config, log *slog.Logger) *Client {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Client{
		rdb:   rdb,
		store: store,
		ac:    asynq.NewClientFromRedisClient(rdb),
		insp:  asynq.NewInspectorFromRedisClient(rdb),
		cfg:   cfg,
		log:   log,
		ends:  &jobEnds{rdb: rdb},
	}
}

// Close releases the client (not the shared Redis client).
func (c *Client) Close() error { return c.ends.close() }

// Ping checks that Redis answers.
func (c *Client) Ping(ctx context.Context) error {
	if err := c.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("ping redis: %w: %v", ErrUnavailable, err)
	}
	return nil
}

// NewID returns a new job or item id: 26 lowercase base32 characters
// (128 random bits).
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// ValidID reports whether s can name a job or item (storage.ValidateName:
// [a-z0-9][a-z0-9_-]{0,62}).
func ValidID(s string) bool { return storage.ValidateName(s) == nil }

func unavailable(verb string, err error) error {
	return fmt.Errorf("%s: %w: %v", verb, ErrUnavailable, err)
}

// Idempotency keys are claimed in two phases, so that a key is never bound
// to a job that does not exist: Claim binds it to "pending:<id>" for
// claimTTL while the submission stores and enqueues, and Commit binds it to
// the id for good once the jobs exist. A duplicate that meets a pending
// claim gets ErrInFlight (retry shortly), never the id of a submission that
// may still roll back; a claim whose submission died (its API process, or
// Redis) expires after claimTTL.
const claimTTL = 2 * time.Minute

const pendingPrefix = "pending:"

func idemKeyName(project, key string) string { return "kiln:idem:{" + project + "}:" + key }

// Claim binds an idempotency key of project to id, pending. It returns ""
// when the key was free (now claimed for id), the id it is bound to when a
// submission with it was committed, or ErrInFlight when one is still being
// accepted.
func (c *Client) Claim(ctx context.Context, project, key, id string) (string, error) {
	k := idemKeyName(project, key)
	for range 3 {
		ok, err := c.rdb.SetNX(ctx, k, pendingPrefix+id, claimTTL).Result()
		if err != nil {
			// Redis may have set it and lost the answer: release it (if
			// Redis is gone, the claim expires after claimTTL).
			c.Unclaim(context.WithoutCancel(ctx), project, key, id)
			return "", unavailable("claim idempotency key", err)
		}
		if ok {
			return "", nil
		}
		prev, err := c.rdb.Get(ctx, k).Result()
		if errors.Is(err, redis.Nil) { // expired in between: try again
			continue
		}
		if err != nil {
			return "", unavailable("read idempotency key", err)
		}
		if strings.HasPrefix(prev, pendingPrefix) {
			return "", fmt.Errorf("claim idempotency key: %w", ErrInFlight)
		}
		return prev, nil
	}
	return "", fmt.Errorf("claim idempotency key: %w", ErrInFlight)
}

// commitScript binds a key claimed pending for ARGV[1] to it for ARGV[2]
// ms; 0 when the claim is no longer ours (it expired and another took it).
var commitScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v and v ~= ARGV[3] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`)

// Commit binds a claimed key to id for ttl, once its jobs exist.
func (c *Client) Commit(ctx context.Context, project, key, id string, ttl time.Duration) error {
	res, err := commitScript.Run(ctx, c.rdb, []string{idemKeyName(project, key)}, id, ttl.Milliseconds(), pendingPrefix+id).Int()
	if err != nil {
		return unavailable("commit idempotency key", err)
	}
	if res == 0 {
		return fmt.Errorf("commit idempotency key: claimed by another submission meanwhile: %w", ErrInFlight)
	}
	return nil
}

// Unclaim releases an idempotency key claimed for id (after a failed
// submission).
func (c *Client) Unclaim(ctx context.Context, project, key, id string) {
	k := idemKeyName(project, key)
	if v, err := c.rdb.Get(ctx, k).Result(); err == nil && (v == pendingPrefix+id || v == id) {
		c.rdb.Del(ctx, k)
	}
}

// resultKey holds a task's result when the task's own result could not be
// written (its context had ended, e.g. after a timeout).
func resultKey(id string) string { return "kiln:result:" + id }

func inflightKey(project string) string { return "kiln:inflight:{" + project + "}" }

// slotRelease bounds how long releaseSlots keeps trying: a job that ends,
// or a submission rolled back, while Redis restarts must not hold its
// slot of the project cap until InflightTTL.
const slotRelease = 30 * time.Second

// releaseSlots frees jobs' slots of project's cap, retrying (100 ms,
// doubling to 2 s) for up to slotRelease while Redis is unreachable.
func releaseSlots(ctx context.Context, rdb redis.Cmdable, project string, ids ...any) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), slotRelease)
	defer cancel()
	wait := 100 * time.Millisecond
	for {
		err := rdb.ZRem(ctx, inflightKey(project), ids...).Err()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 2*time.Second)
	}
}

// InFlight counts project's jobs that are queued, running or retrying.
func (c *Client) InFlight(ctx context.Context, project string) (int, error) {
	k := inflightKey(project)
	stale := time.Now().Add(-c.cfg.InflightTTL).UnixMilli()
	c.rdb.ZRemRangeByScore(ctx, k, "-inf", fmt.Sprint(stale))
	n, err := c.rdb.ZCard(ctx, k).Result()
	if err != nil {
		return 0, unavailable("count jobs in flight", err)
	}
	return int(n), nil
}

// Job states reported by Status.
const (
	StateQueued   = "queued"
	StateActive   = "active"
	StateRetrying = "retrying"
	StateDone     = "done"
	StateFailed   = "failed"
)

// Status is a job as its owner sees it.
type Status struct {
	ID             string     `json:"id"`
	Type           string     `json:"type"`
	State          string     `json:"state"`
	Queue          string     `json:"queue"`
	Attempt        int        `json:"attempt"` // attempts started so far
	LastErrorClass string     `json:"lastErrorClass,omitempty"`
	Reason         string     `json:"reason,omitempty"`
	Objects        []Object   `json:"objects,omitempty"`
	Warnings       []string   `json:"warnings,omitempty"`
	Report         *Report    `json:"report,omitempty"`
	ItemID         string     `json:"itemId,omitempty"`
	ExternalID     string     `json:"externalId,omitempty"`
	CompletedAt    *time.Time `json:"completedAt,omitempty"`
	// RequestID is the X-Request-Id of the API request that submitted the
	// job (its log lines carry it too).
	RequestID string `json:"requestId,omitempty"`
	// Callback is how the completion callback's delivery goes, for a
	// finished job that has a callback URL.
	Callback *CallbackStatus `json:"callback,omitempty"`
	Project  string          `json:"-"`
	// hasCallback: the job names a callback URL.
	hasCallback bool
	// videoParts: the job's video is made in pieces (videoStatus).
	videoParts int
}

// Terminal reports whether the job will not change any more.
func (s *Status) Terminal() bool { return s.State == StateDone || s.State == StateFailed }

// Status returns the job id of project. A job of another project is
// ErrNotFound, as if it did not exist.
func (c *Client) Status(ctx context.Context, project, id string) (*Status, error) {
	for _, q := range QueueNames() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		info, err := c.insp.GetTaskInfo(q, id)
		if errors.Is(err, asynq.ErrQueueNotFound) || errors.Is(err, asynq.ErrTaskNotFound) {
			continue
		}
		if err != nil {
			return nil, unavailable("get job", err)
		}
		st := statusOf(ctx, c.rdb, info)
		if st.Project != project || (info.Type != TypeScreenshot && info.Type != TypeReplay) {
			return nil, fmt.Errorf("get job: %w", ErrNotFound)
		}
		if st.videoParts > 0 && st.State == StateDone {
			c.videoStatus(ctx, st)
		}
		if st.hasCallback && st.Terminal() {
			st.Callback = c.callbackStatus(id)
		}
		return st, nil
	}
	return nil, fmt.Errorf("get job: %w", ErrNotFound)
}

func statusOf(ctx context.Context, rdb redis.UniversalClient, info *asynq.TaskInfo) *Status {
	var job Job
	_ = json.Unmarshal(info.Payload, &job)
	var res Result
	if len(info.Result) > 0 {
		_ = json.Unmarshal(info.Result, &res)
	}
	if len(info.Result) == 0 || (res.ErrorClass == "" && info.State != asynq.TaskStateCompleted) {
		if b, err := rdb.Get(ctx, resultKey(info.ID)).Bytes(); err == nil {
			_ = json.Unmarshal(b, &res)
		}
	}
	st := &Status{
		ID: info.ID, Type: info.Type, Queue: info.Queue,
		Project: job.Project, ItemID: job.ItemID, ExternalID: job.ExternalID,
		Attempt: info.Retried, RequestID: job.RequestID, hasCallback: job.Callback != "",
		videoParts: res.VideoParts,
	}
	switch info.State {
	case asynq.TaskStateActive:
		st.State = StateActive
		st.Attempt = info.Retried + 1
	case asynq.TaskStateRetry:
		st.State = StateRetrying
		st.LastErrorClass = res.ErrorClass
	case asynq.TaskStateCompleted:
		st.State = StateDone
		st.Attempt = info.Retried + 1
		st.Objects, st.Warnings, st.Report = res.Objects, res.Warnings, res.Report
	case asynq.TaskStateArchived:
		st.State = StateFailed
		st.Attempt = info.Retried + 1
		st.Reason = res.Reason
		st.LastErrorClass = res.ErrorClass
		if st.Reason == "" {
			st.Reason = "the job failed after its last attempt"
		}
	default: // pending, scheduled, aggregating
		st.State = StateQueued
		if info.Retried > 0 {
			st.State = StateRetrying
			st.LastErrorClass = res.ErrorClass
		}
	}
	if !info.CompletedAt.IsZero() {
		t := info.CompletedAt.UTC()
		st.CompletedAt = &t
	}
	return st
}

// Wait returns the job's status once it is done or failed, or when d has
// passed (or ctx ends), whichever comes first. It answers within a few
// milliseconds of the job's end when the worker's announcement arrives
// (jobend.go), within waitPollMax otherwise.
func (c *Client) Wait(ctx context.Context, project, id string, d time.Duration) (*Status, error) {
	deadline := time.Now().Add(d)
	ended, stop := c.ends.watch(id)
	defer stop()
	tick := waitPollFirst
	for {
		st, err := c.Status(ctx, project, id)
		if err != nil || st.Terminal() || !time.Now().Before(deadline) {
			return st, err
		}
		wait := min(tick, time.Until(deadline))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return st, nil
		case <-ended:
			t.Stop()
			tick = waitAfterEnd
			continue
		case <-t.C:
		}
		tick = min(tick*2, waitPollMax)
	}
}

// QueueStats is one queue's load: the autoscaling signal.
type QueueStats struct {
	Queue     string  `json:"queue"`
	Size      int     `json:"size"` // pending+active+scheduled+retry (not archived or completed)
	Pending   int     `json:"pending"`
	Active    int     `json:"active"`
	Scheduled int     `json:"scheduled"`
	Retry     int     `json:"retry"`
	Archived  int     `json:"archived"`
	Completed int     `json:"completed"`
	Latency   float64 `json:"latencySeconds"` // age of the oldest pending task
}

// Stats returns every queue's load; a queue never used reports zeros.
func (c *Client) Stats(ctx context.Context) ([]QueueStats, error) {
	var out []QueueStats
	known, err := c.insp.Queues()
	if err != nil {
		return nil, unavailable("list queues", err)
	}
	for _, q := range QueueNames() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		qs := QueueStats{Queue: q}
		if !slices.Contains(known, q) {
			out = append(out, qs)
			continue
		}
		info, err := c.insp.GetQueueInfo(q)
		switch {
		case err != nil:
			return nil, unavailable("get queue stats", err)
		default:
			qs.Size = info.Pending + info.Active + info.Scheduled + info.Retry
			qs.Pending, qs.Active, qs.Scheduled, qs.Retry = info.Pending, info.Active, info.Scheduled, info.Retry
			qs.Archived, qs.Completed = info.Archived, info.Completed
			qs.Latency = info.Latency.Seconds()
		}
		out = append(out, qs)
	}
	return out, nil
}
