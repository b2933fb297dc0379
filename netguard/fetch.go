package netguard

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/net/http/httpguts"
)

// Fetch errors; match them with errors.Is.
var (
	ErrBlocked     = errors.New("request blocked")    // the network policy refused the URL or address
	ErrTooLarge    = errors.New("response too large") // the body exceeded Config.MaxBytes
	ErrFetchFailed = errors.New("fetch failed")       // network, DNS, TLS, timeout, redirects
)

// Config configures a Fetcher. Zero fields take the value of
// DefaultConfig.
type Config struct {
	// Timeout bounds one Fetch as a whole: waiting for a concurrency slot,
	// every redirect hop, and reading the body. A page waits for its
	// resources, so a slow third-party host must not hold a render long.
	Timeout time.Duration
	// MaxBytes caps one response body, in bytes, after decoding. The body is
	// held in memory and handed to Chromium whole.
	MaxBytes int64
	// MaxRedirects is the number of redirects followed before giving up.
	MaxRedirects int
	// PerHostConcurrency caps simultaneous fetches to one host name, so one
	// page with hundreds of images does not hammer a third party.
	PerHostConcurrency int
	// MaxConcurrency caps simultaneous fetches for the whole Fetcher.
	MaxConcurrency int
	// AllowPrivate admits loopback, private, link-local and CGNAT targets.
	// Only for trusted on-premises deployments whose snapshots reference
	// intranet hosts: it also exposes every service on the Kiln machine and
	// its network. Cloud metadata endpoints stay blocked even then.
	AllowPrivate bool
	// UserAgent is sent with every request.
	UserAgent string
	// Resolver replaces DNS and DialContext the network dial; production
	// leaves both nil. Tests use them to map public-looking names to local
	// servers (netguardtest.Net). The policy check always runs on the
	// addresses Resolver returns, and DialContext is only ever given a
	// checked IP address.
	Resolver    Resolver
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Resolver looks up a host's addresses; *net.Resolver is one.
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		Timeout:            10 * time.Second,
		MaxBytes:           16 << 20,
		MaxRedirects:       5,
		PerHostConcurrency: 4,
		MaxConcurrency:     32,
		UserAgent:          "Mozilla/5.0 (compatible; Kiln/1.0; +https://github.com/kilnrender/kiln)",
	}
}

// fetchMaxBytesLimit bounds MaxBytes: bodies are held in memory.
const fetchMaxBytesLimit = 1 << 30

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Timeout == 0 {
		c.Timeout = d.Timeout
	}
	if c.MaxBytes == 0 {
		c.MaxBytes = d.MaxBytes
	}
	if c.MaxRedirects == 0 {
		c.MaxRedirects = d.MaxRedirects
	}
	if c.PerHostConcurrency == 0 {
		c.PerHostConcurrency = d.PerHostConcurrency
	}
	if c.MaxConcurrency == 0 {
		c.MaxConcurrency = d.MaxConcurrency
	}
	if c.UserAgent == "" {
		c.UserAgent = d.UserAgent
	}
	return c
}

// Validate reports every invalid field at once.
func (c Config) Validate() error {
	c = c.withDefaults()
	var errs []error
	if c.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout: %v is negative", c.Timeout))
	}
	if c.MaxBytes < 0 || c.MaxBytes > fetchMaxBytesLimit {
		errs = append(errs, fmt.Errorf("max bytes: %d not in 1..%d", c.MaxBytes, fetchMaxBytesLimit))
	}
	if c.MaxRedirects < 0 || c.MaxRedirects > 20 {
		errs = append(errs, fmt.Errorf("max redirects: %d not in 1..20", c.MaxRedirects))
	}
	if c.PerHostConcurrency < 0 {
		errs = append(errs, fmt.Errorf("per-host concurrency: %d is negative", c.PerHostConcurrency))
	}
	if c.MaxConcurrency < 0 {
		errs = append(errs, fmt.Errorf("max concurrency: %d is negative", c.MaxConcurrency))
	}
	if !httpguts.ValidHeaderFieldValue(c.UserAgent) {
		errs = append(errs, errors.New("user agent: not a valid header value"))
	}
	return errors.Join(errs...)
}

