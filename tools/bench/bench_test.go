package main

import (
	"os"
	"testing"
	"time"
)

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
