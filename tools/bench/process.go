package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/kilnrender/kiln/internal/imgcmp"
)

// The whole-process mode: `kiln render -o DIR` and the peer script with
// --out DIR, each started for one batch and timed from exec to exit, the
// way a user meets them. Each run goes through a reaper (this binary with
// -reap), so that its CPU time is exact: getrusage of every process of the
// tree, Chromium's helpers included, however they end.

// processCases are the corpus cases of the whole-process mode: the desktop
// ones (1280x800 at DPR 1).
func processCases(cases []benchCase) []benchCase {
	var out []benchCase
	for _, c := range cases {
		if c.Viewport.DeviceScaleFactor <= 1 && !c.Viewport.Mobile {
			out = append(out, c)
		}
	}
	return out
}

// processArgv is the command line of a whole-process side for n renders
// of cases (repeated in order) written into dir as format.
func processArgv(s *side, o options, cases []benchCase, n int, dir, format string) []string {
	argv := append([]string{}, s.argv...)
	switch s.Kind {
	case "cli":
		argv = append(argv, "-o", dir, "--format", format)
		for i := 0; i < n; i++ {
			argv = append(argv, cases[i%len(cases)].Input)
		}
	default: // peerproc
		argv = append(argv, "--out", dir, "--format", format)
		for i := 0; i < n; i++ {
			argv = append(argv, cases[i%len(cases)].Peer)
		}
	}
	return argv
}

// procRun is one whole-process run, as the reaper saw it.
type procRun struct {
	wall, startup, cpu, procCPU float64            // seconds
	procCPUByKind               map[string]float64 // /proc samples per process kind
	peakRSS                     int64
	procs, images               int
	err                         error
}

// runProcess runs argv under the reaper and measures it. Start-up is the
// time from exec to the first image written into dir.
func runProcess(argv, env []string, dir, ext string) procRun {
	self, err := os.Executable()
	if err != nil {
		return procRun{err: err}
	}
	cmd := exec.Command(self, append([]string{"-reap", "--"}, argv...)...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	st := time.Now()
	if err := cmd.Start(); err != nil {
		return procRun{err: err}
	}
	tr := track(cmd.Process.Pid, 100*time.Millisecond)
	werr := cmd.Wait()
	r := procRun{wall: time.Since(st).Seconds()}
	tr.close()
	r.procCPU, r.peakRSS, r.procs = tr.cpuSeconds(), tr.peakRSS(), tr.processes()
	r.procCPUByKind = tr.cpuByKind()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.cpu = tv(ru.Utime) + tv(ru.Stime)
	}
	if werr != nil {
		r.err = werr
	}
	first := time.Time{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ext) || strings.HasSuffix(e.Name(), ".thumb.jpg") && ext != ".thumb.jpg" {
			continue
		}
		if fi, err := e.Info(); err == nil {
			r.images++
			if first.IsZero() || fi.ModTime().Before(first) {
				first = fi.ModTime()
			}
		}
	}
	if !first.IsZero() {
		r.startup = first.Sub(st).Seconds()
	}
	return r
}

