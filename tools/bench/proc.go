package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kilnrender/kiln/internal/procstat"
)

// readProcs reads every process of the machine.
func readProcs() map[int]procstat.Proc { return procstat.All() }

// tree returns root and all its descendants.
func tree(all map[int]procstat.Proc, root int) []int {
	kids := map[int][]int{}
	for pid, p := range all {
		kids[p.PPID] = append(kids[p.PPID], pid)
	}
	var out []int
	stack := []int{root}
	for len(stack) > 0 {
		pid := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if _, ok := all[pid]; !ok {
			continue
		}
		out = append(out, pid)
		stack = append(stack, kids[pid]...)
	}
	return out
}

// tracker samples the CPU time and resident memory of a process tree
// (a driver process and every Chromium process below it) while a run
// goes on. CPU is the sum, over every process seen, of the last CPU time
// read, so processes that exit during the run keep what they used up to
// the last sample (at most one interval is lost per exited process).
type tracker struct {
	root int
	mu   sync.Mutex
	cpu  map[[2]int64]float64 // (pid, start) → CPU seconds
	kind map[[2]int64]string  // (pid, start) → process kind (procKind)
	peak int64
	stop chan struct{}
	done chan struct{}
}

func track(root int, every time.Duration) *tracker {
	t := &tracker{root: root, cpu: map[[2]int64]float64{}, kind: map[[2]int64]string{}, stop: make(chan struct{}), done: make(chan struct{})}
	t.sample()
	go func() {
		defer close(t.done)
		tk := time.NewTicker(every)
		defer tk.Stop()
		for {
			select {
			case <-t.stop:
				t.sample()
				return
			case <-tk.C:
				t.sample()
			}
		}
	}()
	return t
}

func (t *tracker) sample() {
	all := readProcs()
	var rss int64
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, pid := range tree(all, t.root) {
		p := all[pid]
		k := [2]int64{int64(pid), p.Start}
		t.cpu[k] = p.CPUSeconds
		// Read every time: a process seen before its exec (the shell
		// script /usr/bin/chromium is on Debian) changes kind.
		if kind := procKind(pid); kind != "" {
			t.kind[k] = kind
		}
		rss += p.RSSBytes
	}
	if rss > t.peak {
		t.peak = rss
	}
}

// cpuSeconds is the CPU time used so far by every process seen.
func (t *tracker) cpuSeconds() float64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := 0.0
	for _, c := range t.cpu {
		s += c
	}
	return s
}

// cpuByKind is cpuSeconds split by process kind (procKind).
func (t *tracker) cpuByKind() map[string]float64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := map[string]float64{}
	for k, c := range t.cpu {
		kind := t.kind[k]
		if kind == "" {
			kind = "driver"
		}
		out[kind] += c
	}
	return out
}

// procKind names what a process of a side's tree is: a Chromium helper
// by its --type (renderer, gpu-process, utility, zygote), "browser" for
// Chromium's main process, "driver" for the rest (the Go worker, Node,
// the reaper).
func procKind(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil || len(b) == 0 {
		return "" // gone, or a zombie
	}
	// Chromium rewrites the title of its helpers: the arguments may come
	// as one string, space-separated.
	cmd := strings.ReplaceAll(string(b), "\x00", " ")
	if _, v, ok := strings.Cut(cmd, " --type="); ok {
		if i := strings.IndexByte(v, ' '); i >= 0 {
			v = v[:i]
		}
		return v
	}
	exe, _, _ := strings.Cut(cmd, " ")
	if strings.Contains(filepath.Base(exe), "chrom") {
		return "browser"
	}
	return "driver"
}

// processes is the number of distinct processes seen.
func (t *tracker) processes() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.cpu)
}

func (t *tracker) peakRSS() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.peak
}

func (t *tracker) close() {
	close(t.stop)
	<-t.done
}