// Fetcher fetches http(s) resources under the network policy. It is safe
// for concurrent use; one Fetcher should serve the whole process so that its
// concurrency limits and connection pool are shared.
type Fetcher struct {
	cfg       Config
	transport *http.Transport
	resolver  Resolver
	dialer    func(ctx context.Context, network, addr string) (net.Conn, error)
	global    chan struct{}

	mu    sync.Mutex
	hosts map[string]*fetchHostSem
}

type fetchHostSem struct {
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
	f := &Fetcher{
		cfg:      cfg,
		resolver: cfg.Resolver,
		dialer:   cfg.DialContext,
		global:   make(chan struct{}, cfg.MaxConcurrency),
		hosts:    make(map[string]*fetchHostSem),
	}
	if f.resolver == nil {
		f.resolver = net.DefaultResolver
	}
	if f.dialer == nil {
		d := &net.Dialer{
			Timeout:   cfg.Timeout,
			KeepAlive: 30 * time.Second,
			// Belt and braces: the address reaching connect(2) is checked
			// once more, whatever path led to it.
			Control: func(network, address string, _ syscall.RawConn) error {
				ap, err := netip.ParseAddrPort(address)
				if err != nil {
					return fetchBlocked(ReasonHost, "dial to non-address %s", address)
				}
				if ok, reason := AllowedIP(ap.Addr(), cfg.AllowPrivate); !ok {
					return fetchBlocked(reason, "%s address %s", reason, ap.Addr())
				}
				return nil
			},
		}
		f.dialer = d.DialContext
	}
	f.transport = &http.Transport{
		Proxy:                  nil, // never from the environment
		DialContext:            f.dial,
		ForceAttemptHTTP2:      true,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    cfg.Timeout,
		MaxIdleConns:           cfg.MaxConcurrency,
		MaxIdleConnsPerHost:    cfg.PerHostConcurrency,
		IdleConnTimeout:        30 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
	}
	return f, nil
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
		return nil, fmt.Errorf("fetch %s: %w", fetchShortURL(rawURL), err)
	}
	return resp, nil
}

