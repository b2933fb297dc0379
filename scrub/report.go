package scrub

import (
	"strconv"
	"strings"
)

// A Report counts the values each rule removed from one item. It holds
// counts only, never a value, a hash or a length, so it may be logged,
// attached to the item as a warning or turned into metrics.
type Report struct {
	// Counts maps a rule to the number of values it replaced; rules that
	// removed nothing are absent. Nil when nothing was removed.
	Counts map[Rule]int
}

// Total is the number of values removed by all rules.
func (r Report) Total() int {
	n := 0
	for _, c := range r.Counts {
		n += c
	}
	return n
}

// String lists the counts in the order of Rules, e.g. "header=3 card=1";
// it is empty when nothing was removed.
func (r Report) String() string {
	var b strings.Builder
	for _, rule := range Rules() {
		if c := r.Counts[rule]; c > 0 {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(string(rule))
			b.WriteByte('=')
			b.WriteString(strconv.Itoa(c))
		}
	}
	return b.String()
}

// Merge adds o's counts to r, e.g. to sum the reports of a batch.
func (r *Report) Merge(o Report) {
	for rule, c := range o.Counts {
		r.add(rule, c)
	}
}

func (r *Report) add(rule Rule, n int) {
	if n <= 0 {
		return
	}
	if r.Counts == nil {
		r.Counts = map[Rule]int{}
	}
	r.Counts[rule] += n
}
