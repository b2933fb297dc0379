package queue_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/settings"
	"github.com/kilnrender/kiln/storage"
	"github.com/redis/go-redis/v9"
)

// itemSubmission is an item with a screenshot and a replay, as POST
// /v1/items makes it.
func itemSubmission(key string, capacity int) queue.Submission {
	id := queue.NewID()
	return queue.Submission{Project: "acme", Key: key, TTL: time.Minute, ID: id, Capacity: capacity, Jobs: []queue.JobSpec{
		{ID: id + "-s", Type: queue.TypeScreenshot, Queue: queue.QueueDefault, Input: []byte(`{"width":10,"height":10}`), Job: queue.Job{ItemID: id}},
		{ID: id + "-r", Type: queue.TypeReplay, Queue: queue.QueueReplay, Input: []byte(`[]`), Job: queue.Job{ItemID: id}},
	}}
}

// nothingLeft fails unless no trace of sub is in Redis or the store: no
// task, no input, no item record, no slot, and the key is free.
func (e *env) nothingLeft(t *testing.T, sub queue.Submission) {
	t.Helper()
	ctx := context.Background()
	insp := queue.InspectorFor(e.client)
	for _, j := range sub.Jobs {
		if _, err := insp.GetTaskInfo(j.Queue, j.ID); !errors.Is(err, asynq.ErrTaskNotFound) && !errors.Is(err, asynq.ErrQueueNotFound) {
			t.Errorf("task %s left behind: %v", j.ID, err)
		}
		if _, err := e.store.Head(ctx, queue.InputKey(sub.Project, j.ID)); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("input of %s left behind: %v", j.ID, err)
		}
		kind := storage.KindScreenshot
		if j.Type == queue.TypeReplay {
			kind = storage.KindReplay
		}
		if _, err := storage.GetItem(ctx, e.store, sub.Project, kind, j.ID); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("item record of %s left behind: %v", j.ID, err)
		}
	}
	if n, err := e.client.InFlight(ctx, sub.Project); err != nil || n != 0 {
		t.Errorf("%d slots of the project cap still taken (%v)", n, err)
	}
	keys, err := e.rdb.Keys(ctx, "kiln:idem:*").Result()
	if err != nil || len(keys) != 0 {
		t.Errorf("idempotency keys left: %q (%v)", keys, err)
	}
}

// An item's submission is all or nothing: when the second enqueue fails,
// the first job, both inputs and records, the slots and the idempotency
// key are all undone, and retrying the request does the work once.
func TestSubmitAllOrNothing(t *testing.T) {
	e := newEnv(t, testConfig())
	ctx := context.Background()
	sub := itemSubmission("retry-me", 0)
	calls := 0
	queue.FailEnqueue(e.client, func(id string) error {
		calls++
		if calls == 2 {
			return fmt.Errorf("connection reset while enqueueing %s", id)
		}
		return nil
	})
	if _, _, err := e.client.Submit(ctx, sub); !errors.Is(err, queue.ErrUnavailable) {
		t.Fatalf("submit with a failing second enqueue: %v, want ErrUnavailable", err)
	}
	if calls != 2 {
		t.Fatalf("%d enqueues attempted, want 2", calls)
	}
	e.nothingLeft(t, sub)

	// The client retries the same request: it is new work, done once.
	queue.FailEnqueue(e.client, nil)
	id, fresh, err := e.client.Submit(ctx, sub)
	if err != nil || !fresh || id != sub.ID {
		t.Fatalf("retry: %q %v %v", id, fresh, err)
	}
	again, fresh, err := e.client.Submit(ctx, itemSubmission("retry-me", 0))
	if err != nil || fresh || again != sub.ID {
		t.Fatalf("duplicate: %q fresh=%v %v, want %q not fresh", again, fresh, err, sub.ID)
	}
	insp := queue.InspectorFor(e.client)
	total := 0
	for _, q := range queue.QueueNames() {
		tasks, err := insp.ListPendingTasks(q)
		if errors.Is(err, asynq.ErrQueueNotFound) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		total += len(tasks)
	}
	if total != 2 {
		t.Fatalf("%d tasks pending after retry and duplicate, want 2", total)
	}
	for _, j := range sub.Jobs {
		if _, err := e.store.Head(ctx, queue.InputKey("acme", j.ID)); err != nil {
			t.Fatalf("input of %s: %v", j.ID, err)
		}
	}
}

