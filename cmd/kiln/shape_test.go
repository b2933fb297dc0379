package main

import (
	"runtime"
	"testing"

	"github.com/kilnrender/kiln/internal/procstat"
	"github.com/kilnrender/kiln/renderer"
)

// The worker's pool is sized from the machine unless --browsers
// (KILN_BROWSERS) says otherwise.
func TestWorkerBrowsersDefault(t *testing.T) {
	browsers := func(args ...string) int {
		t.Helper()
		e := serviceFlagSet("worker")
		f := addWorkerFlags(e)
		if err := parseServiceFlags(e, args); err != nil {
			t.Fatal(err)
		}
		_, rc, err := f.configs()
		if err != nil {
			t.Fatal(err)
		}
		return rc.Browsers
	}
	want := renderer.BrowsersFor(runtime.GOMAXPROCS(0), procstat.AvailableMemory())
	if got := browsers(); got != want || got < 1 {
		t.Errorf("default: %d browsers, want %d (from %d cores, %d MB available)", got, want, runtime.GOMAXPROCS(0), procstat.AvailableMemory()>>20)
	}
	if got := browsers("--browsers", "1"); got != 1 {
		t.Errorf("--browsers 1: %d browsers", got)
	}
	t.Setenv("KILN_BROWSERS", "4")
	if got := browsers(); got != 4 {
		t.Errorf("KILN_BROWSERS=4: %d browsers", got)
	}
}
