package ingest_test

import (
	"fmt"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kilnrender/kiln/queue"
)

// BenchmarkPipeline submits jobs through the HTTP API from 16 concurrent
// clients, each long-polling its job until done, and reports enqueue-to-
// done latency (p50, p95) and renders per second. "stub" renders nothing:
// it measures API, Redis, queue and storage (the same through a real
// Chromium worker is e2e's BenchmarkPipelineChromium).
//
//	go test ./ingest -run '^$' -bench Pipeline -benchtime 1x
func BenchmarkPipeline(b *testing.B) {
	b.Run("stub/500", func(b *testing.B) { benchPipeline(b, 500, nil) })
}

func benchPipeline(b *testing.B, jobs int, r queue.Renderer) {
	cfg := smallConfig()
	cfg.ProjectCap, cfg.MaxWait = 0, 5*time.Minute
	e := newAPI(b, cfg, nil)
	stub := &stubRenderer{}
	if r == nil {
		r = stub
	}
	e.qcfg.Concurrency = 8
	e.qcfg.TaskCheckInterval = 50 * time.Millisecond
	e.startWorker(b, r)
	body := testdata(b, "todomvc-snapshot.rrweb.json")
	b.ResetTimer()
	for range b.N {
		var (
			mu        sync.Mutex
			latencies []time.Duration
			ids       = map[string]bool{}
			failed    atomic.Int32
			next      atomic.Int64
			wg        sync.WaitGroup
		)
		start := time.Now()
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := next.Add(1)
					if i > int64(jobs) {
						return
					}
					t0 := time.Now()
					resp, rb := e.do(b, req{method: "POST", path: fmt.Sprintf("/v1/screenshots?format=jpeg&externalId=%d-%d", start.UnixNano(), i),
						key: keyAcme, ctype: "application/json", body: body})
					if resp.StatusCode != http.StatusAccepted {
						failed.Add(1)
						continue
					}
					id := jsonField(b, rb, "id")
					st, m := e.job(b, id, "300s")
					if st != 200 || m["state"] != "done" {
						failed.Add(1)
						continue
					}
					mu.Lock()
					latencies = append(latencies, time.Since(t0))
					ids[id] = true
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		if failed.Load() != 0 || len(ids) != jobs || len(latencies) != jobs {
			b.Fatalf("%d failed, %d distinct jobs done of %d", failed.Load(), len(ids), jobs)
		}
		if r == stub && int(stub.calls.Load()) != jobs*(b.N) && b.N == 1 {
			b.Fatalf("renderer ran %d times for %d jobs (lost or duplicated)", stub.calls.Load(), jobs)
		}
		sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
		b.ReportMetric(float64(latencies[len(latencies)/2].Milliseconds()), "p50-ms")
		b.ReportMetric(float64(latencies[len(latencies)*95/100].Milliseconds()), "p95-ms")
		b.ReportMetric(float64(jobs)/elapsed.Seconds(), "renders/s")
	}
}
