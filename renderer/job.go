package renderer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/kilnrender/kiln/netguard"
	"github.com/kilnrender/kiln/snapshot"
)

// documentCSP goes into every document Kiln loads (withCSP): page scripts never
// run (the snapshot package strips them too; this is the second wall), and
// nothing may open a connection, a worker or a plugin. DevTools evaluation,
// which Kiln uses to apply runtime state, is not subject to it.
const documentCSP = "script-src 'none'; object-src 'none'; worker-src 'none'; connect-src 'none'; manifest-src 'none'; form-action 'none'; frame-src 'self' data: about:; base-uri http: https:"

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

// serve answers one paused request: the document and the snapshot's
// resources from memory, other http(s) URLs through the safe fetcher when
// allowed, everything else fails. Responses carry no-store and no cookies,
// so nothing a job sees can be cached for the next one.
func (t *tab) serve(ev *fetch.EventRequestPaused) {
	ctx, cancel := context.WithTimeout(t.ctx, 30*time.Second)
	defer cancel()
	fail := func() {
		_, _ = chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
	}
	j := t.current()
	if j == nil || ev.Request == nil {
		fail()
		return
	}
	u := stripFragment(ev.Request.URL)
	j.mu.Lock()
	done := j.done
	j.requests++
	over := j.requests > j.p.cfg.MaxResources+1
	j.mu.Unlock()
	if done {
		fail()
		return
	}
	if ev.Request.Method != http.MethodGet && ev.Request.Method != http.MethodHead {
		j.block(u, "method")
		fail()
		return
	}
	if ev.ResourceType == network.ResourceTypeDocument {
		// The document is written into the tab (setDocumentContent); any
		// other document (meta refresh, a frame's src, a link target) is
		// answered 204 No Content: the navigation is dropped and the page
		// stays as it is, where a failed request would commit an error
		// page.
		j.block(u, "navigation")
		t.fulfill(ctx, ev.RequestID, 204, "", nil)
		return
	}
	if over {
		j.block(u, "too-many-requests")
		fail()
		return
	}
	if r, ok := j.res[u]; ok {
		j.mu.Lock()
		j.served++
		j.mu.Unlock()
		t.fulfill(ctx, ev.RequestID, 200, r.ContentType, r.Data)
		return
	}
	if j.p.fetch == nil {
		j.block(u, "fetch-disabled")
		fail()
		return
	}
	resp, err := j.fetchOnce(u, ev.Request.Headers)
	if err != nil {
		j.block(u, netguard.BlockReason(err))
		fail()
		return
	}
	t.fulfill(ctx, ev.RequestID, resp.Status, resp.ContentType, resp.Body)
}

// fetchOnce fetches u at most once per job, within the job's byte budget.
func (j *job) fetchOnce(u string, hdr network.Headers) (*netguard.Response, error) {
	j.mu.Lock()
	c, ok := j.cache[u]
	if !ok {
		c = &fetchCall{ready: make(chan struct{})}
		j.cache[u] = c
	}
	j.mu.Unlock()
	if ok {
		select {
		case <-c.ready:
			return c.resp, c.err
		case <-j.ctx.Done():
			return nil, j.ctx.Err()
		}
	}
	defer close(c.ready)
	h := http.Header{}
	for _, k := range []string{"Accept", "Accept-Language"} {
		if v, ok := hdr[k].(string); ok {
			h.Set(k, v)
		}
	}
	c.resp, c.err = j.p.fetch.Fetch(j.ctx, u, h)
	if c.err != nil {
		return nil, c.err
	}
	j.mu.Lock()
	j.bytes += int64(len(c.resp.Body))
	over := j.bytes > j.p.cfg.MaxFetchBytes
	if !over {
		j.fetched++
	}
	j.mu.Unlock()
	if over {
		c.resp, c.err = nil, fmt.Errorf("fetch %s: render's fetch budget spent: %w", u, netguard.ErrTooLarge)
	}
	return c.resp, c.err
}

func (t *tab) fulfill(ctx context.Context, id fetch.RequestID, status int, ctype string, body []byte) {
	if status < 100 || status > 599 {
		status = 502
	}
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	hdrs := []*fetch.HeaderEntry{
		{Name: "Content-Type", Value: ctype},
		{Name: "Cache-Control", Value: "no-store"},
		// Fonts and CORS images load as they did on the live page.
		{Name: "Access-Control-Allow-Origin", Value: "*"},
	}
	_, err := chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: id, ResponseCode: int64(status), ResponseHeaders: hdrs, Body: body})
	if err != nil && !errors.Is(err, context.Canceled) {
		t.p.logf("renderer: fulfill: %v", err)
	}
}
