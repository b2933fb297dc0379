// Package procstat reads CPU time and resident memory of processes from
// /proc (Linux), to measure Kiln together with its Chromium children.
package procstat

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// clockTicks is USER_HZ, 100 on every Linux Kiln runs on.
const clockTicks = 100

// Proc is one /proc/<pid>/stat reading.
type Proc struct {
	PID, PPID, PGID int
	Start           int64 // start time in clock ticks: tells a reused pid apart
	CPUSeconds      float64
	RSSBytes        int64
}

// All reads every process of the machine.
func All() map[int]Proc {
	out := map[int]Proc{}
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	page := int64(os.Getpagesize())
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
		num := func(i int) int64 { n, _ := strconv.ParseInt(string(f[i]), 10, 64); return n }
		out[pid] = Proc{
			PID: pid, PPID: int(num(1)), PGID: int(num(2)), Start: num(19),
			CPUSeconds: float64(num(11)+num(12)) / clockTicks,
			RSSBytes:   num(21) * page,
		}
	}
	return out
}

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
	for pid, p := range All() {
		if pid != self && !want[p.PGID] {
			continue
		}
		u.CPUSeconds += p.CPUSeconds
		u.RSSBytes += p.RSSBytes
		u.Processes++
	}
	return u
}

// AvailableMemory reads MemAvailable from /proc/meminfo (0 when unknown),
// capped by the cgroup limit when there is one.
func AvailableMemory() int64 {
	var avail int64
	if f, err := os.Open("/proc/meminfo"); err == nil {
		s := bufio.NewScanner(f)
		for s.Scan() {
			fields := strings.Fields(s.Text())
			if len(fields) >= 2 && fields[0] == "MemAvailable:" {
				kb, _ := strconv.ParseInt(fields[1], 10, 64)
				avail = kb << 10
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if lim, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && lim > 0 && (avail == 0 || lim < avail) {
			avail = lim
		}
	}
	return avail
}
