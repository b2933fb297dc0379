package renderer

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/kilnrender/kiln/internal/imgcmp"
	"github.com/kilnrender/kiln/internal/testenv"
	"github.com/kilnrender/kiln/netguard"
	"github.com/kilnrender/kiln/netguard/netguardtest"
	"github.com/kilnrender/kiln/snapshot"
)

// One warm pool serves the package's tests, as in production; tests that
// need special settings start their own.
var (
	poolOnce sync.Once
	pool     *Pool
	poolErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if pool != nil {
		pool.Close()
	}
	os.Exit(code)
}

func sharedPool(t testing.TB) *Pool {
	t.Helper()
	chrome := testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
	poolOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cfg := DefaultConfig()
		cfg.ChromePath = chrome
		cfg.Fetch = testFetchConfig(t)
		pool, poolErr = New(ctx, cfg)
	})
	if poolErr != nil {
		t.Fatalf("start pool: %v", poolErr)
	}
	return pool
}

// testFetchConfig is the fetcher the shared pool uses: the real policy on
// the SSRF suite's hostile network (testGround), where one public-looking
// host (shop.example.test) serves the Gleap test shop's files and another
// (hang.example.test) never answers.
func testFetchConfig(t testing.TB) netguard.Config {
	return testGround(t).Config()
}

var (
	groundOnce sync.Once
	ground     *netguardtest.Ground
)

// testGround is the shared pool's network, for the whole test binary: the
// canary, the redirecting and rebinding hosts of netguardtest, and the
// package's own test hosts.
func testGround(t testing.TB) *netguardtest.Ground {
	groundOnce.Do(func() {
		var err error
		ground, err = netguardtest.StartGround(map[string]string{
			"shop.example.test":  shopServer(t),
			"hang.example.test":  hangServer(),
			"slow.example.test":  slowServer(),
			"icons.example.test": iconServer(),
		})
		if err != nil {
			panic(err)
		}
	})
	return ground
}

var (
	shopOnce sync.Once
	shopAddr string
)

// shopServer serves testdata/corpus/gleap-live/site as the live shop host
// did. It lives for the whole test binary.
func shopServer(t testing.TB) string {
	shopOnce.Do(func() {
		shopAddr = startStatic("../testdata/corpus/gleap-live/site", "/site")
	})
	return shopAddr
}

func renderCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// testPage is a snapshot of html at a test URL, 800x600 at DPR 1.
func testPage(html string) *snapshot.Snapshot {
	return &snapshot.Snapshot{
		Source:   snapshot.SourceHTML,
		URL:      "http://page.kiln.test/",
		HTML:     []byte(html),
		Viewport: snapshot.Viewport{Width: 800, Height: 600, DeviceScaleFactor: 1},
	}
}

func renderPNG(t testing.TB, p *Pool, s *snapshot.Snapshot) (image.Image, *Result) {
	t.Helper()
	res, err := p.Render(renderCtx(t), s, Options{Format: FormatPNG, ThumbWidth: 160})
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	img, err := imgcmp.Decode(res.Image)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return img, res
}

func near(c color.Color, r, g, b uint8) bool {
	cr, cg, cb, _ := c.RGBA()
	d := func(a uint32, b uint8) bool {
		x := int(a>>8) - int(b)
		return x > -12 && x < 12
	}
	return d(cr, r) && d(cg, g) && d(cb, b)
}

func TestRenderSizeAndDPR(t *testing.T) {
	p := sharedPool(t)
	for _, tc := range []struct {
		name   string
		w, h   int
		dpr    float64
		mobile bool
	}{
		{"desktop dpr 1", 800, 600, 1, false},
		{"retina dpr 2", 640, 400, 2, false},
		{"phone dpr 3", 390, 844, 3, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := testPage(`<!doctype html><style>html,body{margin:0;background:#fff}#b{position:absolute;left:10px;top:20px;width:100px;height:50px;background:rgb(255,0,0)}</style><div id=b></div>`)
			s.Viewport = snapshot.Viewport{Width: tc.w, Height: tc.h, DeviceScaleFactor: tc.dpr, Mobile: tc.mobile}
			img, res := renderPNG(t, p, s)
			wantW, wantH := int(float64(tc.w)*tc.dpr), int(float64(tc.h)*tc.dpr)
			if b := img.Bounds(); b.Dx() != wantW || b.Dy() != wantH || res.Width != wantW || res.Height != wantH {
				t.Fatalf("image %v (result %dx%d), want %dx%d", b, res.Width, res.Height, wantW, wantH)
			}
			// The red box sits at CSS (10,20)-(110,70): device pixels scale.
			in := image.Pt(int(60*tc.dpr), int(45*tc.dpr))
			out := image.Pt(int(120*tc.dpr), int(45*tc.dpr))
			if !near(img.At(in.X, in.Y), 255, 0, 0) || !near(img.At(out.X, out.Y), 255, 255, 255) {
				t.Fatalf("box not where expected: in=%v out=%v", img.At(in.X, in.Y), img.At(out.X, out.Y))
			}
			if res.ThumbWidth != 160 || len(res.Thumb) == 0 {
				t.Fatalf("thumbnail %dx%d, %d bytes", res.ThumbWidth, res.ThumbHeight, len(res.Thumb))
			}
		})
	}
}

