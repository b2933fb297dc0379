package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/kilnrender/kiln/internal/imgcmp"
)

// side is one way of rendering the corpus at one concurrency.
type side struct {
	Name string `json:"name"`
	Kind string `json:"kind"` // kiln, cli, peer, peerproc, naive, floor
	Conc int    `json:"concurrency"`
	// Batch is the renders of one run of a whole-process side (cli,
	// peerproc); the other sides render -n per round.
	Batch int `json:"batch,omitempty"`

	argv []string // worker command (kiln, peer, naive, floor)
	env  []string
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Scanner

	Rounds []roundResult `json:"rounds"`
	Sum    summary       `json:"summary"`
}

type roundResult struct {
	N          int                `json:"renders"`
	WallS      float64            `json:"wallSeconds"`
	CPUS       float64            `json:"cpuSeconds"`
	CPUByKind  map[string]float64 `json:"cpuSecondsByProcess,omitempty"` // /proc samples: browser, renderer, gpu-process, utility, zygote, driver
	ProcCPUS   float64            `json:"procCPUSeconds,omitempty"`      // whole process: CPU as /proc sampling saw it (cpuSeconds is getrusage)
	StartupS   float64            `json:"startupSeconds,omitempty"`      // whole process: exec to the first image
	PeakRSS    int64              `json:"peakRSSBytes"`
	Processes  int                `json:"processes"` // distinct processes seen
	Errors     int                `json:"errors"`
	Err        string             `json:"error,omitempty"`
	Lat        []float64          `json:"latencyMs"`
	Steps      map[string]float64 `json:"stepsMeanMs,omitempty"`
	RendersPer float64            `json:"rendersPerSecond"`
}

type summary struct {
	RendersPerSec float64            `json:"rendersPerSecond"`
	MedianMs      float64            `json:"medianMs"`
	P95Ms         float64            `json:"p95Ms"`
	CPUPerRender  float64            `json:"cpuSecondsPerRender"`
	PeakRSSMB     float64            `json:"peakRSSMB"`
	StartupS      float64            `json:"startupSeconds,omitempty"` // median over rounds
	Errors        int                `json:"errors"`
	Steps         map[string]float64 `json:"stepsMeanMs,omitempty"`
	CPUByKind     map[string]float64 `json:"cpuSecondsPerRenderByProcess,omitempty"`
}

// results is what a run writes to tools/bench/results/<date>.json.
type results struct {
	Date     string             `json:"date"`
	Machine  string             `json:"machine"`
	Chromium string             `json:"chromium"`
	Cases    []string           `json:"cases"`
	Rounds   int                `json:"rounds"`
	Sides    []*side            `json:"sides"`
	Ratios   map[string]float64 `json:"ratios"`
	Best     map[string]string  `json:"best"`
	SSIM     map[string]float64 `json:"ssim,omitempty"`
	Notes    []string           `json:"notes,omitempty"`
}

func (s *side) start(dir string) error {
	s.cmd = exec.Command(s.argv[0], s.argv[1:]...)
	s.cmd.Env = append(os.Environ(), s.env...)
	s.cmd.Stderr = os.Stderr
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	var err error
	if s.in, err = s.cmd.StdinPipe(); err != nil {
		return err
	}
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		return err
	}
	s.out = bufio.NewScanner(out)
	s.out.Buffer(make([]byte, 1<<20), 64<<20)
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", s.Name, err)
	}
	r, err := s.read()
	if err != nil || !r.Ready {
		return fmt.Errorf("start %s: not ready: %v %s", s.Name, err, r.Err)
	}
	return nil
}

func (s *side) read() (reply, error) {
	var r reply
	if !s.out.Scan() {
		return r, fmt.Errorf("%s: worker exited: %v", s.Name, s.out.Err())
	}
	return r, json.Unmarshal(s.out.Bytes(), &r)
}

func (s *side) send(c command) (reply, error) {
	b, _ := json.Marshal(c)
	if _, err := s.in.Write(append(b, '\n')); err != nil {
		return reply{}, err
	}
	return s.read()
}

func (s *side) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	// Ask politely (no reply comes), then end the whole group.
	_, _ = s.in.Write([]byte(`{"op":"quit"}` + "\n"))
	_ = s.in.Close()
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}

