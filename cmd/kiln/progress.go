package main

import (
	"fmt"
	"os"
	"time"
)

// progress prints a one-line progress report on a terminal and nothing
// when stderr is a file or pipe (logs, CI). Every long CLI operation uses
// it: render (step per input), delete and export (set, a running count).
type progress struct {
	total, n int
	on       bool
	start    time.Time
}

func newProgress(total int, quiet bool) *progress {
	on := false
	if st, err := os.Stderr.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
		on = !quiet
	}
	return &progress{total: total, on: on, start: time.Now()}
}

func (p *progress) step(name string) {
	p.n++
	if p.on {
		rate := float64(p.n) / time.Since(p.start).Seconds()
		fmt.Fprintf(os.Stderr, "\r\033[K[%d/%d] %.1f/s %s", p.n, p.total, rate, name)
	}
}

// set reports a running count when the total is not known in advance
// (deleting a project's objects, exporting its items): "what: n".
func (p *progress) set(n int, what string) {
	p.n = n
	if p.on {
		fmt.Fprintf(os.Stderr, "\r\033[K%s: %d", what, n)
	}
}

func (p *progress) clear() {
	if p.on {
		fmt.Fprint(os.Stderr, "\r\033[K")
	}
}

func (p *progress) done() {
	if p.on {
		fmt.Fprintf(os.Stderr, "\r\033[K%d done in %s\n", p.n, time.Since(p.start).Round(time.Millisecond))
	}
}
