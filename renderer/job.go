package renderer

import (
	"context"
	"net/url"
	"strconv"
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
	inflight int       // requests being answered (counted as they arrive: tab.onEvent)
	lastReq  time.Time // when a request last arrived or was answered
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
		if k := resourceKey(r.URL); j.res[k] == nil {
			j.res[k] = r
		}
	}
	return j
}

// resourceKey is the key a listed resource is kept under and a request
// looked up by: an http(s) URL in one canonical form that Chromium's
// spelling of a request and the input's spelling of the same URL share, so
// that a resource the input lists is served from the input however the
// input spells it, and never fetched. Scheme and host in lower case (the
// host as netguard reads it: punycode, the IPv4 address of 0x7f.1, IPv6 in
// RFC 5952 form, no trailing dot), no default port, backslashes read as
// slashes, dot segments resolved (%2e too), the path "/" when empty, no
// fragment. Percent-escapes are put in one form on both sides: an escaped
// unreserved character (A-Z a-z 0-9 - . _ ~) is unescaped, every other
// escape is upper-cased, and every other character but the delimiters
// both Chromium and Go's url package leave as they are ($&+,;=:@, and /?
// in the query) is escaped, so that the key of Chromium's spelling (which
// escapes spaces, non-ASCII, quotes, {, }, |, ^...) and the key of the
// input's (which Go may have escaped further: ! ' ( ) *) are the same. Two
// listed resources with one key are one resource (the first listed).
// Other URLs, and http(s) URLs with credentials or a bad port, are only
// stripped of their fragment.
func resourceKey(raw string) string {
	s := strings.Trim(raw, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	s = stripFragment(s)
	colon := strings.IndexByte(s, ':')
	if colon < 0 {
		return s
	}
	scheme := strings.ToLower(s[:colon])
	if scheme != "http" && scheme != "https" {
		return s
	}
	rest := strings.TrimLeft(s[colon+1:], `/\`)
	auth, tail := rest, ""
	if i := strings.IndexAny(rest, `/\?`); i >= 0 {
		auth, tail = rest[:i], rest[i:]
	}
	if strings.Contains(auth, "@") {
		return s
	}
	host, port := auth, ""
	if strings.HasPrefix(host, "[") {
		end := strings.IndexByte(host, ']')
		if end < 0 || (end+1 < len(host) && host[end+1] != ':') {
			return s
		}
		host, port = host[1:end], strings.TrimPrefix(host[end+1:], ":")
	} else if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host, port = host[:i], host[i+1:]
	}
	if h, err := url.PathUnescape(host); err == nil {
		host = h // Chromium unescapes hosts: %6Biln is kiln
	}
	h, err := netguard.CanonicalHost(host)
	if err != nil {
		h = strings.ToLower(host)
	}
	if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	if port != "" {
		n, err := strconv.ParseUint(port, 10, 16)
		if err != nil {
			return s
		}
		if !(scheme == "http" && n == 80 || scheme == "https" && n == 443) {
			h += ":" + strconv.FormatUint(n, 10)
		}
	}
	path, query := tail, ""
	if i := strings.IndexByte(tail, '?'); i >= 0 {
		path, query = tail[:i], tail[i:]
	}
	return scheme + "://" + h + keyPath(path) + escapeKey(query, "$&+,;=:@/?")
}

// keyPath is resourceKey's path: escapes in one form, backslashes as
// slashes, dot segments resolved.
func keyPath(p string) string {
	p = strings.ReplaceAll(p, `\`, "/")
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	out := make([]string, 0, len(segs))
	for i, seg := range segs {
		seg = escapeKey(seg, "$&+,;=:@")
		last := i == len(segs)-1
		switch seg {
		case ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, seg)
			continue
		}
		if last {
			out = append(out, "") // "/a/b/.." is "/a/"
		}
	}
	return "/" + strings.Join(out, "/")
}

// escapeKey writes s with escaped unreserved characters unescaped, other
// escapes upper-cased, and every byte that is neither unreserved nor in
// keep escaped.
func escapeKey(s, keep string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			d := unhex(s[i+1])<<4 | unhex(s[i+2])
			if unreserved(d) {
				b.WriteByte(d)
			} else {
				b.WriteByte('%')
				b.WriteByte(hex[d>>4])
				b.WriteByte(hex[d&15])
			}
			i += 2
			continue
		}
		if unreserved(c) || c < 0x80 && strings.IndexByte(keep, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func unreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

func stripFragment(u string) string {
	if i := strings.IndexByte(u, '#'); i >= 0 {
		return u[:i]
	}
	return u
}

// quiet waits until no request has been in flight for d, or until
// deadline, and reports whether it got there.
func (j *job) quiet(ctx context.Context, d time.Duration, deadline time.Time) bool {
	return j.until(ctx, deadline, 5*time.Millisecond, func() bool { return j.inflight == 0 && time.Since(j.lastReq) >= d })
}

// until polls cond (under j.mu) every step until it holds (true), or
// the deadline or ctx comes first (false).
func (j *job) until(ctx context.Context, deadline time.Time, step time.Duration, cond func() bool) bool {
	for {
		j.mu.Lock()
		ok := cond()
		j.mu.Unlock()
		if ok {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(step):
		}
	}
}

// arrived counts a request the page made, as its event arrives: the
// tab's events come in the order the page made its requests, so once a
// later request has arrived, every earlier one is counted.
func (j *job) arrived() {
	j.mu.Lock()
	j.inflight++
	j.lastReq = time.Now()
	j.mu.Unlock()
}

// answered ends what arrived counted.
func (j *job) answered() {
	j.mu.Lock()
	j.inflight--
	j.lastReq = time.Now()
	j.mu.Unlock()
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