func (f *Fetcher) fetch(ctx context.Context, rawURL string, hdr http.Header) (*Response, error) {
	u, err := fetchCheckURL(rawURL)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	select {
	case f.global <- struct{}{}:
		defer func() { <-f.global }()
	case <-ctx.Done():
		return nil, fetchContextErr(ctx)
	}
	reqHdr := fetchRequestHeader(hdr, f.cfg.UserAgent)
	for hop := 0; ; hop++ {
		resp, loc, err := f.hop(ctx, u, reqHdr)
		if err != nil {
			if hop > 0 {
				return nil, fmt.Errorf("redirect to %s: %w", fetchShortURL(u.String()), err)
			}
			return nil, err
		}
		if loc == "" {
			return resp, nil
		}
		if hop >= f.cfg.MaxRedirects {
			return nil, fetchFailed(ReasonRedirects, nil, "stopped after %d redirects", hop)
		}
		next, err := fetchCheckURL(loc)
		if err != nil {
			return nil, fmt.Errorf("redirect to %s: %w", fetchShortURL(loc), err)
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
		return nil, "", fetchBlocked(ReasonMalformed, "bad request url")
	}
	req.Header = hdr.Clone()
	resp, err := f.transport.RoundTrip(req)
	if err != nil {
		return nil, "", fetchClassify(ctx, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		if loc := resp.Header.Get("Location"); loc != "" {
			next, err := u.Parse(loc)
			if err != nil {
				return nil, "", fetchFailed(ReasonRedirects, nil, "bad redirect location")
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
	h := fetchResponseHeader(resp.Header)
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
		return nil, fetchTooLarge(max)
	}
	raw := &fetchCountingReader{r: io.LimitReader(resp.Body, max+1)}
	var r io.Reader = raw
	enc := strings.ToLower(strings.TrimSpace(strings.Join(resp.Header.Values("Content-Encoding"), ",")))
	switch enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(raw)
		if err != nil {
			return nil, fetchReadErr(ctx, raw, max, err)
		}
		defer zr.Close()
		r = zr
	case "deflate":
		// "deflate" is zlib (RFC 9110), but some servers send raw deflate.
		br := bufio.NewReader(raw)
		if hd, err := br.Peek(2); err == nil && hd[0]&0x0f == 8 && (uint16(hd[0])<<8|uint16(hd[1]))%31 == 0 {
			zr, err := zlib.NewReader(br)
			if err != nil {
				return nil, fetchReadErr(ctx, raw, max, err)
			}
			defer zr.Close()
			r = zr
		} else {
			fr := flate.NewReader(br)
			defer fr.Close()
			r = fr
		}
	default:
		return nil, fetchFailed(ReasonEncoding, nil, "content encoding %q not supported", fetchShortString(enc, 32))
	}
	body, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fetchReadErr(ctx, raw, max, err)
	}
	if int64(len(body)) > max || raw.n > max {
		return nil, fetchTooLarge(max)
	}
	return body, nil
}

func fetchTooLarge(max int64) error {
	return &fetchReasonError{reason: ReasonTooLarge, err: fmt.Errorf("body exceeds %d bytes: %w", max, ErrTooLarge)}
}

// fetchReadErr classifies an error met while reading a body.
func fetchReadErr(ctx context.Context, raw *fetchCountingReader, max int64, err error) error {
	if raw.n > max {
		return fetchTooLarge(max)
	}
	if ctx.Err() != nil {
		return fetchContextErr(ctx)
	}
	if errors.Is(err, gzip.ErrHeader) || errors.Is(err, gzip.ErrChecksum) || errors.Is(err, zlib.ErrHeader) ||
		errors.Is(err, zlib.ErrChecksum) || errors.As(err, new(flate.CorruptInputError)) {
		return fetchFailed(ReasonEncoding, err, "decode body")
	}
	return fetchFailed(ReasonNetwork, err, "read body")
}

type fetchCountingReader struct {
	r io.Reader
	n int64
}

func (c *fetchCountingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// fetchContextErr describes why ctx ended.
func fetchContextErr(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fetchFailed(ReasonTimeout, context.DeadlineExceeded, "timed out")
	}
	return fetchFailed(ReasonCanceled, ctx.Err(), "canceled")
}

// fetchClassify turns a RoundTrip error into one of the package's errors.
func fetchClassify(ctx context.Context, err error) error {
	var re *fetchReasonError
	if errors.As(err, &re) {
		return re
	}
	if ctx.Err() != nil {
		return fetchContextErr(ctx)
	}
	var (
		certErr  *tls.CertificateVerificationError
		authErr  x509.UnknownAuthorityError
		hostErr  x509.HostnameError
		invErr   x509.CertificateInvalidError
		alertErr tls.AlertError
		recErr   tls.RecordHeaderError
	)
	if errors.As(err, &certErr) || errors.As(err, &authErr) || errors.As(err, &hostErr) ||
		errors.As(err, &invErr) || errors.As(err, &alertErr) || errors.As(err, &recErr) {
		return fetchFailed(ReasonTLS, err, "tls")
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fetchFailed(ReasonTimeout, err, "timed out")
	}
	return fetchFailed(ReasonNetwork, err, "request")
}

// dial is the transport's only way out. It resolves the host itself, checks
// every address, and dials the checked addresses in order: nothing between
// the check and the connect can resolve the name again.
func (f *Fetcher) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fetchBlocked(ReasonHost, "bad address")
	}
	var ips []netip.Addr
	literal := false
	if a, err := netip.ParseAddr(host); err == nil {
		ips, literal = []netip.Addr{a}, true
	} else {
		if ok, reason := fetchHostAllowed(host, f.cfg.AllowPrivate); !ok {
			return nil, fetchBlocked(reason, "%s host %s", reason, host)
		}
		rctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
		res, err := f.resolver.LookupIPAddr(rctx, host)
		cancel()
		if err != nil {
			return nil, fetchFailed(ReasonDNS, err, "resolve %s", host)
		}
		for _, r := range res {
			a, ok := netip.AddrFromSlice(r.IP)
			if !ok {
				return nil, fetchFailed(ReasonDNS, nil, "resolve %s: bad address", host)
			}
			// net.IP holds IPv4 in 16 bytes: unmap, so that messages read 127.0.0.1.
			ips = append(ips, a.Unmap().WithZone(r.Zone))
		}
		if len(ips) == 0 {
			return nil, fetchFailed(ReasonDNS, nil, "resolve %s: no addresses", host)
		}
	}
	for _, ip := range ips {
		if ok, reason := AllowedIP(ip, f.cfg.AllowPrivate); !ok {
			if literal {
				return nil, fetchBlocked(reason, "%s address %s", reason, ip)
			}
			return nil, fetchBlocked(reason, "host %s resolves to %s address %s", host, reason, ip)
		}
	}
	var firstErr error
	for _, ip := range ips {
		c, err := f.dialer(ctx, network, net.JoinHostPort(ip.Unmap().String(), port))
		if err == nil {
			return c, nil
		}
		if firstErr == nil {
			firstErr = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, firstErr
}

// acquireHost takes one of the host's concurrency slots.
func (f *Fetcher) acquireHost(ctx context.Context, host string) (release func(), err error) {
	f.mu.Lock()
	s := f.hosts[host]
	if s == nil {
		s = &fetchHostSem{slots: make(chan struct{}, f.cfg.PerHostConcurrency)}
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
		return nil, fetchContextErr(ctx)
	}
}

// fetchForwardHeaders are the request headers a page may pass on. Cookies,
// Authorization and Referer never leave: the first two are credentials, the
// last leaks the URL of the page that was reported.
var fetchForwardHeaders = []string{"Accept", "Accept-Language", "Origin", "Range", "If-Range"}

func fetchRequestHeader(in http.Header, ua string) http.Header {
	out := make(http.Header, len(fetchForwardHeaders)+1)
	for _, k := range fetchForwardHeaders {
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

// fetchDropHeaders are removed from responses: the body is decoded and
// re-framed, and no cookies reach the browser.
var fetchDropHeaders = []string{
	"Content-Encoding", "Content-Length", "Set-Cookie", "Set-Cookie2",
	"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate",
	"Transfer-Encoding", "Trailer", "Upgrade",
}

func fetchResponseHeader(in http.Header) http.Header {
	h := in.Clone()
	for _, v := range in.Values("Connection") {
		for _, k := range strings.Split(v, ",") {
			if k = strings.TrimSpace(k); k != "" {
				h.Del(k)
			}
		}
	}
	for _, k := range fetchDropHeaders {
		h.Del(k)
	}
	return h
}

// BlockReason returns a short, stable reason for a Fetch or CheckURL error
// (one of the Reason constants, e.g. "loopback", "scheme", "too-large",
// "timeout"), "" for nil, and "error" for an error it does not know.
func BlockReason(err error) string {
	if err == nil {
		return ""
	}
	var re *fetchReasonError
	if errors.As(err, &re) {
		return re.reason
	}
	switch {
	case errors.Is(err, ErrTooLarge):
		return ReasonTooLarge
	case errors.Is(err, context.DeadlineExceeded):
		return ReasonTimeout
	case errors.Is(err, context.Canceled):
		return ReasonCanceled
	}
	return "error"
}
