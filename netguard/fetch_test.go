package netguard_test

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kilnrender/kiln/netguard"
	"github.com/kilnrender/kiln/netguard/netguardtest"
)

// fetchTestResolver answers fixed names with fixed addresses.
type fetchTestResolver map[string][]string

func (r fetchTestResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	ss, ok := r[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	var out []net.IPAddr
	for _, s := range ss {
		out = append(out, net.IPAddr{IP: net.ParseIP(s)})
	}
	return out, nil
}

func newTestFetcher(t *testing.T, cfg netguard.Config) *netguard.Fetcher {
	t.Helper()
	f, err := netguard.NewFetcher(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.CloseIdleConnections)
	return f
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// TestFetchBlocksBypasses covers names that resolve to refused addresses;
// TestSpellingsFetcher covers the ways to spell one in a URL.
func TestFetchBlocksBypasses(t *testing.T) {
	canary := netguardtest.NewCanary(t)
	P := canary.Port()
	resolver := fetchTestResolver{
		"evil.example":   {"127.0.0.1"},
		"evil6.example":  {"::ffff:127.0.0.1"},
		"mixed.example":  {"203.0.113.5", "10.0.0.1"},
		"mixed2.example": {"203.0.113.5", "127.0.0.1"},
		"meta.example":   {"169.254.169.254"},
	}
	tests := []struct {
		url, reason string
		loopback    bool // the target is this machine: safe to dial for real
	}{
		{"http://evil.example:" + P + "/", netguard.ReasonLoopback, true},
		{"http://evil6.example:" + P + "/", netguard.ReasonLoopback, true},
		{"http://mixed2.example:" + P + "/", netguard.ReasonLoopback, true},
		// Not on this machine: these must never be dialed at all.
		{"http://mixed.example/", netguard.ReasonPrivate, false},
		{"http://meta.example/", netguard.ReasonMetadata, false},
	}

	run := func(t *testing.T, f *netguard.Fetcher, onlyLoopback bool) {
		for _, tt := range tests {
			if onlyLoopback && !tt.loopback {
				continue
			}
			resp, err := f.Fetch(testCtx(t), tt.url, nil)
			if !errors.Is(err, netguard.ErrBlocked) || netguard.BlockReason(err) != tt.reason {
				t.Errorf("Fetch(%q) = %v, %v; want ErrBlocked (%s)", tt.url, resp, err, tt.reason)
			}
		}
	}

	t.Run("tripwire", func(t *testing.T) {
		cfg := netguardtest.Tripwire(t)
		cfg.Resolver = resolver
		run(t, newTestFetcher(t, cfg), false)
	})
	t.Run("system-dialer", func(t *testing.T) {
		// The production dialer, with only targets on this machine.
		run(t, newTestFetcher(t, netguard.Config{Resolver: resolver}), true)
	})
	// The production dialer refuses a disallowed address by itself too.
	if _, err := netguard.SystemDial(newTestFetcher(t, netguard.Config{}))(testCtx(t), "tcp", "127.0.0.1:"+P); !errors.Is(err, netguard.ErrBlocked) {
		t.Errorf("system dialer to the canary: %v, want ErrBlocked", err)
	}
	canary.AssertUntouched(t)

	// The canary does count: the same URL with AllowPrivate reaches it.
	f := newTestFetcher(t, netguard.Config{Policy: netguard.Policy{AllowPrivate: true}})
	resp, err := f.Fetch(testCtx(t), "http://127.0.0.1:"+P+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != netguardtest.Body || canary.Conns() != 1 || canary.Requests() != 1 {
		t.Errorf("AllowPrivate fetch: body %q, %d conns, %d requests", resp.Body, canary.Conns(), canary.Requests())
	}
}

func TestFetchBlockedMessage(t *testing.T) {
	f := newTestFetcher(t, netguard.Config{DialContext: func(context.Context, string, string) (net.Conn, error) {
		t.Error("dialed")
		return nil, errors.New("no")
	}})
	_, err := f.Fetch(testCtx(t), "http://127.0.0.1:8080/x", nil)
	want := "fetch http://127.0.0.1:8080/x: blocked: loopback address 127.0.0.1: request blocked"
	if err == nil || err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	_, err = f.Fetch(testCtx(t), "FILE:///etc/passwd", nil)
	want = `fetch FILE:///etc/passwd: blocked: scheme "file" not allowed: request blocked`
	if err == nil || err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}

func TestFetchAllowPrivateKeepsMetadataBlocked(t *testing.T) {
	cfg := netguard.Config{
		Policy:   netguard.Policy{AllowPrivate: true},
		Resolver: fetchTestResolver{"meta.example": {"169.254.169.254"}},
		DialContext: func(_ context.Context, _, addr string) (net.Conn, error) {
			t.Errorf("dialed %s", addr)
			return nil, errors.New("no")
		},
	}
	f := newTestFetcher(t, cfg)
	for _, u := range []string{
		"http://169.254.169.254/latest/meta-data/",
		"http://[fd00:ec2::254]/",
		"http://metadata.google.internal/",
		"http://meta.example/",
		"http://0.0.0.0:8080/",
	} {
		_, err := f.Fetch(testCtx(t), u, nil)
		if !errors.Is(err, netguard.ErrBlocked) {
			t.Errorf("Fetch(%q) with AllowPrivate: %v, want ErrBlocked", u, err)
		}
	}
}

func TestFetchDNSRebinding(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "public")
	}))
	defer srv.Close()
	tn := netguardtest.NewNet(t, map[string]string{"rebind.example": srv.Listener.Addr().String()})
	public := tn.Addr("rebind.example")
	var calls atomic.Int64
	cfg := tn.Config()
	// First answer public, every later answer loopback.
	cfg.Resolver = fetchResolverFunc(func(ctx context.Context, host string) ([]net.IPAddr, error) {
		if calls.Add(1) == 1 {
			return []net.IPAddr{{IP: public.AsSlice()}}, nil
		}
		return []net.IPAddr{{IP: net.IPv4(127, 0, 0, 1)}}, nil
	})
	f := newTestFetcher(t, cfg)

	resp, err := f.Fetch(testCtx(t), "http://rebind.example/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "public" {
		t.Errorf("body %q", resp.Body)
	}
	if got, want := tn.Dialed(), []string{public.String() + ":80"}; !slices.Equal(got, want) {
		t.Errorf("dialed %v, want exactly the checked address %v", got, want)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("resolved %d times for one fetch, want 1: a second lookup could differ from the checked one", n)
	}

	// The name now points at loopback: a new connection is refused.
	f.CloseIdleConnections()
	_, err = f.Fetch(testCtx(t), "http://rebind.example/", nil)
	if !errors.Is(err, netguard.ErrBlocked) || netguard.BlockReason(err) != netguard.ReasonLoopback {
		t.Errorf("after rebinding: %v, want netguard.ErrBlocked (loopback)", err)
	}
	if got := tn.Dialed(); len(got) != 1 {
		t.Errorf("dialed %v after rebinding", got)
	}
}

