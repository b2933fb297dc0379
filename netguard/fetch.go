package netguard

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"golang.org/x/net/http/httpguts"
)

// Fetcher fetches http(s) resources under the network policy. It is safe
// for concurrent use; one Fetcher should serve the whole process so that its
// concurrency limits and connection pool are shared.
type Fetcher struct {
	cfg       Config
	dialer    *Dialer
	transport *http.Transport
	global    chan struct{}

	mu    sync.Mutex
	hosts map[string]*hostSem
}

type hostSem struct {
	slots chan struct{}
	refs  int
}

// Response is a fetched resource.
type Response struct {
	URL         string      // final URL, after redirects
	Status      int         // HTTP status code of the final response
	Header      http.Header // response header without Content-Encoding, Content-Length, Set-Cookie and hop-by-hop fields
	ContentType string      // the Content-Type header, as sent
	Body        []byte      // decoded body, at most MaxBytes
}

// NewFetcher returns a Fetcher for cfg.
func NewFetcher(cfg Config) (*Fetcher, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("new fetcher: %w", err)
	}
	cfg = cfg.withDefaults()
	d, err := newDialer(cfg)
	if err != nil {
		return nil, fmt.Errorf("new fetcher: %w", err)
	}
	return &Fetcher{
		cfg:       cfg,
		dialer:    d,
		transport: newTransport(cfg, d),
		global:    make(chan struct{}, cfg.MaxConcurrency),
		hosts:     make(map[string]*hostSem),
	}, nil
}

// CloseIdleConnections closes the connections kept for reuse.
func (f *Fetcher) CloseIdleConnections() { f.transport.CloseIdleConnections() }

// Fetch GETs rawURL under the network policy, following redirects, and
// returns the final response whatever its status. hdr may carry request
// headers from the page; only Accept, Accept-Language, Origin, Range and
// If-Range are forwarded (no cookies or credentials ever are). Errors wrap
// ErrBlocked, ErrTooLarge or ErrFetchFailed; BlockReason classifies them.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string, hdr http.Header) (*Response, error) {
	resp, err := f.fetch(ctx, rawURL, hdr)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", shortURL(rawURL), err)
	}
	return resp, nil
}

func (f *Fetcher) fetch(ctx context.Context, rawURL string, hdr http.Header) (*Response, error) {
	u, err := checkURL(rawURL)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	select {
	case f.global <- struct{}{}:
		defer func() { <-f.global }()
	case <-ctx.Done():
		return nil, contextErr(ctx)
	}
	reqHdr := requestHeader(hdr, f.cfg.UserAgent)
	for hop := 0; ; hop++ {
		resp, loc, err := f.hop(ctx, u, reqHdr)
		if err != nil {
			if hop > 0 {
				return nil, fmt.Errorf("redirect to %s: %w", shortURL(u.String()), err)
			}
			return nil, err
		}
		if loc == "" {
			return resp, nil
		}
		if hop >= f.cfg.MaxRedirects {
			return nil, failed(ReasonRedirects, nil, "stopped after %d redirects", hop)
		}
		next, err := checkURL(loc)
		if err != nil {
			return nil, fmt.Errorf("redirect to %s: %w", shortURL(loc), err)
		}
		u = next
	}
}

// hop makes one request. It returns the response, or the absolute Location
// of a redirect (not yet checked).
func (f *Fetcher) hop(ctx context.Context, u *url.URL, hdr http.Header) (*Response, string, error) {
	release, err := f.acquireHost(ctx, u.Hostname())
	if err != nil {
		return nil, "", err
	}
	defer release()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, "", blocked(ReasonMalformed, "bad request url")
	}
	req.Header = hdr.Clone()
	resp, err := f.transport.RoundTrip(req)
	if err != nil {
		return nil, "", classify(ctx, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		if loc := resp.Header.Get("Location"); loc != "" {
			next, err := u.Parse(loc)
			if err != nil {
				return nil, "", failed(ReasonRedirects, nil, "bad redirect location")
			}
			// Drain a little so the connection can be reused.
			_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
			return nil, next.String(), nil
		}
	}
	body, err := f.readBody(ctx, resp)
	if err != nil {
		return nil, "", err
	}
	h := responseHeader(resp.Header)
	return &Response{
		URL:         u.String(),
		Status:      resp.StatusCode,
		Header:      h,
		ContentType: h.Get("Content-Type"),
		Body:        body,
	}, "", nil
}