// killOrphans ends the processes still below the reaper 10 s after its
// child exited, and says so: the side left processes behind.
func killOrphans() {
	self := os.Getpid()
	for pid, p := range readProcs() {
		if p.PPID == self {
			fmt.Fprintf(os.Stderr, "bench: process %d outlived its parent by 10 s: killed\n", pid)
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

func tv(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }

// processBatch runs one whole-process side for n renders and records the
// round: renders/s over start to exit, exact CPU per render, start-up.
func processBatch(s *side, n int, o options, cases []benchCase, tmp string) (roundResult, error) {
	dir, err := os.MkdirTemp(tmp, "proc-")
	if err != nil {
		return roundResult{}, err
	}
	defer os.RemoveAll(dir)
	r := runProcess(processArgv(s, o, cases, n, dir, "webp"), s.env, dir, ".webp")
	rr := roundResult{N: n, WallS: r.wall, CPUS: r.cpu, ProcCPUS: r.procCPU, CPUByKind: r.procCPUByKind, StartupS: r.startup, PeakRSS: r.peakRSS, Processes: r.procs}
	if r.err != nil {
		rr.Errors, rr.Err = 1, r.err.Error()
	}
	if r.images != n {
		rr.Errors += abs(n - r.images)
	}
	// Latency per render is not seen from outside; Kiln's reports have it.
	reps, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	for _, p := range reps {
		var rep struct {
			TotalMs float64 `json:"totalMs"`
		}
		if b, err := os.ReadFile(p); err == nil && json.Unmarshal(b, &rep) == nil {
			rr.Lat = append(rr.Lat, rep.TotalMs)
		}
	}
	return rr, nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// checkProcessOutputs has each whole-process side render every case once
// as PNG and compares Kiln's images with the peer's (SSIM per case).
func checkProcessOutputs(sides []*side, o options, cases []benchCase, tmp string) (map[string]float64, error) {
	imgs := map[string]map[string]string{} // kind → case → png
	for _, s := range sides {
		if imgs[s.Kind] != nil || s.Kind != "cli" && s.Kind != "peerproc" {
			continue
		}
		dir := filepath.Join(tmp, "png-"+s.Kind)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		r := runProcess(processArgv(s, o, cases, len(cases), dir, "png"), s.env, dir, ".png")
		if r.err != nil {
			return nil, fmt.Errorf("%s as png: %w", s.Name, r.err)
		}
		imgs[s.Kind] = processImages(s.Kind, dir, cases)
	}
	kiln, peer := imgs["cli"], imgs["peerproc"]
	if kiln == nil || peer == nil {
		return nil, nil
	}
	out := map[string]float64{}
	var errs []error
	worst := 1.0
	for _, c := range cases {
		v, err := ssimFiles(kiln[c.Name], peer[c.Name])
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.Name, err))
			continue
		}
		out["kiln render vs peer process "+c.Name] = round4(v)
		worst = min(worst, v)
	}
	out["kiln render vs peer process (worst)"] = round4(worst)
	return out, errors.Join(errs...)
}

// processImages maps each case to its PNG in dir: Kiln's reports name
// their input, the peer's files are <i>-<case>.png.
func processImages(kind, dir string, cases []benchCase) map[string]string {
	out := map[string]string{}
	if kind == "peerproc" {
		for i, c := range cases {
			out[c.Name] = filepath.Join(dir, fmt.Sprintf("%d-%s.png", i, c.Name))
		}
		return out
	}
	byInput := map[string]string{}
	for _, c := range cases {
		byInput[c.Input] = c.Name
	}
	reps, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	sort.Strings(reps)
	for _, p := range reps {
		var rep struct {
			Input string `json:"input"`
			Image string `json:"image"`
		}
		if b, err := os.ReadFile(p); err == nil && json.Unmarshal(b, &rep) == nil {
			out[byInput[rep.Input]] = filepath.Join(dir, rep.Image)
		}
	}
	return out
}

func ssimFiles(a, b string) (float64, error) {
	if a == "" || b == "" {
		return 0, errors.New("missing image")
	}
	ia, err := imgcmp.Load(a)
	if err != nil {
		return 0, err
	}
	ib, err := imgcmp.Load(b)
	if err != nil {
		return 0, err
	}
	if ia.Bounds().Size() != ib.Bounds().Size() {
		return 0, fmt.Errorf("sizes %v and %v", ia.Bounds().Size(), ib.Bounds().Size())
	}
	return imgcmp.SSIM(ia, ib)
}

// reap is the -reap mode: run argv as a child subreaper, so that every
// process below it that is orphaned (Chromium's helpers when the browser
// is killed) is reparented here and reaped, and exit with the child's
// status. The reaper's own rusage then holds the CPU time of the whole
// tree (wait4 adds each reaped child's, and its children's, to it).
func reap(argv []string) int {
	if len(argv) == 0 {
		fmt.Fprintln(os.Stderr, "bench: -reap needs a command")
		return 2
	}
	const prSetChildSubreaper = 36
	if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); e != 0 {
		fmt.Fprintln(os.Stderr, "bench: prctl:", e)
		return 2
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 2
	}
	code := 0
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, 0, nil)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil { // ECHILD: every process below is gone
			return code
		}
		if pid == cmd.Process.Pid {
			code = ws.ExitStatus()
			if ws.Signaled() {
				code = 128 + int(ws.Signal())
			}
			time.AfterFunc(10*time.Second, killOrphans)
		}
	}
}