// batch runs n renders at the side's concurrency and records the round.
func (s *side) batch(n int, o options, cases []benchCase, tmp string) error {
	var rr roundResult
	if s.Batch > 0 {
		var err error
		rr, err = processBatch(s, n, o, processCases(cases), tmp)
		if err != nil {
			return err
		}
	} else {
		tr := track(s.cmd.Process.Pid, 200*time.Millisecond)
		cpu0, kind0 := tr.cpuSeconds(), tr.cpuByKind()
		r, err := s.send(command{Op: "run", N: n, Conc: s.Conc})
		tr.close()
		if err != nil {
			return err
		}
		kind := tr.cpuByKind()
		for k, v := range kind0 {
			kind[k] -= v
		}
		rr = roundResult{N: n, WallS: r.WallMs / 1000, CPUS: tr.cpuSeconds() - cpu0, CPUByKind: kind, PeakRSS: tr.peakRSS(), Processes: tr.processes(), Errors: r.Errors, Err: r.Err, Lat: r.Lat, Steps: r.Steps}
	}
	rr.RendersPer = float64(rr.N) / rr.WallS
	s.Rounds = append(s.Rounds, rr)
	fmt.Fprintf(os.Stderr, "  %-26s %6.2f renders/s  cpu %.3f s/render  peak %5.0f MB  procs %d  start %.2f s  errors %d %s\n",
		s.Name, rr.RendersPer, rr.CPUS/float64(rr.N), float64(rr.PeakRSS)/(1<<20), rr.Processes, rr.StartupS, rr.Errors, rr.Err)
	if len(rr.CPUByKind) > 0 {
		fmt.Fprintf(os.Stderr, "  %-26s cpu s/render by process:", "")
		for _, k := range slices.Sorted(maps.Keys(rr.CPUByKind)) {
			fmt.Fprintf(os.Stderr, " %s %.3f", k, rr.CPUByKind[k]/float64(rr.N))
		}
		fmt.Fprintln(os.Stderr)
	}
	return nil
}