type fetchResolverFunc func(ctx context.Context, host string) ([]net.IPAddr, error)

func (f fetchResolverFunc) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	return f(ctx, host)
}

// fetchTestSites starts public.example and cdn.example on loopback.
func fetchTestSites(t *testing.T, canaryPort string) (*netguardtest.Net, *httptest.Server) {
	t.Helper()
	png := []byte("\x89PNG\r\n\x1a\n fake image bytes \x00\x01\x02")
	cdn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/img.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(png)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(cdn.Close)
	mux := http.NewServeMux()
	mux.HandleFunc("/to-canary", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://127.0.0.1:"+canaryPort+"/", http.StatusFound)
	})
	mux.HandleFunc("/to-canary-hex", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://0x7f000001:"+canaryPort+"/", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/to-file", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "file:///etc/passwd")
		w.WriteHeader(http.StatusFound)
	})
	mux.HandleFunc("/to-metadata", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/chain/", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/chain/"), "%d", &n)
		if n == 0 {
			io.WriteString(w, "end of chain")
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/chain/%d", n-1), http.StatusFound)
	})
	mux.HandleFunc("/to-cdn", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://cdn.example/img.png", http.StatusFound)
	})
	mux.HandleFunc("/not-found", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "nope")
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Set-Cookie", "session=1")
		w.Header().Set("Connection", "X-Hop")
		w.Header().Set("X-Hop", "1")
		w.Header().Set("X-Keep", "1")
		for _, k := range []string{"Accept", "Accept-Language", "Origin", "Range", "Cookie", "Authorization", "Referer", "User-Agent", "X-Custom"} {
			fmt.Fprintf(w, "%s=%s\n", k, r.Header.Get(k))
		}
	})
	pub := httptest.NewServer(mux)
	t.Cleanup(pub.Close)
	tn := netguardtest.NewNet(t, map[string]string{
		"public.example": pub.Listener.Addr().String(),
		"cdn.example":    cdn.Listener.Addr().String(),
	})
	return tn, pub
}

