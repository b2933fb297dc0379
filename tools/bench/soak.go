package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"time"

	"github.com/kilnrender/kiln/internal/procstat"
	"github.com/kilnrender/kiln/renderer"
)

// soakSample is one side's memory and rate over a chunk of consecutive
// renders: the side's whole process tree (driver and every Chromium
// process) after the chunk, its peak during it, and CPU per render.
type soakSample struct {
	Renders   int     `json:"renders"`
	RSSMB     float64 `json:"rssMB"`
	PeakMB    float64 `json:"peakMB"`
	PerSec    float64 `json:"rendersPerSecond"`
	CPUPerRen float64 `json:"cpuSecondsPerRender"`
}

// soakSide is one side of the soak and what it measured.
type soakSide struct {
	side    *side
	samples []soakSample
	errs    int
	renders int
	wallMs  float64
	cpu     float64
}

// soak renders the corpus o.soak times in a row on Kiln's pool at the
// worker's default shape for this machine (renderer.BrowsersFor, one tab
// per browser; -soak-browsers overrides it) and on the tuned peer
// (pages=2 unless -soak-peer-pages), in alternating chunks of o.soakEvery renders so that both
// meet the same machine, and samples each side's resident memory after
// every chunk: the steady state an operator sizes a machine with.
func soak(o options) error {
	tmp, cases, err := prepareCases(o)
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fonts, err := writeFontsConf(o.repo, tmp)
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	browsers := o.soakBrowsers
	if browsers <= 0 {
		browsers = renderer.BrowsersFor(runtime.GOMAXPROCS(0), procstat.AvailableMemory())
	}
	pages := max(o.soakPeerPages, 1)
	peerArgv := []string{o.node, absPath(filepath.Join(o.repo, "tools", "bench", "peer", "playwright.mjs")), "--chrome", o.chrome, "--pages", strconv.Itoa(pages)}
	for _, c := range cases {
		peerArgv = append(peerArgv, c.Peer)
	}
	sides := []*soakSide{
		{side: &side{Name: fmt.Sprintf("kiln %dx1 soak", browsers), Kind: "kiln", Conc: browsers, argv: []string{self, "-worker", "kiln", "-cases", tmp, "-chrome", o.chrome, "-browsers", strconv.Itoa(browsers), "-tabs", "1"}}},
		{side: &side{Name: fmt.Sprintf("playwright pages=%d soak", pages), Kind: "peer", Conc: pages, argv: peerArgv, env: []string{"FONTCONFIG_FILE=" + fonts}}},
	}
	for _, ss := range sides {
		if err := ss.side.start(tmp); err != nil {
			return err
		}
		defer ss.side.stop()
	}
	for done := 0; done < o.soak; {
		n := min(o.soakEvery, o.soak-done)
		done += n
		for _, ss := range sides {
			s := ss.side
			tr := track(s.cmd.Process.Pid, 200*time.Millisecond)
			cpu0 := tr.cpuSeconds() // the processes' CPU since they started
			r, err := s.send(command{Op: "run", N: n, Conc: s.Conc})
			tr.close()
			if err != nil {
				return err
			}
			ss.errs += r.Errors
			ss.renders += n
			ss.wallMs += r.WallMs
			cpu := tr.cpuSeconds() - cpu0
			ss.cpu += cpu
			all := readProcs()
			var rss int64
			for _, pid := range tree(all, s.cmd.Process.Pid) {
				rss += all[pid].RSSBytes
			}
			sm := soakSample{Renders: done, RSSMB: float64(rss) / (1 << 20), PeakMB: float64(tr.peakRSS()) / (1 << 20), PerSec: float64(n) / (r.WallMs / 1000), CPUPerRen: cpu / float64(n)}
			ss.samples = append(ss.samples, sm)
			fmt.Fprintf(os.Stderr, "  %-24s %5d renders  rss %6.0f MB  peak %6.0f MB  %.2f renders/s  %.3f cpu-s/render  errors %d\n", s.Name, sm.Renders, sm.RSSMB, sm.PeakMB, sm.PerSec, sm.CPUPerRen, ss.errs)
		}
	}
	out := map[string]any{"date": o.started.UTC().Format(time.RFC3339), "machine": machine(), "renders": o.soak, "chunk": o.soakEvery}
	var rate [2]float64
	for i, ss := range sides {
		// Flatness: the spread of the sampled RSS after the first
		// sample (warm-up), relative to its median.
		var rs []float64
		for _, sm := range ss.samples[min(1, len(ss.samples)-1):] {
			rs = append(rs, sm.RSSMB)
		}
		sort.Float64s(rs)
		med := quantile(rs, 0.5)
		rate[i] = float64(ss.renders) / (ss.wallMs / 1000)
		out[ss.side.Kind] = map[string]any{
			"name": ss.side.Name, "errors": ss.errs, "samples": ss.samples, "rendersPerSecond": round2(rate[i]),
			"cpuSecondsPerRender": round2(ss.cpu / float64(ss.renders)),
			"rssMedianMB":         med, "rssMinMB": rs[0], "rssMaxMB": rs[len(rs)-1],
			"spreadPercent": round2(100 * (rs[len(rs)-1] - rs[0]) / med),
		}
		fmt.Printf("soak %s: %d renders, %d errors, %.2f renders/s, %.3f cpu-s/render, RSS median %.0f MB, min %.0f, max %.0f (spread %.1f %% of median)\n",
			ss.side.Name, ss.renders, ss.errs, rate[i], ss.cpu/float64(ss.renders), med, rs[0], rs[len(rs)-1], 100*(rs[len(rs)-1]-rs[0])/med)
	}
	out["kilnOverPeerRendersPerSecond"] = round2(rate[0] / rate[1])
	fmt.Printf("soak: Kiln/peer renders/s %.2f\n", rate[0]/rate[1])
	b, _ := json.MarshalIndent(out, "", "  ")
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	p := filepath.Join(o.out, "soak-"+o.started.UTC().Format("2006-01-02T150405Z")+".json")
	fmt.Fprintln(os.Stderr, "wrote", p)
	return os.WriteFile(p, append(b, '\n'), 0o644)
}
