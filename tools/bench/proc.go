package main

import (
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
	peak int64
	stop chan struct{}
	done chan struct{}
}

func track(root int, every time.Duration) *tracker {
	t := &tracker{root: root, cpu: map[[2]int64]float64{}, stop: make(chan struct{}), done: make(chan struct{})}
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
		t.cpu[[2]int64{int64(pid), p.Start}] = p.CPUSeconds
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
