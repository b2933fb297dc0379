package queue

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hibiken/asynq"
	"github.com/kilnrender/kiln/storage"
	"github.com/redis/go-redis/v9"
)

// Forget removes from Redis every trace of project's jobs ids: their tasks
// in every state (a running one is cancelled first), their completion
// callbacks, their results, their slots of the project cap and the
// idempotency keys bound to them (or, with whole, every idempotency key and
// the cap's counter of the project), and the pieces, join and state of a
// video made in pieces. After it, Status answers ErrNotFound
// and a resubmission with the same Idempotency-Key is new work.
//
// Deletion calls it before deleting the objects (so that no queued job
// starts on an input about to go) and again after (a job that was running
// ends as failed and its task is removed then). A job running while its
// item is deleted writes nothing that survives: the worker checks the item
// record before it records the result and deletes what it wrote when the
// record is gone.
func (c *Client) Forget(ctx context.Context, project string, ids []string, whole bool) error {
	var errs []error
	for _, id := range ids {
		for _, tid := range []string{id, callbackID(id)} {
			if err := c.forgetTask(ctx, tid); err != nil {
				errs = append(errs, err)
			}
		}
		if err := c.forgetVideo(ctx, id); err != nil {
			errs = append(errs, err)
		}
	}
	keys := []string{}
	for _, id := range ids {
		keys = append(keys, resultKey(id), resultKey(callbackID(id)))
	}
	if len(keys) > 0 {
		if err := delKeys(ctx, c.rdb, keys); err != nil {
			errs = append(errs, unavailable("forget results", err))
		}
	}
	if whole {
		if err := delKeys(ctx, c.rdb, []string{inflightKey(project)}); err != nil {
			errs = append(errs, unavailable("forget slots", err))
		}
		if err := c.SetRetention(ctx, project, 0); err != nil {
			errs = append(errs, err)
		}
		if err := c.forgetOrphans(ctx, project); err != nil {
			errs = append(errs, err)
		}
	} else if len(ids) > 0 {
		members := make([]any, len(ids))
		for i, id := range ids {
			members[i] = id
		}
		if err := c.rdb.ZRem(ctx, inflightKey(project), members...).Err(); err != nil {
			errs = append(errs, unavailable("forget slots", err))
		}
	}
	if err := c.forgetKeys(ctx, project, ids, whole); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func callbackID(id string) string { return "cb-" + id }

// forgetTask deletes task id wherever it is. An active task is cancelled
// and deleted once it has left the active state (bounded wait).
func (c *Client) forgetTask(ctx context.Context, id string) error {
	for _, q := range QueueNames() {
		info, err := c.insp.GetTaskInfo(q, id)
		if errors.Is(err, asynq.ErrQueueNotFound) || errors.Is(err, asynq.ErrTaskNotFound) {
			continue
		}
		if err != nil {
			return unavailable("forget job", err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for info.State == asynq.TaskStateActive {
			_ = c.insp.CancelProcessing(id)
			if time.Now().After(deadline) {
				return fmt.Errorf("forget job %s: still running after 10 s: %w", id, ErrUnavailable)
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
			if info, err = c.insp.GetTaskInfo(q, id); err != nil {
				break
			}
		}
		if err := c.insp.DeleteTask(q, id); err != nil && !errors.Is(err, asynq.ErrTaskNotFound) && !errors.Is(err, asynq.ErrQueueNotFound) {
			return unavailable("forget job", err)
		}
	}
	return nil
}

// forgetKeys deletes project's idempotency keys: all of them (whole), or
// those bound to one of ids. The keys share the hash tag {project}, so in
// a Redis Cluster they sit on one node; SCAN runs on every master.
func (c *Client) forgetKeys(ctx context.Context, project string, ids []string, whole bool) error {
	pattern := "kiln:idem:{" + project + "}:*"
	scan := func(ctx context.Context, rdb redis.Cmdable) error {
		var cursor uint64
		for {
			keys, next, err := rdb.Scan(ctx, cursor, pattern, 500).Result()
			if err != nil {
				return err
			}
			var del []string
			for _, k := range keys {
				if whole {
					del = append(del, k)
					continue
				}
				if v, err := rdb.Get(ctx, k).Result(); err == nil && slices.ContainsFunc(ids, func(id string) bool { return bound(v, id) }) {
					del = append(del, k)
				}
			}
			if len(del) > 0 {
				if err := delKeys(ctx, rdb, del); err != nil {
					return err
				}
			}
			if cursor = next; cursor == 0 {
				return nil
			}
		}
	}
	var err error
	if cc, ok := c.rdb.(*redis.ClusterClient); ok {
		err = cc.ForEachMaster(ctx, func(ctx context.Context, m *redis.Client) error { return scan(ctx, m) })
	} else {
		err = scan(ctx, c.rdb)
	}
	if err != nil {
		return unavailable("forget idempotency keys", err)
	}
	return nil
}

// bound reports whether an idempotency key's value (the id it is bound
// to: a job's, or an item's whose jobs are id-s and id-r) names job id.
func bound(v, id string) bool {
	v = strings.TrimPrefix(v, pendingPrefix)
	return v == id || v+"-s" == id || v+"-r" == id
}

// delKeys deletes keys one by one: in a Redis Cluster a multi-key DEL must
// stay within one slot, and these may not.
func delKeys(ctx context.Context, rdb redis.Cmdable, keys []string) error {
	for _, k := range keys {
		if err := rdb.Del(ctx, k).Err(); err != nil {
			return err
		}
	}
	return nil
}

// DeleteItem deletes an item completely: by its id, the feedback item's
// record and timeline and both its jobs (id-s, id-r), or one job by its own
// id; for each job its inputs, results and record in the store and its
// Redis state (Forget, before and after). It reports whether anything was
// there. Store faults wrap ErrStorage; Redis faults ErrUnavailable.
func (c *Client) DeleteItem(ctx context.Context, project, id string) (bool, error) {
	if c.store == nil {
		return false, errors.New("delete item: the client has no store")
	}
	var found []string
	for _, j := range []struct {
		kind storage.Kind
		id   string
	}{
		{storage.KindScreenshot, id}, {storage.KindReplay, id},
		{storage.KindScreenshot, id + "-s"}, {storage.KindReplay, id + "-r"},
	} {
		if !ValidID(j.id) {
			continue
		}
		_, err := storage.GetItem(ctx, c.store, project, j.kind, j.id)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return false, storageErr("delete item", err)
		}
		found = append(found, j.id)
		if err := c.Forget(ctx, project, []string{j.id}, false); err != nil {
			return false, err
		}
		if err := storage.DeleteItem(ctx, c.store, project, j.kind, j.id); err != nil {
			return false, storageErr("delete item", err)
		}
	}
	if prefix, err := storage.FeedbackPrefix(project, id); err == nil {
		n, err := c.store.DeletePrefix(ctx, prefix)
		if err != nil {
			return false, storageErr("delete item", err)
		}
		if n > 0 && len(found) == 0 {
			found = append(found, id)
		}
	}
	if len(found) == 0 {
		return false, nil
	}
	return true, c.Forget(ctx, project, found, false)
}
