package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// soakSample is the memory of the Kiln worker (driver and every Chromium
// process) after a number of consecutive renders.
type soakSample struct {
	Renders int     `json:"renders"`
	RSSMB   float64 `json:"rssMB"`
	PeakMB  float64 `json:"peakMB"`
	PerSec  float64 `json:"rendersPerSecond"`
}

// soak renders the corpus o.soak times in a row with the default pool
// and samples resident memory every o.soakEvery renders.
func soak(o options) error {
	tmp, _, err := prepareCases(o)
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	self, err := os.Executable()
	if err != nil {
		return err
	}
	s := &side{Name: "kiln 2x1 soak", Kind: "kiln", Conc: 2, argv: []string{self, "-worker", "kiln", "-cases", tmp, "-chrome", o.chrome, "-browsers", "2", "-tabs", "1"}}
	if err := s.start(tmp); err != nil {
		return err
	}
	defer s.stop()
	var samples []soakSample
	errs := 0
	for done := 0; done < o.soak; {
		n := min(o.soakEvery, o.soak-done)
		tr := track(s.cmd.Process.Pid, 200*time.Millisecond)
		r, err := s.send(command{Op: "run", N: n, Conc: s.Conc})
		tr.close()
		if err != nil {
			return err
		}
		errs += r.Errors
		done += n
		all := readProcs()
		var rss int64
		for _, pid := range tree(all, s.cmd.Process.Pid) {
			rss += all[pid].RSSBytes
		}
		sm := soakSample{Renders: done, RSSMB: float64(rss) / (1 << 20), PeakMB: float64(tr.peakRSS()) / (1 << 20), PerSec: float64(n) / (r.WallMs / 1000)}
		samples = append(samples, sm)
		fmt.Fprintf(os.Stderr, "  %5d renders  rss %6.0f MB  peak %6.0f MB  %.2f renders/s  errors %d\n", sm.Renders, sm.RSSMB, sm.PeakMB, sm.PerSec, errs)
	}
	// Flatness: the spread of the sampled RSS after the first sample
	// (warm-up), relative to its median.
	var rs []float64
	for _, sm := range samples[min(1, len(samples)-1):] {
		rs = append(rs, sm.RSSMB)
	}
	sort.Float64s(rs)
	med := quantile(rs, 0.5)
	out := map[string]any{
		"date": o.started.UTC().Format(time.RFC3339), "machine": machine(), "renders": o.soak, "errors": errs,
		"samples": samples, "rssMedianMB": med, "rssMinMB": rs[0], "rssMaxMB": rs[len(rs)-1],
		"spreadPercent": round2(100 * (rs[len(rs)-1] - rs[0]) / med),
	}
	fmt.Printf("soak: %d renders, %d errors, RSS median %.0f MB, min %.0f, max %.0f (spread %.1f %% of median)\n", o.soak, errs, med, rs[0], rs[len(rs)-1], 100*(rs[len(rs)-1]-rs[0])/med)
	b, _ := json.MarshalIndent(out, "", "  ")
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	p := filepath.Join(o.out, "soak-"+o.started.UTC().Format("2006-01-02T150405Z")+".json")
	fmt.Fprintln(os.Stderr, "wrote", p)
	return os.WriteFile(p, append(b, '\n'), 0o644)
}
