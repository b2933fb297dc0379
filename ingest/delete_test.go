package ingest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kilnrender/kiln/storage"
)

// redisDump maps every Redis key to its values: a string's value, a
// hash's fields and values, a list's, set's or sorted set's members.
func (e *apiEnv) redisDump(t *testing.T) map[string][]string {
	t.Helper()
	ctx := context.Background()
	keys, err := e.rdb.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string][]string, len(keys))
	for _, k := range keys {
		var vals []string
		switch e.rdb.Type(ctx, k).Val() {
		case "string":
			vals = []string{e.rdb.Get(ctx, k).Val()}
		case "hash":
			for f, v := range e.rdb.HGetAll(ctx, k).Val() {
				vals = append(vals, f, v)
			}
		case "list":
			vals = e.rdb.LRange(ctx, k, 0, -1).Val()
		case "set":
			vals = e.rdb.SMembers(ctx, k).Val()
		case "zset":
			vals = e.rdb.ZRange(ctx, k, 0, -1).Val()
		}
		out[k] = vals
	}
	return out
}

// redisTraces lists every Redis key whose name, or one of whose values,
// mentions one of names.
func (e *apiEnv) redisTraces(t *testing.T, names ...string) []string {
	t.Helper()
	mentions := func(s string) bool {
		for _, n := range names {
			if strings.Contains(s, n) {
				return true
			}
		}
		return false
	}
	var out []string
	for k, vals := range e.redisDump(t) {
		if mentions(k) {
			out = append(out, k)
			continue
		}
		for _, v := range vals {
			if mentions(v) {
				out = append(out, k+" (value)")
				break
			}
		}
	}
	return out
}

func (e *apiEnv) objectsUnder(t *testing.T, prefix string) []string {
	t.Helper()
	objs, _, err := e.store.List(context.Background(), prefix, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range objs {
		keys = append(keys, o.Key)
	}
	return keys
}

// Deleting a project deletes everything: no object under its prefix, no
// Redis key naming it or its jobs (tasks in every state, archived
// callbacks, results, idempotency keys, slots), the jobs answer 404, and a
// resubmission with the same Idempotency-Key is new work.
func TestDeleteProjectIsComplete(t *testing.T) {
	cfg := smallConfig()
	cfg.ProjectCap = 0
	// The API admits loopback callbacks, the worker does not (as when a
	// name resolves elsewhere by the time the callback is sent): a
	// callback to a loopback server is refused at delivery, its task ends
	// archived, which must go too.
	e := newAPI(t, cfg, nil, privateCallbacks)
	e.startWorker(t, &stubRenderer{})
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer cb.Close()
	fb := testdata(t, "gleap-feedback.json")
	st, m := e.post(t, "/v1/items?callbackUrl="+cb.URL+"/hook", fb, map[string]string{"Idempotency-Key": "K1"})
	if st != 202 {
		t.Fatalf("item: %d %v", st, m)
	}
	item := m["itemId"].(string)
	shot := m["screenshot"].(map[string]any)["id"].(string)
	replay := m["replay"].(map[string]any)["id"].(string)
	if _, sm := e.job(t, shot, "5s"); sm["state"] != "done" {
		t.Fatalf("screenshot %v", sm)
	}
	e.job(t, replay, "5s")
	st2, m2 := e.post(t, "/v1/screenshots", testdata(t, "todomvc-snapshot.rrweb.json"), nil)
	if st2 != 202 {
		t.Fatalf("screenshot: %d %v", st2, m2)
	}
	other := m2["id"].(string)
	e.job(t, other, "5s")
	time.Sleep(300 * time.Millisecond) // callbacks attempted
	if traces := e.redisTraces(t, "acme", item); len(traces) == 0 {
		t.Fatal("no Redis traces before the delete: the test would prove nothing")
	}

	if resp, b := e.do(t, req{method: "DELETE", path: "/v1/projects/acme", key: keyAcme}); resp.StatusCode != 204 {
		t.Fatalf("delete: %d %s", resp.StatusCode, b)
	}
	if keys := e.objectsUnder(t, "p/acme/"); len(keys) != 0 {
		t.Errorf("objects left: %v", keys)
	}
	if traces := e.redisTraces(t, "acme", item, shot, replay, other); len(traces) != 0 {
		t.Errorf("Redis keys left naming the project or its jobs: %v", traces)
	}
	for _, id := range []string{shot, replay, other} {
		if st, m := e.job(t, id, ""); st != 404 {
			t.Errorf("job %s after delete: %d %v", id, st, m)
		}
	}
	st, m = e.post(t, "/v1/items", fb, map[string]string{"Idempotency-Key": "K1"})
	if st != 202 || m["itemId"] == item {
		t.Fatalf("resubmission with the deleted item's key: %d %v, want 202 and a new item", st, m)
	}
}

// An item deleted while its job renders leaves nothing: the job ends
// without writing its result (or deletes what it wrote), and answers 404.
func TestDeleteRacingARunningJob(t *testing.T) {
	cfg := smallConfig()
	cfg.ProjectCap = 0
	e := newAPI(t, cfg, nil)
	var started atomic.Bool
	r := &stubRenderer{delay: 1500 * time.Millisecond, started: &started}
	e.startWorker(t, r)
	st, m := e.post(t, "/v1/screenshots", testdata(t, "todomvc-snapshot.rrweb.json"), nil)
	if st != 202 {
		t.Fatalf("submit: %d %v", st, m)
	}
	id := m["id"].(string)
	deadline := time.Now().Add(10 * time.Second)
	for !started.Load() {
		if time.Now().After(deadline) {
			t.Fatal("the render never started")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if resp, b := e.do(t, req{method: "DELETE", path: "/v1/items/" + id, key: keyAcme}); resp.StatusCode != 204 {
		t.Fatalf("delete: %d %s", resp.StatusCode, b)
	}
	time.Sleep(2500 * time.Millisecond) // the render would have finished and stored by now
	prefix := storage.Keys{Project: "acme", ID: id, Kind: storage.KindScreenshot}.Prefix()
	if keys := e.objectsUnder(t, prefix); len(keys) != 0 {
		t.Errorf("objects written after the delete: %v", keys)
	}
	if _, err := storage.GetItem(context.Background(), e.store, "acme", storage.KindScreenshot, id); err == nil {
		t.Error("item record written back after the delete")
	}
	if st, m := e.job(t, id, ""); st != 404 {
		t.Errorf("job after delete: %d %v", st, m)
	}
	if traces := e.redisTraces(t, id); len(traces) != 0 {
		t.Errorf("Redis keys left naming the job: %v", traces)
	}
}
