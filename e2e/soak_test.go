package e2e

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// soakBound is how much the worker's process tree may grow over a soak
// (VmRSS summed over processes counts the pages Chromium's processes share
// once per process: an overstatement of the memory used, but a steady one,
// so growth shows all the same):
// the median of the last quarter of the samples (after warm-up) may be at
// most this many times the median of the first quarter, for resident
// memory and for open descriptors alike. A leak of a tab, a browser
// context, a connection or a temporary file per job shows as steady
// growth far beyond it; Chromium's own caches settle within the warm-up.
const soakBound = 1.25

// soakWarmup is the share of the jobs before which samples are not
// compared: Chromium starts, fills its caches and the Go heap finds its
// size.
const soakWarmup = 0.10

// TestSoak runs a long stream of screenshot renders and replay builds
// through one `kiln worker` (and `kiln api`, Redis and S3) and samples the
// worker's process tree: the sum of VmRSS and of open descriptors over the
// worker and its Chromium processes. It checks that neither grows beyond
// soakBound, and that once the worker stops (SIGTERM) no Chromium process
// of it and no temporary profile is left.
//
// The CI form renders 200 screenshots and builds 20 replays; KILN_SOAK=1
// runs 2,000 and 200 (KILN_SOAK_RENDERS and KILN_SOAK_REPLAYS set other
// counts).
func TestSoak(t *testing.T) {
	renders, replays := 200, 20
	if os.Getenv("KILN_SOAK") == "1" {
		renders, replays = 2000, 200
	}
	renders = envInt(t, "KILN_SOAK_RENDERS", renders)
	replays = envInt(t, "KILN_SOAK_REPLAYS", replays)
	total := renders + replays
	start := time.Now()
	f, _, _ := s3Farm(t, farmOptions{WorkerEnv: []string{"KILN_WORKER_CONCURRENCY=2"}})
	w := f.Workers[0]
	in := loadInputs(t)
	every := max(1, total/replays)
	plan := in.plan(fmt.Sprintf("soak-%d", start.UnixMilli()), total, every, 0)
	counts := map[string]int{}
	for _, s := range plan {
		counts[s.Kind]++
	}
	t.Logf("soak: %d screenshots, %d replays through one worker (pid %d)", counts[kindShot], counts[kindReplay], w.PID())

	led := newLedger()
	c := newClient(f, led)
	prog := watchProgress(c, 200*time.Millisecond)
	defer prog.stop()
	samp := sampleTree(w.PID(), w.TmpDir, prog, 500*time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute+time.Duration(total)*time.Second)
	defer cancel()
	errs := make(chan error, total)
	var outage atomic.Bool // never set: the soak has no faults
	<-runClients(ctx, c, plan, 2, 8, prog, &outage, errs)
	close(errs)
	for err := range errs {
		t.Errorf("client: %v", err)
	}
	acc := led.accepted()
	var ids []string
	for id := range acc {
		ids = append(ids, id)
	}
	final, unknown := c.waitAll(ctx, ids)
	samples := samp.stop()
	elapsed := time.Since(start)
	done, failed := 0, 0
	for _, id := range ids {
		switch st, ok := final[id]; {
		case !ok:
			t.Errorf("job %s: GET answers %d", id, unknown[id])
		case st.State == "done":
			done++
		default:
			failed++
			t.Errorf("job %s (%s): %s %q", id, acc[id].Kind, st.State, st.Reason)
		}
	}
	t.Logf("soak: %d jobs done, %d not, in %v (%.1f jobs/s)", done, len(ids)-done, elapsed.Round(time.Second), float64(done)/elapsed.Seconds())

	checkGrowth(t, samples, total)

	// Stop the worker as production does, then look for what it left.
	profiles := profileDirs(w.TmpDir)
	stopped := time.Now()
	if !w.Stop(30 * time.Second) {
		t.Errorf("worker did not stop within 30 s of SIGTERM (it was SIGKILLed)")
	}
	t.Logf("worker stopped in %v; %d Chromium profile dirs existed before the stop", time.Since(stopped).Round(time.Millisecond), len(profiles))
	time.Sleep(500 * time.Millisecond)
	if pids := procsUsing(w.TmpDir); len(pids) > 0 {
		t.Errorf("%d Chromium processes of the stopped worker remain: %v (e.g. %q)", len(pids), pids, cmdline(pids[0]))
		killUsing(w.TmpDir)
	}
	if left := profileDirs(w.TmpDir); len(left) > 0 {
		t.Errorf("temporary Chromium profiles left in the worker's TMPDIR: %v", left)
	}
}

