package renderer

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/kilnrender/kiln/internal/procstat"
	"github.com/kilnrender/kiln/internal/testenv"
	"github.com/kilnrender/kiln/snapshot"
)

// corpusSnapshots parses every corpus fixture (desktop 1280x800 DPR 1 and
// mobile 390x844 DPR 3).
func corpusSnapshots(b *testing.B) []*snapshot.Snapshot {
	files, _ := filepath.Glob("../testdata/corpus/*/snapshot.kiln.json.gz")
	var out []*snapshot.Snapshot
	for _, f := range files {
		s, err := snapshot.Parse(readGz(b, f), snapshot.Options{})
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// newBenchPool starts a pool of browsers × tabs that never recycles and
// never fetches, for benchmarks.
func newBenchPool(b *testing.B, browsers, tabs int) *Pool {
	cfg := DefaultConfig()
	cfg.ChromePath = testenv.LookPath(b, "chromium", "KILN_CHROME_PATH")
	cfg.Browsers, cfg.TabsPerBrowser, cfg.NoFetch = browsers, tabs, true
	cfg.RecycleAfter = 1 << 30
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	p, err := New(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// benchPool measures p over b.N renders of the corpus at concurrency conc:
// renders/s, CPU-seconds per render (Kiln and all Chromium processes) and
// peak RSS, reported as benchmark metrics.
func benchPool(b *testing.B, p *Pool, conc int, snaps []*snapshot.Snapshot) {
	opts := Options{Format: FormatWebP, Quality: 80, ThumbWidth: 320}
	// Warm up: every page once.
	for _, s := range snaps {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		if _, err := p.Render(ctx, s, opts); err != nil {
			b.Fatal(err)
		}
		cancel()
	}
	var peak atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if r := procstat.Groups(p.ProcessGroups()).RSSBytes; r > peak.Load() {
					peak.Store(r)
				}
			}
		}
	}()
	before := procstat.Groups(p.ProcessGroups())
	var next atomic.Int64
	b.ResetTimer()
	start := time.Now()
	var rw sync.WaitGroup
	for w := 0; w < conc; w++ {
		rw.Add(1)
		go func() {
			defer rw.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
				_, err := p.Render(ctx, snaps[int(i)%len(snaps)], opts)
				cancel()
				if err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	rw.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	after := procstat.Groups(p.ProcessGroups())
	close(stop)
	wg.Wait()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "renders/s")
	b.ReportMetric((after.CPUSeconds-before.CPUSeconds)/float64(b.N), "cpu-s/render")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-RSS-MB")
}

// BenchmarkRender compares pool shapes on the corpus, end to end from a
// parsed snapshot to a WebP and a 320px thumbnail. The naive baseline
// (a new Chromium per job) runs in the same invocation, so the ratio
// holds on a noisy machine: compare renders/s across sub-benchmarks.
func BenchmarkRender(b *testing.B) {
	sharedPool(b)
	snaps := corpusSnapshots(b)
	for _, shape := range []struct {
		name            string
		browsers, tabs  int
		concurrencyTabs int
	}{
		{"browsers=2,tabs=1", 2, 1, 2},
		{"browsers=1,tabs=2", 1, 2, 2},
		{"browsers=2,tabs=2", 2, 2, 4},
	} {
		b.Run(shape.name, func(b *testing.B) {
			p := newBenchPool(b, shape.browsers, shape.tabs)
			defer p.Close()
			benchPool(b, p, shape.concurrencyTabs, snaps)
		})
	}
	b.Run("naive-new-browser-per-job", func(b *testing.B) {
		cfg := DefaultConfig()
		cfg.Browsers, cfg.TabsPerBrowser, cfg.NoFetch = 1, 1, true
		start := time.Now()
		for i := 0; i < b.N; i++ {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			p, err := New(ctx, cfg)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := p.Render(ctx, snaps[i%len(snaps)], Options{Format: FormatWebP, ThumbWidth: 320}); err != nil {
				b.Fatal(err)
			}
			p.Close()
			cancel()
		}
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "renders/s")
	})
}

// BenchmarkThumbnail compares the two ways to make a 320px thumbnail of a
// 1280x800 capture: decode + imaging resize + JPEG in Go, or a second
// Chromium capture with clip.scale (the only way for WebP captures).
func BenchmarkThumbnail(b *testing.B) {
	p := sharedPool(b)
	snaps := corpusSnapshots(b)
	var s *snapshot.Snapshot
	for _, x := range snaps {
		if x.Viewport.Width == 1280 && x.Viewport.DeviceScaleFactor == 1 {
			s = x
			break
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := p.Render(ctx, s, Options{Format: FormatPNG})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("go-imaging-from-png", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, _, err := thumbnailGo(res.Image, 320); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("chromium-clip-scale", func(b *testing.B) {
		t, err := p.acquire(ctx, s.Viewport)
		if err != nil {
			b.Fatal(err)
		}
		defer p.release(t, false)
		ctx, cancel := context.WithTimeout(t.ctx, 60*time.Second)
		defer cancel()
		r := &rendering{job: newJob(ctx, s, p), snap: s, opts: Options{Format: FormatPNG}, res: &Result{}}
		for _, st := range pipeline {
			if st.name == "thumb" {
				break
			}
			if err := st.run(t, ctx, r); err != nil {
				b.Fatalf("%s: %v", st.name, err)
			}
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, _, err := t.thumbnailChromium(ctx, s, Options{}, r.clip, 320); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		t.setJob(nil)
	})
}

// BenchmarkStepCPU says where a render's CPU goes: one browser, one tab,
// the desktop corpus cases rendered one after another (WebP and a 320px
// thumbnail), the CPU time of each Chromium process kind (browser,
// renderer, GPU, ...) read from /proc before and after each step of the
// pipeline, and the job's fresh document (the about:blank navigation
// inside load) measured as a step of its own ("blank"). Reported as
// CPU-ms per render, step/kind.
func BenchmarkStepCPU(b *testing.B) {
	var snaps []*snapshot.Snapshot
	for _, s := range corpusSnapshots(b) {
		if s.Viewport.DeviceScaleFactor <= 1 && !s.Viewport.Mobile {
			snaps = append(snaps, s)
		}
	}
	p := newBenchPool(b, 1, 1)
	defer p.Close()
	opts := Options{Format: FormatWebP, Quality: 80, ThumbWidth: 320}
	cpu := map[string]float64{} // step/kind → CPU seconds
	sample := func() map[string]float64 {
		out := map[string]float64{}
		groups := map[int]bool{}
		for _, g := range p.ProcessGroups() {
			groups[g] = true
		}
		self := os.Getpid()
		for pid, pr := range procstat.All() {
			switch {
			case pid == self:
				out["go"] += pr.CPUSeconds
			case groups[pr.PGID]:
				out[chromiumKind(pid, pr.PGID)] += pr.CPUSeconds
			}
		}
		return out
	}
	measure := func(step string, f func() error) error {
		a := sample()
		err := f()
		for k, v := range sample() {
			cpu[step+"/"+k] += v - a[k]
		}
		return err
	}
	saved := pipeline
	defer func() { pipeline = saved }()
	pipeline = nil
	for _, st := range saved {
		st := st
		pipeline = append(pipeline, renderStep{st.name, func(t *tab, ctx context.Context, r *rendering) error {
			if st.name == "load" && t.used {
				if err := measure("blank", func() error {
					_, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: "about:blank"})
					return err
				}); err != nil {
					return err
				}
				t.used = false
			}
			return measure(st.name, func() error { return st.run(t, ctx, r) })
		}})
	}
	render := func(s *snapshot.Snapshot) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		if _, err := p.Render(ctx, s, opts); err != nil {
			b.Fatal(err)
		}
	}
	for _, s := range snaps {
		render(s)
	}
	clear(cpu)
	all0 := sample()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		render(snaps[i%len(snaps)])
	}
	b.StopTimer()
	total := 0.0
	for k, v := range sample() {
		total += v - all0[k]
	}
	b.ReportMetric(total/float64(b.N)*1000, "cpu-ms/render")
	for k, v := range cpu {
		b.ReportMetric(v/float64(b.N)*1000, k+"-cpu-ms/render")
	}
}

// chromiumKind names a Chromium process by its --type: renderer,
// gpu-process, utility, zygote; the group leader is the browser.
func chromiumKind(pid, pgid int) string {
	if pid == pgid {
		return "browser"
	}
	b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if _, v, ok := strings.Cut(strings.ReplaceAll(string(b), "\x00", " "), " --type="); ok {
		kind, _, _ := strings.Cut(v, " ")
		return kind
	}
	return "other"
}
