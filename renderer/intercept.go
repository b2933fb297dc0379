package renderer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/kilnrender/kiln/netguard"
	"github.com/kilnrender/kiln/snapshot"
)

// Request interception: every request a page makes is paused by CDP
// Fetch and answered here, from the snapshot, through the fetcher, or not
// at all.

// serve answers one paused request: the document and the snapshot's
// resources from memory, other http(s) URLs through the safe fetcher when
// allowed, everything else fails. Responses carry no-store and no cookies,
// so nothing a job sees can be cached for the next one.
// j is the job current when the request's event arrived (counted by
// job.arrived there), nil when there was none.
func (t *tab) serve(ev *fetch.EventRequestPaused, j *job) {
	ctx, cancel := context.WithTimeout(t.ctx, 30*time.Second)
	defer cancel()
	fail := func() {
		_, _ = chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
	}
	if j == nil {
		fail()
		return
	}
	defer j.answered()
	if ev.Request == nil {
		fail()
		return
	}
	u := stripFragment(ev.Request.URL)
	if isBarrier(u) {
		t.fulfill(ctx, ev.RequestID, 204, "", nil)
		return
	}
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
	r, ok := j.res[resourceKey(u)]
	if !ok {
		r, ok = j.climbed(u)
	}
	if ok {
		j.mu.Lock()
		j.served++
		j.mu.Unlock()
		t.fulfillRange(ctx, ev, 200, r.ContentType, r.Data)
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
	t.fulfillRange(ctx, ev, resp.Status, resp.ContentType, resp.Body)
}

// fulfillRange answers like fulfill, and a request for one byte range of
// a whole body it has (media elements ask for one: a video seeks by
// asking for the part it needs) with 206 and that part.
func (t *tab) fulfillRange(ctx context.Context, ev *fetch.EventRequestPaused, status int, ctype string, body []byte) {
	if status == http.StatusOK {
		if v, ok := ev.Request.Headers["Range"].(string); ok {
			if from, to, ok := byteRange(v, len(body)); ok {
				t.fulfill(ctx, ev.RequestID, http.StatusPartialContent, ctype, body[from:to+1],
					&fetch.HeaderEntry{Name: "Content-Range", Value: fmt.Sprintf("bytes %d-%d/%d", from, to, len(body))})
				return
			}
		}
	}
	t.fulfill(ctx, ev.RequestID, status, ctype, body)
}

// byteRange reads a Range header of one range ("bytes=A-B", "bytes=A-",
// "bytes=-N") against a body of n bytes: the first and last byte, or
// false when it is not one satisfiable range (the whole body is sent).
func byteRange(h string, n int) (from, to int, ok bool) {
	spec, found := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !found || strings.Contains(spec, ",") || n == 0 {
		return 0, 0, false
	}
	a, b, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return 0, 0, false
	}
	if a == "" { // the last b bytes
		k, err := strconv.Atoi(b)
		if err != nil || k <= 0 {
			return 0, 0, false
		}
		return max(0, n-k), n - 1, true
	}
	from, err := strconv.Atoi(a)
	if err != nil || from < 0 || from >= n {
		return 0, 0, false
	}
	to = n - 1
	if b != "" {
		if to, err = strconv.Atoi(b); err != nil || to < from {
			return 0, 0, false
		}
		to = min(to, n-1)
	}
	return from, to, true
}

// climbed is the resource the snapshot gives for the URL the page loaded
// where an rrweb snapshot recorded u past the root of the page's origin
// (snapshot.ClimbedURL: rrweb's own resolution of url() in style text).
func (j *job) climbed(u string) (*snapshot.Resource, bool) {
	if j.snap == nil || len(j.res) == 0 {
		return nil, false
	}
	pu, err1 := url.Parse(u)
	base, err2 := url.Parse(j.snap.URL)
	if err1 != nil || err2 != nil || base.Host == "" {
		return nil, false
	}
	c := snapshot.ClimbedURL(pu, base)
	if c == "" {
		return nil, false
	}
	r, ok := j.res[resourceKey(c)]
	return r, ok
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

func (t *tab) fulfill(ctx context.Context, id fetch.RequestID, status int, ctype string, body []byte, extra ...*fetch.HeaderEntry) {
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
		{Name: "Accept-Ranges", Value: "bytes"},
	}
	hdrs = append(hdrs, extra...)
	_, err := chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: id, ResponseCode: int64(status), ResponseHeaders: hdrs, Body: body})
	if err != nil && !errors.Is(err, context.Canceled) {
		t.p.logf("renderer: fulfill: %v", err)
	}
}
