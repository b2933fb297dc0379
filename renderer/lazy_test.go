package renderer

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kilnrender/kiln/snapshot"
)

var (
	hangOnce sync.Once
	hangAddr string
)

// hangServer accepts connections and never answers: a resource that never
// arrives. It lives for the whole test binary.
func hangServer() string {
	hangOnce.Do(func() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			panic(err)
		}
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				go func() { _, _ = c.Read(make([]byte, 4096)); time.Sleep(time.Minute); c.Close() }()
			}
		}()
		hangAddr = ln.Addr().String()
	})
	return hangAddr
}

func solidPNG(t testing.TB, c color.Color, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Lazy images load whatever their loading/decoding attributes say, in the
// viewport, far below it (full page) and inside <picture>/srcset; both the
// normalizer (Parse) and the settle step (a document built elsewhere, as a
// replay keyframe is) see to it.
func TestRenderLazyImages(t *testing.T) {
	p := sharedPool(t)
	red := solidPNG(t, color.RGBA{255, 0, 0, 255}, 100, 100)
	blue := solidPNG(t, color.RGBA{0, 0, 255, 255}, 100, 100)
	page := `<!doctype html><style>body{margin:0;background:#fff}img{display:block;width:100px;height:100px}</style>
<img loading="lazy" decoding="async" src="http://page.kiln.test/top.png">
<div style="height:3000px"></div>
<img loading="lazy" decoding="async" src="http://page.kiln.test/far.png">
<picture><source type="image/png" srcset="http://page.kiln.test/pic.png 1x" sizes="100px"><img loading="lazy" src="http://page.kiln.test/none.png"></picture>`
	resources := []snapshot.Resource{
		{URL: "http://page.kiln.test/top.png", ContentType: "image/png", Data: red},
		{URL: "http://page.kiln.test/far.png", ContentType: "image/png", Data: blue},
		{URL: "http://page.kiln.test/pic.png", ContentType: "image/png", Data: red},
	}
	parsed, err := snapshot.Parse([]byte(page), snapshot.Options{Override: snapshot.Override{URL: "http://page.kiln.test/", Width: 800, Height: 600}})
	if err != nil {
		t.Fatal(err)
	}
	parsed.Resources = resources
	if bytes.Contains(parsed.HTML, []byte("loading=")) {
		t.Fatalf("normalized HTML keeps a loading attribute")
	}
	raw := testPage(page)
	raw.Resources = resources
	for name, s := range map[string]*snapshot.Snapshot{"normalized": parsed, "unnormalized": raw} {
		t.Run(name, func(t *testing.T) {
			res, err := p.Render(renderCtx(t), s, Options{Format: FormatPNG, FullPage: true})
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			img, err := png.Decode(bytes.NewReader(res.Image))
			if err != nil {
				t.Fatal(err)
			}
			for _, pt := range []struct {
				what    string
				x, y    int
				r, g, b uint8
			}{
				{"viewport lazy image", 50, 50, 255, 0, 0},
				{"lazy image below the fold", 50, 3150, 0, 0, 255},
				{"lazy <picture> source", 50, 3250, 255, 0, 0},
			} {
				if c := img.At(pt.x, pt.y); !near(c, pt.r, pt.g, pt.b) {
					t.Errorf("%s at (%d,%d) = %v", pt.what, pt.x, pt.y, c)
				}
			}
			for _, w := range res.Warnings {
				if strings.Contains(w, "still loading") {
					t.Errorf("warning %q", w)
				}
			}
		})
	}
}

// An image that never arrives is a warning, not a failed render: the
// settle step's waits are bounded by a share of the time left, so the
// capture happens well before the job's deadline.
func TestRenderImageNeverArrives(t *testing.T) {
	p := sharedPool(t)
	s := testPage(`<!doctype html><body style="margin:0;background:rgb(0,128,0)">
<img loading="lazy" src="http://hang.example.test/never.png" style="width:100px;height:100px">
<img src="http://hang.example.test/never2.png" style="width:100px;height:100px">`)
	ctx, cancel := context.WithTimeout(context.Background(), 9*time.Second)
	defer cancel()
	res, err := p.Render(ctx, s, Options{Format: FormatPNG})
	if err != nil {
		t.Fatalf("render failed instead of warning: %v", err)
	}
	var warned bool
	for _, w := range res.Warnings {
		warned = warned || strings.Contains(w, "images still loading")
	}
	if !warned {
		t.Fatalf("no warning for images that never arrived: %q", res.Warnings)
	}
	img, err := png.Decode(bytes.NewReader(res.Image))
	if err != nil {
		t.Fatal(err)
	}
	if c := img.At(400, 500); !near(c, 0, 128, 0) {
		t.Fatalf("background %v, want the page's green", c)
	}
}
