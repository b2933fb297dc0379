package netguardtest

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/kilnrender/kiln/netguard"
)

// Net is a test network. Its resolver answers each host it knows with a
// TEST-NET-3 address (203.0.113.10, .11, ... in the order of the sorted
// host names), which the policy treats as public, and its dialer connects
// such an address, on any port, to the local server the host maps to
// ("127.0.0.1:port"). Other names do not resolve and other addresses are
// never dialed. It records every dial.
type Net struct {
	addrs   map[string]netip.Addr // host → public-looking address
	targets map[netip.Addr]string // address → local server
	mu      sync.Mutex
	dials   []string
}

// NewNet returns a Net for hosts (host name → local "host:port"), at most
// 240 of them.
func NewNet(t testing.TB, hosts map[string]string) *Net {
	t.Helper()
	n, err := newNet(hosts)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func newNet(hosts map[string]string) (*Net, error) {
	n := &Net{addrs: map[string]netip.Addr{}, targets: map[netip.Addr]string{}}
	names := make([]string, 0, len(hosts))
	for h := range hosts {
		names = append(names, h)
	}
	sort.Strings(names)
	if len(names) > 240 {
		return nil, fmt.Errorf("netguardtest.NewNet: %d hosts, at most 240", len(names))
	}
	for i, h := range names {
		a := netip.AddrFrom4([4]byte{203, 0, 113, byte(10 + i)})
		n.addrs[strings.ToLower(h)] = a
		n.targets[a] = hosts[h]
	}
	return n, nil
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
