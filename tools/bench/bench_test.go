package main

import (
	"os"
	"testing"
	"time"
)

// TestMain lets the test binary act as the reaper runProcess starts
// (os.Executable is the test binary here).
func TestMain(m *testing.M) {
	if len(os.Args) > 2 && os.Args[1] == "-reap" && os.Args[2] == "--" {
		os.Exit(reap(os.Args[3:]))
	}
	os.Exit(m.Run())
}

func TestParseShape(t *testing.T) {
	for _, c := range []struct {
		in      string
		b, t, c int
		bad     bool
	}{
		{in: "2x1", b: 2, t: 1, c: 2},
		{in: "2x2@3", b: 2, t: 2, c: 3},
		{in: "0x1", bad: true},
		{in: "2", bad: true},
		{in: "2x2@x", bad: true},
	} {
		b, tb, conc, err := parseShape(c.in)
		if (err != nil) != c.bad || !c.bad && (b != c.b || tb != c.t || conc != c.c) {
			t.Errorf("parseShape(%q) = %d, %d, %d, %v", c.in, b, tb, conc, err)
		}
	}
}

func TestTrackerSeesCPUAndMemory(t *testing.T) {
	tr := track(os.Getpid(), 20*time.Millisecond)
	cpu0 := tr.cpuSeconds()
	for end := time.Now().Add(300 * time.Millisecond); time.Now().Before(end); {
	}
	tr.close()
	if d := tr.cpuSeconds() - cpu0; d < 0.1 {
		t.Fatalf("300 ms of spinning counted as %.2f CPU-s", d)
	}
	if tr.peakRSS() <= 0 || tr.processes() < 1 {
		t.Fatalf("peak RSS %d, processes %d", tr.peakRSS(), tr.processes())
	}
}

func TestQuantile(t *testing.T) {
	s := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	if q := quantile(s, 0.5); q != 5 {
		t.Fatalf("median = %v", q)
	}
	if q := quantile(s, 0.95); q != 10 {
		t.Fatalf("p95 = %v", q)
	}
}

// TestReaperCountsOrphans runs a shell that leaves a CPU-bound grandchild
// behind (orphaned when the shell exits): the reaper's rusage must hold
// the grandchild's CPU time, which the parent never waited for.
func TestReaperCountsOrphans(t *testing.T) {
	r := runProcess([]string{"sh", "-c", `(i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done) & exit 0`}, nil, t.TempDir(), ".png")
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.cpu < 0.05 {
		t.Fatalf("orphan's CPU not counted: %.3f s", r.cpu)
	}
}
