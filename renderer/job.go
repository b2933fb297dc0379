package renderer

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/kilnrender/kiln/netguard"
	"github.com/kilnrender/kiln/snapshot"
)

// job is the state of one render that the request handler needs.
type job struct {
	ctx  context.Context
	snap *snapshot.Snapshot
	p    *Pool
	res  map[string]*snapshot.Resource
	// settle bounds the load wait and, separately, the settle step's waits.
	settle time.Duration

	mu       sync.Mutex
	blocked  []Blocked
	served   int
	fetched  int
	requests int
	bytes    int64
	cache    map[string]*fetchCall
	done     bool
}

type fetchCall struct {
	ready chan struct{}
	resp  *netguard.Response
	err   error
}

func newJob(ctx context.Context, s *snapshot.Snapshot, p *Pool) *job {
	j := &job{ctx: ctx, snap: s, p: p, res: make(map[string]*snapshot.Resource, len(s.Resources)), cache: map[string]*fetchCall{}}
	j.settle = p.cfg.SettleTimeout
	if d, ok := ctx.Deadline(); ok {
		j.settle = settleBudget(j.settle, time.Until(d))
	}
	for i := range s.Resources {
		r := &s.Resources[i]
		j.res[stripFragment(r.URL)] = r
	}
	return j
}

func stripFragment(u string) string {
	if i := strings.IndexByte(u, '#'); i >= 0 {
		return u[:i]
	}
	return u
}

// finish copies the job's request accounting into the result and makes
// late requests fail.
func (j *job) finish(res *Result) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.done = true
	res.Blocked = append(res.Blocked, j.blocked...)
	res.Served = j.served
	res.Fetched = j.fetched
}

func (j *job) block(u, reason string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if len(j.blocked) < 200 {
		j.blocked = append(j.blocked, Blocked{URL: truncate(u, 300), Reason: reason})
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
