package netguardtest

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

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
	c := StartCanary()
	t.Cleanup(c.Close)
	return c
}

// StartCanary starts a canary that runs until Close, for tests that share
// one across a test binary (a pool started once for a package's tests).
func StartCanary() *Canary {
	c := &Canary{}
	c.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.requests.Add(1)
		io.WriteString(w, Body)
	}))
	c.srv.Listener = countingListener{Listener: c.srv.Listener, n: &c.conns}
	c.srv.Start()
	_, c.port, _ = net.SplitHostPort(c.srv.Listener.Addr().String())
	return c
}

// Close stops the canary.
func (c *Canary) Close() { c.srv.Close() }

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