func compare(o options) error {
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
	peerScript := absPath(filepath.Join(o.repo, "tools", "bench", "peer", "playwright.mjs"))
	res := &results{Date: o.started.UTC().Format(time.RFC3339), Machine: machine(), Rounds: o.rounds, Ratios: map[string]float64{}, Best: map[string]string{}}
	if b, err := exec.Command(o.chrome, "--version").Output(); err == nil {
		res.Chromium = strings.TrimSpace(string(b))
	}
	for _, c := range cases {
		res.Cases = append(res.Cases, c.Name)
	}
	worker := func(kind string, b, t int) []string {
		return []string{self, "-worker", kind, "-cases", tmp, "-chrome", o.chrome, "-browsers", fmt.Sprint(b), "-tabs", fmt.Sprint(t), "-fonts", fonts}
	}
	var sides []*side
	if o.wants("kiln") {
		for _, sh := range splitList(o.kilnShapes) {
			b, t, c, err := parseShape(sh)
			if err != nil {
				return err
			}
			sides = append(sides, &side{Name: "kiln " + sh, Kind: "kiln", Conc: c, argv: worker("kiln", b, t)})
		}
	}
	if o.wants("peer") {
		for _, p := range splitList(o.peerPages) {
			var n int
			fmt.Sscan(p, &n)
			argv := []string{o.node, peerScript, "--chrome", o.chrome, "--pages", p}
			for _, c := range cases {
				argv = append(argv, c.Peer)
			}
			sides = append(sides, &side{Name: "playwright pages=" + p, Kind: "peer", Conc: n, argv: argv, env: []string{"FONTCONFIG_FILE=" + fonts}})
			if o.peerIsolated {
				sides = append(sides, &side{Name: "playwright pages=" + p + " isolated", Kind: "peer-isolated", Conc: n, argv: argv, env: []string{"FONTCONFIG_FILE=" + fonts, "KILN_PEER_ISOLATE=1"}})
			}
		}
	}
	if o.wants("floor") {
		for _, sh := range splitList(o.floorShapes) {
			b, t, c, err := parseShape(sh)
			if err != nil {
				return err
			}
			sides = append(sides, &side{Name: "floor " + sh, Kind: "floor", Conc: c, argv: worker("floor", b, t)})
		}
	}
	var procSides []*side
	for _, b := range splitList(o.batches) {
		var n int
		if _, err := fmt.Sscan(b, &n); err != nil || n < 1 {
			return fmt.Errorf("-batches: bad size %q", b)
		}
		if o.wants("cli") && o.kiln != "" {
			procSides = append(procSides, &side{Name: fmt.Sprintf("kiln render n=%d", n), Kind: "cli", Conc: 2, Batch: n,
				argv: []string{o.kiln, "render", "-q", "--no-fetch", "--concurrency", "2", "--chrome", o.chrome}})
		}
		if o.wants("peerproc") {
			procSides = append(procSides, &side{Name: fmt.Sprintf("playwright process n=%d", n), Kind: "peerproc", Conc: 2, Batch: n,
				argv: []string{o.node, peerScript, "--chrome", o.chrome, "--pages", "2"}, env: []string{"FONTCONFIG_FILE=" + fonts}})
			if o.peerIsolated {
				procSides = append(procSides, &side{Name: fmt.Sprintf("playwright process n=%d isolated", n), Kind: "peerproc-isolated", Conc: 2, Batch: n,
					argv: []string{o.node, peerScript, "--chrome", o.chrome, "--pages", "2"}, env: []string{"FONTCONFIG_FILE=" + fonts, "KILN_PEER_ISOLATE=1"}})
			}
		}
	}
	sides = append(sides, procSides...)
	if o.wants("naive") {
		sides = append(sides, &side{Name: "naive (browser per job)", Kind: "naive", Conc: 2, argv: worker("naive", 1, 1)})
	}
	for _, s := range sides {
		if s.Batch > 0 {
			continue
		}
		fmt.Fprintf(os.Stderr, "starting %s\n", s.Name)
		if err := s.start(tmp); err != nil {
			return err
		}
		defer s.stop()
	}
	if !o.noCheck {
		res.SSIM = map[string]float64{}
		if len(sides) > len(procSides) {
			res.SSIM, err = checkOutputs(sides, tmp, cases)
			if err != nil {
				res.Notes = append(res.Notes, "equal-output check: "+err.Error())
				fmt.Fprintln(os.Stderr, "equal-output check:", err)
			}
		}
		ps, err := checkProcessOutputs(procSides, o, processCases(cases), tmp)
		if err != nil {
			res.Notes = append(res.Notes, "equal-output check (process): "+err.Error())
			fmt.Fprintln(os.Stderr, "equal-output check (process):", err)
		}
		for k, v := range ps {
			res.SSIM[k] = v
		}
	}
	for r := 0; r < o.rounds; r++ {
		fmt.Fprintf(os.Stderr, "round %d/%d\n", r+1, o.rounds)
		// Rotate the order each round so no side always runs first.
		for k := range sides {
			s := sides[(k+r)%len(sides)]
			n := o.n
			if s.Kind == "naive" {
				n = o.naiveN
			}
			if s.Batch > 0 {
				n = s.Batch
			}
			if err := s.batch(n, o, cases, tmp); err != nil {
				return fmt.Errorf("%s: %w", s.Name, err)
			}
		}
	}
	for _, s := range sides {
		s.Sum = summarize(s.Rounds)
	}
	res.Sides = sides
	ratios(res)
	printTable(os.Stdout, res)
	return writeResults(o, res)
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// prepareCases loads the corpus into a new temporary folder (removed by
// the caller) and writes the case list the workers read.
func prepareCases(o options) (string, []benchCase, error) {
	tmp, err := os.MkdirTemp("", "kiln-bench-")
	if err != nil {
		return "", nil, err
	}
	cases, err := loadCases(filepath.Join(o.repo, "testdata", "corpus"), tmp)
	if err == nil {
		err = writeCaseList(tmp, cases)
	}
	if err != nil {
		os.RemoveAll(tmp)
		return "", nil, err
	}
	return tmp, cases, nil
}

func writeCaseList(dir string, cases []benchCase) error {
	b, _ := json.Marshal(cases)
	return os.WriteFile(filepath.Join(dir, "cases.json"), b, 0o644)
}

func readCaseList(dir string) ([]benchCase, error) {
	b, err := os.ReadFile(filepath.Join(dir, "cases.json"))
	if err != nil {
		return nil, err
	}
	var cases []benchCase
	return cases, json.Unmarshal(b, &cases)
}

func summarize(rs []roundResult) summary {
	var s summary
	var n int
	var wall, cpu float64
	var lat, startup []float64
	steps := map[string]float64{}
	kind := map[string]float64{}
	for _, r := range rs {
		if r.StartupS > 0 {
			startup = append(startup, r.StartupS)
		}
		n += r.N
		wall += r.WallS
		cpu += r.CPUS
		lat = append(lat, r.Lat...)
		s.Errors += r.Errors
		if mb := float64(r.PeakRSS) / (1 << 20); mb > s.PeakRSSMB {
			s.PeakRSSMB = mb
		}
		for k, v := range r.Steps {
			steps[k] += v * float64(r.N)
		}
		for k, v := range r.CPUByKind {
			kind[k] += v
		}
	}
	if n == 0 {
		return s
	}
	s.RendersPerSec = float64(n) / wall
	s.CPUPerRender = cpu / float64(n)
	sort.Float64s(lat)
	s.MedianMs = quantile(lat, 0.5)
	s.P95Ms = quantile(lat, 0.95)
	sort.Float64s(startup)
	s.StartupS = quantile(startup, 0.5)
	if len(steps) > 0 {
		s.Steps = map[string]float64{}
		for k, v := range steps {
			s.Steps[k] = math.Round(v/float64(n)*10) / 10
		}
	}
	if len(kind) > 0 {
		s.CPUByKind = map[string]float64{}
		for k, v := range kind {
			s.CPUByKind[k] = math.Round(v/float64(n)*1000) / 1000
		}
	}
	return s
}

func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// ratios compares the best of each kind: throughput against the peer and
// the naive approach, CPU per render against the floor.
func ratios(res *results) {
	best := map[string]*side{}
	leanest := map[string]*side{}
	for _, s := range res.Sides {
		if b := best[s.Kind]; b == nil || s.Sum.RendersPerSec > b.Sum.RendersPerSec {
			best[s.Kind] = s
		}
		if b := leanest[s.Kind]; b == nil || s.Sum.CPUPerRender < b.Sum.CPUPerRender {
			leanest[s.Kind] = s
		}
	}
	for k, s := range best {
		res.Best[k] = s.Name
	}
	k := best["kiln"]
	if k == nil {
		processRatios(res)
		return
	}
	if p := best["peer"]; p != nil {
		res.Ratios["kiln/peer renders/s"] = round2(k.Sum.RendersPerSec / p.Sum.RendersPerSec)
		res.Ratios["kiln/peer cpu-s per render"] = round2(k.Sum.CPUPerRender / p.Sum.CPUPerRender)
	}
	if p := best["peer-isolated"]; p != nil {
		res.Ratios["kiln/isolated peer renders/s"] = round2(k.Sum.RendersPerSec / p.Sum.RendersPerSec)
		res.Ratios["kiln/isolated peer cpu-s per render"] = round2(k.Sum.CPUPerRender / p.Sum.CPUPerRender)
	}
	if n := best["naive"]; n != nil {
		res.Ratios["kiln/naive renders/s"] = round2(k.Sum.RendersPerSec / n.Sum.RendersPerSec)
	}
	if f := best["floor"]; f != nil {
		res.Ratios["kiln/floor renders/s"] = round2(k.Sum.RendersPerSec / f.Sum.RendersPerSec)
	}
	if f := leanest["floor"]; f != nil {
		res.Ratios["kiln/floor cpu-s per render"] = round2(k.Sum.CPUPerRender / f.Sum.CPUPerRender)
	}
	processRatios(res)
}

// processRatios compares `kiln render` with the peer process at each
// batch size.
func processRatios(res *results) {
	for kind, name := range map[string]string{"peerproc": "peer", "peerproc-isolated": "isolated peer"} {
		peers := map[int]*side{}
		for _, s := range res.Sides {
			if s.Kind == kind {
				peers[s.Batch] = s
			}
		}
		for _, k := range res.Sides {
			p := peers[k.Batch]
			if k.Kind != "cli" || p == nil || p.Sum.RendersPerSec == 0 || p.Sum.CPUPerRender == 0 {
				continue
			}
			n := fmt.Sprintf(" (process, n=%d)", k.Batch)
			res.Ratios["kiln/"+name+" renders/s"+n] = round2(k.Sum.RendersPerSec / p.Sum.RendersPerSec)
			res.Ratios["kiln/"+name+" cpu-s per render"+n] = round2(k.Sum.CPUPerRender / p.Sum.CPUPerRender)
			if p.Sum.StartupS > 0 {
				res.Ratios["kiln/"+name+" start-up"+n] = round2(k.Sum.StartupS / p.Sum.StartupS)
			}
		}
	}
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

func printTable(w io.Writer, res *results) {
	fmt.Fprintf(w, "\n%s — %s — %s — %d rounds\n\n", res.Date, res.Machine, res.Chromium, res.Rounds)
	fmt.Fprintln(w, "| side | conc | renders/s | median ms | p95 ms | CPU-s/render | start-up s | peak RSS MB |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, s := range res.Sides {
		e := ""
		if s.Sum.Errors > 0 {
			e = fmt.Sprintf(" (%d errors)", s.Sum.Errors)
		}
		st := "–"
		if s.Sum.StartupS > 0 {
			st = fmt.Sprintf("%.2f", s.Sum.StartupS)
		}
		lat := "– | –"
		if s.Sum.MedianMs > 0 {
			lat = fmt.Sprintf("%.0f | %.0f", s.Sum.MedianMs, s.Sum.P95Ms)
		}
		fmt.Fprintf(w, "| %s%s | %d | %.2f | %s | %.3f | %s | %.0f |\n", s.Name, e, s.Conc, s.Sum.RendersPerSec, lat, s.Sum.CPUPerRender, st, s.Sum.PeakRSSMB)
	}
	fmt.Fprintln(w)
	keys := make([]string, 0, len(res.Ratios))
	for k := range res.Ratios {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "%-40s %.2f\n", k, res.Ratios[k])
	}
	if len(res.SSIM) > 0 {
		fmt.Fprintln(w)
		keys = keys[:0]
		for k := range res.SSIM {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "SSIM %-35s %.4f\n", k, res.SSIM[k])
		}
	}
	for _, s := range res.Sides {
		if s.Sum.Steps != nil {
			fmt.Fprintf(w, "steps %s (mean ms): %v\n", s.Name, s.Sum.Steps)
		}
	}
	for _, s := range res.Sides {
		if s.Sum.CPUByKind != nil {
			fmt.Fprintf(w, "cpu-s per render by process, %s: %v\n", s.Name, s.Sum.CPUByKind)
		}
	}
}

