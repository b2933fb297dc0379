package queue

import (
	"context"
	"crypto/tls"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/kilnrender/kiln/internal/testenv"
	"github.com/redis/go-redis/v9"
)

func TestRetryDelay(t *testing.T) {
	c := DefaultConfig()
	c.RetryBase, c.RetryMax = time.Second, 10*time.Second
	for n, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second} {
		got := c.retryDelay(n, nil, nil)
		if got < want || got > want+want/5 {
			t.Errorf("retryDelay(%d) = %v, want %v..%v", n, got, want, want+want/5)
		}
	}
}

func insecureOpt(o asynq.RedisConnOpt) *tls.Config {
	switch v := o.(type) {
	case asynq.RedisClientOpt:
		return v.TLSConfig
	case asynq.RedisFailoverClientOpt:
		return v.TLSConfig
	case asynq.RedisClusterClientOpt:
		return v.TLSConfig
	}
	return nil
}

// A job that ends while Redis is restarting still frees its slot of the
// project cap once Redis is back (the chaos test found one leaked when a
// single ZREM met the 3 s outage), instead of holding it for InflightTTL.
func TestReleaseSlotsOutlastsARestart(t *testing.T) {
	r := testenv.StartRedisServer(t)
	rdb := redis.NewClient(&redis.Options{Addr: r.Addr, MaxRetries: -1})
	defer rdb.Close()
	ctx := context.Background()
	if err := rdb.ZAdd(ctx, inflightKey("acme"), redis.Z{Score: 1, Member: "job1"}, redis.Z{Score: 1, Member: "job2"}).Err(); err != nil {
		t.Fatal(err)
	}
	r.Crash()
	done := make(chan error, 1)
	go func() { done <- releaseSlots(ctx, rdb, "acme", "job1") }()
	time.Sleep(1500 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("released while Redis was down: %v", err)
	default:
	}
	r.Up()
	if err := <-done; err != nil {
		t.Fatalf("release after the restart: %v", err)
	}
	left, err := rdb.ZRange(ctx, inflightKey("acme"), 0, -1).Result()
	if err != nil || len(left) != 1 || left[0] != "job2" {
		t.Fatalf("slots left %v (%v), want [job2]", left, err)
	}
}

// A job's end, announced by its worker on a real Redis, reaches the
// long-polls watching that job through the client's one subscription,
// and no other job's; a watch stopped gets nothing.
func TestJobEndsReachTheirWaiters(t *testing.T) {
	r := testenv.StartRedis(t)
	rdb := redis.NewClient(&redis.Options{Addr: r.Addr})
	defer rdb.Close()
	e := &jobEnds{rdb: rdb}
	defer e.close()
	a1, stopA1 := e.watch("a")
	defer stopA1()
	a2, stopA2 := e.watch("a")
	b, stopB := e.watch("b")
	defer stopB()
	c, stopC := e.watch("c")
	stopC()
	ctx := context.Background()
	// The subscription starts with the first watch; announce until it is
	// live (a Wait that misses an announcement polls on its own).
	deadline := time.Now().Add(10 * time.Second)
	for n := 0; ; n++ {
		if err := announceEnd(ctx, rdb, "a"); err != nil {
			t.Fatal(err)
		}
		select {
		case <-a1:
		case <-time.After(100 * time.Millisecond):
			if time.Now().After(deadline) {
				t.Fatalf("no announcement reached a waiter after %d sent", n+1)
			}
			continue
		}
		break
	}
	select {
	case <-a2:
	case <-time.After(10 * time.Second):
		t.Fatal("the second waiter of job a was not told")
	}
	stopA2()
	if err := announceEnd(ctx, rdb, "c"); err != nil {
		t.Fatal(err)
	}
	if err := announceEnd(ctx, rdb, "b"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-b:
	case <-time.After(10 * time.Second):
		t.Fatal("job b's waiter was not told")
	}
	select {
	case <-c:
		t.Error("a stopped watch was told")
	default:
	}
	e.mu.Lock()
	left := len(e.waiting)
	e.mu.Unlock()
	if left != 2 { // a's first waiter and b's, until their deferred stops; not c
		t.Errorf("%d jobs still watched, want 2", left)
	}
}
