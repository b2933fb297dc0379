package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/kilnrender/kiln/internal/procstat"
)

// Reading a kiln worker's process tree from /proc: the worker, the
// Chromium it started, and Chromium's helpers (zygotes, renderers, GPU
// process), which live in the browser's own process group.

// treeUsage is one reading of a process tree.
type treeUsage struct {
	Procs    int   // processes in the tree, the root included
	Chromium int   // of which Chromium's
	RSS      int64 // sum of VmRSS, bytes
	FDs      int   // sum of open file descriptors
	RootRSS  int64 // the root's own VmRSS
	RootFDs  int   // the root's own descriptors
}

// descendants lists root and every process below it, by parent PID.
func descendants(all map[int]procstat.Proc, root int) []int {
	kids := map[int][]int{}
	for pid, p := range all {
		kids[p.PPID] = append(kids[p.PPID], pid)
	}
	if _, ok := all[root]; !ok {
		return nil
	}
	out := []int{root}
	for i := 0; i < len(out); i++ {
		out = append(out, kids[out[i]]...)
	}
	return out
}

// usageOf sums VmRSS and descriptors over root's tree.
func usageOf(root int) treeUsage {
	var u treeUsage
	for _, pid := range descendants(procstat.All(), root) {
		rss, fds := vmRSS(pid), fdCount(pid)
		u.Procs++
		u.RSS += rss
		u.FDs += fds
		if pid == root {
			u.RootRSS, u.RootFDs = rss, fds
		} else if isChromium(pid) {
			u.Chromium++
		}
	}
	return u
}

// vmRSS reads VmRSS from /proc/<pid>/status, in bytes (0 if gone).
func vmRSS(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(v)
			if len(f) >= 1 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb << 10
			}
		}
	}
	return 0
}

// fdCount counts /proc/<pid>/fd entries (0 if gone).
func fdCount(pid int) int {
	ents, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/fd")
	if err != nil {
		return 0
	}
	return len(ents)
}

func cmdline(pid int) string {
	b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	return string(bytes.ReplaceAll(b, []byte{0}, []byte{' '}))
}

func isChromium(pid int) bool {
	b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
	return strings.Contains(string(b), "chrom")
}

// chromiumUnder lists the Chromium processes whose parent is pid: the
// browsers a worker launched (their helpers are their children).
func chromiumUnder(pid int) []procstat.Proc {
	var out []procstat.Proc
	for q, p := range procstat.All() {
		if p.PPID == pid && isChromium(q) {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PID < out[j].PID })
	return out
}

// procsUsing lists the processes whose command line names dir: with a
// worker's TMPDIR, every Chromium process of that worker (its profile,
// --user-data-dir, is a temporary directory there), wherever it was
// reparented to.
func procsUsing(dir string) []int {
	var out []int
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		pid, err := strconv.Atoi(filepath.Base(d))
		if err != nil || pid == os.Getpid() {
			continue
		}
		if strings.Contains(cmdline(pid), dir) {
			out = append(out, pid)
		}
	}
	sort.Ints(out)
	return out
}

// profileDirs lists the Chromium temporary directories left in a worker's
// TMPDIR (renderer/browser.go makes them with os.MkdirTemp("",
// "kiln-chromium-")).
func profileDirs(tmp string) []string {
	m, _ := filepath.Glob(filepath.Join(tmp, "kiln-chromium-*"))
	return m
}

// killUsing SIGKILLs the processes whose command line names dir (a
// worker's private TMPDIR, so only Chromium processes that a worker of
// this test started) and returns how many there were.
func killUsing(dir string) int {
	pids := procsUsing(dir)
	for _, pid := range pids {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	return len(pids)
}
