package netguard

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// Dialer opens connections under the policy: it resolves a host name
// itself, judges every address the name resolves to, and dials exactly the
// checked addresses, in order. Nothing between the check and the connect
// can resolve the name again, which defeats DNS rebinding. It is the only
// way out of a Fetcher and a Client, and is safe for concurrent use.
type Dialer struct {
	rules    *rules
	resolver Resolver
	dial     func(ctx context.Context, network, addr string) (net.Conn, error)
	timeout  time.Duration
}

// NewDialer returns a Dialer for cfg's Policy, Resolver, DialContext and
// Timeout (which bounds each lookup and each connection attempt).
func NewDialer(cfg Config) (*Dialer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("new dialer: %w", err)
	}
	return newDialer(cfg.withDefaults())
}

// newDialer builds the Dialer of a valid cfg with defaults applied.
func newDialer(cfg Config) (*Dialer, error) {
	r, err := cfg.Policy.compile()
	if err != nil {
		return nil, err
	}
	d := &Dialer{rules: r, resolver: cfg.Resolver, dial: cfg.DialContext, timeout: cfg.Timeout}
	if d.resolver == nil {
		d.resolver = net.DefaultResolver
	}
	if d.dial == nil {
		nd := &net.Dialer{
			Timeout:   cfg.Timeout,
			KeepAlive: 30 * time.Second,
			// Belt and braces: connect(2) only ever gets the address
			// DialContext checked, or, reached some other way, an address
			// the policy admits by itself.
			ControlContext: func(ctx context.Context, network, address string, _ syscall.RawConn) error {
				ap, err := netip.ParseAddrPort(address)
				if err != nil {
					return blocked(ReasonHost, "dial to non-address %s", address)
				}
				ip := ap.Addr().Unmap().WithZone("")
				if checked, ok := ctx.Value(checkedKey{}).(netip.Addr); ok && checked == ip {
					return nil
				}
				if ok, reason := r.addr(ip, false); !ok {
					return blocked(reason, "%s address %s", reason, ip)
				}
				return nil
			},
		}
		d.dial = nd.DialContext
	}
	return d, nil
}

// checkedKey marks, in a dial's context, the address DialContext checked.
type checkedKey struct{}

// DialContext connects to addr ("host:port") if the policy admits the host
// and every address it resolves to. Errors wrap ErrBlocked (the policy
// refused) or ErrFetchFailed (the name did not resolve); a failed connect
// is returned as the system reports it.
func (d *Dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, blocked(ReasonHost, "bad address")
	}
	ips, approved, err := d.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	_, perr := netip.ParseAddr(host)
	literal := perr == nil
	for _, ip := range ips {
		if ok, reason := d.rules.addr(ip, approved); !ok {
			if literal {
				return nil, blocked(reason, "%s address %s", reason, ip)
			}
			return nil, blocked(reason, "host %s resolves to %s address %s", host, reason, ip)
		}
	}
	var firstErr error
	for _, ip := range ips {
		dctx := context.WithValue(ctx, checkedKey{}, ip.WithZone(""))
		c, err := d.dial(dctx, network, net.JoinHostPort(ip.String(), port))
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

// resolve returns the addresses of host (an address literal is its own),
// unmapped, and whether the name is on the Allow list. A name the policy
// refuses is not looked up at all.
func (d *Dialer) resolve(ctx context.Context, host string) (ips []netip.Addr, approved bool, err error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a.Unmap()}, false, nil
	}
	approved, reason := d.rules.host(host)
	if reason != "" {
		return nil, false, blocked(reason, "%s host %s", reason, host)
	}
	rctx, cancel := context.WithTimeout(ctx, d.timeout)
	res, err := d.resolver.LookupIPAddr(rctx, host)
	cancel()
	if err != nil {
		return nil, false, failed(ReasonDNS, err, "resolve %s", host)
	}
	for _, r := range res {
		a, ok := netip.AddrFromSlice(r.IP)
		if !ok {
			return nil, false, failed(ReasonDNS, nil, "resolve %s: bad address", host)
		}
		// net.IP holds IPv4 in 16 bytes: unmap, so that messages read 127.0.0.1.
		ips = append(ips, a.Unmap().WithZone(r.Zone))
	}
	if len(ips) == 0 {
		return nil, false, failed(ReasonDNS, nil, "resolve %s: no addresses", host)
	}
	return ips, approved, nil
}

// newTransport returns the transport of a Fetcher or Client: d is its only
// way out, and no proxy from the environment is ever used.
func newTransport(cfg Config, d *Dialer) *http.Transport {
	return &http.Transport{
		Proxy:                  nil, // never from the environment
		DialContext:            d.DialContext,
		ForceAttemptHTTP2:      true,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    cfg.Timeout,
		MaxIdleConns:           cfg.MaxConcurrency,
		MaxIdleConnsPerHost:    cfg.PerHostConcurrency,
		IdleConnTimeout:        30 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
	}
}

// NewClient returns an http.Client for requests Kiln makes to URLs others
// chose, such as webhook callbacks. Every request URL, the first and every
// redirect, must pass CheckURL (and is sent in its canonical form); every
// connection goes through a Dialer, so the resolved addresses are judged by
// cfg.Policy and exactly those are dialed; at most cfg.MaxRedirects
// redirects are followed. No proxy from the environment, no cookie jar,
// TLS verified. cfg.Timeout bounds each dial, the TLS handshake and the
// wait for a response header; the request's context bounds the rest, and
// reading the body (and bounding it) is the caller's.
//
// Errors (inside the *url.Error that http.Client returns) wrap ErrBlocked
// when the policy refused, and ErrFetchFailed otherwise; BlockReason
// classifies them.
func NewClient(cfg Config) (*http.Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("new client: %w", err)
	}
	cfg = cfg.withDefaults()
	d, err := newDialer(cfg)
	if err != nil {
		return nil, err
	}
	tr := newTransport(cfg, d)
	tr.ResponseHeaderTimeout = cfg.Timeout
	return &http.Client{
		Transport: checkedTransport{tr},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > cfg.MaxRedirects {
				return failed(ReasonRedirects, nil, "stopped after %d redirects", len(via)-1)
			}
			return nil
		},
	}, nil
}

// checkedTransport checks every request's URL before base sends it.
type checkedTransport struct{ base *http.Transport }

func (t checkedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	u, err := checkParsedURL(req.URL)
	if err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	r := req.Clone(req.Context())
	if r.Host == "" || r.Host == req.URL.Host {
		r.Host = u.Host
	}
	r.URL = u
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, classify(req.Context(), err)
	}
	return resp, nil
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the
// transport.
func (t checkedTransport) CloseIdleConnections() { t.base.CloseIdleConnections() }