func TestFetchRedirects(t *testing.T) {
	canary := netguardtest.NewCanary(t)
	tn, _ := fetchTestSites(t, canary.Port())
	cfg := tn.Config()
	cfg.MaxRedirects = 3
	f := newTestFetcher(t, cfg)

	blocked := []struct{ path, reason string }{
		{"/to-canary", netguard.ReasonLoopback},
		{"/to-canary-hex", netguard.ReasonLoopback},
		{"/to-file", netguard.ReasonScheme},
		{"/to-metadata", netguard.ReasonMetadata},
	}
	for _, tt := range blocked {
		_, err := f.Fetch(testCtx(t), "http://public.example"+tt.path, nil)
		if !errors.Is(err, netguard.ErrBlocked) || netguard.BlockReason(err) != tt.reason {
			t.Errorf("%s: %v, want netguard.ErrBlocked (%s)", tt.path, err, tt.reason)
			continue
		}
		if !strings.Contains(err.Error(), "redirect to ") || strings.Contains(err.Error(), "</a>") {
			t.Errorf("%s: message %q should name the redirect and carry no body", tt.path, err)
		}
	}
	canary.AssertUntouched(t)
	for _, d := range tn.Dialed() {
		if !strings.HasPrefix(d, "203.0.113.") {
			t.Errorf("dialed %s", d)
		}
	}

	_, err := f.Fetch(testCtx(t), "http://public.example/loop", nil)
	if !errors.Is(err, netguard.ErrFetchFailed) || netguard.BlockReason(err) != netguard.ReasonRedirects {
		t.Errorf("loop: %v, want netguard.ErrFetchFailed (redirects)", err)
	}
	resp, err := f.Fetch(testCtx(t), "http://public.example/chain/3", nil)
	if err != nil || string(resp.Body) != "end of chain" || resp.URL != "http://public.example/chain/0" {
		t.Errorf("3 redirects with MaxRedirects 3: %v, %+v", err, resp)
	}
	_, err = f.Fetch(testCtx(t), "http://public.example/chain/4", nil)
	if netguard.BlockReason(err) != netguard.ReasonRedirects {
		t.Errorf("4 redirects with MaxRedirects 3: %v", err)
	}
}

