package queue

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hibiken/asynq"
	"github.com/kilnrender/kiln/feedback"
	"github.com/kilnrender/kiln/settings"
	"github.com/kilnrender/kiln/storage"
)

// TypeRetention is the periodic sweep that deletes items older than their
// project's retention period.
const TypeRetention = "maintenance:retention"

// RetentionInterval is how often the sweep runs. An item outlives its
// retention period by at most this much.
const RetentionInterval = time.Hour

// retentionKey is the set of projects whose settings keep items for a
// limited time: the sweep visits only those.
const retentionKey = "kiln:retention"

// SetRetention records whether project keeps items for a limited time
// (days > 0), so that the sweep visits it. Saving settings calls it.
func (c *Client) SetRetention(ctx context.Context, project string, days int) error {
	var err error
	if days > 0 {
		err = c.rdb.SAdd(ctx, retentionKey, project).Err()
	} else {
		err = c.rdb.SRem(ctx, retentionKey, project).Err()
	}
	if err != nil {
		return unavailable("record retention", err)
	}
	return nil
}

// SweepRetention deletes, in every project with a retention period, the
// items (feedback records and jobs) received longer ago than the period,
// completely (DeleteItem). It returns how many it deleted. It keeps no
// state of its own: a sweep interrupted by a crash is finished by the next
// one, which lists again.
func (c *Client) SweepRetention(ctx context.Context, now time.Time) (int, error) {
	projects, err := c.rdb.SMembers(ctx, retentionKey).Result()
	if err != nil {
		return 0, unavailable("list retention projects", err)
	}
	deleted := 0
	var errs []error
	for _, p := range projects {
		ps, err := settings.Load(ctx, c.store, p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ps.RetentionDays <= 0 {
			_ = c.SetRetention(ctx, p, 0)
			continue
		}
		n, err := c.sweepProject(ctx, p, now.Add(-time.Duration(ps.RetentionDays)*24*time.Hour))
		deleted += n
		if err != nil {
			errs = append(errs, fmt.Errorf("sweep %s: %w", p, err))
		}
	}
	return deleted, errors.Join(errs...)
}

// sweepProject deletes project's items created before cutoff: feedback
// items first (each with its jobs), then jobs submitted on their own.
func (c *Client) sweepProject(ctx context.Context, project string, cutoff time.Time) (int, error) {
	var old []string
	for it, err := range feedback.Items(ctx, c.store, project) {
		if err != nil {
			return 0, storageErr("list items", err)
		}
		if it.Created.Before(cutoff) {
			old = append(old, it.ID)
		}
	}
	for rec, err := range storage.ListItems(ctx, c.store, project) {
		if err != nil {
			return 0, storageErr("list jobs", err)
		}
		if rec.Created.Before(cutoff) {
			id := rec.ID
			if base, ok := strings.CutSuffix(id, "-s"); ok {
				id = base
			} else if base, ok := strings.CutSuffix(id, "-r"); ok {
				id = base
			}
			old = append(old, id)
		}
	}
	n := 0
	seen := map[string]bool{}
	for _, id := range old {
		if seen[id] {
			continue
		}
		seen[id] = true
		found, err := c.DeleteItem(ctx, project, id)
		if err != nil {
			return n, err
		}
		if found {
			n++
		}
	}
	return n, nil
}

// retention is the sweep's task handler: items past their project's
// retention, then the objects of refused submissions that their rollback
// could not delete.
func (w *Worker) retention(ctx context.Context, t *asynq.Task) error {
	n, err := w.client.SweepRetention(ctx, time.Now())
	if n > 0 || err != nil {
		w.log.Info("retention sweep", "deleted", n, "err", err)
	}
	o, oerr := w.client.SweepOrphans(ctx)
	if o > 0 || oerr != nil {
		w.log.Info("orphan sweep", "deleted", o, "err", oerr)
	}
	return errors.Join(err, oerr)
}

// scheduler enqueues the retention sweep every RetentionInterval. Every
// worker runs one; the task's id names its period, so only one sweep per
// period is queued however many workers there are.
func (w *Worker) scheduleRetention(ctx context.Context) {
	tick := time.NewTicker(RetentionInterval)
	defer tick.Stop()
	for {
		slot := time.Now().Truncate(RetentionInterval)
		_, err := w.ac.EnqueueContext(ctx, asynq.NewTask(TypeRetention, nil),
			asynq.TaskID(fmt.Sprintf("retention-%d", slot.Unix())), asynq.Queue(QueueLow),
			asynq.MaxRetry(w.cfg.MaxRetry), asynq.Timeout(30*time.Minute), asynq.Retention(RetentionInterval))
		if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) && ctx.Err() == nil {
			w.log.Warn("schedule retention sweep", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
