// Package procstat reads CPU time and resident memory of process groups
// from /proc (Linux), to measure Kiln together with its Chromium children.
package procstat

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
)

// clockTicks is USER_HZ, 100 on every Linux Kiln runs on.
const clockTicks = 100

// Usage is the CPU time and resident memory of a set of processes.
type Usage struct {
	CPUSeconds float64
	RSSBytes   int64
	Processes  int
}

// Groups sums the usage of this process and of every process whose
// process group is one of pgids.
func Groups(pgids []int) Usage {
	want := map[int]bool{}
	for _, g := range pgids {
		want[g] = true
	}
	self := os.Getpid()
	var u Usage
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		pid, err := strconv.Atoi(filepath.Base(d))
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join(d, "stat"))
		if err != nil {
			continue
		}
		// Fields after the command name, which may hold spaces and parens.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := bytes.Fields(b[i+1:])
		if len(f) < 22 {
			continue
		}
		pgrp, _ := strconv.Atoi(string(f[2]))
		if pid != self && !want[pgrp] {
			continue
		}
		ut, _ := strconv.ParseInt(string(f[11]), 10, 64)
		st, _ := strconv.ParseInt(string(f[12]), 10, 64)
		rss, _ := strconv.ParseInt(string(f[21]), 10, 64)
		u.CPUSeconds += float64(ut+st) / clockTicks
		u.RSSBytes += rss * int64(os.Getpagesize())
		u.Processes++
	}
	return u
}