func TestFetchHappyPath(t *testing.T) {
	tn, _ := fetchTestSites(t, "1")
	f := newTestFetcher(t, tn.Config())

	resp, err := f.Fetch(testCtx(t), "http://public.example/to-cdn#frag", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte("\x89PNG\r\n\x1a\n fake image bytes \x00\x01\x02")
	if resp.URL != "http://cdn.example/img.png" || resp.Status != 200 || resp.ContentType != "image/png" || !bytes.Equal(resp.Body, want) {
		t.Errorf("got URL %q status %d type %q body %q", resp.URL, resp.Status, resp.ContentType, resp.Body)
	}

	// An HTTP error is a response, not an error.
	resp, err = f.Fetch(testCtx(t), "http://public.example/not-found", nil)
	if err != nil || resp.Status != 404 || string(resp.Body) != "nope" {
		t.Errorf("404: %v %+v", err, resp)
	}

	// Only allowlisted request headers go out; cookies never come back.
	hdr := http.Header{
		"Accept":        {"image/avif,image/webp"},
		"Origin":        {"https://app.example"},
		"Cookie":        {"sid=secret"},
		"Authorization": {"Bearer secret"},
		"Referer":       {"https://app.example/private?token=secret"},
		"X-Custom":      {"1"},
		"User-Agent":    {"page-ua"},
	}
	resp, err = f.Fetch(testCtx(t), "http://public.example/echo", hdr)
	if err != nil {
		t.Fatal(err)
	}
	got := string(resp.Body)
	for _, line := range []string{
		"Accept=image/avif,image/webp\n", "Origin=https://app.example\n", "Cookie=\n",
		"Authorization=\n", "Referer=\n", "X-Custom=\n",
		"User-Agent=" + netguard.DefaultConfig().UserAgent + "\n",
	} {
		if !strings.Contains(got, line) {
			t.Errorf("server saw:\n%s\nwant line %q", got, line)
		}
	}
	if resp.Header.Get("Set-Cookie") != "" || resp.Header.Get("X-Hop") != "" || resp.Header.Get("X-Keep") != "1" {
		t.Errorf("response header %v", resp.Header)
	}
}

func TestFetchDNSAndNetworkErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	tls := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "self-signed")
	}))
	defer tls.Close()
	tn := netguardtest.NewNet(t, map[string]string{"down.example": closed, "tls.example": tls.Listener.Addr().String()})
	f := newTestFetcher(t, tn.Config())
	tests := []struct{ url, reason string }{
		{"http://nowhere.example/", netguard.ReasonDNS},
		{"http://down.example/", netguard.ReasonNetwork},
		{"https://tls.example/", netguard.ReasonTLS}, // verification is on: the test CA is not trusted
	}
	for _, tt := range tests {
		_, err := f.Fetch(testCtx(t), tt.url, nil)
		if !errors.Is(err, netguard.ErrFetchFailed) || netguard.BlockReason(err) != tt.reason {
			t.Errorf("Fetch(%q) = %v, want netguard.ErrFetchFailed (%s)", tt.url, err, tt.reason)
		}
	}
}