// Over the project cap, no job of the item is enqueued: the cap is
// checked for all of them at once.
func TestSubmitOverCapEnqueuesNothing(t *testing.T) {
	e := newEnv(t, testConfig())
	sub := itemSubmission("capped", 1)
	if _, _, err := e.client.Submit(context.Background(), sub); !errors.Is(err, queue.ErrOverCap) {
		t.Fatalf("submit over cap: %v, want ErrOverCap", err)
	}
	e.nothingLeft(t, sub)
}

// A store that fails mid-way (the second input) leaves nothing either.
func TestSubmitStoreFault(t *testing.T) {
	e := newEnv(t, testConfig())
	sub := itemSubmission("store-fault", 0)
	sub.Jobs[1].ID = "bad/id" // an invalid key: the store refuses it
	if _, _, err := e.client.Submit(context.Background(), sub); err == nil {
		t.Fatal("submit with an unstorable input succeeded")
	}
	sub.Jobs = sub.Jobs[:1]
	e.nothingLeft(t, sub)
}

// A job whose item is deleted while it renders (the cancellation did not
// reach it) stores nothing that survives: the worker checks the item
// record before it records the result, deletes what it wrote, and fails
// the job with the reason.
func TestDeletedWhileRendering(t *testing.T) {
	e := newEnv(t, testConfig())
	var id string
	fr := &fakeRenderer{fn: func(ctx context.Context, n int) error {
		return storage.DeleteItem(ctx, e.store, "acme", storage.KindScreenshot, id)
	}}
	e.startWorker(t, queue.Handlers{Renderer: fr})
	id = queue.NewID()
	if err := submitAs(e.client, "acme", queue.TypeScreenshot, queue.QueueDefault, id, `{"width":10,"height":10}`, 0); err != nil {
		t.Fatal(err)
	}
	st := e.wait(t, "acme", id)
	if st.State != queue.StateFailed || st.Reason != "the item was deleted" {
		t.Fatalf("status %+v, want failed: the item was deleted", st)
	}
	prefix := storage.Keys{Project: "acme", ID: id, Kind: storage.KindScreenshot}.Prefix()
	if objs, _, err := e.store.List(context.Background(), prefix, "", 10); err != nil || len(objs) != 0 {
		t.Fatalf("objects left under %s: %v %v", prefix, objs, err)
	}
}

// The retention sweep deletes, completely, the items older than their
// project's period, keeps the younger ones and the projects without one,
// and forgets a project whose period was removed.
func TestRetentionSweep(t *testing.T) {
	e := newEnv(t, testConfig())
	ctx := context.Background()
	now := time.Now()
	old, young, other := queue.NewID(), queue.NewID(), queue.NewID()
	for _, j := range []struct{ project, id string }{{"acme", old}, {"acme", young}, {"beta", other}} {
		if err := submitAs(e.client, j.project, queue.TypeScreenshot, queue.QueueDefault, j.id, `{"width":10,"height":10}`, 0); err != nil {
			t.Fatal(err)
		}
	}
	// The old job's record says it arrived 40 days ago.
	it, err := storage.GetItem(ctx, e.store, "acme", storage.KindScreenshot, old)
	if err != nil {
		t.Fatal(err)
	}
	it.Created = now.Add(-40 * 24 * time.Hour)
	if err := storage.PutItem(ctx, e.store, it); err != nil {
		t.Fatal(err)
	}
	if err := settings.Save(ctx, e.store, "acme", settings.Settings{RetentionDays: 30}); err != nil {
		t.Fatal(err)
	}
	if err := e.client.SetRetention(ctx, "acme", 30); err != nil {
		t.Fatal(err)
	}
	n, err := e.client.SweepRetention(ctx, now)
	if err != nil || n != 1 {
		t.Fatalf("sweep deleted %d, %v; want 1", n, err)
	}
	if _, err := storage.GetItem(ctx, e.store, "acme", storage.KindScreenshot, old); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("old item still there: %v", err)
	}
	if _, err := e.client.Status(ctx, "acme", old); !errors.Is(err, queue.ErrNotFound) {
		t.Fatalf("old job still in Redis: %v", err)
	}
	for _, j := range []struct{ project, id string }{{"acme", young}, {"beta", other}} {
		if _, err := storage.GetItem(ctx, e.store, j.project, storage.KindScreenshot, j.id); err != nil {
			t.Fatalf("%s/%s deleted: %v", j.project, j.id, err)
		}
	}
	// A second sweep finds nothing more; a project without a period is
	// dropped from the sweep's list.
	if n, err := e.client.SweepRetention(ctx, now); err != nil || n != 0 {
		t.Fatalf("second sweep: %d %v", n, err)
	}
	settings.Save(ctx, e.store, "acme", settings.Settings{})
	e.client.SweepRetention(ctx, now)
	if m, _ := e.rdb.SMembers(ctx, "kiln:retention").Result(); len(m) != 0 {
		t.Fatalf("projects still swept: %v", m)
	}
}

