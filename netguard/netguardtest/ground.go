package netguardtest

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/kilnrender/kiln/netguard"
)

// Host names of a Ground. Each resolves to a TEST-NET-3 address, which the
// policy treats as public.
const (
	// PublicHost is an ordinary public server. It answers every path with
	// 200 (a tiny PNG for .png, an empty stylesheet for .css, text
	// otherwise) and serves stylesheets that load other URLs:
	// /css?import=U (@import U) and /css?font=U (a web font at U used by
	// class "kilnchain"). It closes every connection after one response,
	// so that each fetch dials, and resolves, anew.
	PublicHost = "public.kiln.test"
	// RedirectHost answers every request with a 302 to its "to" query
	// parameter, or to the canary when there is none.
	RedirectHost = "redirect.kiln.test"
	// RebindHost resolves to PublicHost's server on its first lookup and
	// to 127.0.0.1 on every later one: DNS rebinding between the check and
	// the connect.
	RebindHost = "rebind.kiln.test"
)

// Ground is the hostile network of the SSRF suite: a Canary on loopback,
// PublicHost, RedirectHost, RebindHost and the caller's own hosts (as for
// Net). Its Config's resolver knows no other name (nothing goes to real
// DNS), and its dialer
//
//   - connects the addresses of its hosts to their local servers;
//   - connects a loopback address for real, so that a leak reaches the
//     canary and is counted;
//   - resolves a host name it is given with its own resolver and dials the
//     answer, as a careless dialer would (so a dial that resolves again
//     after the check meets the rebinding answer);
//   - refuses every other address without a connection.
//
// Every dial that is not to one of its hosts' servers is a stray dial, a
// failure of the policy that AssertUntouched reports.
type Ground struct {
	canary   *Canary
	net      *Net
	servers  []*httptest.Server
	mu       sync.Mutex
	lookups  map[string]int
	dials    []string
	stray    []string
	closeAll sync.Once
}

// NewGround starts a Ground that stops when the test ends. hosts maps
// more public-looking names to local "host:port" servers.
func NewGround(t testing.TB, hosts map[string]string) *Ground {
	t.Helper()
	g, err := StartGround(hosts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(g.Close)
	return g
}

// StartGround starts a Ground that runs until Close, for a test binary's
// shared parts (a pool started once for a package's tests).
func StartGround(hosts map[string]string) (*Ground, error) {
	g := &Ground{canary: StartCanary(), lookups: map[string]int{}}
	pub := httptest.NewUnstartedServer(http.HandlerFunc(servePublic))
	pub.Config.SetKeepAlivesEnabled(false)
	pub.Start()
	canaryURL := "http://" + g.canary.Addr() + "/redirected"
	redir := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		to := r.URL.Query().Get("to")
		if to == "" {
			to = canaryURL
		}
		w.Header().Set("Location", to) // as given: http.Redirect would clean it
		w.WriteHeader(http.StatusFound)
	}))
	g.servers = []*httptest.Server{pub, redir}
	all := map[string]string{
		PublicHost:   pub.Listener.Addr().String(),
		RebindHost:   pub.Listener.Addr().String(),
		RedirectHost: redir.Listener.Addr().String(),
	}
	for h, a := range hosts {
		all[h] = a
	}
	n, err := newNet(all)
	if err != nil {
		g.Close()
		return nil, err
	}
	g.net = n
	return g, nil
}

// Close stops the canary and the Ground's servers.
func (g *Ground) Close() {
	g.closeAll.Do(func() {
		for _, s := range g.servers {
			s.Close()
		}
		g.canary.Close()
	})
}

// Canary is the Ground's canary.
func (g *Ground) Canary() *Canary { return g.canary }

// CanaryURL is an http URL of the canary with path p (which starts with /).
func (g *Ground) CanaryURL(p string) string { return "http://" + g.canary.Addr() + p }

// Config returns a netguard.Config whose Resolver and DialContext are the
// Ground's (every other field zero, that is default).
func (g *Ground) Config() netguard.Config {
	return netguard.Config{Resolver: g, DialContext: g.DialContext}
}

// LookupIPAddr implements netguard.Resolver.
func (g *Ground) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	host = strings.ToLower(host)
	g.mu.Lock()
	g.lookups[host]++
	n := g.lookups[host]
	g.mu.Unlock()
	if host == RebindHost && n > 1 {
		return []net.IPAddr{{IP: net.IPv4(127, 0, 0, 1)}}, nil
	}
	return g.net.LookupIPAddr(ctx, host)
}

// Lookups is how often host was looked up.
func (g *Ground) Lookups(host string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.lookups[strings.ToLower(host)]
}

// DialContext dials as the type's comment says.
func (g *Ground) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	g.mu.Lock()
	g.dials = append(g.dials, addr)
	g.mu.Unlock()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		g.strayDial(addr)
		return nil, fmt.Errorf("ground: dial %q: not host:port", addr)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil { // a name: resolve again, as a careless dialer would
		res, err := g.LookupIPAddr(ctx, host)
		if err != nil || len(res) == 0 {
			g.strayDial(addr)
			return nil, fmt.Errorf("ground: dial %q: %v", addr, err)
		}
		a, _ := netip.AddrFromSlice(res[0].IP)
		ip = a.Unmap()
		g.strayDial(addr + " (dialed by name, resolved to " + ip.String() + ")")
	}
	ip = ip.Unmap().WithZone("")
	target := net.JoinHostPort(ip.String(), port)
	if _, ok := g.net.targets[ip]; ok {
		return g.net.DialContext(ctx, network, target)
	}
	g.strayDial(target)
	if ip.IsLoopback() {
		var d net.Dialer
		return d.DialContext(ctx, network, target) // a leak reaches the canary
	}
	return nil, fmt.Errorf("ground: refusing to dial %s", target)
}

func (g *Ground) strayDial(addr string) {
	g.mu.Lock()
	g.stray = append(g.stray, addr)
	g.mu.Unlock()
}

// Dialed returns every address dialed so far, in order.
func (g *Ground) Dialed() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.dials)
}

// Stray returns the dials that were not to one of the Ground's servers.
func (g *Ground) Stray() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.stray)
}

// AssertUntouched fails the test if the canary saw a connection or a
// request, or if anything was dialed other than the Ground's servers.
func (g *Ground) AssertUntouched(t testing.TB) {
	t.Helper()
	g.canary.AssertUntouched(t)
	if s := g.Stray(); len(s) > 0 {
		t.Errorf("stray dials (not to a public test server): %q", s)
	}
}

// tinyPNG is a 1x1 green PNG.
var tinyPNG = func() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 1, 1))
	img.Set(0, 0, color.RGBA{0, 255, 0, 255})
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}()

func servePublic(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch {
	case r.URL.Path == "/css":
		w.Header().Set("Content-Type", "text/css")
		if u := q.Get("import"); u != "" {
			fmt.Fprintf(w, "@import url(%s);\n", cssString(u))
		}
		if u := q.Get("font"); u != "" {
			fmt.Fprintf(w, "@font-face{font-family:kilnchain;src:url(%s)}\n.kilnchain{font-family:kilnchain}\n", cssString(u))
		}
	case strings.HasSuffix(r.URL.Path, ".png"):
		w.Header().Set("Content-Type", "image/png")
		w.Write(tinyPNG)
	case strings.HasSuffix(r.URL.Path, ".css"):
		w.Header().Set("Content-Type", "text/css")
	default:
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "public")
	}
}
