package netguardtest

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kilnrender/kiln/netguard"
)

// Spelling is one hostile way to name a target, and the verdict every
// caller must give it.
type Spelling struct {
	URL string
	// Reason is the netguard.BlockReason every caller must report.
	Reason string
	// AtURL means that CheckURL itself refuses the URL; the others pass
	// CheckURL (an address literal is not judged there) and are refused
	// when dialed, before any connection.
	AtURL bool
	// Local means the target is this machine (the canary's port on
	// loopback), so a test may use the system's dialer: a leak reaches
	// the canary and no other machine. The others (metadata, private
	// ranges) must only be tried with a dialer that never connects
	// anywhere else, such as Tripwire's.
	Local bool
}

// Spellings returns the table, aimed at port on this machine where the
// target is local.
func Spellings(port string) []Spelling {
	P := port
	at := func(u, reason string) Spelling { return Spelling{URL: u, Reason: reason, AtURL: true, Local: true} }
	local := func(u, reason string) Spelling { return Spelling{URL: u, Reason: reason, Local: true} }
	far := func(u, reason string) Spelling { return Spelling{URL: u, Reason: reason} }
	return []Spelling{
		local("http://127.0.0.1:"+P+"/", netguard.ReasonLoopback),
		local("http://localhost:"+P+"/", netguard.ReasonLoopback),
		local("http://LOCALHOST.:"+P+"/", netguard.ReasonLoopback),
		local("http://app.localhost:"+P+"/", netguard.ReasonLoopback),
		local("http://[::1]:"+P+"/", netguard.ReasonLoopback),
		local("http://[::ffff:127.0.0.1]:"+P+"/", netguard.ReasonLoopback), // IPv4-mapped
		local("http://[::ffff:7f00:1]:"+P+"/", netguard.ReasonLoopback),
		local("http://2130706433:"+P+"/", netguard.ReasonLoopback), // decimal
		local("http://0x7f000001:"+P+"/", netguard.ReasonLoopback), // hex
		local("http://0177.0.0.1:"+P+"/", netguard.ReasonLoopback), // octal
		local("http://0x7f.1:"+P+"/", netguard.ReasonLoopback),
		local("http://127.1:"+P+"/", netguard.ReasonLoopback),
		local("HTTP://127.0.0.1:"+P+"/", netguard.ReasonLoopback),
		local("hTtP://127.0.0.1:"+P+"/", netguard.ReasonLoopback),
		local("http://0.0.0.0:"+P+"/", netguard.ReasonUnspecified), // Linux dials it as loopback
		local("http://0:"+P+"/", netguard.ReasonUnspecified),
		local("http://[::]:"+P+"/", netguard.ReasonUnspecified),
		at("file:///etc/passwd", netguard.ReasonScheme),
		at("FILE:///etc/passwd", netguard.ReasonScheme),
		at("ftp://127.0.0.1:"+P+"/", netguard.ReasonScheme),
		at("gopher://127.0.0.1:"+P+"/_GET%20/", netguard.ReasonScheme),
		at("data:text/html,<img src=http://127.0.0.1:"+P+"/>", netguard.ReasonScheme),
		at("javascript:fetch('http://127.0.0.1:"+P+"/')", netguard.ReasonScheme),
		at(`\\localhost\x`, netguard.ReasonMalformed),
		at(`http:\\127.0.0.1:`+P+`\`, netguard.ReasonMalformed),
		at("http://user:pass@127.0.0.1:"+P+"/", netguard.ReasonUserinfo),
		at("http://user@example.com/", netguard.ReasonUserinfo),
		at("http://example.com:25/", netguard.ReasonPort), // SMTP
		at("http://127.0.0.1:22/", netguard.ReasonPort),   // SSH
		at("http://example.com:6667/", netguard.ReasonPort),
		at("http://example.com:0/", netguard.ReasonPort),
		// Not on this machine: these must never be dialed at all.
		far("http://[::127.0.0.1]:"+P+"/", netguard.ReasonLoopback),        // IPv4-compatible (::/96)
		far("http://[::ffff:0:127.0.0.1]:"+P+"/", netguard.ReasonLoopback), // IPv4-translated
		far("http://[64:ff9b::a00:1]/", netguard.ReasonPrivate),            // NAT64 of 10.0.0.1
		far("http://[2002:7f00:1::1]/", netguard.ReasonLoopback),           // 6to4 of 127.0.0.1
		far("http://169.254.169.254/latest/meta-data/", netguard.ReasonMetadata),
		far("http://[::ffff:a9fe:a9fe]/latest/meta-data/", netguard.ReasonMetadata),
		far("http://[fd00:ec2::254]/latest/meta-data/", netguard.ReasonMetadata),
		far("http://metadata.google.internal/computeMetadata/v1/", netguard.ReasonMetadata),
		far("http://10.0.0.1/", netguard.ReasonPrivate),
		far("http://192.168.0.1:8080/", netguard.ReasonPrivate),
		far("http://[fd12:3456::1]/", netguard.ReasonPrivate),
		far("http://100.64.0.1/", netguard.ReasonCGNAT),
		far("http://169.254.1.1/", netguard.ReasonLinkLocal),
		far("http://[fe80::1]/", netguard.ReasonLinkLocal),
		far("http://224.0.0.1/", netguard.ReasonMulticast),
	}
}

// Tripwire returns a Config whose resolver and dialer fail the test when
// used: nothing in Spellings may be looked up or dialed. A dial to this
// machine still connects, so that the canary counts it; anything else is
// refused without a connection.
func Tripwire(t testing.TB) netguard.Config {
	return netguard.Config{
		Resolver: resolverFunc(func(_ context.Context, host string) ([]net.IPAddr, error) {
			t.Errorf("looked up %s", host)
			return nil, &net.DNSError{Err: "tripwire", Name: host, IsNotFound: true}
		}),
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			t.Errorf("dialed %s", addr)
			if ap, err := netip.ParseAddrPort(addr); err == nil && ap.Addr().Unmap().IsLoopback() {
				var d net.Dialer
				return d.DialContext(ctx, network, addr)
			}
			return nil, errors.New("tripwire: refusing to dial")
		},
	}
}

type resolverFunc func(ctx context.Context, host string) ([]net.IPAddr, error)

func (f resolverFunc) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	return f(ctx, host)
}

// RunSpellings tries every Spelling through a caller. build returns the
// caller's request function for cfg, which makes one request to a URL the
// way the caller does. It is called twice: with Tripwire's Config, for
// every Spelling, and with the zero Config (the system's resolver and
// dialer) for the Local ones, so that a leak reaches the canary and no
// other machine. Each request must fail with an error wrapping
// netguard.ErrBlocked whose BlockReason is the Spelling's, and the canary
// must see no connection at all.
func RunSpellings(t *testing.T, build func(t *testing.T, cfg netguard.Config) func(url string) error) {
	t.Run("tripwire", func(t *testing.T) { runSpellings(t, false, build(t, Tripwire(t))) })
	t.Run("system-dialer", func(t *testing.T) { runSpellings(t, true, build(t, netguard.Config{})) })
}

func runSpellings(t *testing.T, local bool, try func(url string) error) {
	c := NewCanary(t)
	for _, s := range Spellings(c.Port()) {
		if local && !s.Local {
			continue
		}
		err := try(s.URL)
		if !errors.Is(err, netguard.ErrBlocked) {
			t.Errorf("%s: %v, want ErrBlocked (%s)", s.URL, err, s.Reason)
			continue
		}
		if got := netguard.BlockReason(err); got != s.Reason {
			t.Errorf("%s: reason %q, want %q (%v)", s.URL, got, s.Reason, err)
		}
		if errors.Is(err, netguard.ErrFetchFailed) || errors.Is(err, netguard.ErrTooLarge) {
			t.Errorf("%s: %v matches more than ErrBlocked", s.URL, err)
		}
	}
	c.AssertUntouched(t)
}

// RunPolicy checks the operator's Allow and Deny lists through a caller.
// build is as for RunSpellings; cfg carries a Policy, and Net's Resolver
// and DialContext when a case needs a public-looking host. A nil error
// from the request function means the request was answered.
func RunPolicy(t *testing.T, build func(t *testing.T, cfg netguard.Config) func(url string) error) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	tn := NewNet(t, map[string]string{"public.example": srv.Listener.Addr().String(), "other.example": srv.Listener.Addr().String()})
	local := "http://127.0.0.1:" + port + "/"
	tests := []struct {
		name   string
		policy netguard.Policy
		useNet bool // resolve and dial through tn
		url    string
		reason string // "" means the server answers
	}{
		{"loopback refused by default", netguard.Policy{}, false, local, netguard.ReasonLoopback},
		{"allowed CIDR reaches loopback", netguard.Policy{Allow: []string{"127.0.0.0/8"}}, false, local, ""},
		{"allowed address reaches loopback", netguard.Policy{Allow: []string{"127.0.0.1"}}, false, local, ""},
		{"allowed CIDR admits the IPv4-mapped form", netguard.Policy{Allow: []string{"127.0.0.1/32"}}, false, "http://[::ffff:127.0.0.1]:" + port + "/", ""},
		{"deny wins over allow", netguard.Policy{Allow: []string{"127.0.0.0/8"}, Deny: []string{"127.0.0.1"}}, false, local, netguard.ReasonDenied},
		{"public host reached", netguard.Policy{}, true, "http://public.example/", ""},
		{"denied host refused though public", netguard.Policy{Deny: []string{"public.example"}}, true, "http://public.example/", netguard.ReasonDenied},
		{"denied host spelled in upper case", netguard.Policy{Deny: []string{"public.example"}}, true, "http://PUBLIC.Example./", netguard.ReasonDenied},
		{"denied wildcard", netguard.Policy{Deny: []string{"*.example"}}, true, "http://public.example/", netguard.ReasonDenied},
		{"other hosts stay reachable", netguard.Policy{Deny: []string{"public.example"}}, true, "http://other.example/", ""},
		{"denied CIDR refuses a public address", netguard.Policy{Deny: []string{"203.0.113.0/24"}}, true, "http://public.example/", netguard.ReasonDenied},
		{"denied host wins over its allowed address", netguard.Policy{Allow: []string{"203.0.113.0/24"}, Deny: []string{"public.example"}}, true, "http://public.example/", netguard.ReasonDenied},
		{"metadata stays refused inside an allowed CIDR", netguard.Policy{Allow: []string{"169.254.0.0/16"}}, true, "http://169.254.169.254/latest/meta-data/", netguard.ReasonMetadata},
		{"metadata stays refused when allowed by address", netguard.Policy{Allow: []string{"fd00:ec2::254", "metadata.google.internal"}}, true, "http://[fd00:ec2::254]/", netguard.ReasonMetadata},
		{"metadata name stays refused when allowed", netguard.Policy{Allow: []string{"metadata.google.internal"}}, true, "http://metadata.google.internal/", netguard.ReasonMetadata},
		{"an allowed CIDR admits nothing else", netguard.Policy{Allow: []string{"169.254.0.0/16"}}, false, local, netguard.ReasonLoopback},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.name, " ", "-"), func(t *testing.T) {
			var cfg netguard.Config
			if tt.useNet {
				cfg = tn.Config()
			}
			cfg.Policy = tt.policy
			before := hits.Load()
			err := build(t, cfg)(tt.url)
			reached := hits.Load() > before
			switch {
			case tt.reason == "" && (err != nil || !reached):
				t.Errorf("%s: %v (server reached: %v), want an answer", tt.url, err, reached)
			case tt.reason != "" && (!errors.Is(err, netguard.ErrBlocked) || netguard.BlockReason(err) != tt.reason):
				t.Errorf("%s: %v, want ErrBlocked (%s)", tt.url, err, tt.reason)
			case tt.reason != "" && reached:
				t.Errorf("%s: refused, yet the server was reached", tt.url)
			}
		})
	}
}

// RunURLVectors tries every URLVectors entry through a caller on a Ground:
// build returns the caller's request function for the Ground's Config, as
// for RunSpellings. Each request must fail with an error wrapping
// netguard.ErrBlocked and a reason the vector allows, except that
// RebindHost's first answer (public) may be answered; RebindHost must then
// be refused (loopback) on a later lookup. The canary must see nothing and
// nothing but the Ground's servers may be dialed. It logs the counts.
func RunURLVectors(t *testing.T, build func(t *testing.T, cfg netguard.Config) func(url string) error) {
	t.Helper()
	g := NewGround(t, nil)
	try := build(t, g.Config())
	vs := URLVectors(g)
	reasons := map[string]int{}
	kinds := map[string]int{}
	answered, rebindRefused := 0, 0
	for _, v := range vs {
		kinds[v.Kind]++
		err := try(v.URL)
		if err == nil {
			answered++
			if !v.MayPass {
				t.Errorf("%s %s: %s was answered, want it refused (%s)", v.ID, v.Name, v.URL, v.Reasons)
			}
			continue
		}
		reason := netguard.BlockReason(err)
		reasons[reason]++
		switch {
		case !errors.Is(err, netguard.ErrBlocked):
			t.Errorf("%s %s: %v, want ErrBlocked (%s)", v.ID, v.Name, err, v.Reasons)
		case !slices.Contains(v.Reasons, reason):
			t.Errorf("%s %s: reason %q, want one of %q (%v)", v.ID, v.Name, reason, v.Reasons, err)
		case v.MayPass && reason == netguard.ReasonLoopback:
			rebindRefused++
		}
	}
	if n := g.Lookups(RebindHost); n < 2 || rebindRefused == 0 {
		t.Errorf("%s looked up %d times, refused %d times after rebinding: want at least 2 and 1", RebindHost, n, rebindRefused)
	}
	g.AssertUntouched(t)
	t.Logf("%d URL vectors %v: refused %v, %d answered by the public test server (rebinding's first answer); canary: %d connections, %d requests",
		len(vs), kinds, reasons, answered, g.Canary().Conns(), g.Canary().Requests())
}