func TestRenderFormats(t *testing.T) {
	p := sharedPool(t)
	s := testPage(`<!doctype html><body style="background:#0a0"><h1>formats</h1>`)
	for _, tc := range []struct {
		format, ctype string
		magic         func([]byte) bool
	}{
		{FormatWebP, "image/webp", func(b []byte) bool { return len(b) > 12 && string(b[0:4]) == "RIFF" && string(b[8:12]) == "WEBP" }},
		{FormatJPEG, "image/jpeg", func(b []byte) bool { return len(b) > 3 && b[0] == 0xff && b[1] == 0xd8 }},
		{FormatPNG, "image/png", func(b []byte) bool { return len(b) > 8 && string(b[1:4]) == "PNG" }},
	} {
		res, err := p.Render(renderCtx(t), s, Options{Format: tc.format, Quality: 70})
		if err != nil {
			t.Fatalf("%s: %v", tc.format, err)
		}
		if res.ContentType != tc.ctype || !tc.magic(res.Image) {
			t.Fatalf("%s: content type %s, magic %x", tc.format, res.ContentType, res.Image[:12])
		}
	}
}

func TestRenderScroll(t *testing.T) {
	p := sharedPool(t)
	// Bands of 500px: red, green, blue, ...; a fixed header stays on top.
	s := testPage(`<!doctype html><style>html{scroll-behavior:smooth}body{margin:0}div.band{height:500px}
#hdr{position:fixed;top:0;left:0;right:0;height:40px;background:rgb(0,0,0)}</style>
<div id=hdr></div><div class=band style="background:rgb(255,0,0)"></div><div class=band style="background:rgb(0,255,0)"></div><div class=band style="background:rgb(0,0,255)"></div><div class=band style="background:rgb(255,255,0)"></div>`)
	s.Scroll = snapshot.Scroll{Y: 1000}
	img, _ := renderPNG(t, p, s)
	if !near(img.At(400, 20), 0, 0, 0) {
		t.Fatalf("fixed header not at the top: %v", img.At(400, 20))
	}
	if !near(img.At(400, 100), 0, 0, 255) || !near(img.At(400, 550), 255, 255, 0) {
		t.Fatalf("scrolled to the wrong place: y100=%v y550=%v", img.At(400, 100), img.At(400, 550))
	}
}

func TestRenderElementScrollAndCanvas(t *testing.T) {
	p := sharedPool(t)
	// A green PNG painted into a canvas; a scroller scrolled by 200px.
	green := image.NewRGBA(image.Rect(0, 0, 2, 2))
	draw.Draw(green, green.Bounds(), image.NewUniform(color.RGBA{0, 255, 0, 255}), image.Point{}, draw.Src)
	var buf bytes.Buffer
	png.Encode(&buf, green)
	greenPNG := "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())
	s := testPage(`<!doctype html><body style="margin:0">
<canvas width=2 height=2 style="width:100px;height:100px;display:block" ` + snapshot.AttrCanvas + `="` + greenPNG + `"></canvas>
<div id=sc style="height:100px;width:100px;overflow:hidden" ` + snapshot.AttrScrollTop + `="200"><div style="height:200px;background:rgb(255,0,0)"></div><div style="height:200px;background:rgb(0,0,255)"></div></div>`)
	img, _ := renderPNG(t, p, s)
	if !near(img.At(50, 50), 0, 255, 0) {
		t.Fatalf("canvas not painted: %v", img.At(50, 50))
	}
	if !near(img.At(50, 150), 0, 0, 255) {
		t.Fatalf("element scroll not applied: %v", img.At(50, 150))
	}
}

