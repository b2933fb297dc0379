package queue

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
	"github.com/kilnrender/kiln/storage"
	"github.com/redis/go-redis/v9"
)

// Submission is the work of one API request: the jobs of one item (a
// screenshot, a replay, or both), submitted all or nothing.
type Submission struct {
	Project string
	// Key is the request's idempotency key; a second Submit with the same
	// key within TTL returns the id bound to it and does no work.
	Key string
	TTL time.Duration
	// ID is the id bound to Key: the job's, or the item's for a
	// submission of several jobs.
	ID   string
	Jobs []JobSpec
	// Records are objects stored with the submission and rolled back with
	// it (the feedback item's record and timeline pages). They are written
	// before the jobs' inputs.
	Records []Record
	// Capacity caps the project's jobs in flight; 0 means no cap. Every
	// job of the submission must fit, or none is enqueued.
	Capacity int
}

// Record is an object a Submission stores.
type Record struct {
	Key         string
	Data        []byte
	ContentType string
}

// JobSpec is one job of a Submission. Input is what the worker reads (for
// screenshots the normalized snapshot, snapshot.Encode), stored at
// InputKey(project, ID) before the job is enqueued.
type JobSpec struct {
	ID, Type, Queue string
	Input           []byte
	ContentType     string
	Job             Job
}

// Submit claims the idempotency key, stores each job's input and queued
// item record, reserves the project's slots and enqueues the jobs. It
// returns the id bound to the key and whether this call bound it (false:
// a duplicate, nothing done). On any failure everything it did is undone
// (tasks deleted, or cancelled if a worker took one already; inputs, item
// records, slots and the key released), so a retry of the request starts
// afresh and never finds half a submission. A duplicate arriving while the
// first is still being accepted gets ErrInFlight. Errors wrap ErrOverCap,
// ErrInFlight, ErrUnavailable or ErrStorage (a store fault).
func (c *Client) Submit(ctx context.Context, sub Submission) (id string, fresh bool, err error) {
	if c.store == nil {
		return "", false, errors.New("submit: the client has no store")
	}
	prev, err := c.Claim(ctx, sub.Project, sub.Key, sub.ID)
	if err != nil {
		return "", false, err
	}
	if prev != "" {
		return prev, false, nil
	}
	var done submitted
	defer func() {
		if err != nil {
			c.rollback(context.WithoutCancel(ctx), sub, done)
		}
	}()
	for _, r := range sub.Records {
		done.records = append(done.records, r.Key)
		if err := c.store.Put(ctx, r.Key, bytes.NewReader(r.Data), int64(len(r.Data)), storage.PutOptions{ContentType: r.ContentType, CacheControl: "no-store"}); err != nil {
			return "", false, storageErr("store record", err)
		}
	}
	for i := range sub.Jobs {
		sp := &sub.Jobs[i]
		sp.Job.Project = sub.Project
		sp.Job.Input = InputKey(sub.Project, sp.ID)
		// Counted before the call, like the records: a put whose answer
		// was lost (the connection dropped) may have stored the object.
		done.inputs = append(done.inputs, sp)
		if err := c.store.Put(ctx, sp.Job.Input, bytes.NewReader(sp.Input), int64(len(sp.Input)), storage.PutOptions{ContentType: sp.ContentType}); err != nil {
			return "", false, storageErr("store input", err)
		}
		if err := storage.PutItem(ctx, c.store, storage.Item{ID: sp.ID, Project: sub.Project, Kind: kindOf(sp.Type),
			Status: storage.StatusQueued, Objects: []string{sp.Job.Input}, Bytes: int64(len(sp.Input))}); err != nil {
			return "", false, storageErr("store item record", err)
		}
	}
	ids := make([]string, len(sub.Jobs))
	for i, sp := range sub.Jobs {
		ids[i] = sp.ID
	}
	// Counted as reserved before the call: Redis may have run the script
	// and then failed to answer (it crashed, the connection dropped), and
	// the rollback then frees the slots all the same. The ids are this
	// submission's own, so freeing them frees no other job's slot.
	done.reserved = true
	if err := c.reserve(ctx, sub.Project, ids, sub.Capacity); err != nil {
		return "", false, err
	}
	for i := range sub.Jobs {
		if err := c.enqueue(ctx, &sub.Jobs[i]); err != nil {
			return "", false, err
		}
		done.enqueued = append(done.enqueued, &sub.Jobs[i])
	}
	if err := c.Commit(ctx, sub.Project, sub.Key, sub.ID, sub.TTL); err != nil {
		return "", false, err
	}
	return sub.ID, true, nil
}

// submitted is how far a Submit got, for its rollback.
type submitted struct {
	records  []string   // record keys written (or attempted)
	inputs   []*JobSpec // input and item record written (or attempted)
	reserved bool       // slots of the project cap taken (or perhaps taken)
	enqueued []*JobSpec
}