// sample is one reading of the worker's tree.
type sample struct {
	At       time.Duration
	Finished int
	treeUsage
	// Marked counts the processes whose command line names the worker's
	// TMPDIR: it must equal Chromium, or the checks for orphans after the
	// worker stops (procsUsing) would miss some.
	Marked int
}

type sampler struct {
	mu      sync.Mutex
	samples []sample
	cancel  context.CancelFunc
	done    chan struct{}
}

// sampleTree reads pid's tree every period until stop.
func sampleTree(pid int, tmp string, prog *progress, period time.Duration) *sampler {
	ctx, cancel := context.WithCancel(context.Background())
	s := &sampler{cancel: cancel, done: make(chan struct{})}
	start := time.Now()
	go func() {
		defer close(s.done)
		for ctx.Err() == nil {
			u := usageOf(pid)
			marked := len(procsUsing(tmp))
			s.mu.Lock()
			s.samples = append(s.samples, sample{At: time.Since(start), Finished: prog.Finished(), treeUsage: u, Marked: marked})
			s.mu.Unlock()
			sleepCtx(ctx, period)
		}
	}()
	return s
}

func (s *sampler) stop() []sample {
	s.cancel()
	<-s.done
	return slices.Clone(s.samples)
}

// checkGrowth logs the curve (a row per tenth of the jobs) and compares
// the first and last quarters of the samples taken after warm-up.
func checkGrowth(t *testing.T, samples []sample, total int) {
	t.Helper()
	const mb = 1 << 20
	t.Logf("%8s %6s %6s %9s %7s %9s %6s %9s %9s", "t", "jobs", "procs", "chromium", "marked", "tree RSS", "fds", "kiln fds", "kiln RSS")
	step := max(1, total/10)
	next := 0
	for i, s := range samples {
		if s.Finished >= next || i == len(samples)-1 {
			t.Logf("%7.0fs %6d %6d %9d %7d %8.0fM %6d %9d %8.0fM", s.At.Seconds(), s.Finished, s.Procs, s.Chromium, s.Marked,
				float64(s.RSS)/mb, s.FDs, s.RootFDs, float64(s.RootRSS)/mb)
			for next <= s.Finished {
				next += step
			}
		}
	}
	unmarked := 0
	for _, s := range samples {
		if s.Marked < s.Chromium {
			unmarked++
		}
	}
	if unmarked > len(samples)/10 {
		t.Errorf("in %d of %d samples some Chromium processes did not name the worker's TMPDIR: the orphan checks cannot see them", unmarked, len(samples))
	}
	var steady []sample
	for _, s := range samples {
		if s.Finished >= int(soakWarmup*float64(total)) && s.Procs > 0 && s.Finished < total {
			steady = append(steady, s)
		}
	}
	if len(steady) < 8 {
		t.Errorf("only %d samples after warm-up: too few to judge growth", len(steady))
		return
	}
	q := len(steady) / 4
	first, last := steady[:q], steady[len(steady)-q:]
	for _, m := range []struct {
		name string
		get  func(sample) float64
		unit string
		div  float64
	}{
		{"tree RSS", func(s sample) float64 { return float64(s.RSS) }, "MB", mb},
		{"tree fds", func(s sample) float64 { return float64(s.FDs) }, "", 1},
		{"kiln worker RSS", func(s sample) float64 { return float64(s.RootRSS) }, "MB", mb},
		{"kiln worker fds", func(s sample) float64 { return float64(s.RootFDs) }, "", 1},
	} {
		a, b := median(first, m.get), median(last, m.get)
		verdict := "ok"
		if b > soakBound*a {
			verdict = "GROWTH"
			t.Errorf("%s grew: median %.1f%s over the last quarter, %.1f%s over the first (bound %.2f×)", m.name, b/m.div, m.unit, a/m.div, m.unit, soakBound)
		}
		t.Logf("%-16s first quarter median %8.1f%s, last quarter %8.1f%s: %.2f× (bound %.2f×) %s", m.name, a/m.div, m.unit, b/m.div, m.unit, b/a, soakBound, verdict)
	}
}

func median(s []sample, get func(sample) float64) float64 {
	v := make([]float64, len(s))
	for i, x := range s {
		v[i] = get(x)
	}
	sort.Float64s(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}
