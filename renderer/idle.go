package renderer

import (
	"sync"
	"time"

	"github.com/kilnrender/kiln/snapshot"
)

// maxBypass is how long the oldest waiting job may be passed over for a
// later one whose viewport matches the tab that came free. Switching a
// tab's device metrics costs a fresh document (see tab.load), measured at
// ~0.13 CPU-s, about half a render; a short wait is cheaper than that,
// and the bound keeps a lone viewport from starving.
const maxBypass = 150 * time.Millisecond

// idleTabs holds the warm tabs waiting for a job and the jobs waiting for
// a tab. A job takes a free tab already set to its viewport when there is
// one; a tab that comes free goes to the oldest waiting job, or to a
// younger one with the tab's viewport while the oldest has waited less
// than maxBypass.
type idleTabs struct {
	mu      sync.Mutex
	free    []*tab
	waiters []*tabWaiter
}

type tabWaiter struct {
	vp    snapshot.Viewport
	since time.Time
	ch    chan *tab // receives exactly one tab; buffered
}

// put hands t to a waiting job, or keeps it.
func (q *idleTabs) put(t *tab) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.waiters) == 0 {
		q.free = append(q.free, t)
		return
	}
	i := 0
	if time.Since(q.waiters[0].since) < maxBypass {
		for k, w := range q.waiters {
			if w.vp == t.vp {
				i = k
				break
			}
		}
	}
	w := q.waiters[i]
	q.waiters = append(q.waiters[:i], q.waiters[i+1:]...)
	w.ch <- t
}

// get returns a free tab, preferring one set to vp, or registers a waiter
// that will receive one.
func (q *idleTabs) get(vp snapshot.Viewport) (*tab, *tabWaiter) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if n := len(q.free); n > 0 {
		i := n - 1
		for k, t := range q.free {
			if t.vp == vp {
				i = k
				break
			}
		}
		t := q.free[i]
		q.free = append(q.free[:i], q.free[i+1:]...)
		return t, nil
	}
	w := &tabWaiter{vp: vp, since: time.Now(), ch: make(chan *tab, 1)}
	q.waiters = append(q.waiters, w)
	return nil, w
}

// cancel withdraws w; a tab already handed to it is returned so that the
// caller can put it back.
func (q *idleTabs) cancel(w *tabWaiter) *tab {
	q.mu.Lock()
	defer q.mu.Unlock()
	for k, x := range q.waiters {
		if x == w {
			q.waiters = append(q.waiters[:k], q.waiters[k+1:]...)
			return nil
		}
	}
	return <-w.ch
}

func (q *idleTabs) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.free)
}
