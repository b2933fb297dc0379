package queue

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/kilnrender/kiln/storage"
	"github.com/redis/go-redis/v9"
)

// A submission refused while the store was down could not always be rolled
// back: the objects it had written (an input, an item record) stay, though
// no job will ever read them, and no item record lists them for the
// retention sweep. Their keys go to orphansKey (a sorted set, scored by
// the time of the failed rollback), and the periodic sweep deletes them
// once the store answers again. Ids are fresh per submission, so a key
// there never belongs to a later job.
const orphansKey = "kiln:orphans"

// maxOrphansPerSweep bounds the keys one sweep deletes (the next sweep
// goes on).
const maxOrphansPerSweep = 10000

// noteOrphans records keys a rollback could not delete.
func (c *Client) noteOrphans(ctx context.Context, keys []string) {
	if len(keys) == 0 {
		return
	}
	now := float64(time.Now().UnixMilli())
	zs := make([]redis.Z, len(keys))
	for i, k := range keys {
		zs[i] = redis.Z{Score: now, Member: k}
	}
	if err := c.rdb.ZAdd(ctx, orphansKey, zs...).Err(); err != nil {
		c.log.Warn("roll back submission: objects left in the store", "keys", keys, "err", err)
	}
}

// SweepOrphans deletes the objects of refused submissions that their
// rollback could not delete (noteOrphans), and returns how many keys it
// cleared. A key whose deletion fails again stays for the next sweep.
func (c *Client) SweepOrphans(ctx context.Context) (int, error) {
	keys, err := c.rdb.ZRange(ctx, orphansKey, 0, maxOrphansPerSweep-1).Result()
	if err != nil {
		return 0, unavailable("list orphaned objects", err)
	}
	n := 0
	var errs []error
	for _, k := range keys {
		if err := c.store.Delete(ctx, k); err != nil && !errors.Is(err, storage.ErrNotFound) {
			errs = append(errs, storageErr("delete orphaned object", err))
			continue
		}
		if err := c.rdb.ZRem(ctx, orphansKey, k).Err(); err != nil {
			return n, unavailable("forget orphaned object", err)
		}
		n++
	}
	return n, errors.Join(errs...)
}

// forgetOrphans drops the orphan entries of project (its objects are
// being deleted with it).
func (c *Client) forgetOrphans(ctx context.Context, project string) error {
	prefix, err := storage.ProjectPrefix(project)
	if err != nil {
		return err
	}
	var cursor uint64
	for {
		kv, next, err := c.rdb.ZScan(ctx, orphansKey, cursor, "", 500).Result()
		if err != nil {
			return unavailable("forget orphaned objects", err)
		}
		var del []any
		for i := 0; i < len(kv); i += 2 {
			if strings.HasPrefix(kv[i], prefix) {
				del = append(del, kv[i])
			}
		}
		if len(del) > 0 {
			if err := c.rdb.ZRem(ctx, orphansKey, del...).Err(); err != nil {
				return unavailable("forget orphaned objects", err)
			}
		}
		if cursor = next; cursor == 0 {
			return nil
		}
	}
}
