package renderer

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/kilnrender/kiln/snapshot"
)

// canary is a loopback HTTP server that no render may ever reach: it counts
// TCP connections, not just requests (Chromium preconnects without sending
// a request).
type canary struct {
	ln    net.Listener
	conns atomic.Int64
	port  int
}

type countingListener struct {
	net.Listener
	c *canary
}

func (l countingListener) Accept() (net.Conn, error) {
	conn, err := l.Listener.Accept()
	if err == nil {
		l.c.conns.Add(1)
	}
	return conn, err
}

var (
	canaryOnce sync.Once
	theCanary  *canary
)

func startCanary() *canary {
	canaryOnce.Do(func() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			panic(err)
		}
		c := &canary{ln: ln, port: ln.Addr().(*net.TCPAddr).Port}
		go http.Serve(countingListener{ln, c}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "image/svg+xml")
			fmt.Fprint(w, `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100" height="100" fill="red"/></svg>`)
		}))
		theCanary = c
	})
	return theCanary
}

// ssrfPage references the canary through every vector of DESIGN.md §5.
func ssrfPage(port int) string {
	bases := []string{
		fmt.Sprintf("http://127.0.0.1:%d", port),
		fmt.Sprintf("http://localhost:%d", port),
		fmt.Sprintf("HTTP://127.0.0.1:%d", port),
		fmt.Sprintf("http://[::ffff:127.0.0.1]:%d", port),
		fmt.Sprintf("http://2130706433:%d", port),
		fmt.Sprintf("http://0x7f000001:%d", port),
		fmt.Sprintf("http://0177.0.0.1:%d", port),
		fmt.Sprintf("http://127.1:%d", port),
		fmt.Sprintf("http://0.0.0.0:%d", port),
		fmt.Sprintf("http://[::1]:%d", port),
		fmt.Sprintf("http://127.0.0.1.nip.io:%d", port),
	}
	var b strings.Builder
	b.WriteString(`<!doctype html><html><head>`)
	b.WriteString(fmt.Sprintf(`<meta http-equiv="refresh" content="0;url=http://127.0.0.1:%d/refresh">`, port))
	for i, c := range bases {
		fmt.Fprintf(&b, `<link rel=stylesheet href="%s/css%d"><link rel=preconnect href="%s"><link rel=dns-prefetch href="%s"><link rel=prefetch href="%s/prefetch%d"><link rel=preload as=image href="%s/preload%d">`, c, i, c, c, c, i, c, i)
		fmt.Fprintf(&b, `<style>@import url("%s/import%d"); @font-face{font-family:f%d;src:url("%s/font%d")} .f%d{font-family:f%d;background:url("%s/bg%d")} .s%d{background-image:image-set(url("%s/set%d") 1x)}</style>`, c, i, i, c, i, i, i, c, i, i, c, i)
	}
	b.WriteString(`</head><body>`)
	for i, c := range bases {
		fmt.Fprintf(&b, `<p class="f%d s%d">text %d</p><img src="%s/img%d"><img srcset="%s/srcset%d 1x"><picture><source srcset="%s/source%d"><img></picture>`, i, i, i, c, i, c, i, c, i)
		fmt.Fprintf(&b, `<iframe src="%s/frame%d"></iframe><object data="%s/obj%d"></object><embed src="%s/embed%d"><video poster="%s/poster%d" src="%s/video%d"></video><audio src="%s/audio%d" autoplay></audio>`, c, i, c, i, c, i, c, i, c, i, c, i)
		fmt.Fprintf(&b, `<svg><image href="%s/svg%d" width=10 height=10 /></svg><input type=image src="%s/input%d"><form action="%s/form%d"></form>`, c, i, c, i, c, i)
	}
	b.WriteString(`<img src="file:///etc/passwd"><img src="FILE:///etc/hostname"><img src="\\localhost\share"><img src="ftp://127.0.0.1/x"><img src="gopher://127.0.0.1/x">`)
	b.WriteString(`<img src="http://redirect.example.test/to-canary"><iframe src="http://redirect.example.test/to-canary"></iframe>`)
	b.WriteString(`</body></html>`)
	return b.String()
}

func TestRenderSSRFCanary(t *testing.T) {
	p := sharedPool(t)
	c := startCanary()
	before := c.conns.Load()
	html := ssrfPage(c.port)

	// Raw: the renderer's own walls, without the snapshot sanitizer.
	s := testPage(html)
	_, res := renderPNG(t, p, s)
	if n := c.conns.Load() - before; n != 0 {
		t.Fatalf("the canary saw %d connections", n)
	}
	if len(res.Blocked) < 20 {
		t.Fatalf("only %d requests reported blocked: %v", len(res.Blocked), res.Blocked)
	}
	reasons := map[string]int{}
	for _, b := range res.Blocked {
		reasons[b.Reason]++
	}
	t.Logf("blocked %d requests: %v", len(res.Blocked), reasons)

	// Parsed: the same page as a user would send it.
	ps, err := snapshot.Parse([]byte(html), snapshot.Options{Name: "ssrf.html", Override: snapshot.Override{URL: "http://page.kiln.test/"}})
	if err != nil {
		t.Fatal(err)
	}
	renderPNG(t, p, ps)
	if n := c.conns.Load() - before; n != 0 {
		t.Fatalf("the canary saw %d connections", n)
	}
}
