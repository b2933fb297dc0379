package renderer

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kilnrender/kiln/snapshot"
)

// A document whose root element carries snapshot.AttrPointer is pictured
// with the mouse there: :hover applies to what is under it (after the
// window's scroll, inside a frame too), as on the live page. The next
// job in the same tab starts with the mouse out of the page, and a touch
// screen shows no hover.
func TestHoverAtPointer(t *testing.T) {
	p := lifecyclePool(t, 0) // one tab: every job follows the last in it
	const style = `<style>body{margin:0;background:#fff}.box{width:200px;height:200px;background:#00f}.box:hover{background:#f00}</style>`
	box := func(mark string) string {
		return `<!doctype html><html` + mark + `><head>` + style + `</head><body><div class="box"></div></body></html>`
	}
	red, green, blue := [3]uint8{255, 0, 0}, [3]uint8{0, 255, 0}, [3]uint8{0, 0, 255}
	frame := `<!doctype html><html><head>` + style + `</head><body><div style="height:100px"></div>` +
		`<iframe style="margin-left:300px;width:220px;height:220px;border:5px solid #000;padding:0;display:block" srcdoc="` +
		`&lt;html data-kiln-pointer=&quot;20 30&quot;&gt;` + style + `&lt;div class=&quot;box&quot;&gt;&lt;/div&gt;"></iframe></body></html>`
	scrolled := `<!doctype html><html data-kiln-pointer="100 100"><head>` + style + `</head><body><div style="height:400px"></div><div class="box"></div><div style="height:2000px"></div></body></html>`
	// A menu that opens when its entry is hovered; the pointer was over
	// its second item (at 100, 70 when open), above the page's box.
	menu := `<!doctype html><html><head>` + style + `<style>.m{height:40px;width:200px;background:#ccc}.m ul{display:none;margin:0;padding:0;list-style:none;position:absolute;top:40px;left:0;width:200px}` +
		`.m:hover ul{display:block}.m li{height:40px;background:#fff}.m li:hover{background:#0f0}</style></head><body><div class="m">Menu<ul><li>One</li>` +
		`<li data-kiln-pointer="100 70">Two</li></ul></div><div class="box"></div></body></html>`
	// A menu that a hover on its button opens (a sibling: .b:hover +
	// .sub), open while the mouse is over it; the pointer was over it (at
	// 100, 60 when open, above the page's box), after its button.
	sibling := func(path string) string {
		return `<!doctype html><html><head>` + style + `<style>.b{height:40px;width:200px;background:#ccc}.sub{display:none;height:40px;width:200px;background:#fff}` +
			`.b:hover + .sub,.sub:hover{display:block}.sub:hover{background:#0f0}</style></head><body><div class="b">Menu</div>` +
			`<div class="sub" data-kiln-pointer="` + path + `">Two</div><div class="box"></div></body></html>`
	}
	for _, tc := range []struct {
		name   string
		html   string
		mobile bool
		scroll int
		x, y   int
		want   [3]uint8
	}{
		{"hovered", box(` data-kiln-pointer="100 100"`), false, 0, 100, 100, red},
		{"next job, no pointer", box(``), false, 0, 100, 100, blue},
		{"pointer beside the box", box(` data-kiln-pointer="300 100"`), false, 0, 100, 100, blue},
		{"again hovered", box(` data-kiln-pointer="10 190.5"`), false, 0, 100, 100, red},
		{"not a pair of numbers", box(` data-kiln-pointer="100"`), false, 0, 100, 100, blue},
		{"in a frame", frame, false, 0, 305 + 20, 105 + 30, red},
		{"after the window's scroll", scrolled, false, 300, 100, 100, red},
		{"touch screen", box(` data-kiln-pointer="100 100"`), true, 0, 100, 100, blue},
		{"menu item, by way of its menu", menu, false, 0, 100, 70, green},
		{"sibling menu, along the recorded path", sibling("100 20 150 30 100 60"), false, 0, 100, 60, green},
		{"sibling menu, no path: the box under the point", sibling("100 60"), false, 0, 100, 60, red},
		{"path off the viewport", sibling("-5 20 9000 30 100 60"), false, 0, 100, 60, red},
		{"image of the hovered style", strings.Replace(box(` data-kiln-pointer="100 100"`), `.box:hover{background:#f00}`, `.box:hover{background:url(http://page.kiln.test/hover.png) 0 0/200px 200px}`, 1), false, 0, 100, 100, green},
		{"image of a hovered parent's child", strings.Replace(strings.Replace(box(` data-kiln-pointer="100 100"`), `.box:hover{background:#f00}`, `.box:hover i{background:url(http://page.kiln.test/hover.png) 0 0/200px 200px}i{display:block;width:50px;height:50px}`, 1), `<div class="box"></div>`, `<div class="box"><i></i></div>`, 1), false, 0, 20, 20, green},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := testPage(tc.html)
			s.Resources = []snapshot.Resource{{URL: "http://page.kiln.test/hover.png", ContentType: "image/png", Data: solidPNG(t, color.RGBA{0, 255, 0, 255}, 4, 4)}}
			s.Viewport.Mobile = tc.mobile
			s.Scroll = snapshot.Scroll{Y: tc.scroll}
			img, _ := renderPNG(t, p, s)
			if got := img.At(tc.x, tc.y); !near(got, tc.want[0], tc.want[1], tc.want[2]) {
				t.Errorf("pixel at %d,%d is %v, want %v", tc.x, tc.y, got, tc.want)
			}
		})
	}
}

// slowServer answers every request with a green 4x4 PNG after 300 ms
// (a host of testGround).
func slowServer() string {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	for i := 0; i < len(img.Pix); i += 4 {
		copy(img.Pix[i:], []byte{0, 255, 0, 255})
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return startHTTP(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(300 * time.Millisecond)
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(b.Bytes())
	})
}

// What a hovered style loads is waited for: an image that takes 300 ms
// to fetch is in the picture.
func TestHoverWaitsForItsImage(t *testing.T) {
	p := sharedPool(t)
	html := `<!doctype html><html data-kiln-pointer="100 100"><head><style>body{margin:0;background:#fff}` +
		`.box{width:200px;height:200px;background:#00f}.box:hover{background:url(http://slow.example.test/g.png?` +
		strings.ReplaceAll(t.Name(), "/", "-") + `) 0 0/200px 200px}</style></head><body><div class="box"></div></body></html>`
	img, res := renderPNG(t, p, testPage(html))
	if got := img.At(100, 100); !near(got, 0, 255, 0) {
		t.Errorf("pixel %v, want the hovered style's green image (fetched %d, warnings %q)", got, res.Fetched, res.Warnings)
	}
}

// A page whose own policy forbids images from other hosts (the barrier's
// too) is hovered without waiting out the hover budget: the barrier's
// failure in the page ends the wait as its arrival does.
func TestHoverUnderPagePolicy(t *testing.T) {
	p := sharedPool(t)
	html := `<!doctype html><html data-kiln-pointer="100 100"><head><meta http-equiv="Content-Security-Policy" content="img-src 'none'">` +
		`<style>body{margin:0;background:#fff}.box{width:200px;height:200px;background:#00f}.box:hover{background:#f00}</style></head><body><div class="box"></div></body></html>`
	img, res := renderPNG(t, p, testPage(html))
	if got := img.At(100, 100); !near(got, 255, 0, 0) {
		t.Errorf("pixel %v, want the hovered red", got)
	}
	if slices.Contains(res.Warnings, "resources of the hovered element still loading at capture") {
		t.Errorf("warnings %q: the hover waited out its budget", res.Warnings)
	}
}