// A duplicate that arrives while the first submission is still being
// accepted is told to retry (ErrInFlight), never handed the id of a
// submission that may still roll back; once the first has failed, the
// duplicate's retry is new work.
func TestDuplicateDuringSubmission(t *testing.T) {
	e := newEnv(t, testConfig())
	ctx := context.Background()
	entered, release := make(chan struct{}), make(chan struct{})
	queue.FailEnqueue(e.client, func(id string) error {
		close(entered)
		<-release
		return fmt.Errorf("store went away while enqueueing %s", id)
	})
	first := itemSubmission("dup", 0)
	done := make(chan error, 1)
	go func() { _, _, err := e.client.Submit(ctx, first); done <- err }()
	<-entered
	if id, _, err := e.client.Submit(ctx, itemSubmission("dup", 0)); !errors.Is(err, queue.ErrInFlight) {
		t.Fatalf("duplicate during the first submission: %q, %v; want ErrInFlight", id, err)
	}
	close(release)
	if err := <-done; err == nil {
		t.Fatal("the first submission did not fail")
	}
	queue.FailEnqueue(e.client, nil)
	again := itemSubmission("dup", 0)
	id, fresh, err := e.client.Submit(ctx, again)
	if err != nil || !fresh || id != again.ID {
		t.Fatalf("retry after the first failed: %q fresh=%v %v", id, fresh, err)
	}
	if st, err := e.client.Status(ctx, "acme", again.Jobs[0].ID); err != nil || st.State != queue.StateQueued {
		t.Fatalf("the retry's job: %+v %v", st, err)
	}
}

// deadDeletes is a store whose deletions fail while down is set (the
// store went away between the writes of a submission and its rollback).
type deadDeletes struct {
	storage.Store
	down atomic.Bool
}

func (d *deadDeletes) Delete(ctx context.Context, key string) error {
	if d.down.Load() {
		return errors.New("delete: connection refused")
	}
	return d.Store.Delete(ctx, key)
}

func (d *deadDeletes) DeletePrefix(ctx context.Context, prefix string) (int, error) {
	if d.down.Load() {
		return 0, errors.New("delete: connection refused")
	}
	return d.Store.DeletePrefix(ctx, prefix)
}