func TestRenderScriptsNeverRun(t *testing.T) {
	p := sharedPool(t)
	// The snapshot package strips scripts; this is the renderer's own wall
	// (CSP), tested with a snapshot that still has them.
	s := testPage(`<!doctype html><body style="margin:0;background:rgb(255,255,255)">
<script>document.body.style.background='rgb(255,0,0)'</script>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onerror="document.body.style.background='rgb(255,0,0)'">
<iframe srcdoc="<script>parent.document.body.style.background='rgb(255,0,0)'</script>" style="border:0;width:10px;height:10px"></iframe>
<a href="javascript:document.body.style.background='red'">x</a>`)
	img, _ := renderPNG(t, p, s)
	if !near(img.At(700, 500), 255, 255, 255) {
		t.Fatalf("a page script ran: %v", img.At(700, 500))
	}
}

func TestRenderIsolation(t *testing.T) {
	p := sharedPool(t)
	// Two tenants, the same resource URL, different bytes: each render must
	// show its own, however the jobs land on the warm tabs.
	mk := func(rgb string) *snapshot.Snapshot {
		s := testPage(`<!doctype html><link rel=stylesheet href="http://cdn.kiln.test/app.css"><body><div id=x style="width:200px;height:200px"></div>`)
		s.Resources = []snapshot.Resource{{URL: "http://cdn.kiln.test/app.css", ContentType: "text/css", Data: []byte("#x{background:" + rgb + "}")}}
		return s
	}
	for i := 0; i < 6; i++ {
		want := [][3]uint8{{255, 0, 0}, {0, 0, 255}}[i%2]
		rgb := []string{"rgb(255,0,0)", "rgb(0,0,255)"}[i%2]
		img, res := renderPNG(t, p, mk(rgb))
		if !near(img.At(100, 100), want[0], want[1], want[2]) {
			t.Fatalf("job %d: saw %v, want %v (another job's bytes leaked)", i, img.At(100, 100), want)
		}
		if res.Served != 1 {
			t.Fatalf("job %d: served %d resources, want 1", i, res.Served)
		}
	}
}

func TestRenderBlankWarning(t *testing.T) {
	p := sharedPool(t)
	_, res := renderPNG(t, p, testPage(`<!doctype html><body style="color:#fff;background:#fff"><p>invisible text</p>`))
	if !contains(res.Warnings, "blank render") {
		t.Fatalf("warnings %q lack blank render", res.Warnings)
	}
	_, res = renderPNG(t, p, testPage(`<!doctype html><body><p>visible text</p>`))
	if contains(res.Warnings, "blank render") {
		t.Fatalf("visible page reported blank: %q", res.Warnings)
	}
}

func TestRenderFullPage(t *testing.T) {
	p := sharedPool(t)
	s := testPage(`<!doctype html><body style="margin:0"><div style="height:1500px;background:rgb(0,0,255)"></div>`)
	res, err := p.Render(renderCtx(t), s, Options{Format: FormatPNG, FullPage: true})
	if err != nil {
		t.Fatal(err)
	}
	img, _ := imgcmp.Decode(res.Image)
	if img.Bounds().Dy() != 1500 || !near(img.At(400, 1400), 0, 0, 255) {
		t.Fatalf("full page %v, pixel %v", img.Bounds(), img.At(400, 1400))
	}
	s = testPage(`<!doctype html><body style="margin:0"><div style="height:50000px"></div>`)
	res, err = p.Render(renderCtx(t), s, Options{Format: FormatJPEG, FullPage: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Height != p.cfg.MaxFullPageHeight || !containsPrefix(res.Warnings, "full page cut") {
		t.Fatalf("long page: height %d, warnings %q", res.Height, res.Warnings)
	}
}

func TestRenderBadInput(t *testing.T) {
	p := sharedPool(t)
	good := testPage(`<p>x`)
	for _, tc := range []struct {
		name string
		s    *snapshot.Snapshot
		o    Options
	}{
		{"unknown format", good, Options{Format: "gif"}},
		{"quality over 100", good, Options{Quality: 101}},
		{"negative thumbnail", good, Options{ThumbWidth: -1}},
		{"no snapshot", nil, Options{}},
		{"file URL", &snapshot.Snapshot{URL: "file:///etc/passwd", Viewport: good.Viewport}, Options{}},
		{"zero viewport", &snapshot.Snapshot{URL: good.URL}, Options{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := p.Render(renderCtx(t), tc.s, tc.o)
			if !errors.Is(err, ErrBadInput) {
				t.Fatalf("got %v, want ErrBadInput", err)
			}
		})
	}
	if _, err := p.Render(context.Background(), good, Options{}); !errors.Is(err, ErrNoContext) {
		t.Fatalf("no deadline: got %v", err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsPrefix(list []string, s string) bool {
	for _, x := range list {
		if len(x) >= len(s) && x[:len(s)] == s {
			return true
		}
	}
	return false
}