func writeResults(o options, res *results) error {
	b, _ := json.MarshalIndent(res, "", "  ")
	b = append(b, '\n')
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	p := filepath.Join(o.out, o.started.UTC().Format("2006-01-02T150405Z")+".json")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "wrote", p)
	if o.latest != "" {
		return os.WriteFile(o.latest, b, 0o644)
	}
	return nil
}

// checkOutputs has the first Kiln side, the first peer and the first
// floor render every case as PNG and compares Kiln's with the others'.
func checkOutputs(sides []*side, tmp string, cases []benchCase) (map[string]float64, error) {
	dirs := map[string]string{}
	for _, s := range sides {
		if s.cmd == nil || dirs[s.Kind] != "" || s.Kind == "naive" || s.Kind == "peer-isolated" {
			continue
		}
		d := filepath.Join(keepPNG, "png-"+s.Kind)
		if keepPNG == "" {
			d = filepath.Join(tmp, "png-"+s.Kind)
		}
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
		r, err := s.send(command{Op: "save", Dir: d})
		if err != nil {
			return nil, err
		}
		if r.Errors > 0 {
			return nil, fmt.Errorf("%s: %d errors: %s", s.Name, r.Errors, r.Err)
		}
		dirs[s.Kind] = d
	}
	if dirs["kiln"] == "" {
		return nil, errors.New("no Kiln side")
	}
	out := map[string]float64{}
	var errs []error
	for _, other := range []string{"peer", "floor"} {
		if dirs[other] == "" {
			continue
		}
		worst := 1.0
		for _, c := range cases {
			a, err := imgcmp.Load(filepath.Join(dirs["kiln"], c.Name+".png"))
			if err != nil {
				errs = append(errs, err)
				continue
			}
			b, err := imgcmp.Load(filepath.Join(dirs[other], c.Name+".png"))
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if a.Bounds().Size() != b.Bounds().Size() {
				errs = append(errs, fmt.Errorf("%s: kiln %v, %s %v", c.Name, a.Bounds().Size(), other, b.Bounds().Size()))
				continue
			}
			v, err := imgcmp.SSIM(a, b)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			out["kiln vs "+other+" "+c.Name] = round4(v)
			worst = min(worst, v)
		}
		out["kiln vs "+other+" (worst)"] = round4(worst)
	}
	return out, errors.Join(errs...)
}

// keepPNG, when set (-keep-png), is where the equal-output check keeps
// the PNG renders of each side.
var keepPNG string

func round4(f float64) float64 { return math.Round(f*10000) / 10000 }