// fetchLimitServer serves the limit tests' endpoints.
func fetchLimitServer(t *testing.T, written *atomic.Int64) *httptest.Server {
	zeros := make([]byte, 64<<10)
	mux := http.NewServeMux()
	mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		for {
			n, err := w.Write(zeros)
			written.Add(int64(n))
			if err != nil || r.Context().Err() != nil {
				return
			}
		}
	})
	mux.HandleFunc("/declared", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(4<<20))
		w.Write(zeros)
	})
	mux.HandleFunc("/bytes/", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/bytes/"), "%d", &n)
		w.Write(bytes.Repeat([]byte("x"), n))
	})
	bomb := func(w http.ResponseWriter, r *http.Request, enc string) {
		w.Header().Set("Content-Encoding", enc)
		w.Header().Set("Content-Type", "image/svg+xml")
		var zw io.WriteCloser
		if enc == "deflate" {
			zw, _ = zlib.NewWriterLevel(w, zlib.BestSpeed)
		} else {
			zw, _ = gzip.NewWriterLevel(w, gzip.BestSpeed)
		}
		for total := 0; total < 1<<30; total += len(zeros) { // 1 GiB decoded
			if _, err := zw.Write(zeros); err != nil || r.Context().Err() != nil {
				return
			}
			written.Add(int64(len(zeros)))
		}
		zw.Close()
	}
	mux.HandleFunc("/gzip-bomb", func(w http.ResponseWriter, r *http.Request) { bomb(w, r, "gzip") })
	mux.HandleFunc("/deflate-bomb", func(w http.ResponseWriter, r *http.Request) { bomb(w, r, "deflate") })
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", r.URL.Query().Get("enc"))
		var buf bytes.Buffer
		var zw io.WriteCloser
		if r.URL.Query().Get("enc") == "deflate" {
			zw = zlib.NewWriter(&buf)
		} else {
			zw = gzip.NewWriter(&buf)
		}
		io.WriteString(zw, strings.Repeat("hello ", 1000))
		zw.Close()
		w.Write(buf.Bytes())
	})
	mux.HandleFunc("/br", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "br")
		w.Write([]byte{0x1b, 0x00})
	})
	mux.HandleFunc("/slow-header", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/slow-body", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("first"))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestFetchSizeLimits(t *testing.T) {
	var written atomic.Int64
	srv := fetchLimitServer(t, &written)
	cfg := netguardtest.NewNet(t, map[string]string{"big.example": srv.Listener.Addr().String()}).Config()
	cfg.MaxBytes = 1 << 20
	f := newTestFetcher(t, cfg)
	rangeHdr := http.Header{"Range": {"bytes=0-"}} // Go's transport does not decode then: Kiln does

	tooLarge := []struct {
		path string
		hdr  http.Header
	}{
		{"/endless", nil},
		{"/declared", nil},
		{"/bytes/1048577", nil},
		{"/gzip-bomb", nil},
		{"/gzip-bomb", rangeHdr},
		{"/deflate-bomb", nil},
	}
	for _, tt := range tooLarge {
		written.Store(0)
		start := time.Now()
		_, err := f.Fetch(testCtx(t), "http://big.example"+tt.path, tt.hdr)
		if !errors.Is(err, netguard.ErrTooLarge) || netguard.BlockReason(err) != netguard.ReasonTooLarge {
			t.Errorf("%s %v: %v, want ErrTooLarge", tt.path, tt.hdr, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s took %v", tt.path, d)
		}
		if strings.HasSuffix(tt.path, "-bomb") && written.Load() >= 1<<30 {
			t.Errorf("%s: the whole bomb was sent", tt.path)
		}
	}

	resp, err := f.Fetch(testCtx(t), "http://big.example/bytes/1048576", nil)
	if err != nil || len(resp.Body) != 1<<20 {
		t.Errorf("exactly MaxBytes: %v", err)
	}
	want := strings.Repeat("hello ", 1000)
	for _, tt := range []struct {
		enc string
		hdr http.Header
	}{{"gzip", nil}, {"gzip", rangeHdr}, {"deflate", nil}, {"x-gzip", rangeHdr}} {
		resp, err := f.Fetch(testCtx(t), "http://big.example/gzip?enc="+tt.enc, tt.hdr)
		if err != nil || string(resp.Body) != want || resp.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s %v: decoded body wrong: %v", tt.enc, tt.hdr, err)
		}
	}
	_, err = f.Fetch(testCtx(t), "http://big.example/br", nil)
	if !errors.Is(err, netguard.ErrFetchFailed) || netguard.BlockReason(err) != netguard.ReasonEncoding {
		t.Errorf("br: %v, want netguard.ErrFetchFailed (encoding)", err)
	}
}