// rollback undoes a failed Submit. Each step is best effort: what cannot
// be undone (Redis gone) is logged; a task left behind finds its input
// deleted and fails with that reason without writing an item record;
// objects the store would not delete are noted for the periodic sweep
// (orphans.go).
func (c *Client) rollback(ctx context.Context, sub Submission, d submitted) {
	var left []string
	defer func() { c.noteOrphans(ctx, left) }()
	for _, sp := range d.enqueued {
		if err := c.insp.DeleteTask(sp.Queue, sp.ID); err != nil {
			// A worker took it already: ask it to stop.
			if cerr := c.insp.CancelProcessing(sp.ID); cerr != nil {
				c.log.Warn("roll back submission: task left", "id", sp.ID, "err", errors.Join(err, cerr))
			}
		}
	}
	if d.reserved {
		ids := make([]any, len(sub.Jobs))
		for i, sp := range sub.Jobs {
			ids[i] = sp.ID
		}
		if err := releaseSlots(ctx, c.rdb, sub.Project, ids...); err != nil {
			c.log.Warn("roll back submission: slots", "project", sub.Project, "err", err)
		}
	}
	for _, sp := range d.inputs {
		if err := storage.DeleteItem(ctx, c.store, sub.Project, kindOf(sp.Type), sp.ID); err != nil && !errors.Is(err, storage.ErrNotFound) {
			c.log.Warn("roll back submission: item", "id", sp.ID, "err", err)
			left = append(left, storage.Keys{Project: sub.Project, ID: sp.ID, Kind: kindOf(sp.Type)}.Item())
		}
		if err := c.store.Delete(ctx, sp.Job.Input); err != nil && !errors.Is(err, storage.ErrNotFound) {
			c.log.Warn("roll back submission: input", "id", sp.ID, "err", err)
			left = append(left, sp.Job.Input)
		}
	}
	for _, k := range d.records {
		if err := c.store.Delete(ctx, k); err != nil && !errors.Is(err, storage.ErrNotFound) {
			c.log.Warn("roll back submission: record", "key", k, "err", err)
			left = append(left, k)
		}
	}
	c.Unclaim(ctx, sub.Project, sub.Key, sub.ID)
}

// reserveAllScript atomically forgets stale entries, checks that every id
// fits under the cap (ids already in flight count once) and adds them all,
// or adds none.
var reserveAllScript = redis.NewScript(`
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local cap = tonumber(ARGV[3])
local new = 0
for i = 5, #ARGV do
  if not redis.call('ZSCORE', KEYS[1], ARGV[i]) then new = new + 1 end
end
if cap > 0 and new > 0 and redis.call('ZCARD', KEYS[1]) + new > cap then
  return 0
end
for i = 5, #ARGV do
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[i])
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`)

// reserve takes a slot of project's cap for each id, all or none.
func (c *Client) reserve(ctx context.Context, project string, ids []string, capacity int) error {
	now := time.Now()
	args := []any{now.Add(-c.cfg.InflightTTL).UnixMilli(), now.UnixMilli(), capacity, c.cfg.InflightTTL.Milliseconds()}
	for _, id := range ids {
		args = append(args, id)
	}
	res, err := reserveAllScript.Run(ctx, c.rdb, []string{inflightKey(project)}, args...).Int()
	if err != nil {
		return unavailable("reserve job slots", err)
	}
	if res == 0 {
		return fmt.Errorf("enqueue jobs: %w", ErrOverCap)
	}
	return nil
}

// enqueue puts one reserved job on its queue. An id that exists already is
// the same job (a retried request that got this far): not an error.
func (c *Client) enqueue(ctx context.Context, sp *JobSpec) error {
	if c.enqueueHook != nil {
		if err := c.enqueueHook(sp.ID); err != nil {
			return unavailable("enqueue job", err)
		}
	}
	job := sp.Job
	if job.Enqueued == 0 {
		job.Enqueued = time.Now().UnixMilli()
	}
	payload, err := json.Marshal(job)
	if err != nil {
		return fmt.Errorf("encode job: %w", err)
	}
	timeout := c.cfg.ScreenshotTimeout
	if sp.Type == TypeReplay {
		timeout = c.cfg.ReplayTimeout
	}
	_, err = c.ac.EnqueueContext(ctx, asynq.NewTask(sp.Type, payload),
		asynq.TaskID(sp.ID), asynq.Queue(sp.Queue), asynq.MaxRetry(c.cfg.MaxRetry),
		asynq.Timeout(timeout), asynq.Retention(c.cfg.Retention))
	if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		return unavailable("enqueue job", err)
	}
	return nil
}
