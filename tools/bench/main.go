// Command bench measures Kiln's renderer side by side with the ways people
// render DOM snapshots without it, on the same machine, the same Chromium
// and the same corpus. See README.md.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/kilnrender/kiln/internal/imgcmp"
	"github.com/kilnrender/kiln/renderer"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run() error {
	var o options
	flag.StringVar(&o.repo, "repo", ".", "repository root (for testdata/corpus and renderer/fonts.conf)")
	flag.StringVar(&o.chrome, "chrome", "/usr/bin/chromium", "Chromium binary, for every side")
	flag.StringVar(&o.node, "node", "node", "Node.js binary for the peer")
	flag.StringVar(&o.kiln, "kiln", "", "kiln binary for the command-line side (empty: skip it)")
	flag.StringVar(&o.out, "out", "", "folder for <date>.json (default: tools/bench/results under -repo)")
	flag.StringVar(&o.latest, "latest", "", "also write the results here (tools/bench/latest.json)")
	flag.IntVar(&o.rounds, "rounds", 3, "alternating rounds")
	flag.IntVar(&o.n, "n", 24, "renders per side per round")
	flag.IntVar(&o.naiveN, "naive-n", 8, "renders per round for the naive side")
	flag.StringVar(&o.kilnShapes, "kiln-shapes", "2x1,1x2,2x2,3x1", "Kiln pool shapes BROWSERSxTABS (concurrency = B×T)")
	flag.StringVar(&o.peerPages, "peer-pages", "1,2,4", "peer page-pool sizes (concurrency = pages)")
	flag.StringVar(&o.floorShapes, "floor-shapes", "2x1,2x2", "floor shapes BROWSERSxTABS")
	flag.StringVar(&o.only, "only", "", "comma-separated sides to run (kiln,cli,peer,peerproc,naive,floor; process = cli,peerproc); empty: all")
	flag.StringVar(&o.batches, "batches", "42,10", "whole-process mode: renders per run of `kiln render` and of the peer process, over the desktop cases")
	flag.IntVar(&o.soak, "soak", 0, "soak mode: this many consecutive renders on Kiln's worker pool at its default shape and on the peer (pages=2), alternating chunks of -soak-every, RSS sampled after each")
	flag.IntVar(&o.soakBrowsers, "soak-browsers", 0, "soak mode: Kiln's browsers (one tab each, as many renders in flight); 0: the worker's default for this machine")
	flag.IntVar(&o.soakPeerPages, "soak-peer-pages", 2, "soak mode: the peer's pages (renders in flight)")
	flag.IntVar(&o.soakEvery, "soak-every", 100, "soak mode: renders between RSS samples")
	flag.StringVar(&keepPNG, "keep-png", "", "keep the equal-output check's PNG renders in this folder")
	flag.BoolVar(&o.noCheck, "no-check", false, "skip the equal-output (SSIM) check")
	flag.BoolVar(&o.peerIsolated, "peer-isolated", false, "also run each peer side isolating jobs as Kiln does (no-store responses, a fresh document per job), to measure what isolation costs")
	worker := flag.String("worker", "", "internal: serve renders as a worker (kiln, naive, floor)")
	casesDir := flag.String("cases", "", "internal: folder with the prepared cases (worker mode)")
	browsers := flag.Int("browsers", 2, "internal: browsers (worker mode)")
	tabs := flag.Int("tabs", 1, "internal: tabs per browser (worker mode)")
	fonts := flag.String("fonts", "", "internal: fontconfig file (floor worker)")
	ssim := flag.Bool("ssim", false, "print the SSIM of two image files given as arguments, and exit")
	reaper := flag.Bool("reap", false, "internal: run the command after -- as a child subreaper (exact CPU of its tree)")
	flag.Parse()
	if *reaper {
		os.Exit(reap(flag.Args()))
	}
	if *ssim {
		return printSSIM(flag.Args())
	}

	if *worker != "" {
		cases, err := readCaseList(*casesDir)
		if err != nil {
			return err
		}
		cfg := renderer.DefaultConfig()
		cfg.ChromePath = o.chrome
		cfg.Browsers, cfg.TabsPerBrowser, cfg.NoFetch = *browsers, *tabs, true
		switch *worker {
		case "kiln":
			return runKilnWorker(cases, cfg)
		case "naive":
			return runNaiveWorker(cases, cfg)
		case "floor":
			return runFloorWorker(cases, o.chrome, *fonts, *browsers, *tabs)
		}
		return fmt.Errorf("unknown worker %q", *worker)
	}
	if o.out == "" {
		o.out = filepath.Join(o.repo, "tools", "bench", "results")
	}
	o.started = time.Now()
	if o.soak > 0 {
		return soak(o)
	}
	return compare(o)
}

type options struct {
	repo, chrome, node, kiln, out, latest string
	rounds, n, naiveN                     int
	kilnShapes, peerPages, floorShapes    string
	batches                               string
	only                                  string
	soak, soakEvery                       int
	soakBrowsers, soakPeerPages           int
	noCheck                               bool
	peerIsolated                          bool
	started                               time.Time
}

func (o options) wants(side string) bool {
	if o.only == "" {
		return true
	}
	for _, s := range strings.Split(o.only, ",") {
		s = strings.TrimSpace(s)
		if s == side || s == "process" && (side == "cli" || side == "peerproc") {
			return true
		}
	}
	return false
}

// parseShape reads BROWSERSxTABS, optionally @CONCURRENCY (default B×T:
// fewer renders in flight than tabs leaves the pool a choice of tab).
func parseShape(s string) (b, t, c int, err error) {
	shape, conc, hasConc := strings.Cut(s, "@")
	_, err = fmt.Sscanf(shape, "%dx%d", &b, &t)
	if err != nil || b < 1 || t < 1 {
		return 0, 0, 0, fmt.Errorf("shape %q: want BROWSERSxTABS[@CONCURRENCY]", s)
	}
	c = b * t
	if hasConc {
		if _, err := fmt.Sscan(conc, &c); err != nil || c < 1 {
			return 0, 0, 0, fmt.Errorf("shape %q: bad concurrency", s)
		}
	}
	return b, t, c, nil
}

func printSSIM(files []string) error {
	if len(files) != 2 {
		return fmt.Errorf("-ssim takes two image files")
	}
	a, err := imgcmp.Load(files[0])
	if err != nil {
		return err
	}
	b, err := imgcmp.Load(files[1])
	if err != nil {
		return err
	}
	v, err := imgcmp.SSIM(a, b)
	if err != nil {
		return err
	}
	fmt.Printf("%.4f\n", v)
	return nil
}

func machine() string {
	model := ""
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				model = strings.TrimSpace(l[strings.IndexByte(l, ':')+1:])
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		fmt.Sscanf(strings.SplitN(string(b), "\n", 2)[0], "MemTotal: %d kB", &kb)
		mem = fmt.Sprintf("%.0f GB", float64(kb)/(1<<20))
	}
	return fmt.Sprintf("%d CPU (%s), %s RAM, %s/%s", runtime.NumCPU(), model, mem, runtime.GOOS, runtime.GOARCH)
}

func absPath(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}