// A submission refused while the store cannot delete leaves its inputs
// and item records behind; the periodic sweep deletes them once the store
// is back, and deleting the project forgets the entries of its own.
func TestRolledBackObjectsSwept(t *testing.T) {
	e := newEnv(t, testConfig())
	ctx := context.Background()
	ds := &deadDeletes{Store: e.store}
	c := queue.NewClient(e.rdb, ds, e.cfg, nil)
	refuse := func(sub queue.Submission) {
		t.Helper()
		calls := 0
		queue.FailEnqueue(c, func(id string) error {
			if calls++; calls == 2 {
				ds.down.Store(true)
				return fmt.Errorf("connection reset while enqueueing %s", id)
			}
			return nil
		})
		if _, _, err := c.Submit(ctx, sub); !errors.Is(err, queue.ErrUnavailable) {
			t.Fatalf("submit: %v, want ErrUnavailable", err)
		}
		for _, j := range sub.Jobs {
			if _, err := e.store.Head(ctx, queue.InputKey(sub.Project, j.ID)); err != nil {
				t.Fatalf("the rollback could not delete the input of %s, yet it is gone: %v", j.ID, err)
			}
		}
	}
	sub := itemSubmission("store-gone", 0)
	refuse(sub)
	if n, err := c.SweepOrphans(ctx); n != 0 || err == nil {
		t.Fatalf("sweep with the store still down: %d deleted, err %v; want 0 and an error", n, err)
	}
	ds.down.Store(false)
	n, err := c.SweepOrphans(ctx)
	if err != nil || n != 4 {
		t.Fatalf("sweep: %d keys cleared (%v), want 4 (two inputs, two item records)", n, err)
	}
	e.nothingLeft(t, sub)
	if keys, _ := e.rdb.Keys(ctx, "kiln:orphans").Result(); len(keys) != 0 {
		t.Fatalf("orphan set left after the sweep: %v", keys)
	}

	other := itemSubmission("store-gone-again", 0)
	refuse(other)
	ds.down.Store(false)
	if err := c.Forget(ctx, "acme", nil, true); err != nil {
		t.Fatal(err)
	}
	if keys, _ := e.rdb.Keys(ctx, "kiln:orphans").Result(); len(keys) != 0 {
		t.Fatalf("deleting the project left its orphan entries: %v", keys)
	}
}

// lostReply makes the first script that reserves slots lose its reply
// after Redis ran it (a crash or a dropped connection between the two).
type lostReply struct{ lost atomic.Bool }

func (h *lostReply) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *lostReply) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}
func (h *lostReply) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		name := cmd.Name()
		if err == nil && (name == "evalsha" || name == "eval") && strings.Contains(fmt.Sprint(cmd.Args()...), "kiln:inflight:") && h.lost.CompareAndSwap(false, true) {
			return errors.New("read tcp: connection reset by peer")
		}
		return err
	}
}

// Redis reserved the slots but its answer was lost: the submission fails
// and its rollback frees the slots all the same (before, they stayed taken
// against the project's cap until InflightTTL).
func TestSubmitLostReserveReply(t *testing.T) {
	e := newEnv(t, testConfig())
	h := &lostReply{}
	e.rdb.(interface{ AddHook(redis.Hook) }).AddHook(h)
	sub := itemSubmission("lost-reply", 0)
	if _, _, err := e.client.Submit(context.Background(), sub); !errors.Is(err, queue.ErrUnavailable) {
		t.Fatalf("submit: %v, want ErrUnavailable", err)
	}
	if !h.lost.Load() {
		t.Fatal("the reserve script never ran")
	}
	e.nothingLeft(t, sub)
}

// lostPutAnswer stores an input and then fails as if the connection had
// dropped before the answer: the object is there, the caller heard an
// error. Its deletes fail while down.
type lostPutAnswer struct {
	deadDeletes
}

func (l *lostPutAnswer) Put(ctx context.Context, key string, r io.Reader, size int64, opts storage.PutOptions) error {
	if err := l.Store.Put(ctx, key, r, size, opts); err != nil {
		return err
	}
	if strings.Contains(key, "/inputs/") {
		l.down.Store(true)
		return errors.New("put: connection reset by peer")
	}
	return nil
}

// An input stored by a put whose answer was lost is rolled back, or noted
// for the sweep when the store cannot delete it, like every other object
// the submission wrote.
func TestRollbackOfAPutWithoutAnswer(t *testing.T) {
	e := newEnv(t, testConfig())
	ctx := context.Background()
	ls := &lostPutAnswer{deadDeletes{Store: e.store}}
	c := queue.NewClient(e.rdb, ls, e.cfg, nil)
	sub := itemSubmission("lost-answer", 0)
	if _, _, err := c.Submit(ctx, sub); !errors.Is(err, queue.ErrStorage) {
		t.Fatalf("submit: %v, want ErrStorage", err)
	}
	input := queue.InputKey(sub.Project, sub.Jobs[0].ID)
	if _, err := e.store.Head(ctx, input); err != nil {
		t.Fatalf("the input the lost put stored is gone already: %v", err)
	}
	ls.down.Store(false)
	if n, err := c.SweepOrphans(ctx); err != nil || n < 1 {
		t.Fatalf("sweep: %d keys cleared (%v), want the input noted and deleted", n, err)
	}
	e.nothingLeft(t, sub)
}