// readBody reads at most MaxBytes decoded bytes. Go's transport decodes gzip
// it asked for itself; an encoding the server sent anyway (with Range, or
// unasked) is decoded here, gzip and deflate only. Both the raw and the
// decoded stream are capped.
func (f *Fetcher) readBody(ctx context.Context, resp *http.Response) ([]byte, error) {
	max := f.cfg.MaxBytes
	if resp.ContentLength > max {
		return nil, tooLarge(max)
	}
	raw := &countingReader{r: io.LimitReader(resp.Body, max+1)}
	var r io.Reader = raw
	enc := strings.ToLower(strings.TrimSpace(strings.Join(resp.Header.Values("Content-Encoding"), ",")))
	switch enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(raw)
		if err != nil {
			return nil, readErr(ctx, raw, max, err)
		}
		defer zr.Close()
		r = zr
	case "deflate":
		// "deflate" is zlib (RFC 9110), but some servers send raw deflate.
		br := bufio.NewReader(raw)
		if hd, err := br.Peek(2); err == nil && hd[0]&0x0f == 8 && (uint16(hd[0])<<8|uint16(hd[1]))%31 == 0 {
			zr, err := zlib.NewReader(br)
			if err != nil {
				return nil, readErr(ctx, raw, max, err)
			}
			defer zr.Close()
			r = zr
		} else {
			fr := flate.NewReader(br)
			defer fr.Close()
			r = fr
		}
	default:
		return nil, failed(ReasonEncoding, nil, "content encoding %q not supported", shortString(enc, 32))
	}
	body, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, readErr(ctx, raw, max, err)
	}
	if int64(len(body)) > max || raw.n > max {
		return nil, tooLarge(max)
	}
	return body, nil
}

func tooLarge(max int64) error {
	return &reasonError{reason: ReasonTooLarge, err: fmt.Errorf("body exceeds %d bytes: %w", max, ErrTooLarge)}
}

// readErr classifies an error met while reading a body.
func readErr(ctx context.Context, raw *countingReader, max int64, err error) error {
	if raw.n > max {
		return tooLarge(max)
	}
	if ctx.Err() != nil {
		return contextErr(ctx)
	}
	if errors.Is(err, gzip.ErrHeader) || errors.Is(err, gzip.ErrChecksum) || errors.Is(err, zlib.ErrHeader) ||
		errors.Is(err, zlib.ErrChecksum) || errors.As(err, new(flate.CorruptInputError)) {
		return failed(ReasonEncoding, err, "decode body")
	}
	return failed(ReasonNetwork, err, "read body")
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// acquireHost takes one of the host's concurrency slots.
func (f *Fetcher) acquireHost(ctx context.Context, host string) (release func(), err error) {
	f.mu.Lock()
	s := f.hosts[host]
	if s == nil {
		s = &hostSem{slots: make(chan struct{}, f.cfg.PerHostConcurrency)}
		f.hosts[host] = s
	}
	s.refs++
	f.mu.Unlock()
	unref := func() {
		f.mu.Lock()
		if s.refs--; s.refs == 0 {
			delete(f.hosts, host)
		}
		f.mu.Unlock()
	}
	select {
	case s.slots <- struct{}{}:
		return func() { <-s.slots; unref() }, nil
	case <-ctx.Done():
		unref()
		return nil, contextErr(ctx)
	}
}

// forwardHeaders are the request headers a page may pass on. Cookies,
// Authorization and Referer never leave: the first two are credentials, the
// last leaks the URL of the page that was reported.
var forwardHeaders = []string{"Accept", "Accept-Language", "Origin", "Range", "If-Range"}

func requestHeader(in http.Header, ua string) http.Header {
	out := make(http.Header, len(forwardHeaders)+1)
	for _, k := range forwardHeaders {
		for i, v := range in.Values(k) {
			if i >= 4 || len(v) > 1024 || !httpguts.ValidHeaderFieldValue(v) {
				break
			}
			out.Add(k, v)
		}
	}
	out.Set("User-Agent", ua)
	return out
}

// dropHeaders are removed from responses: the body is decoded and
// re-framed, and no cookies reach the browser.
var dropHeaders = []string{
	"Content-Encoding", "Content-Length", "Set-Cookie", "Set-Cookie2",
	"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate",
	"Transfer-Encoding", "Trailer", "Upgrade",
}

func responseHeader(in http.Header) http.Header {
	h := in.Clone()
	for _, v := range in.Values("Connection") {
		for _, k := range strings.Split(v, ",") {
			if k = strings.TrimSpace(k); k != "" {
				h.Del(k)
			}
		}
	}
	for _, k := range dropHeaders {
		h.Del(k)
	}
	return h
}
