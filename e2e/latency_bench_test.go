package e2e

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kilnrender/kiln/internal/procstat"
	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/renderer"
	"github.com/kilnrender/kiln/snapshot"
)

// BenchmarkJobLatency is the latency of one job on an idle farm: a
// screenshot submitted to `kiln api` (POST /v1/screenshots) and rendered
// by `kiln worker` at its default pool shape, timed from the POST to the
// long-poll answering done, one job at a time; against the bare render of
// the same normalized input in a warm pool of the same shape in this
// process, alternated job by job so both see the same machine. It reports
// p50 and p95 of both, their ratios (the target is at most 1.3), and the
// mean of each step of the worker's report (queue pickup, load, settle,
// capture, upload...). KILN_LATENCY_JOBS sets the jobs (default 50).
// The worker runs at its defaults (pool shape, idle poll interval).
//
//	go test ./e2e -run '^$' -bench JobLatency -benchtime 1x
func BenchmarkJobLatency(b *testing.B) {
	jobs := 50
	if v, err := strconv.Atoi(os.Getenv("KILN_LATENCY_JOBS")); err == nil && v > 0 {
		jobs = v
	}
	raw := fixture(b, "corpus/gleap-local/feedback.json.gz")
	const query = "?format=webp"
	snap, err := snapshot.Parse(raw, snapshot.Options{})
	if err != nil {
		b.Fatal(err)
	}
	rc := renderer.DefaultConfig()
	rc.Browsers = renderer.BrowsersFor(runtime.GOMAXPROCS(0), procstat.AvailableMemory()) // the worker's default shape
	rc.ChromePath = os.Getenv("KILN_CHROME_PATH")
	// The worker's defaults, not the farm's test settings: its pool shape
	// and its idle poll interval (KILN_LATENCY_TASK_CHECK overrides it).
	check := cmp.Or(os.Getenv("KILN_LATENCY_TASK_CHECK"), queue.DefaultConfig().TaskCheckInterval.String())
	f := startFarmWith(b, farmOptions{Env: []string{"KILN_BROWSERS=" + strconv.Itoa(rc.Browsers), "KILN_TASK_CHECK_INTERVAL=" + check}})
	b.Logf("worker: %d browsers x %d tab, task check interval %s", rc.Browsers, rc.TabsPerBrowser, check)
	ctx := context.Background()
	pool, err := renderer.New(ctx, rc)
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	body := gz(raw)

	sent := 0
	job := func() (time.Duration, map[string]any) {
		sent++ // a key per job: the same body would be the same job
		start := time.Now()
		st, resp := f.do(b, "POST", "/v1/screenshots"+query, body, map[string]string{"Content-Encoding": "gzip", "Idempotency-Key": "latency-" + strconv.Itoa(sent)})
		if st != 202 {
			b.Fatalf("POST: %d %s", st, resp)
		}
		m := f.job(b, field(b, resp, "id"), time.Minute)
		took := time.Since(start)
		if m["state"] != "done" {
			b.Fatalf("job: %v", m)
		}
		return took, m
	}
	bare := func() time.Duration {
		rctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		start := time.Now()
		if _, err := pool.Render(rctx, snap, renderer.Options{Format: renderer.FormatWebP}); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	for range 3 { // warm both: the browsers' first documents, caches
		job()
		bare()
	}

	b.ResetTimer()
	for range b.N {
		var lat, ren []float64
		steps := map[string]float64{}
		var order []string
		for range jobs {
			took, m := job()
			lat = append(lat, ms(took))
			ren = append(ren, ms(bare()))
			rep, _ := m["report"].(map[string]any)
			if q, ok := rep["queueWaitMs"].(float64); ok {
				add(steps, &order, "queue_pickup", q)
			}
			list, _ := rep["steps"].([]any)
			for _, s := range list {
				st, _ := s.(map[string]any)
				name, _ := st["name"].(string)
				v, _ := st["ms"].(float64)
				add(steps, &order, name, v)
			}
		}
		l50, l95, r50, r95 := pct(lat, 50), pct(lat, 95), pct(ren, 50), pct(ren, 95)
		b.ReportMetric(l50, "job-p50-ms")
		b.ReportMetric(l95, "job-p95-ms")
		b.ReportMetric(r50, "bare-p50-ms")
		b.ReportMetric(r95, "bare-p95-ms")
		b.ReportMetric(l50/r50, "p50-ratio")
		b.ReportMetric(l95/r95, "p95-ratio")
		var parts []string
		for _, name := range order {
			parts = append(parts, fmt.Sprintf("%s %.1f", name, steps[name]/float64(jobs)))
		}
		b.Logf("%d jobs: POST to done p50 %.0f ms, p95 %.0f ms; bare render p50 %.0f ms, p95 %.0f ms; ratio p50 %.2f, p95 %.2f",
			jobs, l50, l95, r50, r95, l50/r50, l95/r95)
		b.Logf("mean ms per step of the worker's report: %s", strings.Join(parts, ", "))
	}
}

func add(m map[string]float64, order *[]string, name string, v float64) {
	if _, ok := m[name]; !ok {
		*order = append(*order, name)
	}
	m[name] += v
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// pct is the p-th percentile of xs (nearest rank).
func pct(xs []float64, p int) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[max(i-1, 0)]
}