func TestFetchTimeout(t *testing.T) {
	srv := fetchLimitServer(t, new(atomic.Int64))
	cfg := netguardtest.NewNet(t, map[string]string{"slow.example": srv.Listener.Addr().String()}).Config()
	cfg.Timeout = 300 * time.Millisecond
	f := newTestFetcher(t, cfg)
	for _, path := range []string{"/slow-header", "/slow-body"} {
		start := time.Now()
		_, err := f.Fetch(testCtx(t), "http://slow.example"+path, nil)
		d := time.Since(start)
		if !errors.Is(err, netguard.ErrFetchFailed) || !errors.Is(err, context.DeadlineExceeded) || netguard.BlockReason(err) != netguard.ReasonTimeout {
			t.Errorf("%s: %v, want a timeout", path, err)
		}
		if d < cfg.Timeout || d > cfg.Timeout+time.Second {
			t.Errorf("%s: gave up after %v, timeout %v", path, d, cfg.Timeout)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := f.Fetch(ctx, "http://slow.example/slow-header", nil)
	if !errors.Is(err, context.Canceled) || netguard.BlockReason(err) != netguard.ReasonCanceled {
		t.Errorf("canceled: %v", err)
	}
}

func TestFetchConcurrencyLimits(t *testing.T) {
	var cur, peak atomic.Int64
	perHost := map[string]*[2]atomic.Int64{"a.example": {}, "b.example": {}}
	handler := func(host string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c := perHost[host]
			n := c[0].Add(1)
			for m := c[1].Load(); n > m && !c[1].CompareAndSwap(m, n); m = c[1].Load() {
			}
			t := cur.Add(1)
			for m := peak.Load(); t > m && !peak.CompareAndSwap(m, t); m = peak.Load() {
			}
			time.Sleep(40 * time.Millisecond)
			cur.Add(-1)
			c[0].Add(-1)
			io.WriteString(w, host)
		})
	}
	a := httptest.NewServer(handler("a.example"))
	defer a.Close()
	b := httptest.NewServer(handler("b.example"))
	defer b.Close()
	hosts := map[string]string{"a.example": a.Listener.Addr().String(), "b.example": b.Listener.Addr().String()}

	fetchAll := func(f *netguard.Fetcher, urls []string) {
		var wg sync.WaitGroup
		for _, u := range urls {
			wg.Go(func() {
				resp, err := f.Fetch(testCtx(t), u, nil)
				if err != nil || !strings.Contains(u, string(resp.Body)) {
					t.Errorf("Fetch(%q): %v", u, err)
				}
			})
		}
		wg.Wait()
	}
	urls := func(host string, n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("http://%s/%d", host, i))
		}
		return out
	}

	cfg := netguardtest.NewNet(t, hosts).Config()
	cfg.PerHostConcurrency = 2
	fetchAll(newTestFetcher(t, cfg), append(urls("a.example", 8), urls("b.example", 8)...))
	for h, c := range perHost {
		if p := c[1].Load(); p != 2 {
			t.Errorf("%s: peak %d concurrent requests, want 2 (PerHostConcurrency)", h, p)
		}
	}
	if p := peak.Load(); p != 4 {
		t.Errorf("peak %d concurrent requests over two hosts, want 4", p)
	}

	peak.Store(0)
	cfg.PerHostConcurrency = 4
	cfg.MaxConcurrency = 3
	fetchAll(newTestFetcher(t, cfg), append(urls("a.example", 6), urls("b.example", 6)...))
	if p := peak.Load(); p != 3 {
		t.Errorf("peak %d concurrent requests, want 3 (MaxConcurrency)", p)
	}
}

func TestFetchConfig(t *testing.T) {
	if err := (netguard.Config{}).Validate(); err != nil {
		t.Errorf("zero config: %v", err)
	}
	if err := netguard.DefaultConfig().Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
	bad := netguard.Config{Timeout: -1, MaxBytes: -1, MaxRedirects: -1, PerHostConcurrency: -1, MaxConcurrency: -1, UserAgent: "a\nb"}
	err := bad.Validate()
	if err == nil {
		t.Fatal("bad config accepted")
	}
	for _, field := range []string{"timeout", "max bytes", "max redirects", "per-host concurrency", "max concurrency", "user agent"} {
		if !strings.Contains(err.Error(), field) {
			t.Errorf("error %q does not mention %s", err, field)
		}
	}
	if _, err := netguard.NewFetcher(bad); err == nil {
		t.Error("NewFetcher accepted a bad config")
	}
}
