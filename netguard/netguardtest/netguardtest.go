// Package netguardtest helps test code that reaches the network through
// netguard: a test network that maps public-looking host names to local
// servers, and a canary server that counts the connections it receives.
package netguardtest

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/kilnrender/kiln/netguard"
)

// Net is a test network. Its resolver answers each host it knows with a
// TEST-NET-3 address (203.0.113.10, .11, ... in the order of the sorted
// host names), which the policy treats as public, and its dialer connects
// such an address, on any port, to the local server the host maps to
// ("127.0.0.1:port"). Other names do not resolve and other addresses are
// never dialed. It records every lookup and dial.
type Net struct {
	addrs   map[string]netip.Addr // host → public-looking address
	targets map[netip.Addr]string // address → local server
	mu      sync.Mutex
	dials   []string
	lookups []string
}

// NewNet returns a Net for hosts (host name → local "host:port"), at most
// 240 of them.
func NewNet(t testing.TB, hosts map[string]string) *Net {
	t.Helper()
	n := &Net{addrs: map[string]netip.Addr{}, targets: map[netip.Addr]string{}}
	names := make([]string, 0, len(hosts))
	for h := range hosts {
		names = append(names, h)
	}
	sort.Strings(names)
	if len(names) > 240 {
		t.Fatalf("netguardtest.NewNet: %d hosts, at most 240", len(names))
	}
	for i, h := range names {
		a := netip.AddrFrom4([4]byte{203, 0, 113, byte(10 + i)})
		n.addrs[strings.ToLower(h)] = a
		n.targets[a] = hosts[h]
	}
	return n
}

// Config returns a netguard.Config whose Resolver and DialContext are n's
// (every other field zero, that is default).
func (n *Net) Config() netguard.Config {
	return netguard.Config{Resolver: n, DialContext: n.DialContext}
}

// Addr returns the public-looking address host resolves to.
func (n *Net) Addr(host string) netip.Addr { return n.addrs[strings.ToLower(host)] }

// LookupIPAddr implements netguard.Resolver.
func (n *Net) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	n.mu.Lock()
	n.lookups = append(n.lookups, host)
	n.mu.Unlock()
	a, ok := n.addrs[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	return []net.IPAddr{{IP: a.AsSlice()}}, nil
}

// DialContext connects one of n's addresses to its local server and
// refuses anything else.
func (n *Net) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	n.mu.Lock()
	n.dials = append(n.dials, addr)
	n.mu.Unlock()
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		return nil, fmt.Errorf("test network: dial %q: not an address", addr)
	}
	target, ok := n.targets[ap.Addr()]
	if !ok {
		return nil, fmt.Errorf("test network: refusing to dial %s", addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, target)
}

// Dialed returns the addresses dialed so far, in order.
func (n *Net) Dialed() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return slices.Clone(n.dials)
}

// Canary is a loopback HTTP server that no guarded request may reach. It
// counts TCP connections, not just requests: a connection alone already
// proves the policy leaked.
type Canary struct {
	srv      *httptest.Server
	conns    atomic.Int64
	requests atomic.Int64
	port     string
}

// Body is what the canary answers, should anything reach it.
const Body = "canary secret"

// NewCanary starts a canary that stops when the test ends.
func NewCanary(t testing.TB) *Canary {
	t.Helper()
	c := &Canary{}
	c.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.requests.Add(1)
		io.WriteString(w, Body)
	}))
	c.srv.Listener = countingListener{Listener: c.srv.Listener, n: &c.conns}
	c.srv.Start()
	t.Cleanup(c.srv.Close)
	_, c.port, _ = net.SplitHostPort(c.srv.Listener.Addr().String())
	return c
}

// Port is the canary's port on 127.0.0.1.
func (c *Canary) Port() string { return c.port }

// Addr is the canary's "127.0.0.1:port".
func (c *Canary) Addr() string { return c.srv.Listener.Addr().String() }

// Conns and Requests count what reached the canary.
func (c *Canary) Conns() int64    { return c.conns.Load() }
func (c *Canary) Requests() int64 { return c.requests.Load() }

// AssertUntouched fails the test if anything reached the canary.
func (c *Canary) AssertUntouched(t testing.TB) {
	t.Helper()
	if n, r := c.conns.Load(), c.requests.Load(); n != 0 || r != 0 {
		t.Errorf("canary saw %d connections and %d requests, want none", n, r)
	}
}

type countingListener struct {
	net.Listener
	n *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}
